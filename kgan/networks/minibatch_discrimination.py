"""Minibatch discrimination (Salimans et al. 2016, "Improved Techniques for Training GANs").

A discriminator that judges one sample at a time cannot see that a generator draws the same
image again and again: each copy looks real. This layer lets it compare the samples of a batch:
it projects each sample's features ``f_i`` to ``kernels`` rows of ``kernel_dim`` values
(``M_i = f_i T``) and appends, per kernel ``k``,

    o_i[k] = sum_{j != i} exp(-||M_i[k] - M_j[k]||_1)

how crowded sample ``i``'s neighbourhood in the batch is. A batch of near-copies scores high on
every kernel, a varied real batch low, so the generator is pushed to spread out. The discriminator
must see real and fake in separate batches (``samplewise = False`` tells the models so).
"""

import numbers

import keras
from keras import ops


def _integer(value, low, what):
    """``value`` as an int if it is an integer (NumPy's too, not a bool) >= ``low``; else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{what} must be an integer >= {low}{' (0: off)' if low == 0 else ''}, got {value!r}.")
    return int(value)


def check_kernels(value, fn):
    """A builder's ``minibatch_kernels``: an integer >= 0, 0 for none."""
    return _integer(value, 0, f"{fn}: minibatch_kernels")


def append(features, kernels):
    """``features`` with ``kernels`` minibatch-discrimination features appended (none for 0)."""
    if not kernels:
        return features
    return MinibatchDiscrimination(kernels, name="minibatch_discrimination")(features)


@keras.saving.register_keras_serializable(package="kgan")
class MinibatchDiscrimination(keras.layers.Layer):
    """Features (batch, n) -> (batch, n + kernels): the input with each sample's closeness to the
    rest of its batch appended (see the module's docstring)."""

    samplewise = False  # compares the samples of a batch: never fuse real and fake batches

    def __init__(self, kernels=50, kernel_dim=5, **kwargs):
        super().__init__(**kwargs)
        self.kernels = _integer(kernels, 1, "MinibatchDiscrimination: kernels")
        self.kernel_dim = _integer(kernel_dim, 1, "MinibatchDiscrimination: kernel_dim")

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(f"MinibatchDiscrimination expects features of shape (batch, n), got {tuple(input_shape)}.")
        self.projection = self.add_weight(
            name="projection", shape=(input_shape[-1], self.kernels * self.kernel_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.02),
        )

    def call(self, x):
        rows = ops.reshape(ops.matmul(x, self.projection), (-1, self.kernels, self.kernel_dim))
        distance = ops.sum(ops.abs(rows[:, None] - rows[None, :]), axis=-1)  # (batch, batch, kernels)
        closeness = ops.sum(ops.exp(-distance), axis=1) - 1.0  # exp(0) = 1: leave each sample's own term out
        return ops.concatenate([x, ops.cast(closeness, x.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] + self.kernels,)

    def get_config(self):
        return {**super().get_config(), "kernels": self.kernels, "kernel_dim": self.kernel_dim}
