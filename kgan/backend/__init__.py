"""The only part of kgan that knows which Keras backend runs.

Models describe *what* to optimise with backend-free loss functions; this package takes the
gradients and applies the optimizers:

- ``minimize_each(updates, loss_fn)``: evaluate ``loss_fn() -> (losses, aux)`` once, with one
  loss per ``(optimizer, variables)`` of ``updates``; take every loss's gradient with respect
  to its own variables (all before any weight moves), step each optimizer, return
  ``(losses, aux)``. ``minimize(optimizer, variables, loss_fn)`` is the one-update case, with
  ``loss_fn() -> (loss, aux)``.
- ``train_step(model, step, *args)``: adapt the trainer's call (``data``, or JAX's
  ``state, data``) to the model's stateful ``step(data)``;
- ``attach_optimizers(model)``: let the trainer carry both optimizers' state;
- ``value_and_input_gradient(fn, x)``: ``fn(x)`` and the gradient of ``sum(fn(x))`` with
  respect to ``x``, both differentiable with respect to the weights used in ``fn`` (for
  gradient penalties; R1 reuses the outputs as the real logits, one forward pass for both);
  ``input_gradient(fn, x)`` is the gradient alone;
- ``without_gradient(fn)``: ``fn()`` with no gradient flowing back through it (on torch,
  evaluated under ``torch.no_grad()``: nothing recorded for a backward pass);
- ``train_function_with_jit(model, jit)``, ``wait_for(outputs)``: Keras's train function
  built with XLA on or off, and a call's outputs once computed, for ``jit_compile="measure"``
  (TensorFlow only: ``None`` on the backends where XLA is not a per-model choice);
- ``replica_rows(draw, n)``: this replica's ``n`` rows of one random draw for the global
  batch (``draw(n)`` itself where one program sees the whole batch: JAX, torch, one device).
"""

import keras

_NAME = keras.backend.backend()


def _stopped(fn):
    """``fn()`` as a constant: no gradient flows back through it (torch has its own, under no_grad)."""
    return keras.ops.stop_gradient(fn())


if _NAME == "tensorflow":
    from kgan.backend.tensorflow import (attach_optimizers, minimize_each, replica_rows, train_function_with_jit,
                                         train_step, value_and_input_gradient, wait_for)

    without_gradient = _stopped
elif _NAME == "torch":
    from kgan.backend.torch import (attach_optimizers, minimize_each, train_step, value_and_input_gradient,
                                    without_gradient)
    from kgan.backend.whole_batch import replica_rows

    train_function_with_jit = wait_for = None
elif _NAME == "jax":
    from kgan.backend.jax import attach_optimizers, minimize_each, train_step, value_and_input_gradient
    from kgan.backend.whole_batch import replica_rows

    without_gradient = _stopped
    train_function_with_jit = wait_for = None
else:  # pragma: no cover - depends on the environment
    raise ImportError(f"kgan runs on the tensorflow, jax and torch Keras backends; got KERAS_BACKEND={_NAME!r}.")


def minimize(optimizer, variables, loss_fn):
    """Step ``optimizer`` on ``variables`` with the gradient of ``loss_fn() -> (loss, aux)``."""

    def one_loss():
        loss, aux = loss_fn()
        return (loss,), aux

    (loss,), aux = minimize_each([(optimizer, variables)], one_loss)
    return loss, aux


def input_gradient(fn, x):
    """The gradient of ``sum(fn(x))`` with respect to ``x`` (see ``value_and_input_gradient``)."""
    return value_and_input_gradient(fn, x)[1]


__all__ = ["attach_optimizers", "input_gradient", "minimize", "minimize_each", "replica_rows", "train_step",
           "value_and_input_gradient", "without_gradient"]
