"""DCGAN generator and discriminator (Radford et al., 2015) for 28x28, 32x32 and 64x64 images.

Generator: project noise to a 7x7 (28x28) or 4x4 (32x32, 64x64) map, then strided
Conv2DTranspose + BatchNorm + ReLU stages that double the size and halve the filters, ending
in a Conv2DTranspose to the image channels with tanh. Discriminator: the mirror image with
strided Conv2D + LeakyReLU(0.2), then Flatten + Dense(1) raw logits. Weights start from
N(0, 0.02) as in the paper; the default kernel 4 is divisible by the stride, which avoids the
checkerboard artefacts of uneven overlap (Odena et al., 2016).
"""

import math

import keras

from kgan.networks.mlp import _positive_int, _rate, _shape

# Image side -> side of the first (generator) / last (discriminator) feature map.
_START = {28: 7, 32: 4, 64: 4}
_CHANNELS = (1, 3)
_NORMALIZATIONS = ("batch", "layer", None)


def _init():
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def _image_shape(value, arg, fn):
    try:
        shape = _shape(value, arg, fn)
    except ValueError:
        shape = ()
    supported = len(shape) == 3 and shape[0] == shape[1] and shape[0] in _START and shape[2] in _CHANNELS
    if not supported:
        raise ValueError(
            f"{fn}: unsupported {arg} {value!r}; expected (size, size, channels) with size in "
            f"{tuple(_START)} and channels in {_CHANNELS}, e.g. (28, 28, 1) or (64, 64, 3)."
        )
    return shape


def _stages(size):
    """Number of stride-2 stages between the image and its 7x7 or 4x4 map."""
    return int(math.log2(size // _START[size]))


def _check_normalization(value, fn):
    if value not in _NORMALIZATIONS:
        raise ValueError(f"{fn}: normalization must be one of {_NORMALIZATIONS}, got {value!r}.")
    return value


def _generator_body(z, output_shape, base_filters, kernel_size):
    """Latent vector -> image in [-1, 1] (float32); shared with the conditional generator."""
    size, _, channels = output_shape
    start, n = _START[size], _stages(size)
    filters = base_filters * 2 ** (n - 1)
    x = keras.layers.Dense(
        start * start * filters, use_bias=False, kernel_initializer=_init(), name="project"
    )(z)
    x = keras.layers.Reshape((start, start, filters), name="reshape")(x)
    x = _bn(x, "bn_0")
    x = keras.layers.ReLU(name="relu_0")(x)
    for i in range(1, n):
        filters //= 2
        x = keras.layers.Conv2DTranspose(
            filters, kernel_size, strides=2, padding="same", use_bias=False,
            kernel_initializer=_init(), name=f"up_{i}",
        )(x)
        x = _bn(x, f"bn_{i}")
        x = keras.layers.ReLU(name=f"relu_{i}")(x)
    x = keras.layers.Conv2DTranspose(
        channels, kernel_size, strides=2, padding="same", kernel_initializer=_init(), name="to_images"
    )(x)
    # float32 output so a mixed_float16 policy still yields float32 images.
    return keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)


def _discriminator_body(x, size, base_filters, kernel_size, normalization, dropout=0.0):
    """Image (possibly with extra channels) -> raw logits (batch, 1); shared with the conditional one."""
    for i in range(_stages(size)):
        x = keras.layers.Conv2D(
            base_filters * 2**i, kernel_size, strides=2, padding="same",
            use_bias=not (i and normalization), kernel_initializer=_init(), name=f"down_{i + 1}",
        )(x)
        if i and normalization == "batch":  # the paper leaves the first layer unnormalised
            x = _bn(x, f"bn_{i + 1}")
        elif i and normalization == "layer":
            # Layer norm over (H, W, C) with per-channel scale, as in the WGAN-GP critic.
            x = keras.layers.GroupNormalization(groups=1, epsilon=1e-5, name=f"ln_{i + 1}")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"lrelu_{i + 1}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i + 1}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.layers.Dense(1, dtype="float32", kernel_initializer=_init(), name="logits")(x)


def _bn(x, name):
    return keras.layers.BatchNormalization(
        momentum=0.9, epsilon=1e-5,
        gamma_initializer=keras.initializers.RandomNormal(mean=1.0, stddev=0.02), name=name,
    )(x)


def dcgan_generator(
    latent_dim=100, output_shape=(28, 28, 1), base_filters=64, kernel_size=4, name="dcgan_generator"
):
    """DCGAN generator: noise (batch, latent_dim) -> images (batch, *output_shape) in [-1, 1].

    `base_filters` is the width of the last hidden stage; each earlier stage doubles it.
    """
    fn = "dcgan_generator"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    output_shape = _image_shape(output_shape, "output_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    kernel_size = _positive_int(kernel_size, "kernel_size", fn)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    images = _generator_body(noise, output_shape, base_filters, kernel_size)
    return keras.Model(noise, images, name=name)


def dcgan_discriminator(
    input_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=4,
    normalization="batch",
    dropout=0.0,
    name="dcgan_discriminator",
):
    """DCGAN discriminator: images (batch, *input_shape) -> raw logits (batch, 1).

    `normalization` applies to every conv stage but the first: "batch" (the paper), "layer"
    or None. A WGAN-GP critic must not use "batch": the gradient penalty is per sample and
    batch statistics couple the samples. `dropout` (a rate in [0, 1)) after every conv stage
    regularises the discriminator, as the MLP discriminator of the original GAN does.
    """
    fn = "dcgan_discriminator"
    input_shape = _image_shape(input_shape, "input_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    kernel_size = _positive_int(kernel_size, "kernel_size", fn)
    normalization = _check_normalization(normalization, fn)
    dropout = _rate(dropout, "dropout", fn)
    images = keras.Input(shape=input_shape, name="images")
    logits = _discriminator_body(images, input_shape[0], base_filters, kernel_size, normalization, dropout)
    return keras.Model(images, logits, name=name)
