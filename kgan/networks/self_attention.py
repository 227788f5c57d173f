"""Self-attention over a feature map (SAGAN, Zhang et al. 2019), for global structure.

A convolution sees a few pixels around each position, so a DCGAN's generator must keep a face's
two eyes alike and its mouth under its nose through a stack of local steps, and its
discriminator can only judge such long-range agreement after several of them. ``SelfAttention``
lets every position of a feature map read every other in one step: each position's query is
compared with the keys of all positions, and the softmax-weighted sum of their values is added
back, scaled by a learnt ``gamma`` that starts at 0 -- so a network with the block starts out as
the same network without it, and learns how much to use it.

As in BigGAN's version of the block, the keys and values are max-pooled (``pool``, 2x2 by default:
a quarter of the positions to attend to, a quarter of the memory), the queries and keys have
``channels // key_ratio`` channels, the values ``channels // 2``, and a last 1x1 projection maps
them back to ``channels``. The projections are 1x1 convolutions written as ``Dense`` layers over
the channel axis; with ``spectral_norm`` each is wrapped in ``keras.layers.SpectralNormalization``,
as an SNGAN discriminator's every layer is.
"""

import numbers

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="kgan")
class SelfAttention(keras.layers.Layer):
    """``(batch, height, width, channels)`` -> same shape: ``x + gamma * attention(x)``."""

    samplewise = True  # attends within each image: real and fake may share a discriminator call

    def __init__(self, key_ratio=8, pool=2, spectral_norm=False, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("key_ratio", key_ratio), ("pool", pool)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"SelfAttention: {name} must be an integer >= 1; got {value!r}.")
        if not isinstance(spectral_norm, bool):
            raise ValueError(f"SelfAttention: spectral_norm must be True or False; got {spectral_norm!r}.")
        self.key_ratio, self.pool, self.spectral_norm = int(key_ratio), int(pool), spectral_norm

    def build(self, input_shape):
        if len(input_shape) != 4 or None in input_shape[1:]:
            raise ValueError("SelfAttention: expected a (batch, height, width, channels) feature map with known "
                             f"height, width and channels; got shape {tuple(input_shape)}.")
        height, width, channels = input_shape[1:]
        if height % self.pool or width % self.pool:
            raise ValueError(f"SelfAttention: pool={self.pool} must divide the map's height and width; got "
                             f"{height}x{width}.")
        keys, values = max(1, channels // self.key_ratio), max(1, channels // 2)
        self.query = self._projection(keys, "query")
        self.key = self._projection(keys, "key")
        self.value = self._projection(values, "value")
        self.output_projection = self._projection(channels, "output")
        for layer, width_in in ((self.query, channels), (self.key, channels), (self.value, channels),
                                (self.output_projection, values)):
            layer.build((None, width_in))
        self.gamma = self.add_weight(name="gamma", shape=(), initializer="zeros")
        super().build(input_shape)

    def _projection(self, units, name):
        layer = keras.layers.Dense(units, use_bias=False, name=name, dtype=self.dtype_policy,
                                   kernel_initializer=keras.initializers.GlorotUniform())
        if self.spectral_norm:
            return keras.layers.SpectralNormalization(layer, power_iterations=1, name=f"{name}_sn",
                                                      dtype=self.dtype_policy)
        return layer

    def call(self, x, training=None):
        batch = ops.shape(x)[0]
        height, width, channels = x.shape[1:]
        positions, pooled = height * width, (height // self.pool) * (width // self.pool)
        flat = ops.reshape(x, (batch, positions, channels))
        queries = self.query(flat, training=training)
        keys = self._pooled(self.key(x, training=training), pooled)
        values = self._pooled(self.value(x, training=training), pooled)
        weights = ops.softmax(ops.matmul(queries, ops.transpose(keys, (0, 2, 1))), axis=-1)
        attended = self.output_projection(ops.matmul(weights, values), training=training)
        out = flat + ops.cast(self.gamma, x.dtype) * attended
        return ops.reshape(out, (batch, height, width, channels))

    def _pooled(self, x, positions):
        """(batch, H, W, C) -> (batch, H*W / pool^2, C): max-pooled, then flattened over positions."""
        if self.pool > 1:
            x = ops.max_pool(x, self.pool, strides=self.pool, padding="valid", data_format="channels_last")
        return ops.reshape(x, (ops.shape(x)[0], positions, x.shape[-1]))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "key_ratio": self.key_ratio, "pool": self.pool,
                "spectral_norm": self.spectral_norm}


__all__ = ["SelfAttention"]
