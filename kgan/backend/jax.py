"""JAX: run kgan's stateful-looking train step inside stateless scopes.

Keras's JAX trainer jits ``train_step(state, data)`` and threads four lists of arrays through
it (trainable, non-trainable, ``model.optimizer``'s and the metrics' variables). kgan models
carry two optimizers, so ``model.optimizer`` is an ``OptimizerPair`` whose ``variables`` hold
both: their state advances every step instead of silently restarting. Inside the step every
variable lives in a ``keras.StatelessScope`` whose mapping covers all of them, so optimizer
updates, BatchNorm statistics, the noise seed generator and loss trackers are recorded there
and handed back to the trainer. Gradients come from ``jax.grad`` over a function that opens a
complete inner scope with the differentiated weights swapped in.
"""

import jax
import jax.numpy as jnp
from keras import StatelessScope
from keras.src.backend.common.stateless_scope import get_stateless_scope

_ACTIVE = []  # the variables of the step being traced (a stack, for safety)


class OptimizerPair:
    """Stands in for ``model.optimizer`` so the trainer carries both optimizers' state."""

    def __init__(self, *optimizers):
        self.optimizers = optimizers

    @property
    def built(self):
        return all(optimizer.built for optimizer in self.optimizers)

    @property
    def variables(self):
        return [v for optimizer in self.optimizers for v in optimizer.variables]


def attach_optimizers(model):
    model.optimizer = OptimizerPair(model.g_optimizer, model.d_optimizer)


def train_step(model, step, state, data):
    trainable, non_trainable, optimizer_values, metric_values = state
    groups = [model.trainable_variables, model.non_trainable_variables, model.optimizer.variables,
              model.metrics_variables]
    everything = [v for group in groups for v in group]
    values = list(trainable) + list(non_trainable) + list(optimizer_values) + list(metric_values)
    with StatelessScope(state_mapping=list(zip(everything, values))) as scope:
        _ACTIVE.append(everything)
        try:
            logs = step(data)
        finally:
            _ACTIVE.pop()
    return logs, tuple([scope.get_current_value(v) for v in group] for group in groups)


def minimize_each(updates, loss_fn):
    outer = get_stateless_scope()
    if outer is None or not _ACTIVE:
        raise RuntimeError("kgan's JAX backend runs inside fit()'s train step only.")
    everything = _ACTIVE[-1]
    groups = [list(variables) for _, variables in updates]
    differentiated = {id(v) for group in groups for v in group}
    current = {id(v): outer.get_current_value(v) for v in everything}

    def objective(weights):
        mapping = dict(current)
        for group, values in zip(groups, weights):
            mapping.update({id(v): w for v, w in zip(group, values)})
        with StatelessScope(state_mapping=[(v, mapping[id(v)]) for v in everything]) as inner:
            losses, aux = loss_fn()
            scaled = tuple(optimizer.scale_loss(loss) for (optimizer, _), loss in zip(updates, losses))
        updated = [inner.get_current_value(v) for v in everything]
        return scaled, (tuple(losses), aux, updated)

    # One forward pass; each loss's gradient with respect to its own group (one pullback per
    # loss; under jit, XLA drops the parts no optimizer reads).
    scaled, pullback, (losses, aux, updated) = jax.vjp(objective, [[current[id(v)] for v in g] for g in groups],
                                                      has_aux=True)
    gradients = []
    for i, group in enumerate(groups):
        if group:
            one_hot = tuple(jnp.ones_like(s) if j == i else jnp.zeros_like(s) for j, s in enumerate(scaled))
            gradients.append(pullback(one_hot)[0][i])
        else:
            gradients.append(None)
    for v, value in zip(everything, updated):  # BatchNorm statistics, seed generator, ...
        if id(v) not in differentiated:
            v.assign(value)
    for (optimizer, _), group, grads in zip(updates, groups, gradients):
        if not group:
            continue
        # stateless_apply, not apply: LossScaleOptimizer's stateful apply assigns inside a
        # traced ops.cond, which leaks tracers under JAX; the stateless form returns values.
        if not optimizer.built:
            optimizer.build(group)
        state = optimizer.variables
        weights, state_values = optimizer.stateless_apply(
            [outer.get_current_value(v) for v in state], grads, [current[id(v)] for v in group]
        )
        for v, value in zip(group + list(state), list(weights) + list(state_values)):
            v.assign(value)
    return losses, aux


def value_and_input_gradient(fn, x):
    """``fn(x)`` and the gradient of its sum, with ``fn``'s state updates (BatchNorm statistics,
    dropout seeds) carried out of ``jax.grad`` as values: assigned inside the transformation,
    they would leak its tracers into the step's scope."""
    scope = get_stateless_scope()
    active = _ACTIVE[-1] if scope is not None and _ACTIVE else []
    current = [(v, scope.get_current_value(v)) for v in active]

    def total(t):
        with StatelessScope(state_mapping=current) as inner:
            outputs = fn(t)
        return jnp.sum(outputs), (outputs, [inner.get_current_value(v) for v in active])

    gradient, (outputs, updated) = jax.grad(total, has_aux=True)(x)
    for v, value in zip(active, updated):
        v.assign(value)  # recorded by the step's scope, like any other update
    return outputs, gradient
