"""kgan.latent: noise, truncation and interpolation against values worked out by hand."""

import math

import keras
import numpy as np
import pytest

from kgan import latent

R = math.sqrt(0.5)  # cos 45 degrees = sin 45 degrees


def test_sample_is_the_noise_generate_draws():
    z = latent.sample(3, 5, seed=7)
    assert z.shape == (3, 5) and z.dtype == np.float32
    np.testing.assert_array_equal(z, np.random.default_rng(7).standard_normal((3, 5)).astype("float32"))
    np.testing.assert_array_equal(z, latent.sample(3, 5, seed=7))


def test_truncate_scales_towards_zero():
    z = np.array([[2.0, -4.0], [0.5, 0.0]], dtype="float32")
    out = latent.truncate(z, 0.5)
    np.testing.assert_array_equal(out, [[1.0, -2.0], [0.25, 0.0]])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(latent.truncate(z, 1), z)
    np.testing.assert_array_equal(latent.truncate(z, 0.0), np.zeros_like(z))
    assert latent.truncate(z, None) is z  # no truncation: the very same array
    np.testing.assert_allclose(latent.truncate(keras.ops.convert_to_tensor(z), np.float32(0.7)), 0.7 * z, rtol=1e-6)


@pytest.mark.parametrize("psi", [-0.1, float("nan"), float("inf"), True, "0.7", [0.5]])
def test_truncate_rejects_bad_psi(psi):
    with pytest.raises(ValueError, match="psi must be a finite number >= 0") as error:
        latent.truncate(np.ones((2, 3)), psi)
    assert f"got {psi!r}" in str(error.value)


def test_truncate_rejects_non_finite_noise():
    with pytest.raises(ValueError, match="noise contains NaN"):
        latent.truncate(np.array([1.0, np.nan]), 0.5)


def test_linear_by_hand():
    path = latent.interpolate(np.array([0.0, 2.0]), np.array([4.0, -2.0]), 5, method="linear")
    np.testing.assert_allclose(path, [[0, 2], [1, 1], [2, 0], [3, -1], [4, -2]])
    assert path.shape == (5, 2)


def test_slerp_quarter_circle_by_hand():
    # From (1, 0) to (0, 1): 0, 45 and 90 degrees on the unit circle.
    path = latent.interpolate(np.array([1.0, 0.0]), np.array([0.0, 1.0]), 3)
    np.testing.assert_allclose(path, [[1, 0], [R, R], [0, 1]], atol=1e-12)
    # Five steps: 0, 22.5, 45, 67.5, 90 degrees, every point of norm 1.
    path = latent.interpolate(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]), 5)
    angles = np.radians([0, 22.5, 45, 67.5, 90])
    np.testing.assert_allclose(path, np.stack([np.cos(angles), np.sin(angles), 0 * angles], 1), atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), 1.0)


def test_slerp_keeps_equal_norms_and_interpolates_unequal_ones_linearly():
    # Equal norms (5): every point stays on the circle of radius 5, unlike the straight line.
    a, b = np.array([3.0, 4.0, 0.0]), np.array([0.0, 0.0, 5.0])
    path = latent.interpolate(a, b, 7)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), 5.0)
    assert np.linalg.norm(latent.interpolate(a, b, 3, method="linear")[1]) < 4  # the chord dips inside
    # Unequal norms: direction at 45 degrees, norm halfway between 2 and 1.
    path = latent.interpolate(np.array([2.0, 0.0]), np.array([0.0, 1.0]), 3)
    np.testing.assert_allclose(path[1], [1.5 * R, 1.5 * R], atol=1e-12)


