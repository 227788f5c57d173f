"""Residual (SNGAN/BigGAN-style) generator and discriminator for 28x28, 32x32 and 64x64 images.

A residual block adds a learnt correction (the "main path", two 3x3 convolutions) to a cheap,
nearly linear "shortcut" (a resize and a 1x1 convolution) of its input. Gradients and the coarse
structure of the image then pass through the shortcuts however deep the stack, so each block only
has to learn detail, and a deeper or wider network trains where a plain DCGAN stack stalls. SNGAN
(Miyato et al. 2018) had its best unconditional CIFAR-10 and STL-10 results (Inception score 8.22
and 9.10, FID 21.7 and 40.1) with these networks and a spectrally normalised discriminator, not
with its DCGAN-like "standard CNN"; the block design (Gulrajani et al. 2017, appendix) is also
BigGAN's, and that of most later GANs.

Generator (``resnet_generator``): noise -> Dense to a 7x7 (28x28) or 4x4 (32x32, 64x64) map of
``base_filters * 2**(n - 1)`` channels, then ``n`` up-blocks (``n`` = 2, 3, 4), each doubling the
side and halving the channels, the last keeping ``base_filters``:

    main:     BN - ReLU - UpSampling2D(nearest) - Conv3x3 - BN - ReLU - Conv3x3
    shortcut: UpSampling2D(nearest) - Conv1x1                      (block output: their sum)

then BN - ReLU - Conv3x3(channels) - tanh (float32).

Discriminator (``resnet_discriminator``): ``n`` down-blocks doubling the channels from
``base_filters``, the first of them SNGAN's "optimized" block (no ReLU on the image itself, and
its shortcut pools before the 1x1 convolution, a quarter of the work):

    block 1   main: Conv3x3 - ReLU - Conv3x3 - AvgPool2x2;   shortcut: AvgPool2x2 - Conv1x1
    others    main: ReLU - Conv3x3 - ReLU - Conv3x3 - AvgPool2x2;   shortcut: Conv1x1 - AvgPool2x2

then ReLU, a sum over height and width, and the Dense(1) logit (float32). No normalisation layer:
with ``spectral_norm=True`` (SNGAN; pair it with ``loss="hinge"``) every Conv2D and the Dense are
spectrally normalised instead. The sum over positions is ``GlobalAveragePooling2D`` (layer
"global_average") times the number of positions (a ``Rescaling`` layer, "global_sum"): SNGAN's
sum, from core layers only (no Lambda), so the model saves, loads and exports like the others.

Weights: as in SNGAN's released code (chainer ``sngan_projection``), Glorot uniform with gain
sqrt(2) (``VarianceScaling(2, "fan_avg", "uniform")``) for the 3x3 convolutions, which feed or
follow a ReLU, and plain Glorot uniform for the shortcuts, the projection Dense and the output
convolution; the logit Dense is the DCGAN builders' N(0, 0.02) (``_logit``). The DCGAN builders'
N(0, 0.02) everywhere would scale each layer's output by about ``0.02 * sqrt(fan_in)``, a factor
that depends on the width (0.1 for the first 3x3 convolution of an RGB image, 0.5 for one of 64
channels, 1.4 of 512); Glorot keeps every layer near its input's scale whatever the width (the
gain sqrt(2) makes up for the ReLU), which the discriminator, with no normalisation at all, needs
to start with logits of a sensible size. Batch norm layers are the DCGAN builders' (``_bn``).
Convolutions followed directly by batch norm have no bias (the norm's beta replaces it).

``attention=SIDE`` adds one ``SelfAttention`` block (SAGAN, BigGAN; named "attention") after the
residual block whose output has that side; in the discriminator it is spectrally normalised
too with ``spectral_norm``. Allowed sides are those of ``resnet_attention_sides``.
"""

import numbers

import keras

from kgan.networks.dcgan import (
    _START,
    _attend,
    _attention_side,
    _bn,
    _discriminator_sides,
    _generator_sides,
    _image_shape,
    _logit,
    _stages,
)
from kgan.networks.mlp import _flag, _kernel_layer, _positive_int


def _main_init():
    """Glorot uniform with gain sqrt(2), for the 3x3 convolutions beside ReLUs."""
    return keras.initializers.VarianceScaling(scale=2.0, mode="fan_avg", distribution="uniform")


