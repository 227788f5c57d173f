"""The only part of kgan that knows which Keras backend runs.

Models describe *what* to optimise with backend-free loss functions; this package takes the
gradients and applies the optimizers:

- ``minimize(optimizer, variables, loss_fn)``: evaluate ``loss_fn() -> (loss, aux)``, step
  ``optimizer`` on ``variables`` with the loss's gradient, return ``(loss, aux)``.
- ``input_gradient(fn, x)``: gradient of ``sum(fn(x))`` with respect to ``x``, itself
  differentiable with respect to the weights used in ``fn`` (for gradient penalties).
"""

import keras

_NAME = keras.backend.backend()

if _NAME == "tensorflow":
    from kgan.backend.tensorflow import input_gradient, minimize
elif _NAME == "torch":
    from kgan.backend.torch import input_gradient, minimize
else:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"kgan trains on the tensorflow and torch Keras backends; got KERAS_BACKEND={_NAME!r}. "
        "Set KERAS_BACKEND=tensorflow (JAX support is planned)."
    )

__all__ = ["input_gradient", "minimize"]
