"""WGAN (Arjovsky et al. 2017): Wasserstein losses, a weight-clipped critic, critic batches."""

import keras
import numpy as np
import pytest

import kgan
from kgan import networks
from tests import factories as f
from tests import toy


def make(compile=True, **kwargs):
    g = networks.mlp_generator(f.LATENT, f.IMAGE_SHAPE, hidden_units=(16,), batch_norm=True)
    d = networks.mlp_discriminator(f.IMAGE_SHAPE, hidden_units=(16,), dropout=0.0)
    model = kgan.WGAN(g, d, **kwargs)
    if compile:
        model.compile(g_optimizer=keras.optimizers.RMSprop(5e-3), d_optimizer=keras.optimizers.RMSprop(5e-3))
    return model


def critic_extremes(model):
    return max(float(np.abs(keras.ops.convert_to_numpy(w)).max()) for w in model.discriminator.trainable_weights)


def test_fit_logs_counts_updates_and_clips_every_critic_weight():
    model = make(n_critic=5, clip_value=0.02)
    assert critic_extremes(model) > 0.3  # initial weights lie far outside the interval
    history = model.fit(f.images(160), batch_size=16, epochs=2, verbose=0)  # 2 steps of 5 critic batches
    assert set(history.history) == {"d_loss", "g_loss", "loss", "wasserstein"}
    for values in history.history.values():
        assert np.all(np.isfinite(values))
    np.testing.assert_allclose(history.history["wasserstein"], -np.array(history.history["d_loss"]), rtol=1e-5)
    assert int(model.g_optimizer.iterations) == 4 and int(model.d_optimizer.iterations) == 20
    assert critic_extremes(model) == pytest.approx(0.02)  # clipped, not shrunk towards zero


def test_clipping_overrides_the_layers_own_constraints():
    g = networks.mlp_generator(f.LATENT, f.IMAGE_SHAPE, hidden_units=(16,))
    images = keras.Input(f.IMAGE_SHAPE)
    h = keras.layers.Flatten()(images)
    h = keras.layers.Dense(16, kernel_constraint=keras.constraints.MaxNorm(5.0), activation="relu")(h)
    d = keras.Model(images, keras.layers.Dense(1)(h))
    model = kgan.WGAN(g, d, n_critic=2, clip_value=0.005)
    model.compile(g_optimizer=keras.optimizers.RMSprop(1e-3), d_optimizer=keras.optimizers.RMSprop(1e-3))
    model.fit(f.images(32), batch_size=8, epochs=1, verbose=0)
    assert critic_extremes(model) <= 0.005 + 1e-7


def test_critic_loss_is_mean_fake_minus_mean_real():
    # A frozen generator and a critic that outputs the mean pixel value: with real images at 0.5
    # and a generator whose tanh output is 0 (zero weights), d_loss = 0 - 0.5.
    g = networks.mlp_generator(f.LATENT, f.IMAGE_SHAPE, hidden_units=(4,))
    for w in g.weights:
        w.assign(np.zeros(w.shape, "float32"))
    g.trainable = False
    images = keras.Input(f.IMAGE_SHAPE)
    flat = keras.layers.Flatten()(images)
    d = keras.Model(images, keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(1 / 16),
                                               bias_initializer="zeros", trainable=False)(flat))
    model = kgan.WGAN(g, d, n_critic=1, clip_value=1.0)
    model.compile(g_optimizer=keras.optimizers.RMSprop(1e-3), d_optimizer=keras.optimizers.RMSprop(1e-3))
    history = model.fit(np.full((8,) + f.IMAGE_SHAPE, 0.5, "float32"), batch_size=8, epochs=1, verbose=0)
    assert history.history["d_loss"][0] == pytest.approx(-0.5, abs=1e-6)
    assert history.history["wasserstein"][0] == pytest.approx(0.5, abs=1e-6)
    assert history.history["g_loss"][0] == pytest.approx(0.0, abs=1e-6)


