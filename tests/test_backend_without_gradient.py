"""``kgan.backend.without_gradient``: the discriminator update's fakes are constants."""

import keras
import numpy as np
import pytest

from kgan import backend


def test_no_gradient_flows_through_and_the_value_is_unchanged():
    dense = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")
    x = np.arange(6, dtype="float32").reshape(3, 2)

    def fn(t):  # d/dt of sum(fn(t)) is 1 from the second term; the dense term would add its kernel (1, 1)
        return backend.without_gradient(lambda: dense(t)) + keras.ops.sum(t, axis=1, keepdims=True)

    outputs, gradient = backend.value_and_input_gradient(fn, keras.ops.convert_to_tensor(x))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(outputs), 2 * x.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(gradient), np.ones_like(x))


@pytest.mark.skipif(keras.backend.backend() != "torch", reason="autograd recording is torch's")
def test_on_torch_nothing_is_recorded_for_backward():
    dense = keras.layers.Dense(2)
    out = backend.without_gradient(lambda: dense(np.ones((1, 3), "float32")))
    assert out.grad_fn is None and not out.requires_grad
