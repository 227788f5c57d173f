"""The only part of kgan that knows which Keras backend runs.

Models describe *what* to optimise with backend-free loss functions; this package takes the
gradients and applies the optimizers:

- ``minimize(optimizer, variables, loss_fn)``: evaluate ``loss_fn() -> (loss, aux)``, step
  ``optimizer`` on ``variables`` with the loss's gradient, return ``(loss, aux)``.
- ``train_step(model, step, *args)``: adapt the trainer's call (``data``, or JAX's
  ``state, data``) to the model's stateful ``step(data)``;
- ``attach_optimizers(model)``: let the trainer carry both optimizers' state;
- ``value_and_input_gradient(fn, x)``: ``fn(x)`` and the gradient of ``sum(fn(x))`` with
  respect to ``x``, both differentiable with respect to the weights used in ``fn`` (for
  gradient penalties; R1 reuses the outputs as the real logits, one forward pass for both);
  ``input_gradient(fn, x)`` is the gradient alone;
- ``replica_rows(draw, n)``: this replica's ``n`` rows of one random draw for the global
  batch (``draw(n)`` itself where one program sees the whole batch: JAX, torch, one device).
"""

import keras

_NAME = keras.backend.backend()

if _NAME == "tensorflow":
    from kgan.backend.tensorflow import attach_optimizers, minimize, replica_rows, train_step, value_and_input_gradient
elif _NAME == "torch":
    from kgan.backend.torch import attach_optimizers, minimize, train_step, value_and_input_gradient
    from kgan.backend.whole_batch import replica_rows
elif _NAME == "jax":
    from kgan.backend.jax import attach_optimizers, minimize, train_step, value_and_input_gradient
    from kgan.backend.whole_batch import replica_rows
else:  # pragma: no cover - depends on the environment
    raise ImportError(f"kgan runs on the tensorflow, jax and torch Keras backends; got KERAS_BACKEND={_NAME!r}.")


def input_gradient(fn, x):
    """The gradient of ``sum(fn(x))`` with respect to ``x`` (see ``value_and_input_gradient``)."""
    return value_and_input_gradient(fn, x)[1]


__all__ = ["attach_optimizers", "input_gradient", "minimize", "replica_rows", "train_step", "value_and_input_gradient"]
