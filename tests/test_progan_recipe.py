"""The celeba_progan recipe's pieces: the per-stage learning curve and what ships."""

import keras
import pytest
import numpy as np
from keras import ops

from zoo import registry, weights_io
from zoo.recipes import celeba_progan


def test_stage_curve_measures_the_stage_enlarged_to_64_and_logs_stage_and_alpha(celeba_faces, tmp_path):
    gan = celeba_progan.build(seed=0)  # at 4x4, the schedule's start
    curve = celeba_progan.StageCurve(str(tmp_path / "quality.csv"), celeba_faces[:300], n=300)
    curve.set_model(gan)
    enlarged = curve.enlarged(4)
    noise = np.random.default_rng(0).standard_normal((3, celeba_progan.LATENT)).astype("float32")
    small = ops.convert_to_numpy(gan.generator_at(4)(noise, training=False))
    big = ops.convert_to_numpy(enlarged(noise, training=False))
    assert small.shape == (3, 4, 4, 3) and big.shape == (3, 64, 64, 3)
    np.testing.assert_allclose(big, np.repeat(np.repeat(small, 16, axis=1), 16, axis=2), atol=1e-6)
    # 8x8 fading in: at alpha 0 it draws exactly the 4x4 stage, at alpha 1 the 8x8 stage alone
    np.testing.assert_allclose(ops.convert_to_numpy(curve.enlarged(8, 0.0)(noise, training=False)), big, atol=1e-5)
    eight = ops.convert_to_numpy(gan.generator_at(8)(noise, training=False))
    np.testing.assert_allclose(ops.convert_to_numpy(curve.enlarged(8, 1.0)(noise, training=False)),
                               np.repeat(np.repeat(eight, 8, axis=1), 8, axis=2), atol=1e-6)
    curve.on_epoch_end(4)  # a resumed run's fifth epoch
    rows = (tmp_path / "quality.csv").read_text().splitlines()
    assert rows[0] == "epoch,kimg,resolution,alpha,fd_ema" and len(rows) == 2
    first = rows[1].split(",")
    assert first[:4] == ["5", "0", "4", "1.0000"]
    expected = curve.quality(enlarged)["fd"]
    assert float(first[4]) == pytest.approx(expected, abs=1e-3) and expected > 1.0  # untrained: far from faces


def test_what_ships_reloads_into_the_registry_network(tmp_path):
    gan = celeba_progan.build(seed=0)
    shipped = gan.generator_at(use_ema=True)
    path = str(tmp_path / "g.weights.h5")
    weights_io.save_float16(shipped, path)
    keras.utils.set_random_seed(1)
    loaded = registry.entry("celeba_progan").build()
    loaded.load_weights(path)
    noise = np.random.default_rng(0).standard_normal((2, celeba_progan.LATENT)).astype("float32")
    out = ops.convert_to_numpy(loaded(noise, training=False))
    assert out.shape == (2, 64, 64, 3)
    np.testing.assert_allclose(out, ops.convert_to_numpy(shipped(noise, training=False)), atol=2e-2)
