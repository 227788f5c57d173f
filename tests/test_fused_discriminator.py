"""One discriminator call over real and fake together gives the two calls' losses and gradients."""

import keras
import numpy as np
import pytest

import kgan
from kgan import networks
from kgan.models import fused_discriminator
from tests import factories


def twin_steps(kind, **kwargs):
    """The same model trained one step fused and one step unfused (SGD: weight change = lr * grad)."""
    results = []
    for fuse in (True, False):
        keras.utils.set_random_seed(7)
        model = factories.make(kind, compile=False, seed=3, **kwargs)
        assert model.fuses_discriminator_calls  # the factories' MLP discriminator is per-sample
        model.fuses_discriminator_calls = fuse
        model.compile(g_optimizer=keras.optimizers.SGD(0.1), d_optimizer=keras.optimizers.SGD(0.1))
        before = [keras.ops.convert_to_numpy(w) for w in model.discriminator.trainable_weights]
        history = model.fit(**factories.data(kind, n=16), batch_size=16, epochs=1, shuffle=False, verbose=0)
        after = [keras.ops.convert_to_numpy(w) for w in model.discriminator.trainable_weights]
        results.append((history.history, [a - b for a, b in zip(after, before)],
                        [keras.ops.convert_to_numpy(w) for w in model.generator.trainable_weights]))
    return results


@pytest.mark.parametrize("kind", ["gan", "cgan", "wgangp"])
def test_fused_call_gives_the_same_losses_and_gradients(kind):
    (logs_f, step_f, gen_f), (logs_s, step_s, gen_s) = twin_steps(kind, **({"n_critic": 1} if kind == "wgangp" else {}))
    assert any(np.abs(s).max() > 1e-4 for s in step_s)  # the step moved the discriminator
    for name in logs_s:
        np.testing.assert_allclose(logs_f[name], logs_s[name], rtol=1e-4, atol=1e-6, err_msg=name)
    for f, s in zip(step_f, step_s):
        np.testing.assert_allclose(f, s, rtol=1e-3, atol=1e-6)
    for f, s in zip(gen_f, gen_s):
        np.testing.assert_allclose(f, s, rtol=1e-3, atol=1e-6)


def test_wgan_fuses_like_wgangp():
    g = networks.mlp_generator(factories.LATENT, factories.IMAGE_SHAPE, hidden_units=(16,))
    d = networks.mlp_discriminator(factories.IMAGE_SHAPE, hidden_units=(16,), dropout=0.0)
    assert kgan.WGAN(g, d).fuses_discriminator_calls


def fused_and_separate_logits_of_a_batch_norm_discriminator():
    d = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.BatchNormalization(),
                          keras.layers.Dense(1)])
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(8, 4)).astype("float32"), rng.normal(2.0, 3.0, (8, 4)).astype("float32")
    fused = fused_discriminator.real_and_fake_logits(lambda x, y: d(x, training=True), real, fake, None, True)
    apart = fused_discriminator.real_and_fake_logits(lambda x, y: d(x, training=True), real, fake, None, False)
    return d, [keras.ops.convert_to_numpy(a) for a in fused], [keras.ops.convert_to_numpy(a) for a in apart]


def test_batch_norm_discriminators_are_not_fused_because_fusing_would_change_their_logits():
    d, fused, apart = fused_and_separate_logits_of_a_batch_norm_discriminator()
    assert not fused_discriminator.samplewise(d)
    assert np.abs(fused[0] - apart[0]).max() > 1e-2  # why: real and fake would share batch statistics


class Scale(keras.layers.Layer):
    def call(self, x):
        return 2.0 * x


class DeclaredScale(Scale):
    samplewise = True


@pytest.mark.parametrize("layers, expected", [
    ([keras.layers.Dense(2), keras.layers.LeakyReLU(0.2), keras.layers.LayerNormalization()], True),
    ([keras.layers.Dense(2), keras.layers.BatchNormalization()], False),
    ([keras.layers.SpectralNormalization(keras.layers.Dense(2))], False),  # one power iteration per call
    ([keras.layers.Dense(2), Scale()], False),  # unknown layers are not trusted
    ([keras.layers.Dense(2), DeclaredScale()], True),
    ([keras.Sequential([keras.layers.Dense(2), keras.layers.BatchNormalization()])], False),  # nested
])
def test_samplewise_trusts_only_known_per_sample_layers(layers, expected):
    model = keras.Sequential([keras.Input((3,)), *layers])
    assert fused_discriminator.samplewise(model) is expected


def test_zoo_style_discriminators():
    assert fused_discriminator.samplewise(networks.dcgan_discriminator((28, 28, 1), normalization="layer"))
    assert not fused_discriminator.samplewise(networks.dcgan_discriminator((28, 28, 1), normalization="batch"))
    assert not fused_discriminator.samplewise(networks.conditional_dcgan_discriminator((28, 28, 1), 10))  # BN
    assert fused_discriminator.samplewise(networks.conditional_mlp_discriminator((28, 28, 1), 10))
