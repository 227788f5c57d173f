import numpy as np
import pytest
from keras import ops

from kgan import backend, penalties


def test_gradient_penalty_of_a_linear_critic_is_exact():
    # D(x) = <w, x> has gradient w everywhere, so the penalty is (||w|| - 1)^2.
    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 4, 3)).astype("float32")
    x = ops.convert_to_tensor(rng.normal(size=(5, 4, 4, 3)).astype("float32"))

    def critic(images):
        return ops.sum(ops.multiply(images, w), axis=(1, 2, 3))

    gradients = backend.input_gradient(critic, x)
    np.testing.assert_allclose(ops.convert_to_numpy(gradients), np.broadcast_to(w, (5, 4, 4, 3)), rtol=1e-6)
    expected = (np.linalg.norm(w) - 1.0) ** 2
    assert float(penalties.gradient_penalty(gradients)) == pytest.approx(expected, rel=1e-5)


def test_unit_norm_critic_has_zero_penalty():
    w = np.zeros((6,), "float32")
    w[2] = 1.0
    x = ops.convert_to_tensor(np.ones((3, 6), "float32"))
    gradients = backend.input_gradient(lambda t: ops.sum(ops.multiply(t, w), axis=1), x)
    assert float(penalties.gradient_penalty(gradients)) == pytest.approx(0.0, abs=1e-6)


def test_interpolate_is_per_sample():
    real = np.ones((2, 2, 2, 1), "float32")
    fake = -np.ones((2, 2, 2, 1), "float32")
    mixed = ops.convert_to_numpy(penalties.interpolate(real, fake, np.array([1.0, 0.25], "float32")))
    np.testing.assert_allclose(mixed[0], 1.0)
    np.testing.assert_allclose(mixed[1], -0.5)


def test_drift_penalty():
    assert float(penalties.drift_penalty(np.array([[1.0], [3.0]], "float32"))) == pytest.approx(5.0)


def test_r1_penalty_of_a_linear_critic_is_its_squared_weight_norm():
    rng = np.random.default_rng(2)
    w = rng.normal(size=(3, 3, 2)).astype("float32")
    x = ops.convert_to_tensor(rng.normal(size=(4, 3, 3, 2)).astype("float32"))
    gradients = backend.input_gradient(lambda t: ops.sum(ops.multiply(t, w), axis=(1, 2, 3)), x)
    assert float(penalties.r1_penalty(gradients)) == pytest.approx(float(np.sum(w**2)), rel=1e-5)


def test_r1_penalty_averages_squared_norms_over_the_batch():
    gradients = np.array([[3.0, 4.0], [0.0, 1.0]], "float32")  # squared norms 25 and 1
    assert float(penalties.r1_penalty(gradients)) == pytest.approx(13.0)
