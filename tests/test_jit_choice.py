"""``compile(jit_compile="measure")``: the probe trains, decides by its timings, and the
choice is recorded with the model's weights and restored (kgan.models.jit_choice)."""

import os

import keras
import numpy as np
import pytest

from kgan.models import jit_choice
from tests import factories, test_vae

TENSORFLOW = keras.backend.backend() == "tensorflow"
PROBE_STEPS = jit_choice.PROBE_CALLS
only_tensorflow = pytest.mark.skipif(not TENSORFLOW, reason="XLA is a per-model choice on TensorFlow only")


def fit(model, steps, batch=8, seed=0):
    model.fit(factories.images(steps * batch, seed), batch_size=batch, epochs=1, shuffle=False, verbose=0)


def test_unknown_setting_is_refused():
    model = factories.make("gan", compile=False)
    with pytest.raises(ValueError, match="'measure'; got 'fast'"):
        model.compile(jit_compile="fast", **factories.optimizers())


@pytest.mark.skipif(TENSORFLOW, reason="on TensorFlow 'measure' probes")
def test_measure_is_keras_auto_where_xla_is_not_a_choice():
    measured, auto = factories.make("gan", compile=False), factories.make("gan", compile=False)
    measured.compile(jit_compile="measure", **factories.optimizers())
    auto.compile(**factories.optimizers())
    assert measured.jit_compile == auto.jit_compile
    assert not measured.measures_jit_compile
    assert measured.get_compile_config()["jit_compile"] == "measure"


@only_tensorflow
def test_probe_trains_on_every_step_and_records_a_choice():
    model = factories.make("gan", compile=False, seed=0)
    model.compile(jit_compile="measure", **factories.optimizers())
    fit(model, PROBE_STEPS + 2)
    assert int(model.g_optimizer.iterations) == PROBE_STEPS + 2
    assert int(model.d_optimizer.iterations) == PROBE_STEPS + 2
    assert isinstance(model.jit_compile_choice, bool)
    assert model.jit_compile == model.jit_compile_choice
    assert set(model.jit_compile_measurement) == {"off", "on"}
    assert all(seconds > 0 for seconds in model.jit_compile_measurement.values())


@only_tensorflow
def test_probe_starts_without_xla():
    """The probe's first step is Keras's default function: the same update as jit_compile=False."""
    weights = []
    for jit in ("measure", False):
        keras.utils.set_random_seed(1)
        model = factories.make("gan", compile=False, seed=0)
        model.compile(jit_compile=jit, **factories.optimizers())
        fit(model, 1)
        weights.append(factories.all_weights(model))
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


@only_tensorflow
def test_probe_continues_across_fit_calls():
    model = factories.make("gan", compile=False, seed=0)
    model.compile(jit_compile="measure", **factories.optimizers())
    fit(model, 3)
    assert model.jit_compile_choice is None
    fit(model, PROBE_STEPS - 3)
    assert model.jit_compile_choice is not None
    assert int(model.g_optimizer.iterations) == PROBE_STEPS


@only_tensorflow
@pytest.mark.parametrize("on, off, chosen", [(0.5, 1.0, True), (0.97, 1.0, False), (1.2, 1.0, False)])
def test_xla_must_be_clearly_faster(on, off, chosen):
    model = factories.make("gan", compile=False)
    model.compile(jit_compile="measure", **factories.optimizers())
    probe = model.make_train_function()
    probe.seconds = {False: [off] * jit_choice.PAIRS, True: [on] * jit_choice.PAIRS}
    probe._decide()
    assert model.jit_compile_choice is chosen
    assert model.jit_compile is chosen
    assert model.jit_compile_measurement == {"off": off, "on": on}


