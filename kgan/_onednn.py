"""TensorFlow's oneDNN kernels on every x86 CPU, set before TensorFlow loads.

TensorFlow 2.21 turns oneDNN on by default only on x86 CPUs with AVX-512 VNNI / BF16 or AMX; on
an AVX2-only CPU it runs its Eigen kernels, which there train the zoo's recipes with 1.4-1.9x the
CPU seconds a step and the keras.io WGAN-GP critic with 5.7x (bench/README.md, "oneDNN on AVX2
CPUs"). oneDNN changes no algorithm and no random draw, only the order of floating-point sums
(TensorFlow's own start-up notice says so), as between two CPUs.

The switch is the environment variable ``TF_ENABLE_ONEDNN_OPTS``, read once when TensorFlow is
imported. So it lives here, in a module that imports nothing from Keras (``kgan.backend``'s
package does), and ``kgan/__init__.py`` calls it first: it takes effect wherever kgan is imported
before Keras or TensorFlow (the ``kgan`` command, ``zoo``, a script whose first import is
kgan). A value the user set, ``0`` or ``1``, always wins.
"""

import os
import platform
import sys

VARIABLE = "TF_ENABLE_ONEDNN_OPTS"
X86 = ("x86_64", "amd64", "i386", "i686", "x86")


def default_onednn_on(environ=None, modules=None, machine=None):
    """Set ``TF_ENABLE_ONEDNN_OPTS=1`` unless the user set it, TensorFlow is already imported
    (too late to matter), or the CPU is not x86 (oneDNN's ARM build is TensorFlow's call).

    Returns what it did: ``"set"``, ``"user"``, ``"too late"`` or ``"not x86"``.
    """
    environ = os.environ if environ is None else environ
    modules = sys.modules if modules is None else modules
    machine = (platform.machine() if machine is None else machine).lower()
    if VARIABLE in environ:
        return "user"
    if "tensorflow" in modules:
        return "too late"
    if machine not in X86:
        return "not x86"
    environ[VARIABLE] = "1"
    return "set"
