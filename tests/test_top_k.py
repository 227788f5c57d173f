"""Top-k training (``top_k=``): the schedule, the mask, and a generator step checked by hand.

A linear generator ``G(z) = z W`` and a linear discriminator ``D(x) = x . v + b`` make the
non-saturating generator gradient closed-form; with ``top_k`` it must come from the samples
with the highest logits only, averaged over them.
"""

import keras
import numpy as np
import pytest

import kgan
from kgan import top_k
from tests import factories
from tests.factories import linear_pair, numpy

LATENT, N, LR, SEED = 3, 16, 0.1, 3


def test_fraction_falls_linearly_then_stays():
    assert [float(numpy(top_k.fraction(u, 0.5, 100))) for u in (0, 50, 100, 1000)] == pytest.approx([1, 0.75, 0.5, 0.5])
    assert float(numpy(top_k.fraction(0, 0.25, 0))) == pytest.approx(0.25)


def test_mask_keeps_the_highest_logits():
    logits = np.array([[0.3], [-2.0], [5.0], [1.0], [-0.1]], "float32")
    assert numpy(top_k.mask(logits, 0.4))[:, 0].tolist() == [0, 0, 1, 1, 0]  # ceil(0.4 * 5) = 2
    assert numpy(top_k.mask(logits, 0.5))[:, 0].tolist() == [1, 0, 1, 1, 0]  # ceil(2.5) = 3
    assert numpy(top_k.mask(logits, 0.01))[:, 0].tolist() == [0, 0, 1, 0, 0]  # at least one
    assert numpy(top_k.mask(logits, 1.0))[:, 0].tolist() == [1, 1, 1, 1, 1]
    assert numpy(top_k.mask(np.zeros((4, 1), "float32") + np.arange(4)[:, None], 0.5))[:, 0].tolist() == [0, 0, 1, 1]


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_generator_step_learns_from_the_top_k_samples_only(update):
    keras.utils.set_random_seed(0)
    g, d = linear_pair()
    model = kgan.GAN(g, d, update=update, seed=SEED, top_k=0.25)
    # The discriminator does not move (rate 0): the generator's step sees the initial D.
    model.compile(g_optimizer=keras.optimizers.SGD(LR), d_optimizer=keras.optimizers.SGD(0.0))
    W = numpy(g.layers[0].kernel).astype("float64")
    v = numpy(d.layers[-1].kernel).astype("float64")[:, 0]
    b = float(numpy(d.layers[-1].bias)[0])
    seeds = keras.random.SeedGenerator(SEED)
    draws = [numpy(keras.random.normal((N, LATENT), seed=seeds)) for _ in range(2)]
    z = (draws[0] if update == "simultaneous" else draws[1]).astype("float64")  # alternating: D's draw first
    logits = z @ W @ v + b
    kept = np.argsort(logits)[-N // 4:]  # the four fakes D rates most real
    sigma = 1.0 / (1.0 + np.exp(logits[kept]))  # sigmoid(-logit)
    grad_W = z[kept].T @ np.outer(-sigma / len(kept), v)
    g_loss = np.log1p(np.exp(-logits[kept])).mean()
    everyone = z.T @ np.outer(-1.0 / (1.0 + np.exp(logits)) / N, v)
    assert np.abs(grad_W - everyone).max() > 1e-3  # top-k changes the step: the check has teeth

    history = model.fit(factories.images(N, seed=1), batch_size=N, epochs=1, shuffle=False, verbose=0).history
    np.testing.assert_allclose(history["g_loss"][0], g_loss, rtol=1e-4)
    np.testing.assert_allclose(numpy(g.layers[0].kernel), W - LR * grad_W, rtol=1e-4, atol=1e-6)


def test_schedule_counts_generator_updates_and_keeps_compiled_steps():
    """With ``top_k_updates`` the kept share falls inside one fit: the logged g_loss (a mean over
    the kept, most-real samples) first equals the whole batch's and then departs from it."""
    keras.utils.set_random_seed(0)
    g, d = linear_pair()
    model = kgan.GAN(g, d, seed=SEED, top_k=0.25, top_k_updates=4)
    model.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0))
    reference = kgan.GAN(*linear_pair(), seed=SEED)
    reference.generator.set_weights(g.get_weights())
    reference.discriminator.set_weights(d.get_weights())
    reference.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0))
    real = factories.images(6 * N, seed=1)
    logged = [m.fit(real, batch_size=N, epochs=1, shuffle=False, verbose=0, callbacks=[_PerBatch()]).model.per_batch
              for m in (model, reference)]
    top, everyone = (np.array(x) for x in logged)
    assert top[0] == pytest.approx(everyone[0], rel=1e-5)  # update 0 keeps the whole batch
    assert (top[4:] < everyone[4:] - 1e-3).all()  # later: only the most-real quarter, lower loss


