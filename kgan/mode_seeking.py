"""Mode seeking (after Mao et al. 2019, MSGAN): penalise the generator where different noise gives
nearly the same image.

A collapsed mode is a region of noise that the generator maps to (almost) one image, e.g. the same
"1" over and over: the samples differ, their images do not. With ``mode_seeking=w`` each generator
update pairs the first half of its noise batch with perturbed copies ``z' = z + scale * e``
(``e`` standard normal; the copies replace the second half, with the same labels) and adds

    w * mean_i( -log( mean|G(z_i) - G(z'_i)| / mean|z_i - z'_i| + eps ) )

to the generator's loss: how far each pair's images lie apart per unit of noise, in log so the
weight means the same at any image scale and the pairs that moved least pull hardest. MSGAN pairs
independent noise under one condition and takes the inverse of the batch's mean ratio; nearby
pairs stay in one mode (one class, one mixture piece) without the model knowing its conditioning,
so the term measures the spread within modes, which is what near-duplicates lack.
"""

import math
import numbers

from keras import ops
import keras

EPSILON = 1e-5  # keeps the log finite for a pair of identical images


def _finite(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def validate(weight, scale):
    """Raise early on values that cannot be a mode-seeking weight or perturbation scale."""
    if not (_finite(weight) and weight >= 0):
        raise ValueError(f"mode_seeking must be a finite weight >= 0 (0 turns it off), e.g. 0.1; got {weight!r}.")
    if not (_finite(scale) and scale > 0):
        raise ValueError("mode_seeking_scale must be the finite std > 0 of the noise perturbation, e.g. 0.25; "
                         f"got {scale!r}.")


def pair_noise(noise, scale, seed_generator):
    """``noise`` whose second half (``n // 2`` rows after the first ``n // 2``) is the first half
    plus ``scale`` times fresh standard normal noise; an odd last row stays as it was."""
    noise = ops.convert_to_tensor(noise)
    half = ops.shape(noise)[0] // 2
    first = noise[:half]
    nudged = first + scale * keras.random.normal(ops.shape(first), dtype=first.dtype, seed=seed_generator)
    return ops.concatenate([first, nudged, noise[2 * half:]], axis=0)


def pair_labels(labels):
    """Labels matching ``pair_noise``: each perturbed copy keeps its original's label."""
    if labels is None:
        return None
    labels = ops.convert_to_tensor(labels)
    half = ops.shape(labels)[0] // 2
    return ops.concatenate([labels[:half], labels[:half], labels[2 * half:]], axis=0)


def penalty(noise, images):
    """``mean_i -log(r_i + eps)`` over the pairs of ``pair_noise``, ``r_i`` the mean absolute
    image difference of pair ``i`` over its mean absolute noise difference."""
    half = ops.shape(noise)[0] // 2
    images = ops.cast(images, "float32")
    noise = ops.cast(noise, "float32")
    flat = ops.reshape(images[: 2 * half], (2 * half, -1))
    image_gap = ops.mean(ops.abs(flat[:half] - flat[half:]), axis=1)
    noise_gap = ops.mean(ops.abs(noise[:half] - noise[half : 2 * half]), axis=1)
    return ops.mean(-ops.log(image_gap / noise_gap + EPSILON))
