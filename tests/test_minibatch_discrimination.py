"""MinibatchDiscrimination and the discriminators' option minibatch_kernels=K."""

import keras
import numpy as np
import pytest

import kgan  # noqa: F401  (before keras use: selects the backend's settings)
from kgan import networks
from kgan.models.fused_discriminator import samplewise
from kgan.networks import MinibatchDiscrimination
from tests.factories import numpy as to_numpy


def _layer_with_projection(projection, kernels, kernel_dim):
    layer = MinibatchDiscrimination(kernels, kernel_dim)
    layer.build((None, projection.shape[0]))
    layer.projection.assign(projection)
    return layer


def test_closeness_against_hand_computed_values():
    # Two features projected by the identity to one kernel of two values: M_i = x_i.
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 3.0]], "float32")
    layer = _layer_with_projection(np.eye(2, dtype="float32"), kernels=1, kernel_dim=2)
    out = to_numpy(layer(x))
    # L1 distances: d01 = 1, d02 = 3, d12 = 1 + 3 = 4.
    expected = [np.exp(-1) + np.exp(-3), np.exp(-1) + np.exp(-4), np.exp(-3) + np.exp(-4)]
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out[:, :2], x)
    np.testing.assert_allclose(out[:, 2], expected, rtol=1e-5)


def test_each_kernel_reads_its_own_rows_of_the_projection():
    # Kernel 0 sees feature 0 only, kernel 1 feature 1 only (kernel_dim 1).
    x = np.array([[0.0, 5.0], [2.0, 5.0]], "float32")
    layer = _layer_with_projection(np.eye(2, dtype="float32"), kernels=2, kernel_dim=1)
    closeness = to_numpy(layer(x))[:, 2:]
    np.testing.assert_allclose(closeness, [[np.exp(-2), 1.0], [np.exp(-2), 1.0]], rtol=1e-5)


def test_copies_score_batch_size_minus_one_and_varied_samples_less():
    rng = np.random.default_rng(0)
    layer = MinibatchDiscrimination(kernels=4, kernel_dim=3)
    copies = np.repeat(rng.normal(size=(1, 8)).astype("float32"), 6, axis=0)
    varied = rng.normal(size=(6, 8)).astype("float32")
    np.testing.assert_allclose(to_numpy(layer(copies))[:, 8:], np.full((6, 4), 5.0), rtol=1e-6)
    assert to_numpy(layer(varied))[:, 8:].max() < 5.0


def test_mlp_discriminator_option_adds_the_layer_and_is_never_fused():
    plain = networks.mlp_discriminator((4, 4, 1), hidden_units=(8,))
    with_layer = networks.mlp_discriminator((4, 4, 1), hidden_units=(8,), minibatch_kernels=3)
    assert samplewise(plain) and not samplewise(with_layer)
    layer = with_layer.get_layer("minibatch_discrimination")
    assert (layer.kernels, layer.kernel_dim) == (3, 5)
    assert with_layer.get_layer("logits").kernel.shape == (8 + 3, 1)
    assert with_layer.count_params() == plain.count_params() + 8 * 3 * 5 + 3


def test_dcgan_discriminator_option_reads_the_flat_features():
    kwargs = dict(input_shape=(28, 28, 1), base_filters=4, normalization="layer", dense_units=6)
    plain = networks.dcgan_discriminator(**kwargs)
    with_layer = networks.dcgan_discriminator(**kwargs, minibatch_kernels=2)
    assert samplewise(plain) and not samplewise(with_layer)
    assert with_layer.get_layer("logits").kernel.shape == (6 + 2, 1)
    assert with_layer.count_params() == plain.count_params() + 6 * 2 * 5 + 2
    assert [layer.name for layer in plain.layers] == [layer.name for layer in with_layer.layers
                                                       if layer.name != "minibatch_discrimination"]


