"""VAE encoder and decoder (Kingma & Welling, 2014) for 28x28, 32x32 and 64x64 images.

Encoder: stride-2 Conv2D + LeakyReLU(0.2) stages down to a 7x7 (28x28) or 4x4 map, then two
Dense heads, `z_mean` and `z_log_var`. Decoder: the DCGAN generator body of `dcgan.py`
(projection, BatchNorm + ReLU upsampling stages, tanh), so its samples are in [-1, 1] like
every kgan generator's and it can be exported, sampled and evaluated the same way.
"""

import keras

from kgan.networks.dcgan import (
    _check_upsampling,
    _generator_body,
    _generator_kernel,
    _image_shape,
    _init,
    _stages,
)
from kgan.networks.mlp import _positive_int


def vae_encoder(input_shape=(28, 28, 1), latent_dim=16, base_filters=32, kernel_size=4, name="vae_encoder"):
    """Images (batch, *input_shape) -> [z_mean, z_log_var], each (batch, latent_dim).

    Each stage halves the size and doubles the filters, from `base_filters`. `z_log_var`
    starts at zero (kernel and bias), so training begins from unit posterior variances.
    """
    fn = "vae_encoder"
    input_shape = _image_shape(input_shape, "input_shape", fn)
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    kernel_size = _positive_int(kernel_size, "kernel_size", fn)
    images = keras.Input(shape=input_shape, name="images")
    x = images
    for i in range(_stages(input_shape[0])):
        x = keras.layers.Conv2D(base_filters * 2**i, kernel_size, strides=2, padding="same",
                                kernel_initializer=_init(), name=f"down_{i + 1}")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"lrelu_{i + 1}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    z_mean = keras.layers.Dense(latent_dim, dtype="float32", name="z_mean")(x)
    z_log_var = keras.layers.Dense(latent_dim, dtype="float32", kernel_initializer="zeros", name="z_log_var")(x)
    return keras.Model(images, [z_mean, z_log_var], name=name)


def vae_decoder(latent_dim=16, output_shape=(28, 28, 1), base_filters=32, kernel_size=None, upsampling="transposed",
                name="vae_decoder"):
    """z (batch, latent_dim) -> images (batch, *output_shape) in [-1, 1].

    The DCGAN generator's body: `base_filters`, `kernel_size` and `upsampling` ("transposed"
    or "resize") mean what they mean for `dcgan_generator`.
    """
    fn = "vae_decoder"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    output_shape = _image_shape(output_shape, "output_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    upsampling = _check_upsampling(upsampling, fn)
    kernel_size = _generator_kernel(kernel_size, upsampling, fn)
    z = keras.Input(shape=(latent_dim,), name="z")
    return keras.Model(z, _generator_body(z, output_shape, base_filters, kernel_size, upsampling), name=name)
