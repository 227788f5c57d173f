"""SelfAttention (SAGAN): the identity at start, attention as written, in the DCGAN builders."""

import re

import keras
import numpy as np
import pytest

import kgan
from kgan import networks
from kgan.networks.self_attention import SelfAttention


def _maps(n=2, side=8, channels=16, seed=0):
    return np.random.default_rng(seed).standard_normal((n, side, side, channels)).astype("float32")


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _reference(layer, x):
    """The block in NumPy from the layer's own weights: project, max-pool keys and values, softmax over
    the pooled positions, project back, add gamma times that to the input."""
    n, h, w, c = x.shape
    kernel = {name: keras.ops.convert_to_numpy(getattr(layer, name).kernel)
              for name in ("query", "key", "value", "output_projection")}
    p = layer.pool

    def pooled(y):
        y = y.reshape(n, h // p, p, w // p, p, y.shape[-1]).max(axis=(2, 4))
        return y.reshape(n, -1, y.shape[-1])

    queries = x.reshape(n, h * w, c) @ kernel["query"]
    keys, values = pooled(x @ kernel["key"]), pooled(x @ kernel["value"])
    attended = _softmax(queries @ keys.transpose(0, 2, 1)) @ values @ kernel["output_projection"]
    gamma = float(keras.ops.convert_to_numpy(layer.gamma))
    return (x.reshape(n, h * w, c) + gamma * attended).reshape(x.shape)


def test_starts_as_the_identity():
    x = _maps()
    layer = SelfAttention()
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x)), x)
    assert float(keras.ops.convert_to_numpy(layer.gamma)) == 0.0


@pytest.mark.parametrize("pool", [1, 2])
def test_matches_the_written_out_attention(pool):
    x = _maps(seed=1)
    layer = SelfAttention(pool=pool)
    layer.build(x.shape)
    layer.gamma.assign(0.7)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), _reference(layer, x), rtol=1e-4, atol=1e-5)
    # The shapes the docstring promises: keys channels // 8, values channels // 2.
    assert layer.query.kernel.shape == (16, 2) and layer.value.kernel.shape == (16, 8)
    assert layer.output_projection.kernel.shape == (8, 16)


def test_every_position_reads_every_other():
    """One pixel changed in a corner moves the output at the opposite corner: no convolution of
    this block's size could do that."""
    x = _maps(n=1, seed=2)
    layer = SelfAttention()
    layer.build(x.shape)
    layer.gamma.assign(1.0)
    y = x.copy()
    y[0, 0, 0] += 5.0
    before, after = (keras.ops.convert_to_numpy(layer(v)) for v in (x, y))
    assert np.abs(after[0, -1, -1] - before[0, -1, -1]).max() > 1e-4


def test_learns_its_gamma_from_zero():
    """gamma starts at 0 but has a gradient: a regression that needs global context moves it."""
    x = _maps(n=16, seed=3)
    target = x + x.mean(axis=(1, 2), keepdims=True)  # every position plus the map's mean
    inputs = keras.Input(x.shape[1:])
    model = keras.Model(inputs, SelfAttention(pool=1, name="attention")(inputs))
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    start = model.evaluate(x, target, verbose=0)
    model.fit(x, target, epochs=30, batch_size=16, verbose=0)
    assert float(keras.ops.convert_to_numpy(model.get_layer("attention").gamma)) != 0.0
    assert model.evaluate(x, target, verbose=0) < 0.5 * start


def test_spectral_norm_wraps_every_projection():
    layer = SelfAttention(spectral_norm=True)
    layer.build((None, 8, 8, 16))
    for projection in (layer.query, layer.key, layer.value, layer.output_projection):
        assert isinstance(projection, keras.layers.SpectralNormalization)
    x = _maps()
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x, training=True)), x)  # gamma 0


@pytest.mark.parametrize("kwargs", [dict(key_ratio=0), dict(pool=2.5), dict(pool=True), dict(spectral_norm="yes")])
def test_bad_settings_are_named(kwargs):
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        SelfAttention(**kwargs)


def test_pool_must_divide_the_map():
    with pytest.raises(ValueError, match="pool=2 must divide the map's height and width; got 7x7"):
        SelfAttention()(np.zeros((1, 7, 7, 8), "float32"))


def test_generator_places_the_block_after_the_asked_for_stage():
    generator = networks.dcgan_generator(16, (64, 64, 3), base_filters=8, upsampling="resize", attention=32)
    block = generator.get_layer("attention")
    assert isinstance(block, SelfAttention)
    assert generator.layers[generator.layers.index(block) - 1].name == "relu_3"  # the 32x32 stage
    assert block.output.shape[1:] == (32, 32, 8)
    plain = networks.dcgan_generator(16, (64, 64, 3), base_filters=8, upsampling="resize")
    plain.set_weights([w for layer in generator.layers if layer is not block for w in layer.get_weights()])
    noise = kgan.latent.sample(4, 16, seed=0)
    # gamma is 0: the same weights give the same images with and without the block.
    np.testing.assert_allclose(*(keras.ops.convert_to_numpy(g(noise, training=False)) for g in (generator, plain)),
                               atol=1e-6)


def test_discriminator_places_the_block_after_the_asked_for_stage():
    critic = networks.dcgan_discriminator((64, 64, 3), base_filters=8, attention=16, spectral_norm=True)
    block = critic.get_layer("attention")
    assert block.spectral_norm and critic.layers[critic.layers.index(block) - 1].name == "lrelu_2"
    assert block.output.shape[1:] == (16, 16, 16)
    assert critic(_maps(side=64, channels=3)).shape == (2, 1)


@pytest.mark.parametrize("builder, shape, sides", [
    (networks.dcgan_generator, (64, 64, 3), "(4, 8, 16, 32)"),
    (networks.dcgan_discriminator, (64, 64, 3), "(32, 16, 8, 4)"),
])
@pytest.mark.parametrize("side", [64, 5, True])
def test_attention_side_must_be_a_hidden_map(builder, shape, sides, side):
    args = (100, shape) if builder is networks.dcgan_generator else (shape,)
    with pytest.raises(ValueError, match=rf"attention must be None or the side .* one of {re.escape(sides)}; got {side!r}\."):
        builder(*args, attention=side)


def test_round_trips_through_a_keras_file(tmp_path):
    generator = networks.dcgan_generator(16, (32, 32, 3), base_filters=8, upsampling="resize", attention=16)
    generator.get_layer("attention").gamma.assign(0.5)
    path = str(tmp_path / "g.keras")
    generator.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.get_layer("attention").get_config() == generator.get_layer("attention").get_config()
    noise = kgan.latent.sample(3, 16, seed=1)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(noise, training=False)),
                               keras.ops.convert_to_numpy(generator(noise, training=False)), atol=1e-6)


def test_an_attending_discriminator_may_fuse_real_and_fake_calls_unless_spectrally_normalised():
    from kgan.models import fused_discriminator

    plain = networks.dcgan_discriminator((32, 32, 3), base_filters=8, normalization=None, attention=16)
    assert fused_discriminator.samplewise(plain)
    normalised = networks.dcgan_discriminator((32, 32, 3), base_filters=8, spectral_norm=True, attention=16)
    assert not fused_discriminator.samplewise(normalised)  # power iterations: one call is not two
