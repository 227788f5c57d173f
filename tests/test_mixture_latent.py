"""MixtureLatent: a discrete piece read from standard normal noise, inside the generator."""

import keras
import numpy as np
import pytest

from kgan import networks
from kgan.networks.mixture_latent import MixtureLatent, component_of


def _noise(n, width=12, seed=0):
    return np.random.default_rng(seed).standard_normal((n, width)).astype("float32")


def test_passes_the_continuous_noise_and_one_hots_the_argmax_of_the_rest():
    z = _noise(6)
    out = keras.ops.convert_to_numpy(MixtureLatent(4, scale=10.0)(z))
    assert out.shape == z.shape
    np.testing.assert_array_equal(out[:, :8], z[:, :8])
    expected = np.zeros((6, 4), "float32")
    expected[np.arange(6), z[:, 8:].argmax(1)] = 10.0
    np.testing.assert_array_equal(out[:, 8:], expected)
    np.testing.assert_array_equal(component_of(z, 4), z[:, 8:].argmax(1))


def test_zero_noise_chooses_the_first_piece_whatever_the_signs_of_its_zeros():
    z = _noise(8) * 0.0  # truncation psi = 0: +0.0 and -0.0 mixed
    assert np.signbit(z[:, 8:]).any() and not np.signbit(z[:, 8:]).all()
    out = keras.ops.convert_to_numpy(MixtureLatent(4)(z))
    np.testing.assert_array_equal(out[:, 8:], np.tile([10.0, 0.0, 0.0, 0.0], (8, 1)))


def test_standard_normal_noise_chooses_every_piece_equally_often():
    counts = np.bincount(component_of(_noise(20000, seed=1), 10), minlength=10) / 20000
    # Multinomial(20000, 0.1): one standard deviation is 0.0021; allow over 4.
    assert np.all(np.abs(counts - 0.1) < 0.009), counts


def test_a_generator_with_pieces_round_trips_through_a_keras_file(tmp_path):
    g = networks.dcgan_generator(20, (28, 28, 1), base_filters=8, dense_units=32, mixture_components=5)
    assert isinstance(g.get_layer("mixture_latent"), MixtureLatent)
    z = _noise(3, width=20)
    g.save(tmp_path / "g.keras")
    loaded = keras.models.load_model(tmp_path / "g.keras")
    layer = loaded.get_layer("mixture_latent")
    assert (layer.components, layer.scale) == (5, 10.0)
    np.testing.assert_allclose(loaded.predict(z, verbose=0), g.predict(z, verbose=0), atol=1e-6)


def test_the_piece_changes_the_image_and_the_default_generator_has_no_pieces():
    keras.utils.set_random_seed(0)
    g = networks.dcgan_generator(20, (28, 28, 1), base_filters=8, dense_units=32, mixture_components=5)
    z = _noise(1, width=20)
    other = z.copy()
    other[0, -5:] = np.roll(z[0, -5:], 1)  # the same values, another argmax: another piece
    assert component_of(other, 5)[0] != component_of(z, 5)[0]
    image, moved = g.predict(z, verbose=0), g.predict(other, verbose=0)
    # Untrained DCGAN outputs are tiny (weights ~ N(0, 0.02)); the piece moves them by their own size.
    assert np.abs(moved - image).max() > 0.5 * np.abs(image).max() > 0
    plain = networks.dcgan_generator(20, (28, 28, 1), base_filters=8)
    assert not any(isinstance(layer, MixtureLatent) for layer in plain.layers)


@pytest.mark.parametrize("kwargs, message", [
    (dict(components=1), "components must be an integer >= 2; got 1"),
    (dict(components=2.5), "components must be an integer >= 2; got 2.5"),
    (dict(components=4, scale=0), "scale must be a finite number > 0; got 0"),
    (dict(components=4, scale=float("inf")), "scale must be a finite number > 0; got inf"),
])
def test_bad_settings_are_refused_with_the_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MixtureLatent(**kwargs)


def test_noise_too_narrow_for_the_pieces_is_refused_when_building():
    with pytest.raises(ValueError, match="more than components=10 .* got latent_dim=10"):
        networks.dcgan_generator(10, (28, 28, 1), base_filters=8, mixture_components=10)


def test_the_mlp_generator_takes_pieces_without_new_weights(tmp_path):
    keras.utils.set_random_seed(0)
    g = networks.mlp_generator(20, (6, 6, 1), hidden_units=(16, 32), batch_norm=True, mixture_components=5)
    assert g.count_params() == networks.mlp_generator(20, (6, 6, 1), hidden_units=(16, 32), batch_norm=True).count_params()
    z = _noise(2, width=20)
    other = z.copy()
    other[:, -5:] = np.roll(z[:, -5:], 1, axis=1)
    # The piece enters the first Dense at height 10: the outputs move (tanh of width-16 activations).
    assert np.abs(g.predict(other, verbose=0) - g.predict(z, verbose=0)).max() > 0.05
    g.save(tmp_path / "g.keras")
    loaded = keras.models.load_model(tmp_path / "g.keras")
    assert loaded.get_layer("mixture_latent").components == 5
    np.testing.assert_allclose(loaded.predict(z, verbose=0), g.predict(z, verbose=0), atol=1e-6)