def test_infogan_discriminator_option_feeds_the_logit_and_not_q():
    kwargs = dict(input_shape=(28, 28, 1), categorical=(3,), continuous=1, base_filters=4, dense_units=6, q_units=5)
    plain = networks.infogan_discriminator(**kwargs)
    with_layer = networks.infogan_discriminator(**kwargs, minibatch_kernels=2)
    assert not samplewise(with_layer)
    assert with_layer.get_layer("logits").kernel.shape == (6 + 2, 1)
    assert with_layer.count_params() == plain.count_params() + 6 * 2 * 5 + 2
    # Q reads the shared layer alone: copies of one image get the same Q whatever the batch.
    x = np.repeat(np.random.default_rng(2).uniform(-1, 1, (1, 28, 28, 1)).astype("float32"), 4, axis=0)
    mixed = np.concatenate([x[:2], np.random.default_rng(3).uniform(-1, 1, (2, 28, 28, 1)).astype("float32")])
    q_alone = to_numpy(with_layer(x[:2], training=False)[1])
    q_mixed = to_numpy(with_layer(mixed, training=False)[1])[:2]
    np.testing.assert_allclose(q_mixed, q_alone, rtol=1e-5, atol=1e-6)
    logit_alone = to_numpy(with_layer(x[:2], training=False)[0])
    logit_mixed = to_numpy(with_layer(mixed, training=False)[0])[:2]
    assert not np.allclose(logit_mixed, logit_alone, atol=1e-6)  # the logit does read the batch


def test_numpy_integers_are_valid_sizes():
    layer = MinibatchDiscrimination(np.int64(3), np.int32(2))
    assert (layer.kernels, layer.kernel_dim) == (3, 2) and type(layer.kernels) is int
    model = networks.mlp_discriminator((4, 4, 1), hidden_units=(8,), minibatch_kernels=np.int64(2))
    assert model.get_layer("minibatch_discrimination").kernels == 2


def test_round_trip_through_a_keras_file(tmp_path):
    model = networks.mlp_discriminator((4, 4, 1), hidden_units=(8,), dropout=0.0, minibatch_kernels=3)
    x = np.random.default_rng(1).uniform(-1, 1, (5, 4, 4, 1)).astype("float32")
    path = str(tmp_path / "d.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(to_numpy(loaded(x)), to_numpy(model(x)), rtol=1e-5, atol=1e-6)
    assert loaded.get_layer("minibatch_discrimination").get_config()["kernels"] == 3


@pytest.mark.parametrize("kwargs, message", [
    ({"kernels": 0}, "kernels must be an integer >= 1, got 0"),
    ({"kernel_dim": True}, "kernel_dim must be an integer >= 1, got True"),
    ({"kernels": 2.5}, "kernels must be an integer >= 1, got 2.5"),
])
def test_bad_layer_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MinibatchDiscrimination(**kwargs)


def test_features_must_be_flat():
    with pytest.raises(ValueError, match=r"shape \(batch, n\), got \(None, 4, 4\)"):
        MinibatchDiscrimination().build((None, 4, 4))


@pytest.mark.parametrize("builder", [networks.mlp_discriminator, networks.dcgan_discriminator,
                                     networks.infogan_discriminator])
@pytest.mark.parametrize("value", [-1, 1.5, True, "10"])
def test_bad_minibatch_kernels_are_refused(builder, value):
    with pytest.raises(ValueError, match=f"minibatch_kernels must be an integer >= 0 \\(0: off\\), got {value!r}"):
        builder((28, 28, 1), minibatch_kernels=value)


def test_gan_trains_with_it_and_calls_the_discriminator_on_real_and_fake_apart():
    # Fused into one call, the fakes' closeness would count the real samples too.
    g = networks.mlp_generator(3, (4, 4, 1), hidden_units=(8,))
    d = networks.mlp_discriminator((4, 4, 1), hidden_units=(8,), dropout=0.0, minibatch_kernels=2)
    gan = kgan.GAN(g, d, seed=0)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
    x = np.random.default_rng(0).uniform(-1, 1, (128, 4, 4, 1)).astype("float32")
    history = gan.fit(x, batch_size=64, epochs=2, verbose=0).history
    assert np.isfinite(history["d_loss"]).all() and np.isfinite(history["g_loss"]).all()
    assert gan.fuses_discriminator_calls is False
    real, fake = x[:8], np.repeat(x[8:9], 8, axis=0)
    real_logits, fake_logits = gan.discriminate_real_and_fake(real, fake, None)
    np.testing.assert_allclose(to_numpy(real_logits), to_numpy(d(real, training=True)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(fake_logits), to_numpy(d(fake, training=True)), rtol=1e-5, atol=1e-6)
    together = to_numpy(d(np.concatenate([real, fake]), training=True))
    assert not np.allclose(together[8:], to_numpy(fake_logits), atol=1e-4)  # so the check above can fail
