"""Training algorithms: keras.Model subclasses that override ``train_step``."""

from kgan.models.base import AdversarialModel
from kgan.models.conditional_gan import ConditionalGAN
from kgan.models.gan import GAN
from kgan.models.infogan import InfoGAN
from kgan.models.progressive_gan import ProgressiveGAN
from kgan.models.progressive_schedule import ProgressiveSchedule
from kgan.models.vae import VAE
from kgan.models.wgan import WGAN
from kgan.models.wgan_gp import WGANGP

__all__ = [
    "AdversarialModel", "ConditionalGAN", "GAN", "InfoGAN", "ProgressiveGAN", "ProgressiveSchedule", "VAE", "WGAN",
    "WGANGP",
]
