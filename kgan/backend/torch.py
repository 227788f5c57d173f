"""PyTorch: explicit ``torch.autograd.grad`` so nothing accumulates in ``.grad``.

Each loss is computed inside a ``keras.StatelessScope``: what layers assign during the
forward pass (BatchNorm statistics, dropout seeds, ``SpectralNormalization``'s ``vector_u``
and kernel) is recorded and assigned after the backward pass. Assigned in place, the kernel
that ``SpectralNormalization`` rewrites on every training call would change a weight that the
previous discriminator call of the same loss (real, then fake) saved for backward, and autograd
refuses ("modified by an inplace operation"). As on JAX, the differentiated weights then take
only the optimizer's update, and their gradient flows through the normalisation.
"""

import torch
from keras import StatelessScope

_ACTIVE = []  # the variables of the model whose step runs (a stack, for safety)


def attach_optimizers(model):
    """Nothing to do: eager PyTorch updates both optimizers' variables in place."""


def train_step(model, step, data):
    _ACTIVE.append(model.variables)
    try:
        return step(data)
    finally:
        _ACTIVE.pop()


def minimize_each(updates, loss_fn):
    trained = [v for _, variables in updates for v in variables]
    everything = _ACTIVE[-1] if _ACTIVE else trained
    with StatelessScope(state_mapping=[(v, v.value) for v in everything]) as scope:
        before = [scope.get_current_value(v) for v in everything]
        losses, aux = loss_fn()
    differentiated = {id(v) for v in trained}
    after = [scope.get_current_value(v) for v in everything]
    state_updates = [(v, new) for v, old, new in zip(everything, before, after)
                     if new is not old and id(v) not in differentiated]
    gradients = []  # every gradient is taken before any optimizer moves a weight
    last = max((i for i, (_, variables) in enumerate(updates) if variables), default=-1)
    for i, ((optimizer, variables), loss) in enumerate(zip(updates, losses)):
        if not variables:
            gradients.append(None)
            continue
        values = [v.value for v in variables]
        grads = torch.autograd.grad(optimizer.scale_loss(loss), values, allow_unused=True, retain_graph=i < last)
        gradients.append([torch.zeros_like(v) if g is None else g for g, v in zip(grads, values)])
    with torch.no_grad():
        for v, value in state_updates:
            v.assign(value.detach())
        for (optimizer, variables), grads in zip(updates, gradients):
            if variables:
                optimizer.apply(grads, variables)
    return tuple(loss.detach() for loss in losses), {k: v.detach() for k, v in aux.items()}


def without_gradient(fn):
    """``fn()`` with autograd off: nothing is recorded for a backward pass that never comes
    (the discriminator update's fakes), where a detach afterwards would record it all first."""
    with torch.no_grad():
        return fn()


def value_and_input_gradient(fn, x):
    x = x.detach().requires_grad_(True)
    outputs = fn(x)
    (gradient,) = torch.autograd.grad(outputs.sum(), x, create_graph=True)
    return outputs, gradient
