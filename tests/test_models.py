"""Training through fit: logs, both optimizers, schedules, sampling, configuration."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import kgan
from kgan import networks
from tests import factories as f

KINDS = ["gan", "cgan", "wgangp"]


@pytest.mark.parametrize("kind", KINDS)
def test_fit_logs_and_advances_both_optimizers(kind):
    model = f.make(kind)
    d_per_g = 5 if kind == "wgangp" else 1  # n_critic=5: each critic update has its own batch of 16
    history = model.fit(**f.data(kind, n=64 * d_per_g), batch_size=16, epochs=2, verbose=0)
    expected = {"d_loss", "g_loss", "loss"} | ({"wasserstein", "gp"} if kind == "wgangp" else set())
    assert set(history.history) == expected
    for values in history.history.values():
        assert np.all(np.isfinite(values))
    steps = 2 * 4
    assert int(model.g_optimizer.iterations) == steps
    assert int(model.d_optimizer.iterations) == steps * d_per_g


def test_d_steps_give_each_discriminator_update_its_own_batch():
    model = f.make("gan", d_steps=2)
    model.fit(f.images(64), batch_size=16, epochs=1, verbose=0)  # 64 // (16 * 2) generator updates
    assert int(model.g_optimizer.iterations) == 2
    assert int(model.d_optimizer.iterations) == 4


@pytest.mark.parametrize("loss", ["minimax", "non_saturating", "least_squares", "hinge"])
def test_every_loss_trains(loss):
    model = f.make("gan", loss=loss, label_smoothing=0.0 if loss == "hinge" else 0.1)
    history = model.fit(f.images(32), batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])


def test_fit_accepts_tf_data_and_label_tuples():
    gan = f.make("gan")
    gan.fit(tf.data.Dataset.from_tensor_slices(f.images(32)).batch(8), epochs=1, verbose=0)
    assert int(gan.g_optimizer.iterations) == 4
    cgan = f.make("cgan")
    pairs = tf.data.Dataset.from_tensor_slices((f.images(32), f.labels(32))).batch(8)
    cgan.fit(pairs, epochs=1, verbose=0)
    cgan.fit(x=(f.images(32), f.labels(32)), batch_size=8, epochs=1, verbose=0)
    assert int(cgan.g_optimizer.iterations) == 8


def test_latent_dim_defaults_to_generator_input_and_is_checked():
    model = f.make("gan", compile=False)
    assert model.latent_dim == f.LATENT
    with pytest.raises(ValueError, match="latent_dim=7 does not match.*3"):
        kgan.GAN(model.generator, model.discriminator, latent_dim=7)


def test_generate_same_seed_same_images():
    model = f.make("gan")
    a, b, c = model.generate(10, seed=3), model.generate(10, seed=3), model.generate(10, seed=4)
    assert a.shape == (10,) + f.IMAGE_SHAPE and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).max() > 1e-3
    assert a.min() >= -1 and a.max() <= 1


def test_generate_does_not_touch_training_noise():
    model = f.make("gan")
    state = keras.ops.convert_to_numpy(model.seed_generator.state)
    model.generate(5, seed=0)
    np.testing.assert_array_equal(state, keras.ops.convert_to_numpy(model.seed_generator.state))


def test_conditional_generate_uses_labels():
    model = f.make("cgan")
    by_label = [model.generate(4, labels=[k], seed=0) for k in range(f.CLASSES)]
    assert np.abs(by_label[0] - by_label[1]).max() > 1e-4
    balanced = model.generate(6, seed=0)
    np.testing.assert_array_equal(balanced, model.generate(6, labels=[0, 1, 2, 0, 1, 2], seed=0))
    assert np.abs(balanced - model.generate(6, labels=[0], seed=0)).max() > 1e-4
    with pytest.raises(ValueError, match="Label 3 is outside"):
        model.generate(2, labels=[0, 3])
    with pytest.raises(ValueError, match="not conditional"):
        f.make("gan").generate(2, labels=[0, 1])


def test_seeded_training_is_repeatable():
    results = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        model = f.make("wgangp", seed=11)
        model.fit(f.images(80), batch_size=8, epochs=1, verbose=0, shuffle=False)
        results.append(f.all_weights(model))
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", KINDS)
def test_config_round_trip(kind):
    extra = {"wgangp": {"n_critic": 3, "gp_weight": 5.0, "drift_weight": 1e-3}, "gan": {"loss": "hinge", "d_steps": 2, "r1_weight": 2.0}}
    model = f.make(kind, compile=False, **extra.get(kind, {}))
    clone = type(model).from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    noise = np.zeros((2, f.LATENT), "float32")
    clone.generator.set_weights(model.generator.get_weights())
    inputs = [noise, np.array([0, 1])] if kind == "cgan" else noise
    np.testing.assert_allclose(keras.ops.convert_to_numpy(clone(inputs)), keras.ops.convert_to_numpy(model(inputs)), atol=1e-6)


def test_wasserstein_estimate_grows_as_critic_learns():
    # Real data at +0.9, fake samples start near 0: a critic must separate them.
    model = f.make("wgangp", n_critic=5)
    model.generator.trainable = False
    real = np.full((400,) + f.IMAGE_SHAPE, 0.9, "float32")
    history = model.fit(real, batch_size=16, epochs=8, verbose=0)  # 5 steps of 5 critic batches
    estimates = history.history["wasserstein"]
    assert estimates[-1] > estimates[0] + 0.5
    assert all(np.isfinite(history.history["gp"]))


def test_r1_penalty_adds_gamma_half_squared_gradient_norm_to_d_loss():
    # A linear discriminator D(x) = <w, x> + b has input gradient w on every real image, so R1
    # is exactly ||w||^2; with the same seed the fake batch and the base loss are unchanged.
    w = np.random.default_rng(1).normal(size=(int(np.prod(f.IMAGE_SHAPE)), 1)).astype("float32")
    logs = {}
    for gamma in (0.0, 4.0):
        inputs = keras.Input(f.IMAGE_SHAPE)
        linear = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(inputs)))
        linear.set_weights([w, np.zeros(1, "float32")])
        keras.utils.set_random_seed(0)  # same generator weights for both gammas
        generator = f.make("gan", compile=False).generator
        model = kgan.GAN(generator, linear, r1_weight=gamma, seed=3)
        model.compile(**f.optimizers())
        logs[gamma] = {k: v[0] for k, v in model.fit(f.images(16), batch_size=16, epochs=1, verbose=0).history.items()}
    assert "r1" not in logs[0.0]
    assert logs[4.0]["r1"] == pytest.approx(float(np.sum(w**2)), rel=1e-5)
    assert logs[4.0]["d_loss"] - logs[0.0]["d_loss"] == pytest.approx(2.0 * float(np.sum(w**2)), rel=1e-4)


def test_r1_step_matches_the_hand_computed_discriminator_gradient():
    # The generator draws zeros, so a linear D(x) = <w, x> + b scores every fake 0 and only the
    # real term and the penalty move w: grad_w = -mean_i sigmoid(-<w, x_i>) x_i + gamma * w.
    # One SGD step of rate 1 must move w by exactly minus that gradient.
    gamma, real = 3.0, f.images(8)
    w = np.random.default_rng(4).normal(scale=0.3, size=(int(np.prod(f.IMAGE_SHAPE)), 1)).astype("float32")
    noise = keras.Input((f.LATENT,))
    zeros = keras.layers.Dense(int(np.prod(f.IMAGE_SHAPE)), kernel_initializer="zeros")(noise)
    generator = keras.Model(noise, keras.layers.Reshape(f.IMAGE_SHAPE)(zeros))
    inputs = keras.Input(f.IMAGE_SHAPE)
    linear = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(inputs)))
    linear.set_weights([w, np.zeros(1, "float32")])
    model = kgan.GAN(generator, linear, r1_weight=gamma, seed=0)
    model.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(1.0))
    model.fit(real, batch_size=8, epochs=1, verbose=0)
    x = real.reshape(8, -1)
    sig = 1.0 / (1.0 + np.exp(x @ w))  # sigmoid(-<w, x>)
    expected = w - (-(sig * x).mean(axis=0, keepdims=True).T + gamma * w)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(linear.weights[0]), expected, rtol=1e-4, atol=1e-5)


def test_r1_trains_a_batchnorm_discriminator():
    # The penalty's forward pass updates BatchNorm statistics inside a gradient transformation
    # (on JAX, jax.grad): they must come out as values, not fail or vanish.
    g = networks.dcgan_generator(f.LATENT, (28, 28, 1), base_filters=4)
    d = networks.dcgan_discriminator((28, 28, 1), base_filters=4)
    model = kgan.GAN(g, d, r1_weight=1.0, seed=0)
    model.compile(**f.optimizers())
    batchnorm = next(layer for layer in d.layers if isinstance(layer, keras.layers.BatchNormalization))
    history = model.fit(np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype("float32"),
                        batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0]) and history.history["r1"][0] > 0
    assert np.abs(keras.ops.convert_to_numpy(batchnorm.moving_mean)).max() > 0
