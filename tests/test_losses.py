import math

import numpy as np
import pytest
from keras import ops

from kgan import losses


def sp(x):
    return math.log1p(math.exp(x))


REAL = np.array([[2.0], [-1.0]], "float32")
FAKE = np.array([[0.5], [-3.0]], "float32")


def value(x):
    return float(ops.convert_to_numpy(x))


def test_minimax_and_non_saturating_discriminator_by_hand():
    # -log sigmoid(r) = softplus(-r); -log(1 - sigmoid(f)) = softplus(f)
    expected = (sp(-2.0) + sp(1.0)) / 2 + (sp(0.5) + sp(-3.0)) / 2
    assert value(losses.minimax_discriminator_loss(REAL, FAKE)) == pytest.approx(expected, rel=1e-6)
    assert value(losses.non_saturating_discriminator_loss(REAL, FAKE)) == pytest.approx(expected, rel=1e-6)


def test_label_smoothing_targets_real_only():
    t = 0.9  # BCE(t, x) = softplus(x) - t * x
    expected = ((sp(2.0) - t * 2.0) + (sp(-1.0) + t * 1.0)) / 2 + (sp(0.5) + sp(-3.0)) / 2
    got = value(losses.minimax_discriminator_loss(REAL, FAKE, label_smoothing=0.1))
    assert got == pytest.approx(expected, rel=1e-6)


def test_generator_losses_by_hand():
    assert value(losses.minimax_generator_loss(FAKE)) == pytest.approx(-(sp(0.5) + sp(-3.0)) / 2, rel=1e-6)
    assert value(losses.non_saturating_generator_loss(FAKE)) == pytest.approx((sp(-0.5) + sp(3.0)) / 2, rel=1e-6)
    assert value(losses.least_squares_generator_loss(FAKE)) == pytest.approx(0.5 * (0.25 + 16.0) / 2, rel=1e-6)
    assert value(losses.hinge_generator_loss(FAKE)) == pytest.approx(1.25, rel=1e-6)
    assert value(losses.wasserstein_generator_loss(FAKE)) == pytest.approx(1.25, rel=1e-6)


def test_generator_losses_with_sample_weights_average_over_the_weighted_samples():
    weight = np.array([[0.0], [1.0]], "float32")  # only the second fake counts
    assert value(losses.non_saturating_generator_loss(FAKE, sample_weight=weight)) == pytest.approx(sp(3.0), rel=1e-6)
    assert value(losses.minimax_generator_loss(FAKE, sample_weight=weight)) == pytest.approx(-sp(-3.0), rel=1e-6)
    assert value(losses.least_squares_generator_loss(FAKE, sample_weight=weight)) == pytest.approx(8.0, rel=1e-6)
    for name in ("hinge", "wasserstein"):
        assert value(losses.get(name)[1](FAKE, sample_weight=weight)) == pytest.approx(3.0, rel=1e-6)
    halves = np.array([[1.0], [3.0]], "float32")  # a weighted mean, not a weighted sum
    assert value(losses.wasserstein_generator_loss(FAKE, sample_weight=halves)) == pytest.approx(
        -(0.5 * 1 - 3.0 * 3) / 4, rel=1e-6)


def test_least_squares_discriminator_by_hand():
    expected = 0.5 * ((1.0 + 4.0) / 2 + (0.25 + 9.0) / 2)
    assert value(losses.least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(expected, rel=1e-6)
    smoothed = 0.5 * ((1.1**2 + 1.9**2) / 2 + (0.25 + 9.0) / 2)
    assert value(losses.least_squares_discriminator_loss(REAL, FAKE, 0.1)) == pytest.approx(smoothed, rel=1e-6)


def test_hinge_and_wasserstein_discriminator_by_hand():
    # relu(1 - r): 0, 2 ; relu(1 + f): 1.5, 0
    assert value(losses.hinge_discriminator_loss(REAL, FAKE)) == pytest.approx(1.0 + 0.75, rel=1e-6)
    assert value(losses.wasserstein_discriminator_loss(REAL, FAKE)) == pytest.approx(-1.25 - 0.5, rel=1e-6)


def test_large_logits_stay_finite():
    big = np.array([[80.0], [-80.0]], "float32")
    for name in ("minimax", "non_saturating"):
        d_loss, g_loss = losses.get(name)
        assert np.isfinite(value(d_loss(big, -big)))
        assert np.isfinite(value(g_loss(big)))


def test_get_and_validate():
    assert losses.get("hinge") == (losses.hinge_discriminator_loss, losses.hinge_generator_loss)
    with pytest.raises(ValueError, match="'vanilla'.*expected one of"):
        losses.get("vanilla")
    with pytest.raises(ValueError, match="label_smoothing=0.1.*hinge"):
        losses.validate("hinge", 0.1)
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        losses.validate("minimax", 1.5)
