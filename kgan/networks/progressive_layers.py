"""The three layers of Karras et al. 2018 (ProGAN), section 4, written with ``keras.ops``.

- ``PixelNorm``: each pixel's feature vector divided by its root mean square (plus 1e-8), after
  every generator convolution: keeps the magnitudes of G and D from escalating.
- ``MinibatchStdDev``: appends one feature map holding the average, over features and pixels,
  of each feature's standard deviation across a group of ``group_size`` samples: lets the
  discriminator see variety (or its lack) in a batch, which discourages mode collapse.
- ``EqualizedDense`` / ``EqualizedConv2D`` ("equalised learning rate"): weights drawn from
  N(0, 1) and multiplied at run time by He's constant ``gain / sqrt(fan_in)``, so every weight
  has the same dynamic range and adaptive optimizers (Adam, RMSprop) update all layers at the
  same speed. With ``equalized=False`` they are ordinary layers: the He constant goes into the
  initial weights (N(0, c^2)) and the run-time multiplier is 1.
"""

import math

import keras
from keras import ops

EPSILON = 1e-8


def he_constant(gain, fan_in):
    """He's initialisation constant, ``gain / sqrt(fan_in)``."""
    return gain / math.sqrt(fan_in)


@keras.saving.register_keras_serializable(package="kgan")
class PixelNorm(keras.layers.Layer):
    """``x / sqrt(mean(x^2 over channels) + epsilon)`` per pixel (per sample for vectors)."""

    samplewise = True  # each sample on its own (kgan.models.fused_discriminator)

    def __init__(self, epsilon=EPSILON, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)
        self.built = True

    def call(self, x):
        return x * ops.rsqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + self.epsilon)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="kgan")
class MinibatchStdDev(keras.layers.Layer):
    """Appends a feature map: the mean over features and pixels of the per-feature standard
    deviation within each group of ``group_size`` samples (``min(group_size, batch)`` when the
    batch is known and smaller).

    Sample ``n`` of a batch of ``N = G * M`` belongs to group ``n % M``, as in the paper's code
    (a reshape to ``(G, M, ...)``); ``G`` must divide the batch size.
    """

    samplewise = False  # mixes the samples of a batch: never fuse real and fake batches

    def __init__(self, group_size=4, epsilon=EPSILON, **kwargs):
        super().__init__(**kwargs)
        if isinstance(group_size, bool) or int(group_size) != group_size or group_size < 1:
            raise ValueError(f"MinibatchStdDev: group_size must be an integer >= 1, got {group_size!r}.")
        self.group_size = int(group_size)
        self.epsilon = float(epsilon)
        self.built = True

    def call(self, x):
        height, width, channels = x.shape[1], x.shape[2], x.shape[3]
        batch = x.shape[0]
        group = self.group_size if batch is None else min(self.group_size, batch)
        if batch is not None and batch % group:
            raise ValueError(f"MinibatchStdDev: the batch size {batch} is not a multiple of group_size={group}.")
        y = ops.reshape(ops.cast(x, "float32"), (group, -1, height, width, channels))
        y = y - ops.mean(y, axis=0, keepdims=True)
        y = ops.sqrt(ops.mean(ops.square(y), axis=0) + self.epsilon)  # (M, H, W, C)
        y = ops.mean(y, axis=(1, 2, 3), keepdims=True)  # (M, 1, 1, 1)
        y = ops.tile(ops.cast(y, x.dtype), (group, height, width, 1))
        return ops.concatenate([x, y], axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] + 1,)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size, "epsilon": self.epsilon}


class _Equalized(keras.layers.Layer):
    """Kernel ``w`` and bias ``b``; the layer computes with ``w * runtime_scale``."""

    samplewise = True

    def __init__(self, gain=math.sqrt(2.0), equalized=True, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        if not gain > 0:
            raise ValueError(f"{type(self).__name__}: gain must be > 0, got {gain!r}.")
        self.gain = float(gain)
        self.equalized = bool(equalized)
        self.use_bias = bool(use_bias)

    def _add_weights(self, kernel_shape, fan_in, units):
        self.he = he_constant(self.gain, fan_in)
        self.runtime_scale = self.he if self.equalized else 1.0
        stddev = 1.0 if self.equalized else self.he
        self.kernel = self.add_weight(shape=kernel_shape, name="kernel",
                                      initializer=keras.initializers.RandomNormal(stddev=stddev))
        self.bias = self.add_weight(shape=(units,), name="bias", initializer="zeros") if self.use_bias else None

    def _scaled_kernel(self):
        return self.kernel * ops.cast(self.runtime_scale, self.kernel.dtype)

    def _add_bias(self, y):
        return y if self.bias is None else y + self.bias

    def get_config(self):
        return {**super().get_config(), "gain": self.gain, "equalized": self.equalized, "use_bias": self.use_bias}


@keras.saving.register_keras_serializable(package="kgan")
class EqualizedDense(_Equalized):
    """Dense layer with the equalised learning rate (fan_in = input features)."""

    def __init__(self, units, gain=math.sqrt(2.0), equalized=True, use_bias=True, **kwargs):
        super().__init__(gain=gain, equalized=equalized, use_bias=use_bias, **kwargs)
        self.units = int(units)

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self._add_weights((fan_in, self.units), fan_in, self.units)

    def call(self, x):
        return self._add_bias(ops.matmul(x, self._scaled_kernel()))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="kgan")
class EqualizedConv2D(_Equalized):
    """Stride-1, "same"-padded 2-D convolution with the equalised learning rate
    (fan_in = kernel_size^2 * input channels)."""

    def __init__(self, filters, kernel_size, gain=math.sqrt(2.0), equalized=True, use_bias=True, **kwargs):
        super().__init__(gain=gain, equalized=equalized, use_bias=use_bias, **kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)

    def build(self, input_shape):
        channels = int(input_shape[-1])
        k = self.kernel_size
        self._add_weights((k, k, channels, self.filters), k * k * channels, self.filters)

    def call(self, x):
        return self._add_bias(ops.conv(x, self._scaled_kernel(), strides=1, padding="same"))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.filters,)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size}


__all__ = ["EqualizedConv2D", "EqualizedDense", "MinibatchStdDev", "PixelNorm", "he_constant"]
