"""Generator EMA (``ema_decay``/``ema_start``): the average of the trained generator's weights."""

import keras
import numpy as np
import pytest

import kgan
from tests import factories as f

STEPS = 6


class RecordWeights(keras.callbacks.Callback):
    """The generator's weights after every generator update (one per batch)."""

    def __init__(self):
        super().__init__()
        self.after = []

    def on_train_begin(self, logs=None):
        self.initial = [keras.ops.convert_to_numpy(w) for w in self.model.generator.weights]

    def on_train_batch_end(self, batch, logs=None):
        self.after.append([keras.ops.convert_to_numpy(w) for w in self.model.generator.weights])


def fit_kwargs(kind, n=None):
    per_step = 5 if kind == "wgangp" else 1  # WGAN-GP: n_critic=5 critic batches of 8 per step
    return dict(f.data(kind, n=n or 8 * per_step * STEPS), batch_size=8, verbose=0, shuffle=False)


def expected_average(record, trainable, decay, start):
    average = record.initial
    for t, weights in enumerate(record.after):  # t updates before this one
        weight = 0.0 if t < start else decay
        average = [weight * a + (1 - weight) * w if k in trainable else w
                   for k, (a, w) in enumerate(zip(average, weights))]
    return average


@pytest.mark.parametrize("kind, start", [("gan", 0), ("gan", 2), ("cgan", 2), ("wgangp", 2)])
def test_ema_weights_equal_the_hand_computed_average(kind, start):
    decay = 0.7
    model = f.make(kind, seed=1, ema_decay=decay, ema_start=start)
    record = RecordWeights()
    model.fit(epochs=1, callbacks=[record], **fit_kwargs(kind))
    assert len(record.after) == STEPS
    trainable_ids = {id(w) for w in model.generator.trainable_weights}
    trainable = {k for k, w in enumerate(model.generator.weights) if id(w) in trainable_ids}
    expected = expected_average(record, trainable, decay, start)
    got = [keras.ops.convert_to_numpy(w) for w in model.ema_generator.weights]
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)
    assert int(keras.ops.convert_to_numpy(model.ema_updates)) == STEPS
    # The raw generator trained from its own weights: it is not the average.
    raw = [keras.ops.convert_to_numpy(w) for w in model.generator.weights]
    assert max(np.abs(raw[k] - got[k]).max() for k in trainable) > 1e-4
    assert not model.ema_generator.trainable_weights  # no optimizer ever touches the average


def test_batch_norm_statistics_are_copied():
    model = f.make("gan", seed=1, ema_decay=0.9)  # the factory's generator has BatchNormalization
    model.fit(epochs=1, **fit_kwargs("gan"))
    statistics = [(a, b) for a, b in zip(model.generator.weights, model.ema_generator.weights) if "moving" in a.path]
    assert statistics
    for raw, ema in statistics:
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(raw), keras.ops.convert_to_numpy(ema))


def test_sampling_uses_the_ema_generator_and_the_raw_one_on_request():
    model = f.make("gan", seed=1, ema_decay=0.5)
    model.fit(epochs=1, **fit_kwargs("gan"))
    noise = np.random.default_rng(4).standard_normal((5, f.LATENT)).astype("float32")
    ema = keras.ops.convert_to_numpy(model.ema_generator(noise, training=False))
    raw = keras.ops.convert_to_numpy(model.generator(noise, training=False))
    assert np.abs(ema - raw).max() > 1e-4
    np.testing.assert_allclose(model.generate(5, seed=4), ema, atol=1e-6)
    np.testing.assert_allclose(model.generate(5, seed=4, use_ema=False), raw, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(noise)), ema, atol=1e-6)
    assert model.sampling_generator is model.ema_generator
    plain = f.make("gan")
    assert plain.ema_generator is None and plain.sampling_generator is plain.generator


@pytest.mark.parametrize("kind", ["cgan", "wgangp"])
def test_keras_file_round_trip_keeps_the_average(kind, tmp_path):
    model = f.make(kind, seed=1, ema_decay=0.8, ema_start=1)
    model.fit(epochs=1, **fit_kwargs(kind))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert (loaded.ema_decay, loaded.ema_start) == (0.8, 1)
    for a, b in zip(model.ema_generator.weights, loaded.ema_generator.weights):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))
    assert int(keras.ops.convert_to_numpy(loaded.ema_updates)) == STEPS
    kwargs = {"labels": [0, 1, 2, 0]} if kind == "cgan" else {}
    np.testing.assert_array_equal(model.generate(4, seed=2, **kwargs), loaded.generate(4, seed=2, **kwargs))


class _Interrupt(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            raise KeyboardInterrupt("simulated interruption")


def test_backup_and_restore_resumes_the_average_exactly(tmp_path):
    def run(callbacks):
        keras.utils.set_random_seed(3)
        model = f.make("gan", seed=9, ema_decay=0.9, ema_start=3)
        history = model.fit(epochs=3, callbacks=callbacks, **fit_kwargs("gan", n=40))
        return model, history

    reference, _ = run([])
    with pytest.raises(KeyboardInterrupt):
        run([keras.callbacks.BackupAndRestore(str(tmp_path / "backup")), _Interrupt()])
    resumed, history = run([keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))])
    assert len(history.history["g_loss"]) == 1  # only the third epoch ran
    exact = keras.backend.backend() == "tensorflow"  # bit-exact on TensorFlow CPU
    for a, b in zip(reference.ema_generator.weights, resumed.ema_generator.weights):
        a, b = keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b)
        np.testing.assert_array_equal(a, b) if exact else np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize("decay", [0, 1, 1.5, -0.1, "0.9", True])
def test_bad_decay_raises_before_training(decay):
    with pytest.raises(ValueError, match="ema_decay"):
        f.make("gan", ema_decay=decay)


@pytest.mark.parametrize("start", [-1, 1.5])
def test_bad_start_raises_before_training(start):
    with pytest.raises(ValueError, match="ema_start"):
        f.make("gan", ema_decay=0.9, ema_start=start)


def test_export_and_fd_callback_see_the_average(tmp_path):
    model = f.make("gan", seed=1, ema_decay=0.5)
    model.fit(epochs=1, **fit_kwargs("gan"))
    calls = []

    def features(images):
        calls.append(keras.ops.convert_to_numpy(images))
        return keras.ops.reshape(images, (keras.ops.shape(images)[0], -1))

    fd = kgan.metrics.FrechetDistanceCallback(f.images(64), features, n=64, seed=0)
    fd.set_model(model)
    fd.compute()
    noise = np.random.default_rng(0).standard_normal((64, f.LATENT)).astype("float32")
    ema = keras.ops.convert_to_numpy(model.ema_generator(noise, training=False))
    assert any(c.shape == ema.shape and np.allclose(c, ema, atol=1e-6) for c in calls)
