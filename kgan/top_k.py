"""Top-k training (Sinha et al. 2020): the generator learns only from its most realistic samples.

In each generator update the discriminator scores the fake batch; only the ``k`` samples it
rates most real (highest logit) contribute to the generator's loss and gradient, the others
are masked out. Early in training the discriminator's ranking means little, so ``k`` starts
at the whole batch and falls to a fraction ``top_k`` of it: here linearly over the first
``top_k_updates`` generator updates (the paper multiplies ``k`` by 0.99 an epoch down to a
floor of 0.5-0.75 of the batch). It costs one sort of ``batch`` logits a step and changes
only which samples the generator's loss averages over.
"""

import math

from keras import ops


def validate(top_k, top_k_updates):
    """Raise early on values that cannot be a top-k schedule."""
    if top_k is not None and not (isinstance(top_k, (int, float)) and not isinstance(top_k, bool)
                                  and 0.0 < top_k <= 1.0 and math.isfinite(top_k)):
        raise ValueError(f"top_k must be None or the fraction of each fake batch the generator learns from, "
                         f"in (0, 1], e.g. 0.5; got {top_k!r}.")
    if isinstance(top_k_updates, bool) or int(top_k_updates) != top_k_updates or top_k_updates < 0:
        raise ValueError(f"top_k_updates must be an integer >= 0 (generator updates), got {top_k_updates!r}.")


def fraction(updates, top_k, top_k_updates):
    """The share of the batch kept after ``updates`` generator updates: 1 at update 0, falling
    linearly to ``top_k`` at ``top_k_updates`` and staying there (``top_k`` throughout when
    ``top_k_updates`` is 0). ``updates`` may be a tensor."""
    if not top_k_updates:
        return ops.convert_to_tensor(float(top_k), "float32")
    progress = ops.minimum(ops.cast(updates, "float32") / float(top_k_updates), 1.0)
    return 1.0 - (1.0 - float(top_k)) * progress


def mask(fake_logits, keep):
    """0/1 weights of shape ``fake_logits``: 1 for the ``ceil(keep * batch)`` (at least one)
    highest logits. ``keep`` may be a tensor, so the schedule needs no recompilation."""
    scores = ops.cast(ops.stop_gradient(ops.convert_to_tensor(fake_logits)), "float32")
    logits = ops.reshape(scores, (-1,))
    n = ops.shape(logits)[0]
    k = ops.clip(ops.cast(ops.ceil(keep * ops.cast(n, "float32") - 1e-4), "int32"), 1, n)
    threshold = ops.take(ops.sort(logits), n - k)  # the k-th highest logit
    return ops.cast(scores >= threshold, "float32")
