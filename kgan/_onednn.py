"""TensorFlow's oneDNN kernels on every x86 CPU, set before TensorFlow loads.

TensorFlow 2.21 turns oneDNN on by default only on x86 CPUs with AVX-512 VNNI / BF16 or AMX; on
an AVX2-only CPU it runs its Eigen kernels, which there train the zoo's recipes with 1.3-1.9x the
CPU seconds a step and the keras.io WGAN-GP critic with 5.7x (bench/README.md, "oneDNN on AVX2
CPUs"). oneDNN changes no algorithm and no random draw, only the order of floating-point sums
(TensorFlow's own start-up notice says so), as between two CPUs.

The switch is the environment variable ``TF_ENABLE_ONEDNN_OPTS``, read once when TensorFlow is
imported. So it lives here, in a module that imports nothing from Keras (``kgan.backend``'s
package does), and ``kgan/__init__.py`` calls it first: it takes effect wherever kgan is imported
before Keras or TensorFlow (the ``kgan`` command, ``zoo``, a script whose first import is
kgan). A value the user set, ``0`` or ``1``, always wins. Where TensorFlow came first and runs
without oneDNN, ``warn_if_too_late`` says how to get it (once, at ``import kgan``).
"""

import os
import platform
import sys
import warnings

VARIABLE = "TF_ENABLE_ONEDNN_OPTS"
X86 = ("x86_64", "amd64", "i386", "i686", "x86")


def default_onednn_on(environ=None, modules=None, machine=None):
    """Set ``TF_ENABLE_ONEDNN_OPTS=1`` unless the user set it, the CPU is not x86 (oneDNN's ARM
    build is TensorFlow's call), or TensorFlow is already imported (too late to matter).

    Returns what it did: ``"set"``, ``"user"``, ``"too late"`` or ``"not x86"``.
    """
    environ = os.environ if environ is None else environ
    modules = sys.modules if modules is None else modules
    machine = (platform.machine() if machine is None else machine).lower()
    if VARIABLE in environ:
        return "user"
    if machine not in X86:
        return "not x86"
    if "tensorflow" in modules:
        return "too late"
    environ[VARIABLE] = "1"
    return "set"


def tensorflow_onednn_on():
    """TensorFlow's own answer in this process: ``True`` / ``False`` (oneDNN kernels on or off),
    ``None`` where TensorFlow is not loaded or has no such query."""
    if "tensorflow" not in sys.modules:
        return None
    try:
        from tensorflow.python.util import _pywrap_util_port
    except ImportError:
        return None
    return bool(_pywrap_util_port.IsMklEnabled())


TOO_LATE = (
    "TensorFlow was imported before kgan and runs without its oneDNN kernels on this CPU "
    "(TensorFlow turns them on by default only on CPUs with AVX-512 VNNI/BF16 or AMX); on an AVX2 "
    "CPU training then takes 1.3-1.9x the CPU time. Import kgan before Keras, or set "
    "TF_ENABLE_ONEDNN_OPTS=1 before starting Python (=0 keeps TensorFlow's choice and this notice away)."
)


def warn_if_too_late(backend=None, onednn_on=None, environ=None):
    """Warn (``UserWarning``) when Keras trains on TensorFlow without oneDNN because TensorFlow was
    imported before kgan and the user left ``TF_ENABLE_ONEDNN_OPTS`` unset. ``backend`` and
    ``onednn_on`` default to the running process's (Keras's backend; TensorFlow's own flag).
    Returns whether it warned."""
    environ = os.environ if environ is None else environ
    if VARIABLE in environ:
        return False
    if backend is None:
        import keras

        backend = keras.backend.backend()
    if backend != "tensorflow":
        return False  # TensorFlow only feeds data here: its kernels do not train
    if onednn_on is None:
        onednn_on = tensorflow_onednn_on()
    if onednn_on is not False:  # on, or TensorFlow cannot say: nothing to tell rather than a guess
        return False
    warnings.warn(TOO_LATE, UserWarning, stacklevel=3)
    return True