def _glorot():
    return keras.initializers.GlorotUniform()


def resnet_attention_sides(size, network):
    """The sides ``attention`` may take for images of side ``size`` (28, 32 or 64) in
    ``network`` ("generator" or "discriminator"), in the network's order.

    Generator: the outputs of its up-blocks but the last, ``start * 2 .. size / 2`` -- (14,) for
    28x28, (8, 16) for 32x32, (8, 16, 32) for 64x64, so ``attention=32`` at 64x64 means the same
    map size as in ``dcgan_generator``. Not the last block's output (the image's own side): at 64x64
    that is 4096 queries against 1024 pooled keys per image, a 1 GiB float32 attention matrix per
    batch of 64 for a map of only ``base_filters`` channels (BigGAN's 128x128 generator attends at
    64 at most); not the projected ``start`` map either, which no block has processed yet (and 7
    is odd, which the block's 2x2 pooling of keys and values cannot divide).

    Discriminator: the outputs of its down-blocks, ``size / 2 .. start``, where even -- (14,) for
    28x28 (not 7: odd), (16, 8, 4) for 32x32, (32, 16, 8, 4) for 64x64.
    """
    fn = "resnet_attention_sides"
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or int(size) not in _START:
        raise ValueError(f"{fn}: size must be one of {tuple(_START)}, got {size!r}.")
    size = int(size)
    if network == "generator":
        return _generator_sides(size)[1:]
    if network == "discriminator":
        return tuple(side for side in _discriminator_sides(size) if side % 2 == 0)
    raise ValueError(f"{fn}: network must be 'generator' or 'discriminator', got {network!r}.")


def _conv(filters, kernel_size, name, initializer, use_bias=True, spectral_norm=False):
    """A stride-1, "same"-padded Conv2D named ``name`` (spectrally normalised with ``spectral_norm``)."""
    return _kernel_layer(
        keras.layers.Conv2D, spectral_norm, name, filters=filters, kernel_size=kernel_size, padding="same",
        use_bias=use_bias, kernel_initializer=initializer,
    )


def _up_block(x, filters, i):
    """Generator block ``block_<i>``: (B, s, s, C) -> (B, 2s, 2s, filters)."""
    p = f"block_{i}"
    h = keras.layers.ReLU(name=f"{p}_relu_1")(_bn(x, f"{p}_bn_1"))
    h = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"{p}_upsample")(h)
    h = _conv(filters, 3, f"{p}_conv_1", _main_init(), use_bias=False)(h)  # batch norm follows
    h = keras.layers.ReLU(name=f"{p}_relu_2")(_bn(h, f"{p}_bn_2"))
    h = _conv(filters, 3, f"{p}_conv_2", _main_init())(h)
    s = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"{p}_shortcut_upsample")(x)
    s = _conv(filters, 1, f"{p}_shortcut", _glorot())(s)
    return keras.layers.Add(name=f"{p}_add")([h, s])


def _down_block(x, filters, i, spectral_norm):
    """Discriminator block ``block_<i>``: (B, s, s, C) -> (B, s/2, s/2, filters); block 1 is
    SNGAN's "optimized" block (no ReLU on its input; its shortcut pools first)."""
    p, first = f"block_{i}", i == 1
    h = x if first else keras.layers.ReLU(name=f"{p}_relu_1")(x)
    h = _conv(filters, 3, f"{p}_conv_1", _main_init(), spectral_norm=spectral_norm)(h)
    h = keras.layers.ReLU(name=f"{p}_relu_2")(h)
    h = _conv(filters, 3, f"{p}_conv_2", _main_init(), spectral_norm=spectral_norm)(h)
    h = keras.layers.AveragePooling2D(2, name=f"{p}_pool")(h)
    shortcut = _conv(filters, 1, f"{p}_shortcut", _glorot(), spectral_norm=spectral_norm)
    pool = keras.layers.AveragePooling2D(2, name=f"{p}_shortcut_pool")
    s = shortcut(pool(x)) if first else pool(shortcut(x))
    return keras.layers.Add(name=f"{p}_add")([h, s])


