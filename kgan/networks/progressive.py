"""Progressive generator and discriminator (Karras et al. 2018, "Progressive Growing of GANs").

Both are plain functional ``keras.Model``s holding the blocks of *every* resolution from 4x4 to
the final one, so that they save, load and clone (generator EMA) like any Keras model:

- generator: noise -> one image per resolution, final first (``outputs[0]`` is the final
  image). ``g_block_{r}x{r}`` (a nested model) turns the features of ``r/2`` into those of
  ``r`` (4x4: pixel-normalised noise -> dense -> 3x3 conv; above: nearest 2x upsampling and two
  3x3 convs, each followed by LeakyReLU(0.2) and pixel norm); ``g_to_rgb_{r}x{r}`` is a
  linear 1x1 conv to the image channels, as in the paper (no tanh: the images a stage produces
  are blended linearly while it fades in).
- discriminator: an image at the final resolution -> one logit per resolution, final first:
  the critic's score of the image seen at that resolution (average-pooled). ``d_from_rgb_{r}``
  is a 1x1 conv + LeakyReLU, ``d_block_{r}`` two 3x3 convs and 2x average pooling (4x4:
  minibatch standard deviation, 3x3 conv, dense, dense to one logit).

Calling the whole generator computes every resolution; training runs only one stage through
``generator_images`` and ``discriminator_logits``, which call the blocks of that stage and,
while a new block fades in, blend it with the previous stage (``alpha`` from 0 to 1).
``generator_at`` gives a plain one-output generator at any resolution (clipped to [-1, 1]),
for sampling, export and the zoo. Layer options (pixel norm, minibatch stddev, equalised
learning rate) are on by default, as in the paper: see ``kgan.networks.progressive_layers``.
"""

import math
import numbers

import keras
from keras import ops

from kgan.networks.mlp import _flag, _positive_int
from kgan.networks.progressive_layers import EqualizedConv2D, EqualizedDense, MinibatchStdDev, PixelNorm

_SLOPE = 0.2


