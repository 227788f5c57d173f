"""Architectures: functional builders returning plain `keras.Model`s.

Generators map noise (and, when conditional, integer labels) to samples; discriminators
map samples (and labels) to raw logits of shape (batch, 1). Built from core Keras layers
only, so every model round-trips through `to_json` and `.keras` files.

Options for quality per compute: every discriminator takes `spectral_norm=True` (SNGAN:
each Dense/Conv2D wrapped in `keras.layers.SpectralNormalization`; use with
`loss="hinge"`), and every convolutional generator takes `upsampling="resize"`
(nearest-neighbour resize + convolution instead of transposed convolutions: no checkerboard).
Both are off by default, and the defaults build exactly the layers they always did.
`dcgan_generator` and `mlp_generator` take `mixture_components=K`: a discrete piece read from
the noise first (`MixtureLatent`, registered with Keras): fewer samples stranded between
separated modes. `mlp_discriminator`, `dcgan_discriminator` and `infogan_discriminator` take
`minibatch_kernels=K`: features of how close each sample lies to the rest of its batch
(`MinibatchDiscrimination`), against a generator that repeats itself. `dcgan_generator` and
`dcgan_discriminator` take `attention=SIDE`: a `SelfAttention` block (SAGAN) after the feature
map of that side, for structure no local convolution sees whole. `resnet_generator` and
`resnet_discriminator` are SNGAN's residual networks (same image sizes, `spectral_norm`, `attention`).
"""

from kgan.networks.conditional import (
    conditional_dcgan_discriminator,
    conditional_dcgan_generator,
    conditional_mlp_discriminator,
    conditional_mlp_generator,
)
from kgan.networks.dcgan import dcgan_discriminator, dcgan_generator
from kgan.networks.infogan import (
    CodePrior,
    infogan_discriminator,
    infogan_generator,
    infogan_mlp_discriminator,
    infogan_mlp_generator,
)
from kgan.networks.minibatch_discrimination import MinibatchDiscrimination
from kgan.networks.mixture_latent import MixtureLatent
from kgan.networks.mlp import mlp_discriminator, mlp_generator
from kgan.networks.progressive import progressive_discriminator, progressive_generator
from kgan.networks.resnet import resnet_attention_sides, resnet_discriminator, resnet_generator
from kgan.networks.self_attention import SelfAttention
from kgan.networks.vae import vae_decoder, vae_encoder

__all__ = [
    "mlp_generator",
    "mlp_discriminator",
    "dcgan_generator",
    "dcgan_discriminator",
    "resnet_generator",
    "resnet_discriminator",
    "resnet_attention_sides",
    "MixtureLatent",
    "MinibatchDiscrimination",
    "SelfAttention",
    "conditional_mlp_generator",
    "conditional_mlp_discriminator",
    "conditional_dcgan_generator",
    "conditional_dcgan_discriminator",
    "infogan_generator",
    "infogan_discriminator",
    "infogan_mlp_generator",
    "infogan_mlp_discriminator",
    "CodePrior",
    "vae_encoder",
    "vae_decoder",
    "progressive_generator",
    "progressive_discriminator",
]
