"""kgan: generative adversarial networks for Keras 3.

``GAN``, ``ConditionalGAN`` and ``WGANGP`` are ``keras.Model`` subclasses: build them from a
generator and a discriminator, ``compile(g_optimizer=..., d_optimizer=...)``, then ``fit``.
"""

import os as _os
import sys as _sys

if _sys.argv and (_sys.argv[0] == "-m" or _os.path.basename(_sys.argv[0]) == "kgan"):
    # The `kgan` command or `python -m ...`: keep TensorFlow's C++ start-up chatter off the
    # terminal (it must be set before TensorFlow is imported).
    _os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from kgan import callbacks, images, losses, metrics, networks, penalties
from kgan.export import export_generator
from kgan.metrics import evaluate
from kgan.models import GAN, WGANGP, AdversarialModel, ConditionalGAN

__version__ = "0.1.0"

__all__ = [
    "GAN",
    "WGANGP",
    "AdversarialModel",
    "ConditionalGAN",
    "callbacks",
    "evaluate",
    "export_generator",
    "images",
    "losses",
    "metrics",
    "networks",
    "penalties",
]
