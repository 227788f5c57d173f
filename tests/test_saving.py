"""Save, load and continue: .keras files, weights, ModelCheckpoint, BackupAndRestore."""

import os

import keras
import numpy as np
import pytest

from tests import factories as f

KINDS = ["gan", "cgan", "wgangp"]


def fit_kwargs(kind):
    # WGAN-GP (n_critic=5): two steps of five critic batches of 8.
    return dict(f.data(kind, n=80), batch_size=8 if kind == "wgangp" else 16, verbose=0, shuffle=False)


@pytest.mark.parametrize("kind", KINDS)
def test_keras_file_round_trip_continues_training_exactly(kind, tmp_path):
    keras.utils.set_random_seed(0)
    model = f.make(kind, seed=5)
    model.fit(epochs=1, **fit_kwargs(kind))
    path = str(tmp_path / "run.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)

    assert type(loaded) is type(model) and loaded.compiled
    assert int(loaded.g_optimizer.iterations) == int(model.g_optimizer.iterations) > 0
    assert int(loaded.d_optimizer.iterations) == int(model.d_optimizer.iterations)
    for a, b in zip(f.optimizer_state(model), f.optimizer_state(loaded)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(model.generate(8, seed=1), loaded.generate(8, seed=1))

    # Both continue from the same state and draw the same noise: identical weights after.
    model.fit(epochs=1, **fit_kwargs(kind))
    loaded.fit(epochs=1, **fit_kwargs(kind))
    for a, b in zip(f.all_weights(model), f.all_weights(loaded)):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_custom_compile_arguments_round_trip(tmp_path):
    model = f.make("gan", compile=False)
    model.compile(
        g_optimizer=keras.optimizers.Adam(3e-4, beta_1=0.3),
        d_optimizer=keras.optimizers.RMSprop(1e-4),
        steps_per_execution=2,
        jit_compile=False,
    )
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert loaded.get_compile_config() == model.get_compile_config()
    assert isinstance(loaded.d_optimizer, keras.optimizers.RMSprop)
    assert float(loaded.g_optimizer.beta_1) == pytest.approx(0.3)
    assert loaded.steps_per_execution == 2


def test_weights_only_round_trip(tmp_path):
    model = f.make("wgangp")
    model.fit(epochs=1, **fit_kwargs("wgangp"))
    model.save_weights(tmp_path / "w.weights.h5")
    other = f.make("wgangp")
    other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(f.all_weights(model) + f.optimizer_state(model), f.all_weights(other) + f.optimizer_state(other)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("weights_only", [False, True])
def test_model_checkpoint(weights_only, tmp_path):
    suffix = ".weights.h5" if weights_only else ".keras"
    path = str(tmp_path / f"ckpt-{{epoch:02d}}{suffix}")
    model = f.make("cgan")
    checkpoint = keras.callbacks.ModelCheckpoint(path, save_weights_only=weights_only)
    model.fit(epochs=2, callbacks=[checkpoint], **fit_kwargs("cgan"))
    last = str(tmp_path / f"ckpt-02{suffix}")
    assert os.path.exists(str(tmp_path / f"ckpt-01{suffix}")) and os.path.exists(last)
    if weights_only:
        restored = f.make("cgan")
        restored.load_weights(last)
    else:
        restored = keras.saving.load_model(last)
    np.testing.assert_array_equal(model.generate(6, seed=2), restored.generate(6, seed=2))


def test_model_checkpoint_best_only_on_g_loss(tmp_path):
    path = str(tmp_path / "best.keras")
    model = f.make("gan")
    checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="g_loss", save_best_only=True)
    model.fit(epochs=2, callbacks=[checkpoint], **fit_kwargs("gan"))
    assert keras.saving.load_model(path).compiled


class _Interrupt(keras.callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt("simulated interruption")


def test_backup_and_restore_resumes_to_the_uninterrupted_result(tmp_path):
    def run(callbacks, epochs=3):
        return model.fit(epochs=epochs, callbacks=callbacks, **fit_kwargs("gan"))

    keras.utils.set_random_seed(3)
    model = f.make("gan", seed=9)
    run([])
    reference = f.all_weights(model)

    keras.utils.set_random_seed(3)
    model = f.make("gan", seed=9)
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    with pytest.raises(KeyboardInterrupt):
        run([backup, _Interrupt(at_epoch=1)])
    keras.utils.set_random_seed(99)  # a new process would not share the old RNG state
    model = f.make("gan", seed=9)
    history = run([keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))])
    assert len(history.history["g_loss"]) == 1  # only the third epoch ran
    assert int(model.g_optimizer.iterations) == 3 * 5
    for a, b in zip(reference, f.all_weights(model)):
        np.testing.assert_allclose(a, b, atol=1e-6)
