"""Fully connected generator and discriminator, as in the original GAN (Goodfellow et al., 2014).

Also home of the small argument checks, and of the spectral-normalisation helper, shared by
every builder in `kgan.networks`.
"""

import math
import numbers

import keras

from kgan.networks import minibatch_discrimination
from kgan.networks.mixture_latent import MixtureLatent


# --- argument checks shared by the builders -------------------------------------------------


def _positive_int(value, arg, fn):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{fn}: {arg} must be a positive integer, got {value!r}.")
    return int(value)


def _shape(value, arg, fn):
    """A non-empty tuple of positive ints (lists are accepted, e.g. from a JSON config)."""
    try:
        shape = tuple(value)
    except TypeError:
        shape = None
    if not shape or any(
        isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1 for d in shape
    ):
        raise ValueError(f"{fn}: {arg} must be a non-empty tuple of positive integers, got {value!r}.")
    return tuple(int(d) for d in shape)


def _units(value, arg, fn):
    try:
        return _shape(value, arg, fn)
    except ValueError:
        raise ValueError(
            f"{fn}: {arg} must be a non-empty sequence of positive integers (one per hidden layer), "
            f"got {value!r}."
        ) from None


def _activation(value, fn):
    """None (linear) or the name of a built-in Keras activation, so configs stay plain JSON."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        try:
            keras.activations.get(value)
            return value
        except ValueError:
            pass
    raise ValueError(
        f"{fn}: output_activation must be None or the name of a Keras activation "
        f"(e.g. 'tanh'), got {value!r}."
    )


def _rate(value, arg, fn):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{fn}: {arg} must be a number in [0, 1), got {value!r}.")
    return float(value)


def _flag(value, arg, fn):
    if not isinstance(value, bool):
        raise ValueError(f"{fn}: {arg} must be True or False, got {value!r}.")
    return value


# --- spectral normalisation (Miyato et al., 2018), shared by every discriminator ------------


def _kernel_layer(layer_class, spectral_norm, name, **kwargs):
    """`layer_class(name=name, **kwargs)` (a Dense or Conv2D), or, with `spectral_norm`, that
    layer inside `keras.layers.SpectralNormalization` (one power iteration per training call).

    The wrapper takes the layer's name and dtype, so layer names, `get_layer` and float32
    logits read the same with or without normalisation; the wrapped layer is `<name>_kernel`.
    Without `spectral_norm` the layer is built exactly as before (saved weights still load).
    """
    if not spectral_norm:
        return layer_class(name=name, **kwargs)
    layer = layer_class(name=f"{name}_kernel", **kwargs)
    return keras.layers.SpectralNormalization(layer, power_iterations=1, name=name, dtype=kwargs.get("dtype"))


# --- shared bodies (also used by conditional.py) --------------------------------------------


def _mlp_generator_body(x, output_shape, hidden_units, output_activation, batch_norm):
    """Dense(+BatchNorm)+LeakyReLU(0.2) stack, then a Dense to prod(output_shape) and a Reshape."""
    for i, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(units, use_bias=not batch_norm, name=f"dense_{i}")(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(momentum=0.9, name=f"bn_{i}")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"lrelu_{i}")(x)
    x = keras.layers.Dense(math.prod(output_shape), name="to_output")(x)
    # float32 output so a mixed_float16 policy still yields float32 samples.
    x = keras.layers.Activation(output_activation, dtype="float32", name="output_activation")(x)
    return keras.layers.Reshape(output_shape, name="reshape")(x)


def _mlp_discriminator_body(x, hidden_units, dropout, spectral_norm=False, minibatch_kernels=0):
    """Dense+LeakyReLU(0.2)+Dropout stack ending in one raw logit (float32); with
    `spectral_norm` every Dense is spectrally normalised; with `minibatch_kernels` the last hidden
    features gain that many minibatch-discrimination features before the logit."""
    for i, units in enumerate(hidden_units, start=1):
        x = _kernel_layer(keras.layers.Dense, spectral_norm, f"dense_{i}", units=units)(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"lrelu_{i}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    x = minibatch_discrimination.append(x, minibatch_kernels)
    return _kernel_layer(keras.layers.Dense, spectral_norm, "logits", units=1, dtype="float32")(x)


# --- public builders ------------------------------------------------------------------------


def mlp_generator(
    latent_dim=100,
    output_shape=(28, 28, 1),
    hidden_units=(256, 512, 1024),
    output_activation="tanh",
    batch_norm=False,
    mixture_components=None,
    mixture_scale=10.0,
    name="mlp_generator",
):
    """MLP generator: noise (batch, latent_dim) -> samples (batch, *output_shape).

    `output_activation="tanh"` matches images in [-1, 1]; use None (linear) for unbounded
    data such as 2-D toy distributions with `output_shape=(2,)`. `mixture_components` (None:
    off) lets the last that many noise values choose one of as many discrete pieces
    (`MixtureLatent`, as `dcgan_generator`): a parameter-free change of the input, the MLP
    itself is unchanged.
    """
    fn = "mlp_generator"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    output_shape = _shape(output_shape, "output_shape", fn)
    hidden_units = _units(hidden_units, "hidden_units", fn)
    activation = _activation(output_activation, fn)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    latent = noise
    if mixture_components is not None:
        latent = MixtureLatent(mixture_components, mixture_scale, name="mixture_latent")(noise)
    out = _mlp_generator_body(latent, output_shape, hidden_units, activation, bool(batch_norm))
    return keras.Model(noise, out, name=name)


def mlp_discriminator(
    input_shape=(28, 28, 1),
    hidden_units=(1024, 512, 256),
    dropout=0.3,
    spectral_norm=False,
    minibatch_kernels=0,
    name="mlp_discriminator",
):
    """MLP discriminator: samples (batch, *input_shape) -> raw logits (batch, 1).

    `spectral_norm=True` wraps every Dense in `keras.layers.SpectralNormalization`, which
    keeps each layer's largest singular value near 1 so the discriminator stays smooth in its
    input (SNGAN, Miyato et al. 2018; pair it with `loss="hinge"`).

    `minibatch_kernels=K` (0: off) appends K minibatch-discrimination features to the last hidden
    layer (`MinibatchDiscrimination`, Salimans et al. 2016): how close each sample lies to the
    others of its batch, so a generator that repeats itself is caught. Batches of one sample
    carry no such signal.
    """
    fn = "mlp_discriminator"
    input_shape = _shape(input_shape, "input_shape", fn)
    hidden_units = _units(hidden_units, "hidden_units", fn)
    dropout = _rate(dropout, "dropout", fn)
    spectral_norm = _flag(spectral_norm, "spectral_norm", fn)
    minibatch_kernels = minibatch_discrimination.check_kernels(minibatch_kernels, fn)
    images = keras.Input(shape=input_shape, name="images")
    x = keras.layers.Flatten(name="flatten")(images)
    logits = _mlp_discriminator_body(x, hidden_units, dropout, spectral_norm, minibatch_kernels)
    return keras.Model(images, logits, name=name)
