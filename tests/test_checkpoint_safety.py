"""A checkpoint write that fails midway never replaces the last good checkpoint."""

import inspect
import os

import keras
import numpy as np
import pytest

from tests import factories as f

FIT = dict(f.data("gan", n=32), batch_size=16, shuffle=False, verbose=0)


def make():
    """A tiny GAN; eager, as tracing would cost more than its few steps."""
    model = f.make("gan", compile=False)
    model.compile(**f.optimizers(), run_eagerly=True)
    return model


class SimulatedFailure(RuntimeError):
    pass


class FailingWrite:
    """Makes the generator's last layer raise while being saved, once ``armed``.

    Keras has written the discriminator and the generator's other layers by then, so the
    failure comes after partial output; the files in the target's directory are recorded.
    """

    def __init__(self, model, directory):
        self.armed = False
        self.seen = None
        layer = model.generator.layers[-1]
        original = layer.save_own_variables

        def save_own_variables(store):
            original(store)
            if self.armed:
                self.seen = sorted(os.listdir(directory))
                raise SimulatedFailure("disk full (simulated)")

        layer.save_own_variables = save_own_variables


class ArmAt(keras.callbacks.Callback):
    """Arms a ``FailingWrite`` when epoch ``epoch`` begins."""

    def __init__(self, failing, epoch):
        super().__init__()
        self.failing, self.epoch = failing, epoch

    def on_epoch_begin(self, epoch, logs=None):
        self.failing.armed = epoch == self.epoch


class Snapshot(keras.callbacks.Callback):
    """The bytes of ``path`` and the model's samples after each epoch (place it after the writer)."""

    def __init__(self, path):
        super().__init__()
        self.path, self.files, self.samples = path, [], []

    def on_epoch_end(self, epoch, logs=None):
        with open(self.path, "rb") as fh:
            self.files.append(fh.read())
        self.samples.append(self.model.generate(4, seed=0))


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def restore(path):
    if str(path).endswith(".keras"):
        return keras.saving.load_model(path)
    model = make()
    model.load_weights(path)
    return model


def assert_partial_write_went_to_a_temporary_file(failing, name):
    assert failing.seen is not None, "the simulated failure never fired"
    stem, suffix = name.split(".", 1)
    temporary = [n for n in failing.seen if n.startswith(".")]
    assert len(temporary) == 1 and temporary[0].startswith(f".{stem}.tmp-"), failing.seen
    assert temporary[0].endswith(f".{suffix}") and name in failing.seen, failing.seen


@pytest.mark.parametrize("name", ["ckpt.keras", "ckpt.weights.h5"])
def test_failed_save_keeps_the_previous_file(name, tmp_path):
    model = make()
    path = tmp_path / name
    write = model.save if name.endswith(".keras") else model.save_weights
    write(path)
    good, samples = read(path), model.generate(4, seed=0)
    for variable in model.generator.trainable_variables:
        variable.assign(variable + 0.1)
    failing = FailingWrite(model, tmp_path)
    failing.armed = True

    with pytest.raises(SimulatedFailure):
        write(path)

    assert_partial_write_went_to_a_temporary_file(failing, name)
    assert read(path) == good
    assert os.listdir(tmp_path) == [name]  # the temporary file is gone
    np.testing.assert_array_equal(restore(path).generate(4, seed=0), samples)
    failing.armed = False
    write(path)  # and the next successful write replaces it
    assert read(path) != good and os.listdir(tmp_path) == [name]
    np.testing.assert_array_equal(restore(path).generate(4, seed=0), model.generate(4, seed=0))


@pytest.mark.parametrize("weights_only", [False, True])
def test_model_checkpoint_failure_keeps_the_last_good_checkpoint(weights_only, tmp_path):
    name = "ckpt.weights.h5" if weights_only else "ckpt.keras"
    model = make()
    failing = FailingWrite(model, tmp_path)
    snapshot = Snapshot(tmp_path / name)
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / name), save_weights_only=weights_only)

    with pytest.raises(SimulatedFailure):
        model.fit(epochs=3, callbacks=[ArmAt(failing, 1), checkpoint, snapshot], **FIT)

    assert len(snapshot.files) == 1  # epoch 0 was written, epoch 1's write failed
    assert_partial_write_went_to_a_temporary_file(failing, name)
    assert read(tmp_path / name) == snapshot.files[0]
    assert os.listdir(tmp_path) == [name]
    np.testing.assert_array_equal(restore(tmp_path / name).generate(4, seed=0), snapshot.samples[0])


def test_backup_and_restore_failure_keeps_the_last_good_backup(tmp_path):
    backup_dir = tmp_path / "backup"
    model = make()
    failing = FailingWrite(model, backup_dir)
    snapshot = Snapshot(backup_dir / "latest.weights.h5")

    backup = keras.callbacks.BackupAndRestore(str(backup_dir))
    with pytest.raises(SimulatedFailure):
        model.fit(epochs=3, callbacks=[ArmAt(failing, 1), backup, snapshot], **FIT)

    assert_partial_write_went_to_a_temporary_file(failing, "latest.weights.h5")
    assert read(backup_dir / "latest.weights.h5") == snapshot.files[0]
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]
    resumed = make()
    history = resumed.fit(epochs=3, callbacks=[keras.callbacks.BackupAndRestore(str(backup_dir))], **FIT)
    assert len(history.history["g_loss"]) == 2  # resumed after the last good epoch
    assert int(resumed.g_optimizer.iterations) == 3 * 2


@pytest.mark.parametrize("method", ["save", "save_weights"])
def test_keras_signatures_are_kept(method):
    ours = inspect.signature(getattr(f.make("gan", compile=False), method))
    assert ours == inspect.signature(getattr(keras.Model, method).__get__(keras.Sequential()))


def test_errors_name_the_callers_path_and_unzipped_saves_are_left_to_keras(tmp_path):
    model = make()
    with pytest.raises(ValueError, match="ckpt.txt"):
        model.save(tmp_path / "ckpt.txt")
    with pytest.raises(ValueError, match="ckpt.h5"):
        model.save_weights(tmp_path / "ckpt.h5")
    with pytest.raises(FileNotFoundError, match="missing/ckpt.keras"):
        model.save(tmp_path / "missing" / "ckpt.keras")
    assert os.listdir(tmp_path) == []
    model.save(tmp_path / "unzipped", zipped=False)
    assert keras.saving.load_model(tmp_path / "unzipped").compiled


def test_overwrite_false_asks_first(tmp_path, monkeypatch):
    from keras.src.utils import io_utils

    model = make()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    good = read(path)
    for variable in model.generator.trainable_variables:
        variable.assign(variable + 0.1)
    answers = []
    monkeypatch.setattr(io_utils, "ask_to_proceed_with_overwrite", lambda p: answers.append(p) or False)
    model.save_weights(path, overwrite=False)
    assert answers == [str(path)] and read(path) == good and os.listdir(tmp_path) == ["w.weights.h5"]
