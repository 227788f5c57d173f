"""Differentiable augmentation (``augment=``): DiffAugment's transforms and adaptive ADA."""

import keras
import numpy as np
import pytest
from keras import ops

import kgan
from kgan import augment
from tests import factories as f


def batch(n=16, side=12, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, side, side, channels)).astype("float32")


def run(transform, x, seed=7, **kwargs):
    return ops.convert_to_numpy(transform(ops.convert_to_tensor(x), seed=keras.random.SeedGenerator(seed), **kwargs))


@pytest.mark.parametrize("name", augment.TRANSFORMS)
def test_identity_at_probability_zero(name):
    x = batch()
    np.testing.assert_array_equal(run(augment.apply_policy, x, transforms=(name,), probability=0.0), x)


@pytest.mark.parametrize("transform", [augment.translation, augment.cutout])
def test_geometric_transforms_are_the_identity_at_zero_strength(transform):
    x = batch()
    np.testing.assert_allclose(run(transform, x, ratio=0.0), x, atol=1e-6)


@pytest.mark.parametrize("name", augment.TRANSFORMS)
def test_shape_kept_and_repeatable_with_a_seed(name):
    x = batch()
    a = run(augment.apply_policy, x, transforms=(name,))
    assert a.shape == x.shape
    np.testing.assert_array_equal(a, run(augment.apply_policy, x, transforms=(name,)))
    assert np.abs(a - run(augment.apply_policy, x, seed=8, transforms=(name,))).max() > 1e-3


def test_translation_moves_whole_images_by_at_most_an_eighth():
    x = np.zeros((64, 16, 16, 1), "float32")
    x[:, 8, 8, 0] = 1.0  # one bright pixel
    y = run(augment.translation, x)
    shifts = set()
    for image in y[..., 0]:
        (rows, cols) = np.nonzero(image)
        assert len(rows) == 1 and image[rows[0], cols[0]] == 1.0  # moved, not blurred (2 px: never out)
        shifts.add((rows[0] - 8, cols[0] - 8))
    assert max(max(abs(a), abs(b)) for a, b in shifts) == 2  # 16 / 8 = 2, reached in 64 draws
    assert len(shifts) > 10


def test_cutout_zeroes_one_clipped_square_of_half_the_side():
    y = run(augment.cutout, np.ones((64, 16, 16, 1), "float32"))
    assert set(np.unique(y)) <= {0.0, 1.0}
    for image in y[..., 0]:
        rows, cols = np.nonzero(image == 0)
        height, width = rows.max() - rows.min() + 1, cols.max() - cols.min() + 1
        assert len(rows) == height * width  # one rectangle
        assert 4 <= height <= 8 and 4 <= width <= 8  # 8 = half the side, clipped by at most half
    assert (y == 0).sum(axis=(1, 2, 3)).max() == 64


def test_colour_transforms_stay_within_their_documented_ranges():
    x = batch()
    shift = run(augment.brightness, x) - x
    assert np.allclose(shift, shift[:, :1, :1, :1], atol=1e-6) and np.abs(shift).max() <= 0.5  # one offset per image
    grey = np.repeat(x[..., :1], 3, axis=-1)
    np.testing.assert_allclose(run(augment.saturation, grey), grey, atol=1e-6)  # grey has no saturation
    y = run(augment.contrast, x)
    ratio = (y - y.mean(axis=(1, 2, 3), keepdims=True)) / (x - x.mean(axis=(1, 2, 3), keepdims=True))
    assert 0.5 - 1e-3 <= ratio.min() and ratio.max() <= 1.5 + 1e-3


def _generator_change(augmentation):
    """How far one step moves the generator when its only signal passes through ``augmentation``."""
    model = f.make("gan", compile=False, seed=3, augment=augmentation)
    model.compile(g_optimizer=keras.optimizers.SGD(1.0), d_optimizer=keras.optimizers.SGD(0.0))
    before = [ops.convert_to_numpy(w) for w in model.generator.trainable_weights]
    model.fit(f.images(8), batch_size=8, epochs=1, verbose=0)
    after = [ops.convert_to_numpy(w) for w in model.generator.trainable_weights]
    return max(np.abs(a - b).max() for a, b in zip(before, after))


