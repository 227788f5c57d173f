"""kgan: generative adversarial networks for Keras 3.

``GAN``, ``ConditionalGAN``, ``WGAN`` and ``WGANGP`` are ``keras.Model`` subclasses: build them from a
generator and a discriminator, ``compile(g_optimizer=..., d_optimizer=...)``, then ``fit``.
"""

import importlib as _importlib
import os as _os
import sys as _sys

from kgan import _onednn

if _onednn.default_onednn_on() == "too late":  # before anything imports TensorFlow: oneDNN on AVX2 CPUs too
    _onednn.warn_if_too_late()


def _invoked_as_command():
    """True for the ``kgan`` console script and ``python -m kgan``: the command line imports
    Keras and TensorFlow only when a subcommand needs them (``kgan --help`` answers at once)."""
    if _sys.argv and _os.path.basename(_sys.argv[0]) in ("kgan", "kgan.exe"):
        return True
    argv = getattr(_sys, "orig_argv", [])
    return any(a == "-m" and b == "kgan" for a, b in zip(argv, argv[1:])) or "-mkgan" in argv


_LAZY = {
    "GAN": "kgan.models", "WGAN": "kgan.models", "WGANGP": "kgan.models", "AdversarialModel": "kgan.models",
    "ConditionalGAN": "kgan.models", "export_generator": "kgan.export", "evaluate": "kgan.metrics",
    "InfoGAN": "kgan.models", "VAE": "kgan.models",
    "ProgressiveGAN": "kgan.models", "ProgressiveSchedule": "kgan.models",
}

if _invoked_as_command():

    def __getattr__(name):
        if name in _LAZY:
            return getattr(_importlib.import_module(_LAZY[name]), name)
        if name in __all__:
            return _importlib.import_module(f"kgan.{name}")
        raise AttributeError(f"module 'kgan' has no attribute {name!r}")

else:  # a library user's `import kgan`: everything registered with Keras at once, as usual
    from kgan import augment, callbacks, ema, images, latent, losses, metrics, mode_seeking, networks, penalties
    from kgan.export import export_generator
    from kgan.metrics import evaluate
    from kgan.models import GAN, WGAN, WGANGP, AdversarialModel, ConditionalGAN, InfoGAN, VAE
    from kgan.models import ProgressiveGAN, ProgressiveSchedule

__version__ = "0.1.0"

__all__ = [
    "GAN",
    "WGAN",
    "WGANGP",
    "AdversarialModel",
    "ConditionalGAN",
    "InfoGAN",
    "VAE",
    "ProgressiveGAN",
    "ProgressiveSchedule",
    "augment",
    "callbacks",
    "ema",
    "evaluate",
    "export_generator",
    "images",
    "latent",
    "losses",
    "metrics",
    "mode_seeking",
    "networks",
    "penalties",
]