def resnet_generator(latent_dim=128, output_shape=(64, 64, 3), base_filters=64, attention=None,
                     name="resnet_generator"):
    """Residual generator: noise (batch, latent_dim) -> images (batch, *output_shape) in [-1, 1].

    ``output_shape``: (28, 28, 1|3), (32, 32, 1|3) or (64, 64, 1|3): 2, 3 or 4 up-blocks from a
    7x7 or 4x4 map. ``base_filters`` is the width of the last block; each earlier one doubles it
    (64x64 with the default 64: 512 channels at 4x4, then 256, 128, 64, 64). ``attention`` (None:
    off): the side of an up-block's output after which a ``SelfAttention`` block (gamma 0 at
    start, so the identity) follows; see ``resnet_attention_sides`` (64x64: 8, 16 or 32).
    Layer names: "project", "reshape", "block_<i>_{bn_1, relu_1, upsample, conv_1, bn_2, relu_2,
    conv_2, shortcut_upsample, shortcut, add}", "attention", "bn_out", "relu_out", "to_images",
    "tanh". The output is float32 under any mixed-precision policy.
    """
    fn = "resnet_generator"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    output_shape = _image_shape(output_shape, "output_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    size, _, channels = output_shape
    attention = _attention_side(attention, size, resnet_attention_sides(size, "generator"), fn)
    start, n = _START[size], _stages(size)
    filters = base_filters * 2 ** (n - 1)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    x = keras.layers.Dense(start * start * filters, kernel_initializer=_glorot(), name="project")(noise)
    x = keras.layers.Reshape((start, start, filters), name="reshape")(x)
    for i in range(1, n + 1):
        filters = max(base_filters, filters // 2)
        x = _attend(_up_block(x, filters, i), attention)
    x = keras.layers.ReLU(name="relu_out")(_bn(x, "bn_out"))
    x = _conv(channels, 3, "to_images", _glorot())(x)
    # float32 output so a mixed_float16 policy still yields float32 images.
    images = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(noise, images, name=name)


def resnet_discriminator(input_shape=(64, 64, 3), base_filters=64, spectral_norm=False, attention=None,
                         name="resnet_discriminator"):
    """Residual discriminator: images (batch, *input_shape) -> raw logits (batch, 1), float32.

    ``n`` = 2, 3 or 4 down-blocks (28x28, 32x32, 64x64) of ``base_filters``, twice, four and
    eight times that many channels, down to 7x7 or 4x4; then ReLU, the sum over positions and a
    Dense(1). ``spectral_norm=True`` wraps every Conv2D and the Dense in
    ``keras.layers.SpectralNormalization`` (and spectrally normalises the attention block's
    projections). ``attention`` (None: off): the side of a down-block's output after which a
    ``SelfAttention`` block follows; see ``resnet_attention_sides`` (64x64: 32, 16, 8 or 4).
    Layer names: "block_<i>_{relu_1 (not in block 1), conv_1, relu_2, conv_2, pool, shortcut,
    shortcut_pool, add}", "attention", "relu_out", "global_average", "global_sum", "logits".
    Every layer treats each sample on its own (no batch statistics), so with
    ``spectral_norm=False`` (attention or not) a GAN may discriminate real and fake in one call.
    """
    fn = "resnet_discriminator"
    input_shape = _image_shape(input_shape, "input_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    spectral_norm = _flag(spectral_norm, "spectral_norm", fn)
    size = input_shape[0]
    attention = _attention_side(attention, size, resnet_attention_sides(size, "discriminator"), fn)
    images = keras.Input(shape=input_shape, name="images")
    x = images
    for i in range(1, _stages(size) + 1):
        x = _attend(_down_block(x, base_filters * 2 ** (i - 1), i, spectral_norm), attention, spectral_norm)
    x = keras.layers.ReLU(name="relu_out")(x)
    positions = x.shape[1] * x.shape[2]
    x = keras.layers.GlobalAveragePooling2D(name="global_average")(x)
    x = keras.layers.Rescaling(float(positions), name="global_sum")(x)  # mean * positions = sum
    return keras.Model(images, _logit(x, spectral_norm), name=name)


__all__ = ["resnet_generator", "resnet_discriminator", "resnet_attention_sides"]
