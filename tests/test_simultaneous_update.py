"""``GAN(update="simultaneous")``: both gradients from one forward pass, checked by hand.

A linear generator ``G(z) = z W`` and a linear discriminator ``D(x) = x . v + b`` make the
non-saturating losses' gradients closed-form; one SGD step must move every weight by ``-lr``
times its gradient at the *initial* weights of both networks (the alternating update would
use the updated discriminator and fresh noise for the generator's step).
"""

import keras
import numpy as np
import pytest

import kgan
from kgan import networks
from tests import factories

LATENT, N, LR, SEED = 3, 16, 0.1, 3


def linear_pair():
    g = keras.Sequential([keras.Input((LATENT,)), keras.layers.Dense(16, use_bias=False), keras.layers.Reshape((4, 4, 1))])
    d = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    return g, d


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softplus(x):
    return np.log1p(np.exp(x))


def hand_step(W, v, b, real, z):
    """Losses and gradients of the non-saturating game at (W, v, b), all in NumPy."""
    x_real, fake = real.reshape(N, -1), z @ W
    d_real, d_fake = x_real @ v + b, fake @ v + b
    d_loss = softplus(-d_real).mean() + softplus(d_fake).mean()
    g_loss = softplus(-d_fake).mean()
    a_real, a_fake = -sigmoid(-d_real) / N, sigmoid(d_fake) / N  # d d_loss / d logits
    grad_v = x_real.T @ a_real + fake.T @ a_fake
    grad_b = a_real.sum() + a_fake.sum()
    grad_W = z.T @ np.outer(-sigmoid(-d_fake) / N, v)  # d g_loss / d W
    return d_loss, g_loss, grad_W, grad_v, grad_b


def test_one_simultaneous_step_matches_the_hand_computed_gradients():
    keras.utils.set_random_seed(0)
    g, d = linear_pair()
    model = kgan.GAN(g, d, update="simultaneous", seed=SEED)
    model.compile(g_optimizer=keras.optimizers.SGD(LR), d_optimizer=keras.optimizers.SGD(LR))
    W = keras.ops.convert_to_numpy(g.layers[0].kernel).astype("float64")
    v = keras.ops.convert_to_numpy(d.layers[-1].kernel).astype("float64")[:, 0]
    b = float(keras.ops.convert_to_numpy(d.layers[-1].bias)[0])
    real = factories.images(N, seed=1)
    # The model's first draw from its seed generator: the noise of this step.
    z = keras.ops.convert_to_numpy(keras.random.normal((N, LATENT), seed=keras.random.SeedGenerator(SEED)))
    d_loss, g_loss, grad_W, grad_v, grad_b = hand_step(W, v, b, real.astype("float64"), z.astype("float64"))
    assert np.abs(grad_W).max() > 1e-3 and np.abs(grad_v).max() > 1e-3  # the check has teeth

    history = model.fit(real, batch_size=N, epochs=1, shuffle=False, verbose=0).history
    np.testing.assert_allclose(history["d_loss"][0], d_loss, rtol=1e-4)
    np.testing.assert_allclose(history["g_loss"][0], g_loss, rtol=1e-4)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(g.layers[0].kernel), W - LR * grad_W, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(d.layers[-1].kernel)[:, 0], v - LR * grad_v, rtol=1e-4,
                               atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(d.layers[-1].bias)[0], b - LR * grad_b, rtol=1e-4, atol=1e-6)


def test_the_discriminator_step_is_the_alternating_one():
    """Only the generator's step differs: the same seed gives the same d_loss and D weights."""
    results = []
    for update in ("alternating", "simultaneous"):
        keras.utils.set_random_seed(7)
        model = factories.make("gan", compile=False, seed=3, update=update)
        model.compile(g_optimizer=keras.optimizers.SGD(0.1), d_optimizer=keras.optimizers.SGD(0.1))
        history = model.fit(**factories.data("gan", n=16), batch_size=16, epochs=1, shuffle=False, verbose=0)
        results.append((history.history, [keras.ops.convert_to_numpy(w) for w in model.discriminator.weights],
                        [keras.ops.convert_to_numpy(w) for w in model.generator.trainable_weights]))
    (alt_logs, alt_d, alt_g), (sim_logs, sim_d, sim_g) = results
    np.testing.assert_allclose(sim_logs["d_loss"], alt_logs["d_loss"], rtol=1e-5)
    for a, s in zip(alt_d, sim_d):
        np.testing.assert_allclose(s, a, rtol=1e-4, atol=1e-6)
    assert max(np.abs(a - s).max() for a, s in zip(alt_g, sim_g)) > 1e-5  # the generator's step differs


@pytest.mark.parametrize("kind", ["gan", "cgan"])
def test_simultaneous_training_runs_saves_and_restores_the_option(kind, tmp_path):
    model = factories.make(kind, update="simultaneous", seed=1, r1_weight=1.0 if kind == "gan" else 0.0,
                           ema_decay=0.9)
    history = model.fit(**factories.data(kind), batch_size=16, epochs=2, verbose=0).history
    assert all(np.isfinite(history[name]).all() for name in ("d_loss", "g_loss", "loss"))
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    assert restored.update == "simultaneous" and restored.updates_simultaneously
    assert restored.get_config()["update"] == "simultaneous"


def test_bad_update_options_are_refused():
    g, d = linear_pair()
    with pytest.raises(ValueError, match="simultanous"):
        kgan.GAN(g, d, update="simultanous")
    with pytest.raises(ValueError, match="d_steps=2"):
        kgan.GAN(g, d, update="simultaneous", d_steps=2)
    generator = networks.infogan_generator(4, (3,), 1, base_filters=8)
    discriminator = networks.infogan_discriminator((28, 28, 1), (3,), 1, base_filters=8, dense_units=16, q_units=8)
    with pytest.raises(ValueError, match="alternating"):
        kgan.InfoGAN(generator, discriminator, categorical=(3,), continuous=1, update="simultaneous")
