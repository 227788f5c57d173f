"""InfoGAN networks (Chen et al., 2016): a generator that reads noise plus latent codes, a
discriminator with a Q head, and the layer that draws the codes from standard normal noise.

Layout shared with `kgan.InfoGAN`:
- generator input, one vector of `noise_dim + code_size(categorical, continuous)`:
  `[noise, one-hot of each categorical code, continuous codes]`;
- discriminator outputs `[logits (batch, 1), q (batch, q_size)]`, both heads on one body, with
  `q = [logits of each categorical code, continuous means, (continuous log-variances)]`:
  `q_size` is `sum(categorical) + continuous`, or `+ 2 * continuous` with `learn_variance`.

The DCGAN builders reuse the bodies of `dcgan.py` (the paper's MNIST networks are DCGANs with a
fully connected layer before both heads); the MLP ones, those of `mlp.py` (toy data).
"""

import numbers

import keras
from keras import ops

from kgan.networks import minibatch_discrimination
from kgan.networks.dcgan import (
    _check_normalization,
    _check_upsampling,
    _dense_units,
    _generator_body,
    _generator_kernel,
    _image_shape,
    _init,
    _normalize,
    _stages,
)
from kgan.networks.mlp import (
    _activation,
    _flag,
    _mlp_generator_body,
    _positive_int,
    _rate,
    _shape,
    _units,
)


def check_codes(categorical, continuous, fn="InfoGAN"):
    """``(categorical, continuous)`` as ``(tuple of ints >= 2, int >= 0)``, with at least one code."""
    if isinstance(categorical, numbers.Integral) and not isinstance(categorical, bool):
        categorical = (categorical,)
    try:
        values = tuple(categorical)
    except TypeError:
        values = None
    if values is None or any(isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 2 for k in values):
        raise ValueError(
            f"{fn}: categorical must be a sequence of code sizes >= 2 (one per categorical code, e.g. (10,)), "
            f"got {categorical!r}."
        )
    if isinstance(continuous, bool) or not isinstance(continuous, numbers.Integral) or continuous < 0:
        raise ValueError(
            f"{fn}: continuous must be an integer >= 0 (the number of continuous codes), got {continuous!r}."
        )
    if not values and not continuous:
        raise ValueError(f"{fn}: needs at least one latent code; got categorical={categorical!r}, continuous=0.")
    return tuple(int(k) for k in values), int(continuous)


def code_size(categorical, continuous):
    """Generator inputs the codes take: one-hot categorical codes, then continuous ones."""
    return sum(categorical) + continuous


def q_size(categorical, continuous, learn_variance=False):
    """Width of the Q head's output."""
    return sum(categorical) + continuous * (2 if learn_variance else 1)