def test_a_gradient_reaches_the_generator_through_the_augmentation():
    # Every transform in one policy: a non-differentiable one anywhere in the chain would
    # leave the generator without a gradient.
    assert _generator_change("color,translation,cutout") > 1e-6
    # The control: an augmentation that passes no gradient (zero on every backend) moves nothing.
    assert _generator_change(lambda images: 0.0 * images) == 0.0


def test_ada_probability_rises_against_a_confident_discriminator_and_falls_at_chance():
    layer = augment.AdaptiveAugment(interval=2, speed=1000, initial_p=0.5)
    for _ in range(4):
        layer.update(ops.ones((100, 1)) * 5.0)  # calls every real image real: E[sign] = 1 > 0.6
    assert float(ops.convert_to_numpy(layer.p)) == pytest.approx(0.5 + 2 * 200 / 1000)
    for _ in range(8):
        layer.update(ops.convert_to_tensor(np.tile([[3.0], [-3.0]], (50, 1))))  # chance: E[sign] = 0
    assert float(ops.convert_to_numpy(layer.p)) == pytest.approx(0.9 - 4 * 200 / 1000)
    for _ in range(20):
        layer.update(ops.ones((100, 1)) * -1.0)
    assert float(ops.convert_to_numpy(layer.p)) == 0.0  # clipped to [0, 1]


@pytest.mark.parametrize("kind", ["gan", "wgangp"])
def test_ada_trains_logs_p_and_round_trips(kind, tmp_path):
    model = f.make(kind, seed=2, augment=augment.AdaptiveAugment(interval=1, speed=100, initial_p=0.2))
    batches_per_step = 5 if kind == "wgangp" else 1  # n_critic=5
    history = model.fit(**f.data(kind, n=8 * batches_per_step * 4), batch_size=8, epochs=2, verbose=0)
    p = float(ops.convert_to_numpy(model.augmentation.p))
    assert history.history["ada_p"][-1] == pytest.approx(p)
    assert p != pytest.approx(0.2)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.augmentation, augment.AdaptiveAugment)
    assert float(ops.convert_to_numpy(loaded.augmentation.p)) == pytest.approx(p)
    assert loaded.augmentation.speed == 100


@pytest.mark.parametrize("kind", ["gan", "cgan"])
def test_diffaugment_policy_round_trips_and_labels_pass_through(kind, tmp_path):
    model = f.make(kind, seed=2, augment="translation,color")
    model.fit(**f.data(kind, n=16), batch_size=8, epochs=1, verbose=0)
    assert model.get_config()["augment"] == "brightness,saturation,contrast,translation"
    path = str(tmp_path / "m.keras")
    model.save(path)
    assert keras.saving.load_model(path).augmentation.transforms == model.augmentation.transforms


def test_a_keras_layer_can_be_the_augmentation():
    model = f.make("gan", seed=2, augment=keras.layers.RandomFlip("horizontal", seed=1))
    history = model.fit(f.images(16), batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])


@pytest.mark.parametrize("bad", ["rotate", "color,zoom", ","])
def test_unknown_names_raise_and_list_the_valid_ones(bad):
    with pytest.raises(ValueError, match="translation"):
        f.make("gan", augment=bad)


def test_bad_ada_settings_raise():
    for kwargs in ({"target": 1.5}, {"interval": 0}, {"speed": 0}, {"initial_p": -0.1}):
        with pytest.raises(ValueError):
            augment.AdaptiveAugment(**kwargs)
    with pytest.raises(ValueError, match="augment must be"):
        f.make("gan", augment=3)


def test_kgan_exposes_the_module():
    assert kgan.augment.DiffAugment is augment.DiffAugment
