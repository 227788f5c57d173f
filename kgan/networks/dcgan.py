"""DCGAN generator and discriminator (Radford et al., 2015) for 28x28, 32x32 and 64x64 images.

Generator: project noise to a 7x7 (28x28) or 4x4 (32x32, 64x64) map, then upsampling +
BatchNorm + ReLU stages that double the size and halve the filters, ending in an upsampling
to the image channels with tanh. Upsampling is a strided Conv2DTranspose (the paper) or, with
`upsampling="resize"`, a nearest-neighbour UpSampling2D followed by a Conv2D (Odena et al.,
2016), which has no checkerboard artefacts at all. Discriminator: the mirror image with
strided Conv2D + LeakyReLU(0.2), then Flatten + Dense(1) raw logits, optionally spectrally
normalised (SNGAN). Weights start from N(0, 0.02) as in the paper; the default transposed
kernel 4 is divisible by the stride, which avoids the checkerboard of uneven overlap.
"""

import math

import keras

from kgan.networks import minibatch_discrimination
from kgan.networks.mixture_latent import MixtureLatent
from kgan.networks.mlp import _flag, _kernel_layer, _positive_int, _rate, _shape
from kgan.networks.self_attention import SelfAttention

# Image side -> side of the first (generator) / last (discriminator) feature map.
_START = {28: 7, 32: 4, 64: 4}
_CHANNELS = (1, 3)
_NORMALIZATIONS = ("auto", "batch", "layer", None)
_UPSAMPLINGS = ("transposed", "resize")
# Default generator kernel per upsampling: 4 is divisible by the transposed conv's stride 2;
# 3 is odd, so the resize conv stays centred (an even kernel at stride 1 shifts by half a pixel).
_DEFAULT_KERNEL = {"transposed": 4, "resize": 3}


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


def _dense_units(value, fn):
    """The optional hidden Dense layer's width: None (no layer) or a positive integer."""
    return None if value is None else _positive_int(value, "dense_units", fn)


def _check_normalization(value, spectral_norm, fn, name="normalization"):
    """The discriminator's normalisation (the argument ``name``): "auto" is "batch" (the paper)
    without spectral normalisation and None with it (SNGAN's discriminator has none)."""
    if value not in _NORMALIZATIONS:
        raise ValueError(f"{fn}: {name} must be one of {_NORMALIZATIONS}, got {value!r}.")
    if value == "auto":
        return None if spectral_norm else "batch"
    return value


def _check_upsampling(value, fn):
    if value not in _UPSAMPLINGS:
        raise ValueError(f"{fn}: upsampling must be one of {_UPSAMPLINGS}, got {value!r}.")
    return value


def _generator_kernel(value, upsampling, fn):
    """kernel_size=None means the default for the chosen upsampling (see _DEFAULT_KERNEL)."""
    return _DEFAULT_KERNEL[upsampling] if value is None else _positive_int(value, "kernel_size", fn)


def _generator_body(z, output_shape, base_filters, kernel_size, upsampling="transposed", dense_units=None,
                    attention=None):
    """Latent vector -> image in [-1, 1] (float32); shared with the conditional generator.
    With ``dense_units``, a hidden Dense + batch norm + ReLU comes before the projection (the
    InfoGAN paper's MNIST generator: Dense(1024), then the 7x7x128 projection). With
    ``attention`` (a map side), a ``SelfAttention`` block follows the stage of that side."""
    size, _, channels = output_shape
    start, n = _START[size], _stages(size)
    filters = base_filters * 2 ** (n - 1)
    x = z
    if dense_units:
        x = keras.layers.Dense(dense_units, use_bias=False, kernel_initializer=_init(), name="hidden")(x)
        x = keras.layers.ReLU(name="relu_hidden")(_bn(x, "bn_hidden"))
    x = keras.layers.Dense(
        start * start * filters, use_bias=False, kernel_initializer=_init(), name="project"
    )(x)
    x = keras.layers.Reshape((start, start, filters), name="reshape")(x)
    x = _bn(x, "bn_0")
    x = keras.layers.ReLU(name="relu_0")(x)
    x = _attend(x, attention)
    for i in range(1, n):
        filters //= 2
        x = _upsample(x, filters, kernel_size, upsampling, f"up_{i}", use_bias=False)
        x = _bn(x, f"bn_{i}")
        x = keras.layers.ReLU(name=f"relu_{i}")(x)
        x = _attend(x, attention)
    x = _upsample(x, channels, kernel_size, upsampling, "to_images", use_bias=True)
    # float32 output so a mixed_float16 policy still yields float32 images.
    return keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)


def _attend(x, attention, spectral_norm=False):
    """A ``SelfAttention`` block named "attention" when ``x``'s side is ``attention``; else ``x``."""
    if attention is None or x.shape[1] != attention:
        return x
    return SelfAttention(spectral_norm=spectral_norm, name="attention")(x)


