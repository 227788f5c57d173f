"""Adversarial losses as pure functions of discriminator logits.

Each loss comes as a pair: ``*_discriminator_loss(real_logits, fake_logits)`` and
``*_generator_loss(fake_logits, sample_weight=None)``, both returning a scalar mean over the
batch (the generator's a weighted mean when given per-sample weights, e.g. the 0/1 mask of
top-k training, ``kgan.top_k``). They are
written once with ``keras.ops`` and run on every Keras backend. ``get(name)`` returns the
pair for a name accepted by the models' ``loss=`` argument.
"""

import keras
from keras import ops

LOSSES = ("minimax", "non_saturating", "least_squares", "hinge", "wasserstein")
SMOOTHABLE = ("minimax", "non_saturating", "least_squares")


def _mean(x, sample_weight=None):
    """Mean of ``x``; with ``sample_weight`` (broadcastable to ``x``) the weighted mean
    ``sum(w x) / sum(w)``."""
    x = ops.cast(x, "float32")
    if sample_weight is None:
        return ops.mean(x)
    weight = ops.broadcast_to(ops.cast(sample_weight, "float32"), ops.shape(x))
    return ops.sum(weight * x) / ops.sum(weight)


def _sigmoid_cross_entropy(logits, target):
    """Binary cross-entropy on logits, numerically stable: softplus(x) - x * t."""
    logits = ops.cast(logits, "float32")
    return ops.softplus(logits) - logits * target


def minimax_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """-log D(x) - log(1 - D(G(z))), Goodfellow et al. 2014; one-sided label smoothing."""
    real = _sigmoid_cross_entropy(real_logits, 1.0 - label_smoothing)
    fake = _sigmoid_cross_entropy(fake_logits, 0.0)
    return _mean(real) + _mean(fake)


def minimax_generator_loss(fake_logits, sample_weight=None):
    """log(1 - D(G(z))): the original minimax objective, which saturates early in training."""
    return -_mean(_sigmoid_cross_entropy(fake_logits, 0.0), sample_weight)


non_saturating_discriminator_loss = minimax_discriminator_loss


def non_saturating_generator_loss(fake_logits, sample_weight=None):
    """-log D(G(z)): the non-saturating heuristic of Goodfellow et al. 2014."""
    return _mean(_sigmoid_cross_entropy(fake_logits, 1.0), sample_weight)


def least_squares_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """LSGAN (Mao et al. 2017), targets b=1 (real) and a=0 (fake): 1/2 (D(x)-1)^2 + 1/2 D(G(z))^2."""
    target = 1.0 - label_smoothing
    real = ops.square(ops.cast(real_logits, "float32") - target)
    fake = ops.square(ops.cast(fake_logits, "float32"))
    return 0.5 * (_mean(real) + _mean(fake))


def least_squares_generator_loss(fake_logits, sample_weight=None):
    """LSGAN generator: 1/2 (D(G(z)) - 1)^2."""
    return 0.5 * _mean(ops.square(ops.cast(fake_logits, "float32") - 1.0), sample_weight)


def hinge_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Hinge loss (Lim & Ye 2017; Miyato et al. 2018): relu(1 - D(x)) + relu(1 + D(G(z)))."""
    _no_smoothing("hinge", label_smoothing)
    real = ops.relu(1.0 - ops.cast(real_logits, "float32"))
    fake = ops.relu(1.0 + ops.cast(fake_logits, "float32"))
    return _mean(real) + _mean(fake)


def hinge_generator_loss(fake_logits, sample_weight=None):
    """Hinge generator loss: -D(G(z))."""
    return -_mean(fake_logits, sample_weight)


def wasserstein_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Critic loss of WGAN (Arjovsky et al. 2017): D(G(z)) - D(x)."""
    _no_smoothing("wasserstein", label_smoothing)
    return _mean(fake_logits) - _mean(real_logits)


def wasserstein_generator_loss(fake_logits, sample_weight=None):
    """WGAN generator loss: -D(G(z))."""
    return -_mean(fake_logits, sample_weight)


def _no_smoothing(name, label_smoothing):
    if label_smoothing:
        raise ValueError(
            f"label_smoothing={label_smoothing!r} is not defined for the {name!r} loss; "
            f"use it with one of {SMOOTHABLE}."
        )


def validate(name, label_smoothing=0.0):
    """Raise ValueError for an unknown loss name or a smoothing the loss does not support."""
    if name not in LOSSES:
        raise ValueError(f"Unknown loss {name!r}; expected one of {LOSSES}.")
    if not 0.0 <= float(label_smoothing) < 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing!r}.")
    if name not in SMOOTHABLE:
        _no_smoothing(name, label_smoothing)


def get(name):
    """Return ``(discriminator_loss, generator_loss)`` for a loss name."""
    validate(name)
    module = globals()
    return module[f"{name}_discriminator_loss"], module[f"{name}_generator_loss"]


__all__ = ["LOSSES", "get", "validate"] + [
    f"{n}_{part}_loss" for n in LOSSES for part in ("discriminator", "generator")
]
del keras
