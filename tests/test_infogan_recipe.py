"""``zoo.recipes.mnist_infogan`` on a few random digits: its two phases, and what it publishes."""

import numpy as np
import pytest

import kgan
import keras
from zoo.recipes import common, mnist_infogan

# The recipe's per-epoch quality log, measured here on 64 random test "digits".
pytestmark = pytest.mark.filterwarnings("ignore:The real statistics come from 64 samples", "ignore:KID. only 64 real")
SHORT = ["--epochs", "1", "--steps-per-epoch", "2", "--batch-size", "8"]


@pytest.fixture()
def digits(tmp_path):
    path = tmp_path / "digits.npz"
    rng = np.random.default_rng(0)
    np.savez(path, x_train=rng.integers(0, 256, (64, 28, 28), dtype=np.uint8), y_train=np.arange(64) % 10,
             x_test=rng.integers(0, 256, (64, 28, 28), dtype=np.uint8), y_test=np.arange(64) % 10)
    return path


def _weights(network):
    return [keras.ops.convert_to_numpy(w) for w in network.weights]


def test_second_phase_goes_on_from_the_first_with_mode_seeking(digits, tmp_path, monkeypatch):
    monkeypatch.setattr(mnist_infogan, "FINETUNE_EPOCHS", 1)
    run = tmp_path / "run"
    mnist_infogan.main(["--data", str(digits), "--run-dir", str(run), "--no-publish", *SHORT])
    first = keras.saving.load_model(run / "model.keras")
    final = keras.saving.load_model(run / mnist_infogan.FINAL_MODEL)
    assert type(final) is kgan.InfoGAN and first.mode_seeking == 0.0
    assert final.mode_seeking == mnist_infogan.FINETUNE_MODE_SEEKING
    factor = mnist_infogan.FINETUNE_RATE_FACTOR
    for optimizer, rate in zip((final.g_optimizer, final.d_optimizer), mnist_infogan.RATES):
        assert float(optimizer.learning_rate) == pytest.approx(rate * factor)
    assert int(final.g_optimizer.iterations) == 4  # the first phase's 2 updates carried over, then 2 more
    # finetuned() starts from the first phase's weights, and training then moved them.
    start = mnist_infogan.finetuned(str(run / "model.keras"))
    for a, b in zip(_weights(start.generator), _weights(first.generator)):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(_weights(final.generator), _weights(first.generator)))


def test_published_record_holds_the_codes_figures(digits, tmp_path, monkeypatch):
    """What ``publish`` measures is the digit figures and ``codes_quality``'s, of the shipped network."""
    seen = {}
    monkeypatch.setattr(mnist_infogan, "FINETUNE_EPOCHS", 1)
    figures = {"fd": 1.5, "mean_confidence": 0.9, "class_shares": [0.1] * 10}
    monkeypatch.setattr(common, "mnist_quality", lambda *a, **k: lambda network, n=0: dict(figures))
    monkeypatch.setattr(mnist_infogan, "codes_quality", lambda network: {"code_digit_agreement": 0.5})
    monkeypatch.setattr(common, "publish", lambda name, network, quality, *a, **k: seen.update(
        name=name, figures=quality(network)))
    mnist_infogan.main(["--data", str(digits), "--run-dir", str(tmp_path / "run"), *SHORT])
    assert seen == {"name": "mnist_infogan", "figures": {**figures, "code_digit_agreement": 0.5}}