@only_tensorflow
@pytest.mark.parametrize("choice", [True, False])
def test_choice_is_saved_with_the_weights_and_used_without_measuring(tmp_path, choice):
    model = factories.make("gan", compile=False, seed=0)
    model.compile(jit_compile="measure", **factories.optimizers())
    model.record_jit_compile_choice(choice)
    path = os.path.join(tmp_path, "gan.weights.h5")
    model.save_weights(path)

    resumed = factories.make("gan", compile=False, seed=0)
    resumed.compile(jit_compile="measure", **factories.optimizers())
    resumed.load_weights(path)
    assert resumed.jit_compile_choice is choice and resumed.jit_compile is choice
    fit(resumed, 2)
    assert list(resumed.train_function.functions) == [choice]  # no probe: only the chosen function

    explicit = factories.make("gan", compile=False, seed=0)
    explicit.compile(jit_compile=not choice, **factories.optimizers())
    explicit.load_weights(path)
    assert explicit.jit_compile is (not choice)  # an explicit setting wins over the recorded one


@only_tensorflow
def test_keras_file_keeps_the_setting_and_the_choice(tmp_path):
    model = factories.make("gan", compile=False, seed=0)
    model.compile(jit_compile="measure", **factories.optimizers())
    fit(model, PROBE_STEPS)
    path = os.path.join(tmp_path, "gan.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.get_compile_config()["jit_compile"] == "measure"
    assert loaded.jit_compile_choice is model.jit_compile_choice
    assert loaded.jit_compile is model.jit_compile_choice


@only_tensorflow
def test_vae_measures_too():
    vae = test_vae.make(compile=False, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile="measure")
    vae.fit(factories.images(8 * PROBE_STEPS), batch_size=8, epochs=1, verbose=0)
    assert isinstance(vae.jit_compile_choice, bool)
    assert vae.jit_compile is vae.jit_compile_choice
    assert vae.get_compile_config()["jit_compile"] == "measure"


class _Clock:
    """Stands in for the ``time`` module: only the fake train functions move it."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        return self.now


@only_tensorflow
@pytest.mark.parametrize("on, calls, chosen", [(0.5, PROBE_STEPS, True), (1.0, PROBE_STEPS, False),
                                               (2.0, 4, False)])
def test_probe_times_alternate_steps_and_stops_early_when_xla_is_far_slower(monkeypatch, on, calls, chosen):
    clock = _Clock()
    monkeypatch.setattr(jit_choice, "time", clock)

    def takes(seconds):
        def train_function(iterator):
            clock.now += seconds
            return {"loss": 0.0}

        return train_function

    model = factories.make("gan", compile=False)
    model.compile(jit_compile="measure", **factories.optimizers())
    probe = model.make_train_function()
    probe.functions = {False: takes(1.0), True: takes(on)}
    for _ in range(calls):
        assert model.jit_compile_choice is None
        probe(None)
    assert model.jit_compile_choice is chosen
    assert model.jit_compile_measurement == {"off": 1.0, "on": on}


@pytest.mark.parametrize("flag, setting", [(None, "auto"), ("measure", "measure"), ("off", False)])
def test_kgan_train_flag_reaches_compile(flag, setting):
    from kgan.cli import build

    model = build.model("gan", (28, 28, 1), None, 100, seed=0, jit_compile=flag)
    assert model.get_compile_config()["jit_compile"] == setting


@only_tensorflow
def test_kgan_train_measures_and_its_model_file_keeps_the_choice(tmp_path):
    """The whole command: the probe runs under the CLI's callbacks (checkpoints, TensorBoard,
    BackupAndRestore) and the finished model.keras holds the choice."""
    import kgan.cli

    data = tmp_path / "digits.npz"
    x = np.random.default_rng(0).integers(0, 256, (64 * PROBE_STEPS, 28, 28), dtype="uint8")
    np.savez(data, x_train=x, y_train=np.zeros(len(x), "uint8"), x_test=x[:8], y_test=np.zeros(8, "uint8"))
    out = tmp_path / "run"
    assert kgan.cli.main(["train", "--algorithm", "gan", "--dataset", str(data), "--epochs", "1",
                          "--out", str(out), "--jit-compile", "measure"]) == 0
    model = keras.saving.load_model(out / "model.keras")
    assert isinstance(model.jit_compile_choice, bool)
    assert model.get_compile_config()["jit_compile"] == "measure"
