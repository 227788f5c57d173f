"""Training algorithms: keras.Model subclasses that override ``train_step``."""

from kgan.models.base import AdversarialModel
from kgan.models.conditional_gan import ConditionalGAN
from kgan.models.gan import GAN
from kgan.models.wgan import WGAN
from kgan.models.wgan_gp import WGANGP

__all__ = ["AdversarialModel", "ConditionalGAN", "GAN", "WGAN", "WGANGP"]
