"""kgan: generative adversarial networks for Keras 3.

``GAN``, ``ConditionalGAN`` and ``WGANGP`` are ``keras.Model`` subclasses: build them from a
generator and a discriminator, ``compile(g_optimizer=..., d_optimizer=...)``, then ``fit``.
"""

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