def test_endpoints_are_exact_and_dtype_kept():
    rng = np.random.default_rng(0)
    z0, z1 = rng.standard_normal((2, 100)).astype("float32")
    for method in latent.METHODS:
        path = latent.interpolate(z0, z1, 9, method=method)
        assert path.shape == (9, 100) and path.dtype == np.float32
        assert np.array_equal(path[0], z0) and np.array_equal(path[-1], z1)
        # Consecutive points are evenly spaced in angle (slerp) or distance (linear).
        gaps = np.linalg.norm(np.diff(path.astype(np.float64), axis=0), axis=1)
        if method == "linear":
            np.testing.assert_allclose(gaps, gaps[0], rtol=1e-5)
    # Two steps: just the endpoints.
    np.testing.assert_array_equal(latent.interpolate(z0, z1, 2), np.stack([z0, z1]))


def test_nearly_parallel_and_zero_vectors_fall_back_to_the_line():
    a = np.array([1.0, 0.0])
    b = np.array([3.0, 1e-9])  # the same direction, to 3e-10 radians
    path = latent.interpolate(a, b, 3)
    assert np.all(np.isfinite(path))
    np.testing.assert_allclose(path, [[1, 0], [2, 5e-10], [3, 1e-9]], atol=1e-12)
    np.testing.assert_allclose(latent.interpolate(a, a, 4), np.tile(a, (4, 1)))
    np.testing.assert_allclose(latent.interpolate(np.zeros(2), np.array([0.0, 4.0]), 3), [[0, 0], [0, 2], [0, 4]])


def test_tensors_and_integers_are_accepted():
    path = latent.interpolate(keras.ops.convert_to_tensor(np.array([1.0, 0.0], "float32")), [0, 1], 3)
    np.testing.assert_allclose(path, [[1, 0], [R, R], [0, 1]], atol=1e-6)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (([1.0, 0.0], [0.0, 1.0], 1), {}, "steps must be an integer >= 2, got 1"),
        (([1.0, 0.0], [0.0, 1.0], 2.5), {}, "steps must be an integer >= 2, got 2.5"),
        (([1.0, 0.0], [0.0, 1.0], True), {}, "steps must be an integer >= 2, got True"),
        (([1.0, 0.0], [0.0, 1.0], 3), {"method": "cubic"}, "method must be one of .*got 'cubic'"),
        (([1.0, 0.0], [0.0, 1.0, 0.0], 3), {}, r"same length, got shapes \(2,\) and \(3,\)"),
        (([[1.0, 0.0]], [[0.0, 1.0]], 3), {}, r"1-D latent vectors.*\(1, 2\)"),
        (([1.0, np.inf], [0.0, 1.0], 3), {}, "z0 contains NaN or infinite"),
        (([1.0, 0.0], ["a", "b"], 3), {}, "z1 must be a numeric array"),
        (([1.0, 2.0], [-2.0, -4.0], 3), {}, "opposite directions"),
    ],
)
def test_bad_arguments_raise_value_error(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        latent.interpolate(*args, **kwargs)
    if "opposite" in match:  # the straight line through the origin is still fine
        np.testing.assert_allclose(latent.interpolate(*args, method="linear")[1], [-0.5, -1.0])


@pytest.mark.parametrize("n, dim, match", [(0, 4, "n must be an integer >= 1, got 0"),
                                           (2, 1.0, "latent_dim must be an integer >= 1, got 1.0")])
def test_sample_rejects_bad_sizes(n, dim, match):
    with pytest.raises(ValueError, match=match):
        latent.sample(n, dim)


def test_generate_truncation_scales_the_noise_it_draws():
    import keras

    from tests import factories as f

    model = f.make("gan", seed=1)
    noise = np.random.default_rng(5).standard_normal((6, f.LATENT)).astype("float32")
    expected = keras.ops.convert_to_numpy(model.generator(0.5 * noise, training=False))
    np.testing.assert_allclose(model.generate(6, seed=5, truncation=0.5), expected, atol=1e-6)
    np.testing.assert_allclose(model.generate(6, seed=5, truncation=1.0), model.generate(6, seed=5), atol=1e-6)
    with pytest.raises(ValueError, match="psi"):
        model.generate(2, truncation=-1)