def _attention_side(value, size, sides, fn):
    """``attention``: None, or the side of one of the network's hidden feature maps."""
    if value is None:
        return None
    if isinstance(value, bool) or value not in sides:
        raise ValueError(f"{fn}: attention must be None or the side of a hidden feature map of a {size}x{size} "
                         f"image, one of {sides}; got {value!r}.")
    return int(value)


def _generator_sides(size):
    """The sides of the generator's hidden maps, smallest first (e.g. 4, 8, 16, 32 for 64x64)."""
    return tuple(_START[size] * 2**i for i in range(_stages(size)))


def _discriminator_sides(size):
    """The sides of the discriminator's conv stages' outputs (e.g. 32, 16, 8, 4 for 64x64)."""
    return tuple(size // 2 ** (i + 1) for i in range(_stages(size)))


def _upsample(x, filters, kernel_size, upsampling, name, use_bias):
    """Double the map's size: a stride-2 Conv2DTranspose named `name`, or ("resize") a
    nearest-neighbour UpSampling2D (`<name>_resize`) then a stride-1 Conv2D named `name`.

    Nearest rather than bilinear: a nearest resize is an exact pixel repeat, so every output
    pixel gets the same number of contributions (no checkerboard can arise), the conv learns
    any smoothing it needs, and it is the cheapest resize and the same on every backend and
    exporter (Odena et al. 2016 had their best results with nearest; SNGAN and BigGAN use it).
    """
    conv = dict(padding="same", use_bias=use_bias, kernel_initializer=_init(), name=name)
    if upsampling == "transposed":
        return keras.layers.Conv2DTranspose(filters, kernel_size, strides=2, **conv)(x)
    x = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"{name}_resize")(x)
    return keras.layers.Conv2D(filters, kernel_size, **conv)(x)


def _discriminator_features(x, size, base_filters, kernel_size, normalization, dropout=0.0, spectral_norm=False,
                            dense_units=None, attention=None):
    """Image (possibly with extra channels) -> flat features (batch, F): the conv stages, then
    (with `dense_units`) a hidden Dense + normalisation + LeakyReLU. With `spectral_norm` every
    Conv2D and Dense is spectrally normalised. With `attention` (a map side), a `SelfAttention`
    block follows the stage of that side."""
    for i in range(_stages(size)):
        x = _kernel_layer(
            keras.layers.Conv2D, spectral_norm, f"down_{i + 1}", filters=base_filters * 2**i,
            kernel_size=kernel_size, strides=2, padding="same", use_bias=not (i and normalization),
            kernel_initializer=_init(),
        )(x)
        if i and normalization == "batch":  # the paper leaves the first layer unnormalised
            x = _bn(x, f"bn_{i + 1}")
        elif i and normalization == "layer":
            # Layer norm over (H, W, C) with per-channel scale, as in the WGAN-GP critic.
            x = keras.layers.GroupNormalization(groups=1, epsilon=1e-5, name=f"ln_{i + 1}")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"lrelu_{i + 1}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i + 1}")(x)
        x = _attend(x, attention, spectral_norm)
    x = keras.layers.Flatten(name="flatten")(x)
    if dense_units:
        x = _kernel_layer(keras.layers.Dense, spectral_norm, "hidden", units=dense_units,
                          use_bias=not normalization, kernel_initializer=_init())(x)
        x = _normalize(x, normalization, "bn_hidden" if normalization == "batch" else "ln_hidden")
        x = keras.layers.LeakyReLU(negative_slope=0.2, name="lrelu_hidden")(x)
    return x


def _discriminator_body(x, size, base_filters, kernel_size, normalization, dropout=0.0, spectral_norm=False,
                        dense_units=None):
    """Image (possibly with extra channels) -> raw logits (batch, 1): the features of
    `_discriminator_features`, then a Dense(1); shared with the conditional one."""
    x = _discriminator_features(x, size, base_filters, kernel_size, normalization, dropout, spectral_norm, dense_units)
    return _logit(x, spectral_norm)


def _logit(features, spectral_norm=False):
    """The raw logit (batch, 1), float32 under any mixed-precision policy."""
    return _kernel_layer(
        keras.layers.Dense, spectral_norm, "logits", units=1, dtype="float32", kernel_initializer=_init()
    )(features)


def _normalize(x, normalization, name):
    """Batch norm, layer norm (over all features, per-feature scale) or nothing."""
    if normalization == "batch":
        return _bn(x, name)
    if normalization == "layer":
        return keras.layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)(x)
    return x


def _bn(x, name):
    return keras.layers.BatchNormalization(
        momentum=0.9, epsilon=1e-5,
        gamma_initializer=keras.initializers.RandomNormal(mean=1.0, stddev=0.02), name=name,
    )(x)


