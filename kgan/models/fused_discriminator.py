"""One discriminator call over real and fake images together, where that keeps the math.

A discriminator update needs D(real) and D(fake). Two calls on batches of ``n`` cost more than
one call on the ``2n`` images concatenated (per-call overhead, smaller kernels), and give the
same logits and gradients when every layer treats each sample on its own. Batch normalization
in training mode does not (it normalises with the batch's statistics, so real and fake would
share them), nor does a minibatch standard deviation layer, nor spectral normalization (each
training call makes a power iteration, so one call instead of two changes the estimate).

``samplewise(network)`` therefore fuses only networks built from layers known to be per-sample.
A custom layer declares itself with a class attribute ``samplewise = True`` (or ``False`` to
forbid fusion explicitly); any other layer type turns fusion off, so an unknown layer can cost
speed, never correctness.
"""

import keras
from keras import ops

L = keras.layers
SAMPLEWISE_LAYERS = (
    L.InputLayer, L.Dense, L.EinsumDense, L.Conv1D, L.Conv2D, L.Conv3D, L.Conv2DTranspose, L.Conv3DTranspose,
    L.DepthwiseConv2D, L.SeparableConv2D, L.Embedding, L.Activation, L.ReLU, L.LeakyReLU, L.PReLU, L.ELU,
    L.Softmax, L.Dropout, L.SpatialDropout2D, L.Flatten, L.Reshape, L.Permute, L.RepeatVector, L.Concatenate,
    L.Add, L.Subtract, L.Multiply, L.Average, L.Maximum, L.Minimum, L.LayerNormalization,
    L.GroupNormalization, L.UnitNormalization, L.UpSampling2D, L.ZeroPadding2D, L.Cropping2D,
    L.MaxPooling2D, L.AveragePooling2D, L.GlobalAveragePooling2D, L.GlobalMaxPooling2D, L.Identity,
    L.Rescaling,
)


def _layer_is_samplewise(layer):
    declared = getattr(type(layer), "samplewise", None)
    if declared is not None:
        return bool(declared)
    if isinstance(layer, (keras.Model,)):
        return True  # a container: its own layers are checked one by one
    return type(layer) in SAMPLEWISE_LAYERS  # exact types: a subclass may mix samples


def samplewise(network):
    """True when every layer of ``network`` (nested models included) is known to be per-sample."""
    layers = network._flatten_layers(include_self=False, recursive=True)
    return all(_layer_is_samplewise(layer) for layer in layers)


def real_and_fake_logits(discriminate, real, fake, labels, fuse):
    """``(discriminate(real), discriminate(fake))``, in one call on both when ``fuse``.

    ``discriminate(images, labels)`` is the model's discriminator call (augmentation
    included); real and fake share ``labels`` (conditional models generate the fakes for the
    real batch's labels).
    """
    if not fuse:
        return discriminate(real, labels), discriminate(fake, labels)
    n = ops.shape(real)[0]
    both_labels = None if labels is None else ops.concatenate([labels, labels], axis=0)
    logits = discriminate(ops.concatenate([real, ops.cast(fake, real.dtype)], axis=0), both_labels)
    return logits[:n], logits[n:]


__all__ = ["SAMPLEWISE_LAYERS", "real_and_fake_logits", "samplewise"]
