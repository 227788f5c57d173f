"""Mode seeking (``mode_seeking=``): the pairing, the penalty by hand, a generator step by hand,
its effect on a collapsed generator, and the options' checks and round trip; the same for
InfoGAN, whose generator update adds the term itself.

A linear generator ``G(z) = z W`` and a linear discriminator ``D(x) = x . v + b`` make the
non-saturating generator gradient and the penalty's gradient closed-form.
"""

import keras
import numpy as np
import pytest

import kgan
from kgan import mode_seeking
from tests import factories
from tests.factories import linear_pair, numpy

LATENT, N, LR, SEED, SCALE = 3, 16, 0.1, 3, 0.5


def test_pairs_are_nearby_copies_of_the_first_half():
    noise = np.arange(7 * 2, dtype="float32").reshape(7, 2)
    paired = numpy(mode_seeking.pair_noise(noise, 0.01, keras.random.SeedGenerator(0)))
    np.testing.assert_array_equal(paired[:3], noise[:3])
    np.testing.assert_array_equal(paired[6], noise[6])  # the odd row stays
    gaps = paired[3:6] - noise[:3]
    assert np.all(np.abs(gaps) < 0.05) and np.all(gaps != 0)
    big = numpy(mode_seeking.pair_noise(np.zeros((4000, 2), "float32"), 2.0, keras.random.SeedGenerator(1)))
    assert np.std(big[2000:]) == pytest.approx(2.0, rel=0.05)  # scale is the perturbation's std
    labels = numpy(mode_seeking.pair_labels(np.array([4, 5, 6, 7, 8])))
    assert labels.tolist() == [4, 5, 4, 5, 8]
    assert mode_seeking.pair_labels(None) is None


def test_penalty_by_hand():
    noise = np.array([[0.0, 0.0], [1.0, 2.0], [0.5, -1.0], [2.0, 2.0]], "float32")  # pairs (0, 2), (1, 3)
    images = np.array([[0.0, 0.0], [0.0, 1.0], [0.3, -0.1], [0.0, 1.0]], "float32").reshape(4, 1, 2, 1)
    ratio_0 = np.mean([0.3, 0.1]) / np.mean([0.5, 1.0])
    ratio_1 = 0.0 / np.mean([1.0, 0.0])  # identical images: only eps keeps the log finite
    expected = np.mean([-np.log(ratio_0 + mode_seeking.EPSILON), -np.log(ratio_1 + mode_seeking.EPSILON)])
    assert float(numpy(mode_seeking.penalty(noise, images))) == pytest.approx(expected, rel=1e-5)
    # the same images twice as far apart: every pair's log ratio grows by log 2
    assert float(numpy(mode_seeking.penalty(noise, 2 * images))) == pytest.approx(
        np.mean([-np.log(2 * ratio_0 + mode_seeking.EPSILON), -np.log(mode_seeking.EPSILON)]), rel=1e-5)