def dcgan_generator(
    latent_dim=100,
    output_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=None,
    upsampling="transposed",
    dense_units=None,
    mixture_components=None,
    mixture_scale=10.0,
    attention=None,
    name="dcgan_generator",
):
    """DCGAN generator: noise (batch, latent_dim) -> images (batch, *output_shape) in [-1, 1].

    `base_filters` is the width of the last hidden stage; each earlier stage doubles it.
    `upsampling`: "transposed" (the paper's strided Conv2DTranspose) or "resize"
    (nearest-neighbour UpSampling2D + Conv2D, same filter counts): no checkerboard artefacts,
    at about 2.25x the convolution cost per stage with the default kernel. `kernel_size`
    defaults to 4 for "transposed" (divisible by the stride) and 3 for "resize" (odd, so the
    convolution stays centred). `dense_units`: a hidden Dense(dense_units) + batch norm + ReLU
    before the projection, as the InfoGAN paper's MNIST generator (1024); None (the default)
    projects the noise directly, as the DCGAN paper. `mixture_components` (None: off) lets the
    last that many noise values choose one of as many discrete pieces the generator can jump
    between (`MixtureLatent`, one-hot of height `mixture_scale`): fewer samples stranded between
    separated modes, e.g. between two digits; the input stays standard normal noise.
    `attention` (None: off) is the side of one hidden feature map (e.g. 32 for 64x64 images: one
    of 4, 8, 16, 32) after whose stage a `SelfAttention` block (SAGAN) lets every position read
    every other: global structure in one step. It starts as the identity (its `gamma` is 0).
    """
    fn = "dcgan_generator"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    output_shape = _image_shape(output_shape, "output_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    upsampling = _check_upsampling(upsampling, fn)
    kernel_size = _generator_kernel(kernel_size, upsampling, fn)
    dense_units = _dense_units(dense_units, fn)
    attention = _attention_side(attention, output_shape[0], _generator_sides(output_shape[0]), fn)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    latent = noise
    if mixture_components is not None:
        latent = MixtureLatent(mixture_components, mixture_scale, name="mixture_latent")(noise)
    images = _generator_body(latent, output_shape, base_filters, kernel_size, upsampling, dense_units, attention)
    return keras.Model(noise, images, name=name)


def dcgan_discriminator(
    input_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=4,
    normalization="auto",
    dropout=0.0,
    spectral_norm=False,
    dense_units=None,
    minibatch_kernels=0,
    attention=None,
    name="dcgan_discriminator",
):
    """DCGAN discriminator: images (batch, *input_shape) -> raw logits (batch, 1).

    `normalization` applies to every conv stage but the first: "batch" (the paper), "layer"
    or None; "auto" (the default) is "batch", or None when `spectral_norm` is on. A WGAN-GP
    critic must not use "batch": the gradient penalty is per sample and batch statistics
    couple the samples. `dropout` (a rate in [0, 1)) after every conv stage regularises the
    discriminator, as the MLP discriminator of the original GAN does.

    `spectral_norm=True` wraps every Conv2D and the Dense in
    `keras.layers.SpectralNormalization` (SNGAN, Miyato et al. 2018; pair it with
    `loss="hinge"`): each layer's largest singular value stays near 1, bounding how fast the
    logits can change with the image. SNGAN's discriminator has no other normalisation, and
    BatchNorm's division by batch statistics would undo that bound, so "auto" drops it; an
    explicit "batch" or "layer" is still honoured, for experiments.

    `dense_units` (None: none) adds a hidden Dense layer of that width, normalised like the
    conv stages, between the last conv stage and the logit, as the InfoGAN paper's MNIST
    discriminator (Dense 1024) does.

    `minibatch_kernels=K` (0: off) appends K minibatch-discrimination features
    (`MinibatchDiscrimination`, Salimans et al. 2016) to the flat features before the logit: how
    close each sample lies to the others of its batch, so a generator that repeats itself is caught.
    Measured with `normalization="batch"` (`mnist_dcgan`'s recipe): the discriminator won from the
    first epoch and the generator collapsed to one digit (README, Training options); with
    `normalization=None` and R1 it trains, with as few near-duplicates as real digits but more
    ambiguous ones (`zoo/recipes/mnist_dcgan.py`).

    `attention` (None: off) is the side of one conv stage's output (e.g. 32 for 64x64 images: one of
    32, 16, 8, 4) after which a `SelfAttention` block (SAGAN) compares every position with every
    other; spectrally normalised too with `spectral_norm`.
    """
    fn = "dcgan_discriminator"
    input_shape = _image_shape(input_shape, "input_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    kernel_size = _positive_int(kernel_size, "kernel_size", fn)
    spectral_norm = _flag(spectral_norm, "spectral_norm", fn)
    normalization = _check_normalization(normalization, spectral_norm, fn)
    dropout = _rate(dropout, "dropout", fn)
    dense_units = _dense_units(dense_units, fn)
    minibatch_kernels = minibatch_discrimination.check_kernels(minibatch_kernels, fn)
    attention = _attention_side(attention, input_shape[0], _discriminator_sides(input_shape[0]), fn)
    images = keras.Input(shape=input_shape, name="images")
    features = _discriminator_features(
        images, input_shape[0], base_filters, kernel_size, normalization, dropout, spectral_norm, dense_units, attention
    )
    logits = _logit(minibatch_discrimination.append(features, minibatch_kernels), spectral_norm)
    return keras.Model(images, logits, name=name)
