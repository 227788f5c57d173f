"""Regularisers of the critic, as pure functions on ``keras.ops``.

The gradient itself comes from ``kgan.backend.value_and_input_gradient``; these functions only
do the arithmetic, so they are shared by every backend.
"""

from keras import ops


def interpolate(real, fake, alpha):
    """Points on straight lines between real and fake samples: ``alpha*real + (1-alpha)*fake``.

    ``alpha`` has shape ``(batch,)`` and is broadcast over the non-batch axes.
    """
    alpha = ops.reshape(ops.cast(alpha, real.dtype), (-1,) + (1,) * (len(real.shape) - 1))
    return ops.add(ops.multiply(alpha, real), ops.multiply(1.0 - alpha, ops.cast(fake, real.dtype)))


def squared_gradient_norm(gradients):
    """Squared L2 norm of each sample's gradient over all non-batch axes, in float32."""
    g = ops.cast(gradients, "float32")
    return ops.sum(ops.square(g), axis=tuple(range(1, len(g.shape))))


def gradient_norm(gradients, epsilon=1e-12):
    """L2 norm of each sample's gradient over all non-batch axes (epsilon keeps it differentiable at 0)."""
    return ops.sqrt(squared_gradient_norm(gradients) + epsilon)


def gradient_penalty(gradients, target=1.0):
    """Two-sided penalty of Gulrajani et al. 2017: ``mean((||grad|| - target)^2)``."""
    return ops.mean(ops.square(gradient_norm(gradients) - target))


def drift_penalty(real_logits):
    """Drift term of Karras et al. 2018, ``mean(D(x)^2)``: keeps critic outputs near zero."""
    return ops.mean(ops.square(ops.cast(real_logits, "float32")))


def r1_penalty(gradients):
    """R1 penalty of Mescheder et al. 2018, ``mean(||grad_x D(x)||^2)`` on real samples.

    Penalising the discriminator's gradient on the data (rather than WGAN-GP's distance of the
    norm from 1 on interpolates) is what makes the non-saturating game converge locally.
    """
    return ops.mean(squared_gradient_norm(gradients))