def generator_update_noise():
    """The paired noise of the first generator update of a model seeded ``SEED``, redrawn: the
    discriminator update's noise, the generator update's, then the nudge of its first half."""
    seeds = keras.random.SeedGenerator(SEED)
    draws = [numpy(keras.random.normal((N, LATENT), seed=seeds)) for _ in range(2)]  # D's noise, then G's
    nudge = numpy(keras.random.normal((N // 2, LATENT), seed=seeds))
    z = draws[1].astype("float64")
    return np.concatenate([z[: N // 2], z[: N // 2] + SCALE * nudge])


def test_generator_step_by_hand():
    keras.utils.set_random_seed(0)
    g, d = linear_pair()
    weight = 0.7
    model = kgan.GAN(g, d, seed=SEED, mode_seeking=weight, mode_seeking_scale=SCALE)
    model.compile(g_optimizer=keras.optimizers.SGD(LR), d_optimizer=keras.optimizers.SGD(0.0))
    W = numpy(g.layers[0].kernel).astype("float64")
    v = numpy(d.layers[-1].kernel).astype("float64")[:, 0]
    b = float(numpy(d.layers[-1].bias)[0])
    half = N // 2
    z = generator_update_noise()
    logits = z @ W @ v + b
    adversarial = np.log1p(np.exp(-logits)).mean()
    grad_adversarial = z.T @ np.outer(-1.0 / (1.0 + np.exp(logits)) / N, v)
    dz = z[:half] - z[half:]  # (pairs, latent)
    gaps = dz @ W  # image differences of the pairs, (pairs, 16)
    ratio = np.abs(gaps).mean(1) / np.abs(dz).mean(1)
    penalty = np.mean(-np.log(ratio + mode_seeking.EPSILON))
    # d(-log(r_i + eps))/dW[k, j] = -1/(r_i + eps) / mean|dz_i| * sign(gap_ij) / 16 * dz_ik, averaged over pairs
    coefficient = -1.0 / (ratio + mode_seeking.EPSILON) / np.abs(dz).mean(1) / 16 / half
    grad_penalty = dz.T @ (coefficient[:, None] * np.sign(gaps))
    assert np.abs(weight * grad_penalty).max() > 1e-3  # the term changes the step: the check has teeth

    history = model.fit(factories.images(N, seed=1), batch_size=N, epochs=1, shuffle=False, verbose=0).history
    np.testing.assert_allclose(history["g_loss"][0], adversarial + weight * penalty, rtol=1e-4)
    np.testing.assert_allclose(numpy(g.layers[0].kernel), W - LR * (grad_adversarial + weight * grad_penalty),
                               rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_collapsed_generator_spreads_out(seed):
    """A generator that maps all noise to nearly one image, against a frozen discriminator that
    rates every image alike (no adversarial gradient): with mode seeking its samples spread out;
    without, they stay where they were."""

    def spread_after_training(weight):
        keras.utils.set_random_seed(seed)
        g, d = linear_pair()
        g.layers[0].kernel.assign(0.001 * g.layers[0].kernel)  # collapsed: images barely depend on z
        d.layers[-1].kernel.assign(np.zeros((16, 1), "float32"))
        before = numpy(g(np.random.default_rng(0).standard_normal((256, LATENT)))).std(axis=0).mean()
        model = kgan.GAN(g, d, seed=seed, mode_seeking=weight)
        model.compile(g_optimizer=keras.optimizers.Adam(0.01), d_optimizer=keras.optimizers.SGD(0.0))
        model.fit(factories.images(20 * N, seed=seed), batch_size=N, epochs=1, shuffle=False, verbose=0)
        after = numpy(g(np.random.default_rng(0).standard_normal((256, LATENT)))).std(axis=0).mean()
        return after / before

    assert spread_after_training(0.0) == pytest.approx(1.0, abs=1e-3)
    assert spread_after_training(1.0) > 10.0


def test_options_are_checked_and_round_trip():
    g, d = linear_pair()
    for bad in (-0.1, float("nan"), "1", True):
        with pytest.raises(ValueError, match=r"mode_seeking must be a finite weight >= 0"):
            kgan.GAN(g, d, mode_seeking=bad)
    for bad in (0, -1.0, float("inf")):
        with pytest.raises(ValueError, match=r"mode_seeking_scale must be the finite std > 0"):
            kgan.GAN(g, d, mode_seeking=0.1, mode_seeking_scale=bad)
    with pytest.raises(ValueError, match=r"mode_seeking=0.1 pairs the noise .* update='simultaneous' has none"):
        kgan.GAN(g, d, mode_seeking=0.1, update="simultaneous")
    assert kgan.GAN(g, d, mode_seeking=np.float32(0.5)).mode_seeking == 0.5  # NumPy numbers are numbers
    model = kgan.WGANGP(g, d, mode_seeking=0.2, mode_seeking_scale=0.1)
    config = model.get_config()
    assert (config["mode_seeking"], config["mode_seeking_scale"]) == (0.2, 0.1)
    again = kgan.WGANGP.from_config(config)
    assert (again.mode_seeking, again.mode_seeking_scale) == (0.2, 0.1)
    info = kgan.InfoGAN(g, info_discriminator(), categorical=(2,), continuous=0, mode_seeking=0.3)
    assert kgan.InfoGAN.from_config(info.get_config()).mode_seeking == 0.3


# ------------------------------------------------------------------ InfoGAN, whose update adds the term itself
def info_discriminator():
    """``x -> [x . v + b, Q logits of one 2-way code]``, both linear."""
    images = keras.Input((4, 4, 1))
    hidden = keras.layers.Flatten()(images)
    return keras.Model(images, [keras.layers.Dense(1)(hidden), keras.layers.Dense(2)(hidden)])


def test_infogan_generator_loss_by_hand():
    """InfoGAN pairs the standard normal noise its codes are made from: the logged generator loss
    is the adversarial loss plus the information loss plus the weighted penalty of those pairs."""
    keras.utils.set_random_seed(0)
    g, _ = linear_pair()  # G([noise (1), one-hot code (2)]) = input W
    d = info_discriminator()
    weight = 0.7
    model = kgan.InfoGAN(g, d, categorical=(2,), continuous=0, seed=SEED, mode_seeking=weight,
                         mode_seeking_scale=SCALE)
    model.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0))
    W = numpy(g.layers[0].kernel).astype("float64")
    v, b = (numpy(w).astype("float64") for w in d.layers[-2].weights)
    u, c = (numpy(w).astype("float64") for w in d.layers[-1].weights)
    half = N // 2
    z = generator_update_noise()
    code = z[:, 1:].argmax(axis=1)
    inputs = np.concatenate([z[:, :1], np.eye(2)[code]], axis=1)  # CodePrior: noise, then the one-hot
    images = inputs @ W
    logits = (images @ v + b)[:, 0]
    q = images @ u + c
    adversarial = np.log1p(np.exp(-logits)).mean()
    information = np.mean(np.log(np.exp(q).sum(axis=1)) - q[np.arange(N), code])
    ratio = np.abs(images[:half] - images[half:]).mean(1) / np.abs(z[:half] - z[half:]).mean(1)
    penalty = np.mean(-np.log(ratio + mode_seeking.EPSILON))
    assert weight * penalty > 0.1  # the term changes the loss: the check has teeth

    history = model.fit(factories.images(N, seed=1), batch_size=N, epochs=1, shuffle=False, verbose=0).history
    np.testing.assert_allclose(history["g_loss"][0], adversarial + information + weight * penalty, rtol=1e-4)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_collapsed_infogan_generator_spreads_out(seed):
    """As for GAN: a frozen discriminator that rates every image alike and reads no code from it
    (no adversarial or information gradient); mode seeking alone spreads the samples out."""

    def spread_after_training(weight):
        keras.utils.set_random_seed(seed)
        g, _ = linear_pair()
        d = info_discriminator()
        g.layers[0].kernel.assign(0.001 * g.layers[0].kernel)  # collapsed: images barely depend on the input
        for layer in d.layers[-2:]:
            layer.kernel.assign(np.zeros(layer.kernel.shape, "float32"))
        model = kgan.InfoGAN(g, d, categorical=(2,), continuous=0, seed=seed, mode_seeking=weight)
        model.compile(g_optimizer=keras.optimizers.Adam(0.01), d_optimizer=keras.optimizers.SGD(0.0))
        noise = np.random.default_rng(0).standard_normal((256, LATENT)).astype("float32")
        before = numpy(model.sampling_generator(noise)).std(axis=0).mean()
        model.fit(factories.images(20 * N, seed=seed), batch_size=N, epochs=1, shuffle=False, verbose=0)
        after = numpy(model.sampling_generator(noise)).std(axis=0).mean()
        return after / before

    assert spread_after_training(0.0) == pytest.approx(1.0, abs=1e-3)
    assert spread_after_training(1.0) > 10.0
