"""An optimizer with ``use_ema=True`` leaves its network at the moving average after fit."""

import keras
import numpy as np
import pytest

from tests import factories as f

STEPS = 5
MOMENTUM = 0.6


class RecordGenerator(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.weights = []

    def on_train_batch_end(self, batch, logs=None):
        self.weights.append([keras.ops.convert_to_numpy(v) for v in self.model.generator.trainable_variables])


def _train(kind, use_ema, callbacks=()):
    keras.utils.set_random_seed(3)
    model = f.make(kind, compile=False, seed=5)
    g_optimizer = keras.optimizers.Adam(1e-2, beta_1=0.5, use_ema=use_ema, ema_momentum=MOMENTUM)
    model.compile(g_optimizer=g_optimizer, d_optimizer=keras.optimizers.Adam(1e-2, beta_1=0.5))
    batches_per_step = 5 if kind == "wgangp" else 1  # n_critic=5 critic batches per generator update
    model.fit(**f.data(kind, n=16 * batches_per_step * STEPS), batch_size=16, epochs=1, shuffle=False, verbose=0,
              callbacks=list(callbacks))
    return model


@pytest.mark.parametrize("kind", ["gan", "cgan", "wgangp"])
def test_generator_ends_at_its_moving_average(kind):
    recorder = RecordGenerator()
    plain = _train(kind, use_ema=False, callbacks=[recorder])
    averaged = _train(kind, use_ema=True)
    assert len(recorder.weights) == STEPS
    # Hand-computed: the average starts at the first update's weights.
    expected = recorder.weights[0]
    for weights in recorder.weights[1:]:
        expected = [MOMENTUM * a + (1 - MOMENTUM) * w for a, w in zip(expected, weights)]
    got = [keras.ops.convert_to_numpy(v) for v in averaged.generator.trainable_variables]
    last = [keras.ops.convert_to_numpy(v) for v in plain.generator.trainable_variables]
    assert max(np.max(np.abs(e - l)) for e, l in zip(expected, last)) > 1e-3  # the average is not the last step
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, atol=1e-5)
    # The discriminator's optimizer keeps no average: it ends where training left it.
    for a, b in zip(plain.discriminator.variables, averaged.discriminator.variables):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=1e-5)
