"""Generator EMA: an exponential moving average of the generator's weights.

Samples from an averaged generator are markedly better than from the raw one for the same
training (Karras et al. 2018, Yazici et al. 2019; StudioGAN and StyleGAN keep one by default).
Keras's optimizer option ``use_ema`` is not the same thing: it overwrites the trained weights
with the average at the end of ``fit``, and the generator then continues from the average.
Here the generator trains from its own weights and a second network, ``ema_generator``,
holds the average, updated after every generator update inside the compiled train step.
"""

import keras
from keras import ops


def validate(decay, start):
    """Raise early on values that cannot be an EMA schedule."""
    if decay is not None and not (isinstance(decay, (int, float)) and 0.0 < decay < 1.0):
        raise ValueError(f"ema_decay must be None or a number in (0, 1), e.g. 0.999; got {decay!r}.")
    if isinstance(start, bool) or int(start) != start or start < 0:
        raise ValueError(f"ema_start must be an integer >= 0 (generator updates), got {start!r}.")


def clone_generator(generator):
    """A non-trainable copy of ``generator`` (same architecture and current weights)."""
    try:
        clone = keras.models.clone_model(generator)
    except Exception as error:  # subclassed models: rebuild from their config
        try:
            clone = type(generator).from_config(generator.get_config())
        except Exception:
            raise ValueError(
                f"ema_decay needs a generator that keras.models.clone_model or from_config can copy; "
                f"{generator.name!r} cannot be copied ({error})."
            ) from error
    if not clone.built:
        clone.build(generator.inputs[0].shape if getattr(generator, "inputs", None) else None)
    check_same_structure(generator, clone)
    clone.set_weights(generator.get_weights())
    clone.trainable = False
    return clone


def check_same_structure(generator, clone):
    shapes = [tuple(w.shape) for w in generator.weights]
    clone_shapes = [tuple(w.shape) for w in clone.weights]
    if shapes != clone_shapes:
        raise ValueError(
            f"The EMA copy of {generator.name!r} has weights {clone_shapes}, the generator {shapes}; "
            "give the model a generator keras.models.clone_model copies exactly."
        )


def update(ema_generator, generator, updates, decay, start):
    """One EMA step after a generator update.

    ``updates`` (an integer variable) counts generator updates so far; while it is below
    ``start`` the average follows the weights, afterwards ``ema = decay * ema + (1 - decay)
    * w`` for trainable weights. Non-trainable weights (batch-norm moving statistics,
    power-iteration vectors) are copied.
    """
    averaged = {id(w) for w in generator.trainable_weights}
    weight = ops.where(ops.less(updates, start), 0.0, decay)
    for ema_w, w in zip(ema_generator.weights, generator.weights):
        value = ops.stop_gradient(ops.convert_to_tensor(w))
        if id(w) in averaged:
            average = ops.convert_to_tensor(ema_w)
            value = ops.cast(weight, ema_w.dtype) * average + ops.cast(1.0 - weight, ema_w.dtype) * value
        ema_w.assign(ops.cast(value, ema_w.dtype))
    updates.assign_add(ops.cast(1, updates.dtype))


__all__ = ["clone_generator", "update", "validate"]