class _PerBatch(keras.callbacks.Callback):
    """The g_loss of each step alone (fit's logs average over the epoch so far)."""

    def on_train_begin(self, logs=None):
        self.model.per_batch, self.sums = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.sums.append(float(logs["g_loss"]) * (batch + 1))
        self.model.per_batch.append(self.sums[-1] - (self.sums[-2] if len(self.sums) > 1 else 0.0))


@pytest.mark.parametrize("kind", ["gan", "cgan", "wgangp"])
def test_top_k_trains_saves_and_restores(kind, tmp_path):
    model = factories.make(kind, seed=1, top_k=0.5, top_k_updates=3)
    history = model.fit(**factories.data(kind), batch_size=8, epochs=2, verbose=0).history  # wgangp: 5 x 8 a step
    assert all(np.isfinite(history[name]).all() for name in ("d_loss", "g_loss"))
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    assert (restored.top_k, restored.top_k_updates) == (0.5, 3)
    assert restored.get_config()["top_k"] == 0.5


@pytest.mark.parametrize("value", [0.0, 1.5, -0.1, float("nan"), True, "half"])
def test_bad_top_k_is_refused(value):
    with pytest.raises(ValueError, match="top_k must be"):
        kgan.GAN(*linear_pair(), top_k=value)


@pytest.mark.parametrize("value", [-1, 2.5, True])
def test_bad_top_k_updates_is_refused(value):
    with pytest.raises(ValueError, match="top_k_updates must be"):
        kgan.GAN(*linear_pair(), top_k=0.5, top_k_updates=value)


def _first_g_loss(make, data, top_k):
    """g_loss of a model's first step (one batch of 8), built from seed 0."""
    keras.utils.set_random_seed(0)
    model = make(top_k)
    batch = {} if isinstance(model, kgan.ProgressiveGAN) else {"batch_size": 8}  # ProGAN: the schedule's
    return model.fit(data, epochs=1, shuffle=False, verbose=0, **batch).history["g_loss"][0]


def test_infogan_and_progressive_gan_average_over_the_kept_samples():
    """The two models with their own generator step take the option through the same hook: at
    the same seed their first generator loss, a mean over the half of the fakes D rates most
    real, is below the whole batch's (the same D, the same noise)."""
    from kgan import networks
    from tests import test_progressive_gan as progan

    def infogan(k):
        generator = networks.infogan_generator(4, (3,), 1, base_filters=8)
        discriminator = networks.infogan_discriminator((28, 28, 1), (3,), 1, base_filters=8, dense_units=16,
                                                       q_units=8)
        model = kgan.InfoGAN(generator, discriminator, categorical=(3,), continuous=1, seed=1, top_k=k)
        model.compile(**factories.optimizers())
        return model

    def progressive(k):
        schedule = kgan.ProgressiveSchedule(4, batch_size=8)
        return progan.compile_tiny(kgan.ProgressiveGAN(*progan.tiny_networks(4), schedule=schedule, seed=1, top_k=k))

    digits = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    for make, data in ((infogan, digits), (progressive, progan.faces(8, 4))):
        kept, everyone = (_first_g_loss(make, data, k) for k in (0.5, None))
        assert np.isfinite(kept) and kept < everyone - 1e-4, (make.__name__, kept, everyone)
