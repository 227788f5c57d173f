"""ModeMonitor flags a collapsed GAN (and stops it on request) but not a real-like one.

The stand-ins are real kgan.GANs trained by `fit` whose generator ignores training: a layer that
maps noise z to PATTERNS[argmax z[:4]] + 0.1 z[4:] (real-like: the same law as the real images)
or to PATTERNS[0] alone (collapsed); a trainable Dense path multiplied by 0 gives the optimizer
something to hold. The classifier's logits are the mean brightness of the four 2x2 quadrants,
so every class assignment is known by hand.
"""

import csv
import warnings

import keras
import numpy as np
import pytest
from keras import ops

import kgan
from kgan import networks
from kgan.metrics.mode_monitor import ModeCollapseWarning, ModeMonitor
from tests import factories as f

SHAPE, K, LATENT, N = (4, 4, 1), 4, 4 + 16, 1000
# Class c: quadrant c (row-major over the 2x2 quadrants) at 0.6, the others at -0.6.
PATTERNS = np.full((K, 2, 2, 2, 2), -0.6, "float32")  # (class, R, r, C, c): pixel (2R+r, 2C+c)
for _c in range(K):
    PATTERNS[_c, _c // 2, :, _c % 2, :] = 0.6
PATTERNS = PATTERNS.reshape(K, 16)


def real_images(n=N, seed=0):
    noise = np.random.default_rng(seed).standard_normal((n, 16))
    return np.clip(PATTERNS[np.arange(n) % K] + 0.1 * noise, -1, 1).reshape((n,) + SHAPE).astype("float32")


def quadrant_means(images):
    return images.reshape(len(images), 2, 2, 2, 2).mean(axis=(2, 4)).reshape(len(images), K)


def flatten(images):
    return np.reshape(images, (len(images), -1))


class PatternGenerator(keras.layers.Layer):
    def __init__(self, collapsed, **kwargs):
        super().__init__(**kwargs)
        self.collapsed = collapsed
        self.dense = keras.layers.Dense(16)

    def build(self, input_shape):
        self.dense.build(input_shape)

    def call(self, z):
        patterns = ops.convert_to_tensor(PATTERNS)
        if self.collapsed:
            x = ops.zeros_like(z[:, 4:]) + patterns[0]
        else:
            x = ops.matmul(ops.one_hot(ops.argmax(z[:, :K], axis=1), K), patterns) + 0.1 * z[:, 4:]
        x = ops.clip(x, -1.0, 1.0) + 0.0 * self.dense(z)
        return ops.reshape(x, (-1,) + SHAPE)


def make_gan(collapsed):
    z = keras.Input((LATENT,))
    generator = keras.Model(z, PatternGenerator(collapsed)(z))
    gan = kgan.GAN(generator, networks.mlp_discriminator(SHAPE, hidden_units=(8,), dropout=0.0))
    gan.compile(**f.optimizers())
    return gan


def classifier():
    return keras.Sequential([keras.Input(SHAPE), keras.layers.AveragePooling2D(2), keras.layers.Flatten()])


def fit(gan, monitor, epochs=2, extra=()):
    return gan.fit(real_images(), batch_size=500, epochs=epochs, verbose=0, callbacks=[monitor, *extra])


NETWORKS = {"both": (flatten, classifier), "classifier": (None, classifier), "features": (flatten, None)}


@pytest.mark.parametrize("networks_given", sorted(NETWORKS))
def test_collapsed_generator_is_flagged_with_hand_computed_figures(networks_given):
    extractor, make_classifier = NETWORKS[networks_given]
    monitor = ModeMonitor(real_images(), extractor, make_classifier() if make_classifier else None, n=N)
    with pytest.warns(ModeCollapseWarning, match="near-duplicates"):
        history = fit(make_gan(collapsed=True), monitor).history
    assert history["mode_duplicates"] == [1.0, 1.0]  # every sample is the same image
    real = real_images()
    space = quadrant_means if extractor is None else flatten  # logits without a feature extractor
    features, constant = space(real).astype("float64"), space(PATTERNS[:1].reshape((1,) + SHAPE))[0]
    fd = np.sum((features.mean(axis=0) - constant) ** 2) + np.trace(np.cov(features.T))
    np.testing.assert_allclose(history["mode_fd"], [fd, fd], rtol=1e-5)
    if make_classifier is None:
        assert "mode_classes" not in history
    else:
        assert history["mode_classes"] == [1, 1]
        assert history["mode_min_share"] == [0.0, 0.0] and history["mode_max_share"] == [1.0, 1.0]
        assert monitor.real_figures["mode_classes"] == K  # the default requirement: all 4 classes


def test_real_like_generator_and_real_data_are_not_flagged():
    monitor = ModeMonitor(real_images(), flatten, classifier(), n=N, seed=3, stop_on_collapse=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModeCollapseWarning)
        history = fit(make_gan(collapsed=False), monitor, epochs=3).history
        assert monitor.problems(monitor.measure(real_images(seed=1))) == []  # fresh real images
    assert len(history["g_loss"]) == 3  # stop_on_collapse did not fire
    z = np.random.default_rng(3).standard_normal((N, LATENT))  # generate()'s noise for seed=3
    shares = np.bincount(z[:, :K].argmax(axis=1), minlength=K) / N
    assert history["mode_classes"] == [K] * 3
    assert history["mode_min_share"] == [shares.min()] * 3 and history["mode_max_share"] == [shares.max()] * 3
    assert monitor.real_figures["mode_duplicates"] == 0.01  # threshold: the real 1 % quantile
    assert max(history["mode_duplicates"]) <= 0.05  # the limit: 5 x the real share
    collapsed = ModeMonitor(real_images(), flatten, n=N)
    collapsed.set_model(make_gan(collapsed=True))
    assert max(history["mode_fd"]) < 0.1 * collapsed.measure()["mode_fd"]


def test_stop_on_collapse_ends_fit():
    monitor = ModeMonitor(real_images(), flatten, classifier(), n=N, every=2, stop_on_collapse=True)
    with pytest.warns(ModeCollapseWarning, match="1 classes covered.*stopping training"):
        history = fit(make_gan(collapsed=True), monitor, epochs=4)
    assert len(history.history["g_loss"]) == 1  # measured after the first epoch, then stopped


def test_figures_reach_history_and_csv_logger(tmp_path):
    path = tmp_path / "log.csv"
    monitor = ModeMonitor(real_images(), flatten, classifier(), n=N, every=2)
    history = fit(make_gan(collapsed=False), monitor, epochs=3, extra=[keras.callbacks.CSVLogger(str(path))]).history
    keys = ["mode_classes", "mode_min_share", "mode_max_share", "mode_duplicates", "mode_fd"]
    assert all(len(history[k]) == 2 for k in keys)  # epochs 1 (first) and 2 (every=2), not 3
    rows = list(csv.DictReader(open(path)))
    assert len(rows) == 3
    for key in keys:
        assert [float(r[key]) for r in rows[:2]] == pytest.approx(history[key]) and rows[2][key] == "NA"


def test_runs_on_a_conditional_model():
    monitor = ModeMonitor(f.images(64), flatten, n=30)
    with warnings.catch_warnings():  # the untrained generator's samples do lie close together
        warnings.simplefilter("ignore", ModeCollapseWarning)
        model = f.make("cgan")
        history = model.fit(**f.data("cgan", 32), batch_size=16, epochs=1, verbose=0, callbacks=[monitor]).history
    assert 0.0 <= history["mode_duplicates"][0] <= 1.0 and np.isfinite(history["mode_fd"][0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_use_ema_false_measures_the_raw_generator_and_the_default_the_average(seed):
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential([keras.Input((LATENT,)), keras.layers.Dense(16, activation="tanh"),
                                  keras.layers.Reshape(SHAPE)])
    gan = kgan.GAN(generator, networks.mlp_discriminator(SHAPE, hidden_units=(8,), dropout=0.0), ema_decay=0.9)
    gan.ema_generator.set_weights([np.zeros_like(w) for w in gan.ema_generator.get_weights()])  # one image
    figures = {}
    for use_ema in (True, False):
        monitor = ModeMonitor(real_images(), flatten, n=N, use_ema=use_ema, prefix=f"ema_{use_ema}_")
        monitor.set_model(gan)
        monitor.on_train_begin()
        figures.update(monitor.measure())
        assert monitor.get_config()["use_ema"] is use_ema
    assert figures["ema_True_duplicates"] == 1.0  # the average draws the same (zero) image every time
    assert figures["ema_False_duplicates"] <= 0.05  # the raw network's tanh(z W + b) spreads out


def test_use_ema_false_needs_a_model_whose_generate_takes_it():
    from tests.test_vae import make as make_vae
    monitor = ModeMonitor(real_images(), flatten, n=N, use_ema=False)
    monitor.set_model(make_vae())
    with pytest.raises(ValueError, match="use_ema=False samples the raw generator; VAE.generate"):
        monitor.on_train_begin()
    with pytest.raises(ValueError, match="use_ema must be True or False; got 'no'"):
        ModeMonitor(real_images(), flatten, use_ema="no")


@pytest.mark.parametrize("kwargs, message", [
    ({}, "feature_extractor, a classifier or both"),
    ({"feature_extractor": 3}, "feature_extractor must be"),
    ({"feature_extractor": flatten, "every": 0}, "every must be an integer >= 1; got 0"),
    ({"feature_extractor": flatten, "every": 1.5}, "every must be an integer >= 1; got 1.5"),
    ({"feature_extractor": flatten, "n": 1}, "n must be an integer >= 2; got 1"),
    ({"feature_extractor": flatten, "n": N + 1}, f"hold {N} images; need at least n={N + 1}"),
    ({"feature_extractor": flatten, "min_classes": 2}, "pass a classifier"),
    ({"feature_extractor": flatten, "duplicate_quantile": 1.0}, r"duplicate_quantile must lie in \(0, 1\); got 1.0"),
    ({"feature_extractor": flatten, "duplicate_factor": 0}, "duplicate_factor must be > 0; got 0"),
])
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ModeMonitor(real_images(), **kwargs)


@pytest.mark.parametrize("real, kwargs, message", [
    (np.zeros((N, 5, 5, 1), "float32"), {}, r"real images have shape \(5, 5, 1\), fake images have shape \(4, 4, 1\)"),
    (real_images() * 100, {}, r"real images must lie in \[-1.0, 1.0\]"),
    (real_images(), {"min_classes": 5}, "min_classes=5 exceeds the classifier's 4 classes"),
])
def test_bad_real_images_or_settings_raise_before_training(real, kwargs, message):
    gan = make_gan(collapsed=False)
    with pytest.raises(ValueError, match=message):
        fit(gan, ModeMonitor(real, flatten, classifier(), n=N, **kwargs))
    assert int(gan.g_optimizer.iterations) == 0  # no training step ran