def test_config_and_keras_file_round_trip(tmp_path):
    model = make(n_critic=3, clip_value=0.05, seed=4, ema_decay=0.9, augment="translation")
    assert model.ema_generator is not None and model.augmentation is not None
    model.fit(f.images(48), batch_size=8, epochs=1, verbose=0, shuffle=False)
    config = model.get_config()
    assert (config["n_critic"], config["clip_value"], config["ema_decay"]) == (3, 0.05, 0.9)
    assert kgan.WGAN.from_config(model.get_config()).get_config() == config
    path = str(tmp_path / "wgan.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is kgan.WGAN and loaded.compiled
    assert int(loaded.d_optimizer.iterations) == int(model.d_optimizer.iterations) == 6
    np.testing.assert_array_equal(model.generate(4, seed=1), loaded.generate(4, seed=1))
    model.fit(f.images(48), batch_size=8, epochs=1, verbose=0, shuffle=False)
    loaded.fit(f.images(48), batch_size=8, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(f.all_weights(model), f.all_weights(loaded)):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_adaptive_augmentation_reads_the_real_logits():
    model = make(n_critic=2, augment=kgan.augment.AdaptiveAugment(interval=1, speed=100, initial_p=0.2))
    history = model.fit(f.images(64), batch_size=8, epochs=1, verbose=0)
    assert history.history["ada_p"][-1] != pytest.approx(0.2)


@pytest.mark.parametrize("clip_value", [0, -0.01, None, "0.01", True])
def test_bad_clip_value_raises_before_training(clip_value):
    with pytest.raises(ValueError, match=f"clip_value must be a number > 0.*got {clip_value!r}"):
        make(compile=False, clip_value=clip_value)


@pytest.mark.parametrize("n_critic", [0, -1, 2.5, "5"])
def test_bad_n_critic_raises_before_training(n_critic):
    with pytest.raises(ValueError, match=f"n_critic must be an integer >= 1, got {n_critic!r}"):
        make(compile=False, n_critic=n_critic)


# --------------------------------------------------------------------------- the ring


def train_ring_wgan(seed, epochs=20):
    """Weight-clipping WGAN on the 8-Gaussians ring (radius 2, std 0.05, 20,000 points): MLPs of
    two hidden layers of 128 (ReLU generator, LeakyReLU(0.2) critic), latent size 2,
    ``n_critic=5``, batch 64 per critic update (62 generator updates an epoch), RMSprop(5e-4)
    for both networks, ``clip_value=0.1``.

    The paper's RMSprop(5e-5) and ``clip_value=0.01`` (made for images) are too slow and too
    tight for this 2-D task (TensorFlow, seed 0, 2,976 generator updates): the cloud reached a
    mean radius of only 1.48 (spread 0.73) at 5e-5; at 2e-4 and 5e-4 with ``c=0.01`` it sat
    at 1.73-1.90 with a spread of 0.6-0.7 and at most 2 modes. ``c=0.1`` lets the critic
    shape the ring: at 5e-4, 8 modes and a mean radius of 2.02 after 744 updates.
    """
    keras.utils.set_random_seed(seed)
    g, d = toy.ring_networks()
    model = kgan.WGAN(g, d, n_critic=5, clip_value=0.1)
    model.compile(g_optimizer=keras.optimizers.RMSprop(5e-4), d_optimizer=keras.optimizers.RMSprop(5e-4))
    x, _ = toy.ring(20000, seed=seed, std=0.05)
    model.fit(x, batch_size=64, epochs=epochs, verbose=0)
    return model


# Measured once per seed on TensorFlow after 20 epochs (1,240 generator updates): mean distance
# from the origin, mean |distance - 2|, modes covered of 8 and share of samples within 0.3 of a mode.
# With XLA off (Keras's CPU default) and one critic call on real and fake together (2026-12-01):
RING_SEEDS = {
    0: (2.005, 0.088, 8, 0.66), 1: (2.052, 0.093, 8, 0.68), 2: (2.059, 0.112, 8, 0.70),
    3: (1.990, 0.072, 8, 0.72), 4: (2.018, 0.083, 8, 0.71), 5: (2.020, 0.354, 5, 0.26),
    6: (1.982, 0.094, 8, 0.69), 7: (2.006, 0.082, 8, 0.69), 8: (1.995, 0.079, 8, 0.73),
    9: (2.023, 0.129, 8, 0.61),
}
# Seed 5 is slow to tighten (0.203 after 30 epochs, 0.165 after 40; with XLA on, 0.203 after 20).
# For scale: an isotropic cloud with mean radius 2 has a mean |distance - 2| of about 0.83.


# ~11 s a seed on TensorFlow and JAX here. On PyTorch (eager) 500-600 s on this 2-core machine
# while other jobs ran (torch's two intra-op threads contend for the cores; with
# torch.set_num_threads(1), ~40 s): there it runs with the slow tests.
@pytest.mark.parametrize("seed", [0, 5])  # 5 is the loosest circle of seeds 0-9
@(pytest.mark.slow if keras.backend.backend() == "torch" else (lambda test: test))
def test_wgan_moves_its_samples_onto_the_circle(seed):
    model = train_ring_wgan(seed)
    assert int(model.g_optimizer.iterations) == 20 * (20000 // (64 * 5))
    samples = model.generate(2000, seed=1)
    assert np.isfinite(samples).all()
    radius = np.linalg.norm(samples, axis=1)
    assert abs(radius.mean() - 2.0) < 0.3  # measured 1.982-2.059 on seeds 0-9
    assert np.abs(radius - 2.0).mean() < 0.45  # on the circle, not a cloud around it: 0.072-0.354