def check_resolution(value, arg="resolution", fn="ProgressiveGAN"):
    """A power of two >= 4 (an int), else a ValueError naming the value."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 4 or value & (value - 1):
        raise ValueError(f"{fn}: {arg} must be a power of two >= 4 (4, 8, 16, 32, 64, ...), got {value!r}.")
    return int(value)


def resolutions_up_to(resolution):
    """``(4, 8, ..., resolution)``."""
    return tuple(4 * 2**i for i in range(int(math.log2(resolution)) - 1))


def default_filters(resolution):
    """The paper's widths: ``min(512, 16384 / r)`` feature maps at resolution ``r``."""
    return min(512, 16384 // resolution)


def _widths(filters, resolutions, fn):
    """``filters``: None (the paper's), an int for every resolution, a sequence (one per
    resolution from 4x4 up) or a dict by resolution."""
    if filters is None:
        return {r: default_filters(r) for r in resolutions}
    if isinstance(filters, dict):
        filters = {int(r): f for r, f in filters.items()}
        missing = [r for r in resolutions if r not in filters]
        if missing:
            raise ValueError(f"{fn}: filters has no width for resolution(s) {missing}; got {filters!r}.")
        return {r: _positive_int(filters[r], f"filters[{r}]", fn) for r in resolutions}
    if isinstance(filters, (list, tuple)):
        if len(filters) != len(resolutions):
            raise ValueError(f"{fn}: filters needs one width per resolution {resolutions}, got {filters!r}.")
        return {r: _positive_int(f, f"filters[{r}]", fn) for r, f in zip(resolutions, filters)}
    width = _positive_int(filters, "filters", fn)
    return {r: width for r in resolutions}


# ----------------------------------------------------------------------------- builders
def _conv(filters, kernel, equalized, name, gain=math.sqrt(2.0), dtype=None):
    return EqualizedConv2D(filters, kernel, gain=gain, equalized=equalized, name=name, dtype=dtype)


def _act(name):
    return keras.layers.LeakyReLU(negative_slope=_SLOPE, name=name)


def _generator_block(r, width, previous_shape, pixel_norm, equalized):
    inputs = keras.Input(previous_shape, name="features" if r > 4 else "noise")
    norm = (lambda name: PixelNorm(name=name)) if pixel_norm else (lambda name: keras.layers.Identity(name=name))
    if r == 4:
        x = norm("norm_noise")(inputs)
        # gain sqrt(2)/4 as the paper's code: the dense layer makes 16 "pixels" per feature.
        x = EqualizedDense(16 * width, gain=math.sqrt(2.0) / 4, equalized=equalized, name="dense")(x)
        x = keras.layers.Reshape((4, 4, width), name="reshape")(x)
        x = norm("norm_0")(_act("act_0")(x))
        convs = ("conv_1",)
    else:
        x = keras.layers.UpSampling2D(2, interpolation="nearest", name="upsample")(inputs)
        convs = ("conv_0", "conv_1")
    for name in convs:
        x = _conv(width, 3, equalized, name)(x)
        x = norm(f"norm_{name[-1]}")(_act(f"act_{name[-1]}")(x))
    return keras.Model(inputs, x, name=f"g_block_{r}x{r}")


def progressive_generator(latent_dim=512, resolution=64, channels=3, filters=None, pixel_norm=True,
                          equalized_lr=True, name="progressive_generator"):
    """Progressive generator: noise ``(batch, latent_dim)`` -> images at every resolution
    from 4x4 to ``resolution`` (a list, final first), linear outputs.

    ``filters``: feature maps per resolution (None: the paper's ``min(512, 16384 / r)``; an
    int; a sequence from 4x4 up; or a dict by resolution). ``pixel_norm`` normalises the noise
    and every convolution's output per pixel; ``equalized_lr`` scales weights at run time by
    He's constant (both on in the paper).
    """
    fn = "progressive_generator"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    resolutions = resolutions_up_to(check_resolution(resolution, fn=fn))
    channels = _positive_int(channels, "channels", fn)
    widths = _widths(filters, resolutions, fn)
    pixel_norm, equalized = _flag(pixel_norm, "pixel_norm", fn), _flag(equalized_lr, "equalized_lr", fn)
    noise = keras.Input((latent_dim,), name="noise")
    x, images = noise, {}
    for r in resolutions:
        x = _generator_block(r, widths[r], tuple(x.shape[1:]), pixel_norm, equalized)(x)
        images[r] = _conv(channels, 1, equalized, f"g_to_rgb_{r}x{r}", gain=1.0, dtype="float32")(x)
    return keras.Model(noise, [images[r] for r in reversed(resolutions)], name=name)


def _discriminator_block(r, widths, minibatch_std, group_size, equalized):
    inputs = keras.Input((r, r, widths[r]), name="features")
    x = inputs
    if r == 4:
        if minibatch_std:
            x = MinibatchStdDev(group_size, name="minibatch_std")(x)
        x = _act("act_0")(_conv(widths[4], 3, equalized, "conv_0")(x))
        x = keras.layers.Flatten(name="flatten")(x)
        x = _act("act_1")(EqualizedDense(widths[4], equalized=equalized, name="dense")(x))
        x = EqualizedDense(1, gain=1.0, equalized=equalized, name="logits", dtype="float32")(x)
    else:
        x = _act("act_0")(_conv(widths[r], 3, equalized, "conv_0")(x))
        x = _act("act_1")(_conv(widths[r // 2], 3, equalized, "conv_1")(x))
        x = keras.layers.AveragePooling2D(2, name="downsample")(x)
    return keras.Model(inputs, x, name=f"d_block_{r}x{r}")


def _from_rgb(r, width, channels, equalized):
    inputs = keras.Input((r, r, channels), name="images")
    return keras.Model(inputs, _act("act")(_conv(width, 1, equalized, "conv")(inputs)), name=f"d_from_rgb_{r}x{r}")


def progressive_discriminator(resolution=64, channels=3, filters=None, minibatch_std=True, group_size=4,
                              equalized_lr=True, name="progressive_discriminator"):
    """Progressive discriminator: images ``(batch, resolution, resolution, channels)`` -> one
    raw logit ``(batch, 1)`` per resolution from ``resolution`` down to 4x4 (a list, final first).

    ``filters`` as in ``progressive_generator``. ``minibatch_std`` appends the minibatch
    standard deviation (groups of ``group_size``, which must divide every training batch) before
    the last block; ``equalized_lr`` as in the generator (both on in the paper).
    """
    fn = "progressive_discriminator"
    resolutions = resolutions_up_to(check_resolution(resolution, fn=fn))
    channels = _positive_int(channels, "channels", fn)
    widths = _widths(filters, resolutions, fn)
    minibatch_std, equalized = _flag(minibatch_std, "minibatch_std", fn), _flag(equalized_lr, "equalized_lr", fn)
    group_size = _positive_int(group_size, "group_size", fn)
    blocks = {r: _discriminator_block(r, widths, minibatch_std, group_size, equalized) for r in resolutions}
    from_rgb = {r: _from_rgb(r, widths[r], channels, equalized) for r in resolutions}
    images = keras.Input((resolution, resolution, channels), name="images")
    logits = []
    for r in reversed(resolutions):
        x = images
        if r < resolution:
            x = keras.layers.AveragePooling2D(resolution // r, name=f"d_downscale_{r}x{r}")(images)
        x = from_rgb[r](x)
        for block_resolution in reversed(resolutions):
            if block_resolution <= r:
                x = blocks[block_resolution](x)
        logits.append(keras.layers.Identity(name=f"logits_{r}x{r}")(x))
    return keras.Model(images, logits, name=name)


# ----------------------------------------------------------------------------- one stage
def upscale(images, factor):
    """Nearest-neighbour upsampling by an integer factor (each pixel repeated)."""
    if factor == 1:
        return images
    return ops.repeat(ops.repeat(images, factor, axis=1), factor, axis=2)


def downscale(images, factor):
    """Average pooling by an integer factor (non-overlapping ``factor x factor`` boxes)."""
    if factor == 1:
        return images
    height, width, channels = images.shape[1:]
    boxes = ops.reshape(images, (-1, height // factor, factor, width // factor, factor, channels))
    return ops.mean(boxes, axis=(2, 4))


def lerp(low, high, alpha):
    """``low + (high - low) * alpha``: ``low`` at 0, ``high`` at 1."""
    high = ops.convert_to_tensor(high)
    low = ops.cast(low, high.dtype)
    return low + (high - low) * ops.cast(alpha, high.dtype)


def generator_images(generator, noise, resolution, alpha=None, training=False):
    """The images of the stage at ``resolution``: the blocks 4x4 .. ``resolution``, then its
    to-RGB layer. With ``alpha`` (the stage fading in), ``(1 - alpha) * up(previous stage's
    images) + alpha * this stage's images``: at 0 exactly the previous stage, upsampled."""
    x = noise
    for r in resolutions_up_to(resolution):
        previous, x = x, generator.get_layer(f"g_block_{r}x{r}")(x, training=training)
    images = generator.get_layer(f"g_to_rgb_{resolution}x{resolution}")(x, training=training)
    if alpha is None or resolution == 4:
        return images
    half = resolution // 2
    low = generator.get_layer(f"g_to_rgb_{half}x{half}")(previous, training=training)
    return lerp(upscale(low, 2), images, alpha)


def discriminator_logits(discriminator, images, alpha=None, training=False):
    """Logits of images at one stage's resolution (taken from their shape). With ``alpha``:
    the new block's features blended with the previous stage's from-RGB features of the
    average-pooled images; at 0 exactly the previous stage's critic on the pooled images."""
    resolution = images.shape[1]
    x = discriminator.get_layer(f"d_from_rgb_{resolution}x{resolution}")(images, training=training)
    for r in reversed(resolutions_up_to(resolution)):
        x = discriminator.get_layer(f"d_block_{r}x{r}")(x, training=training)
        if r == resolution and alpha is not None and r > 4:
            half = r // 2
            low = discriminator.get_layer(f"d_from_rgb_{half}x{half}")(downscale(images, 2), training=training)
            x = lerp(low, x, alpha)
    return x


def stage_layers(network, resolution, fading):
    """The sub-models of a progressive generator or discriminator that a stage uses: blocks up
    to ``resolution``, its to/from-RGB layer, and the previous resolution's while fading in."""
    prefix = "g" if any(layer.name == "g_block_4x4" for layer in network.layers) else "d"
    names = [f"{prefix}_block_{r}x{r}" for r in resolutions_up_to(resolution)]
    rgb = "g_to_rgb" if prefix == "g" else "d_from_rgb"
    names.append(f"{rgb}_{resolution}x{resolution}")
    if fading and resolution > 4:
        names.append(f"{rgb}_{resolution // 2}x{resolution // 2}")
    return [network.get_layer(name) for name in names]


def generator_at(generator, resolution):
    """A plain one-output ``keras.Model`` sharing the progressive generator's layers: noise ->
    images at ``resolution`` (a stage without fade-in), clipped to [-1, 1]."""
    check_resolution(resolution, fn="generator_at")
    final = final_resolution(generator)
    if resolution > final:
        raise ValueError(f"generator_at: resolution {resolution} is above the generator's final resolution {final}.")
    images = generator.get_layer(f"g_to_rgb_{resolution}x{resolution}").output
    clipped = keras.layers.Activation("hard_tanh", dtype="float32", name="clip")(images)
    return keras.Model(generator.inputs[0], clipped, name=f"{generator.name}_{resolution}x{resolution}")


def final_resolution(network):
    """The side of a progressive network's largest images (its first output or its input)."""
    tensor = network.outputs[0] if len(network.outputs[0].shape) == 4 else network.inputs[0]
    return int(tensor.shape[1])


def check_progressive(network, role, resolution=None):
    """Raise unless ``network`` is a progressive ``role`` ("generator"/"discriminator") up to
    ``resolution`` (default: its own final one), naming what is missing; return that resolution."""
    prefix, rgb = ("g", "g_to_rgb") if role == "generator" else ("d", "d_from_rgb")
    names = {layer.name for layer in network.layers}
    advice = f"build it with kgan.networks.progressive_{role}"
    if f"{prefix}_block_4x4" not in names:
        raise ValueError(f"The {role} {network.name!r} is not a progressive {role} (it has no layer "
                         f"'{prefix}_block_4x4'); {advice}.")
    final = final_resolution(network)
    if resolution is not None and final != resolution:
        raise ValueError(f"The {role}'s final resolution is {final}x{final} but the schedule's is "
                         f"{resolution}x{resolution}; build both for the same resolution.")
    missing = [f"{kind}_{r}x{r}" for r in resolutions_up_to(final) for kind in (f"{prefix}_block", rgb)
               if f"{kind}_{r}x{r}" not in names]
    if missing:
        raise ValueError(f"The {role} {network.name!r} is not a progressive {role} up to {final}x{final}: "
                         f"it has no layer(s) {missing}; {advice}.")
    return final


def minibatch_group_size(discriminator):
    """The group size of the discriminator's minibatch stddev layer, or None without one."""
    for layer in discriminator.get_layer("d_block_4x4").layers:
        if isinstance(layer, MinibatchStdDev):
            return layer.group_size
    return None


__all__ = ["check_progressive", "default_filters", "discriminator_logits", "downscale", "final_resolution",
           "generator_at", "generator_images", "lerp", "minibatch_group_size", "progressive_discriminator",
           "progressive_generator", "resolutions_up_to", "stage_layers", "upscale"]
