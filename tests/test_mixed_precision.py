"""Mixed precision: float16 wraps both optimizers for loss scaling, bfloat16 needs none."""

import keras
import numpy as np
import pytest

from tests import factories as f


@pytest.fixture
def policy(request):
    keras.mixed_precision.set_global_policy(request.param)
    yield request.param
    keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize(
    "policy, kind",
    [("mixed_float16", "gan"), ("mixed_float16", "cgan"), ("mixed_float16", "wgangp"), ("mixed_bfloat16", "wgangp")],
    indirect=["policy"],
)
def test_training_under_a_mixed_policy(policy, kind):
    model = f.make(kind)
    scaled = isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert scaled == (policy == "mixed_float16")
    assert isinstance(model.d_optimizer, keras.optimizers.LossScaleOptimizer) == scaled
    history = model.fit(**f.data(kind, 80), batch_size=8 if kind == "wgangp" else 16, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert int(model.g_optimizer.iterations) > 0
    images = model.generate(8, seed=0)
    assert images.dtype == np.float32 and np.isfinite(images).all()
    assert images.min() >= -1 and images.max() <= 1


@pytest.mark.parametrize("policy", ["mixed_float16"], indirect=True)
def test_loss_scaled_model_round_trips(policy, tmp_path):
    model = f.make("wgangp")
    model.fit(f.images(80), batch_size=8, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert int(loaded.d_optimizer.iterations) == int(model.d_optimizer.iterations)