@keras.saving.register_keras_serializable(package="kgan")
class CodePrior(keras.layers.Layer):
    """Standard normal noise ``(batch, noise_dim + code_size)`` -> the generator's input.

    The first ``noise_dim`` values pass unchanged; each categorical block of ``K`` values
    becomes the one-hot of its argmax (uniform over the ``K`` values, as i.i.d. normals are
    exchangeable); each continuous value ``z`` becomes ``erf(z / sqrt(2))``, uniform on
    ``(-1, 1)``. So every sample of an InfoGAN is a deterministic function of standard normal
    noise: ``generate``, ``kgan sample``/``evaluate``, export and the metrics draw noise the
    way they do for every other generator, and get the codes' prior.
    """

    def __init__(self, noise_dim, categorical, continuous, **kwargs):
        super().__init__(**kwargs)
        self.noise_dim = int(noise_dim)
        self.categorical, self.continuous = check_codes(categorical, continuous, "CodePrior")

    def call(self, z):
        parts = [z[:, : self.noise_dim]]
        start = self.noise_dim
        for k in self.categorical:
            block = z[:, start : start + k]
            parts.append(ops.one_hot(ops.argmax(block, axis=-1), k, dtype=z.dtype))
            start += k
        if self.continuous:
            parts.append(_erf(z[:, start : start + self.continuous] / ops.cast(2.0**0.5, z.dtype)))
        return ops.concatenate(parts, axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(noise_dim=self.noise_dim, categorical=list(self.categorical), continuous=self.continuous)
        return config


# Abramowitz & Stegun 7.1.26: erf(x) = 1 - t (a1 + t (a2 + ...)) exp(-x^2), t = 1 / (1 + p x) for
# x >= 0: within 1.5e-7 of erf (5e-7 in float32). Written with elementary ops because
# keras.ops.erf on JAX lowers to an op that TensorFlow 2.21 cannot load from an exported SavedModel
# ("unregistered operation 'vhlo.composite_v2'").
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf(x):
    magnitude = ops.abs(x)
    t = 1.0 / (1.0 + _ERF_P * magnitude)
    polynomial = ops.zeros_like(t)
    for a in reversed(_ERF_A):
        polynomial = (polynomial + a) * t
    return ops.sign(x) * (1.0 - polynomial * ops.exp(-ops.square(magnitude)))


def _q_head(features, units, q_width, normalization):
    """Dense(units) + normalisation + LeakyReLU(0.2), then the Q parameters (float32)."""
    x = keras.layers.Dense(units, use_bias=normalization is None, kernel_initializer=_init(), name="q_dense")(features)
    x = _normalize(x, normalization, "q_norm")
    x = keras.layers.LeakyReLU(negative_slope=0.2, name="q_lrelu")(x)
    return keras.layers.Dense(q_width, dtype="float32", kernel_initializer=_init(), name="q")(x)


def infogan_generator(
    noise_dim=62,
    categorical=(10,),
    continuous=2,
    output_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=None,
    upsampling="transposed",
    dense_units=None,
    name="infogan_generator",
):
    """DCGAN generator of ``[noise, codes]`` (one vector) -> images in [-1, 1].

    The paper's MNIST setting is the default: 62 noise values, one 10-way categorical code
    and two continuous codes. Other arguments are those of ``dcgan_generator`` (the paper's
    generator has ``dense_units=1024``).
    """
    fn = "infogan_generator"
    noise_dim = _positive_int(noise_dim, "noise_dim", fn)
    categorical, continuous = check_codes(categorical, continuous, fn)
    output_shape = _image_shape(output_shape, "output_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    upsampling = _check_upsampling(upsampling, fn)
    kernel_size = _generator_kernel(kernel_size, upsampling, fn)
    dense_units = _dense_units(dense_units, fn)
    z = keras.Input(shape=(noise_dim + code_size(categorical, continuous),), name="noise_and_codes")
    return keras.Model(z, _generator_body(z, output_shape, base_filters, kernel_size, upsampling, dense_units),
                       name=name)


def infogan_discriminator(
    input_shape=(28, 28, 1),
    categorical=(10,),
    continuous=2,
    learn_variance=False,
    base_filters=64,
    kernel_size=4,
    dense_units=1024,
    q_units=128,
    normalization="auto",
    minibatch_kernels=0,
    q_normalization="auto",
    name="infogan_discriminator",
):
    """Images -> ``[logits (batch, 1), q (batch, q_size)]``, one body for both heads.

    As in the paper's MNIST discriminator: the DCGAN stride-2 convolutions, then a shared
    Dense(``dense_units``), then the adversarial logit and, for Q, a Dense(``q_units``) and
    the code parameters. ``learn_variance``: Q also predicts the log-variance of each
    continuous code (False keeps it at 1, the paper's choice for MNIST). ``normalization``
    ("auto" = "batch", "layer" or None) applies to every layer but the first convolution.
    ``minibatch_kernels=K`` (0: off) gives the adversarial logit, not Q, K minibatch-discrimination
    features of the shared layer (``MinibatchDiscrimination``): how close each sample lies to the
    others of its batch. Measured with batch norm (``mnist_infogan``'s recipe): the discriminator won
    from the first epoch and the generator collapsed to one digit (README, Training options).
    ``q_normalization`` ("auto": as ``normalization``; "batch", "layer" or None) applies to Q's
    Dense(``q_units``) alone. Measured on ``mnist_infogan``'s recipe (150 updates): with the body
    unnormalised or layer-normalised and Q alike, the code was ignored (info loss flat at its chance
    value, 4.47); a batch-norm Q head on the unnormalised body learned it (3.68 -> 2.47, as the
    all-batch-norm network's 3.15 -> 2.27). Batch norm compares the samples of a batch, so a small
    code-dependent difference between the generator's samples is what Q sees from the start. Its
    code, with R1 and minibatch discrimination, was not the digit (75.5 % agreement after 6 of 12
    epochs against the batch-norm recipe's 99.2 %; ``zoo/recipes/mnist_infogan.py``).
    """
    fn = "infogan_discriminator"
    input_shape = _image_shape(input_shape, "input_shape", fn)
    categorical, continuous = check_codes(categorical, continuous, fn)
    learn_variance = _flag(learn_variance, "learn_variance", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    kernel_size = _positive_int(kernel_size, "kernel_size", fn)
    dense_units = _positive_int(dense_units, "dense_units", fn)
    q_units = _positive_int(q_units, "q_units", fn)
    normalization = _check_normalization(normalization, False, fn)
    minibatch_kernels = minibatch_discrimination.check_kernels(minibatch_kernels, fn)
    q_normalization = (normalization if q_normalization == "auto"  # "auto": the body's
                       else _check_normalization(q_normalization, False, fn, "q_normalization"))
    images = keras.Input(shape=input_shape, name="images")
    x = images
    for i in range(_stages(input_shape[0])):
        x = keras.layers.Conv2D(base_filters * 2**i, kernel_size, strides=2, padding="same",
                                use_bias=not (i and normalization), kernel_initializer=_init(), name=f"down_{i + 1}")(x)
        if i:  # the first layer stays unnormalised, as in DCGAN
            x = _normalize(x, normalization, f"norm_{i + 1}")
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"lrelu_{i + 1}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(dense_units, use_bias=normalization is None, kernel_initializer=_init(), name="shared")(x)
    x = keras.layers.LeakyReLU(negative_slope=0.2, name="shared_lrelu")(_normalize(x, normalization, "shared_norm"))
    logits = keras.layers.Dense(1, dtype="float32", kernel_initializer=_init(), name="logits")(
        minibatch_discrimination.append(x, minibatch_kernels))
    q = _q_head(x, q_units, q_size(categorical, continuous, learn_variance), q_normalization)
    return keras.Model(images, [logits, q], name=name)


def infogan_mlp_generator(
    noise_dim=2,
    categorical=(8,),
    continuous=0,
    output_shape=(2,),
    hidden_units=(128, 128),
    output_activation=None,
    batch_norm=False,
    name="infogan_mlp_generator",
):
    """MLP of ``[noise, codes]`` -> samples; as ``mlp_generator``, sized for toy data by default."""
    fn = "infogan_mlp_generator"
    noise_dim = _positive_int(noise_dim, "noise_dim", fn)
    categorical, continuous = check_codes(categorical, continuous, fn)
    output_shape = _shape(output_shape, "output_shape", fn)
    hidden_units = _units(hidden_units, "hidden_units", fn)
    activation = _activation(output_activation, fn)
    z = keras.Input(shape=(noise_dim + code_size(categorical, continuous),), name="noise_and_codes")
    return keras.Model(z, _mlp_generator_body(z, output_shape, hidden_units, activation, bool(batch_norm)), name=name)


def infogan_mlp_discriminator(
    input_shape=(2,),
    categorical=(8,),
    continuous=0,
    learn_variance=False,
    hidden_units=(128, 128),
    dropout=0.0,
    name="infogan_mlp_discriminator",
):
    """Samples -> ``[logits (batch, 1), q (batch, q_size)]``: a Dense + LeakyReLU(0.2) body,
    then one Dense per head."""
    fn = "infogan_mlp_discriminator"
    input_shape = _shape(input_shape, "input_shape", fn)
    categorical, continuous = check_codes(categorical, continuous, fn)
    learn_variance = _flag(learn_variance, "learn_variance", fn)
    hidden_units = _units(hidden_units, "hidden_units", fn)
    dropout = _rate(dropout, "dropout", fn)
    samples = keras.Input(shape=input_shape, name="images")
    x = keras.layers.Flatten(name="flatten")(samples)
    for i, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(units, name=f"dense_{i}")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"lrelu_{i}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    logits = keras.layers.Dense(1, dtype="float32", name="logits")(x)
    q = keras.layers.Dense(q_size(categorical, continuous, learn_variance), dtype="float32", name="q")(x)
    return keras.Model(samples, [logits, q], name=name)
