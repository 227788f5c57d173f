"""Residual (SNGAN-style) generator and discriminator: the architecture as written (checked against
NumPy), the shortcuts, spectral normalisation, attention placement, argument checks, saving,
mixed precision and a few steps of GAN training."""

import re

import keras
import numpy as np
import pytest

import kgan
from kgan.models.fused_discriminator import samplewise
from kgan.networks.resnet import resnet_attention_sides, resnet_discriminator, resnet_generator
from kgan.networks.self_attention import SelfAttention
from tests import factories

SN = keras.layers.SpectralNormalization
SHAPES = [(28, 28, 1), (32, 32, 3), (64, 64, 3)]


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _noise(n=4, dim=8, seed=0):
    return np.random.default_rng(seed).standard_normal((n, dim)).astype("float32")


def _images(shape=(28, 28, 1), n=4, seed=1):
    return np.random.default_rng(seed).uniform(-1, 1, (n, *shape)).astype("float32")


def _randomize(model, seed=0):
    """Every weight random (variances positive), so batch norm and biases are not the identity."""
    rng = np.random.default_rng(seed)
    for w in model.weights:
        shape = tuple(w.shape)
        if w.path.endswith("moving_variance"):
            w.assign(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            w.assign((0.3 * rng.standard_normal(shape)).astype("float32"))


# --- NumPy reference of the architecture ------------------------------------------------------


def _conv(x, layer):
    """A stride-1 "same" Conv2D (cross-correlation, odd kernel) in NumPy."""
    kernel = _np(layer.kernel)
    k = kernel.shape[0]
    pad = np.pad(x, ((0, 0), (k // 2, k // 2), (k // 2, k // 2), (0, 0)))
    h, w = x.shape[1:3]
    out = sum(pad[:, i:i + h, j:j + w, :] @ kernel[i, j] for i in range(k) for j in range(k))
    return out + _np(layer.bias) if layer.use_bias else out


def _bn(x, layer):
    g, b, m, v = (_np(w) for w in (layer.gamma, layer.beta, layer.moving_mean, layer.moving_variance))
    return (x - m) / np.sqrt(v + layer.epsilon) * g + b


def _relu(x):
    return np.maximum(x, 0)


def _up(x):
    return x.repeat(2, axis=1).repeat(2, axis=2)


def _pool(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))


def _reference_generator(g, z):
    """The 28x28 generator at inference, written out: Dense, reshape, two up-blocks, BN-ReLU-conv-tanh."""
    layer = g.get_layer
    x = z @ _np(layer("project").kernel) + _np(layer("project").bias)
    x = x.reshape(len(z), *layer("reshape").output.shape[1:])
    for i in (1, 2):
        p = f"block_{i}"
        h = _conv(_up(_relu(_bn(x, layer(f"{p}_bn_1")))), layer(f"{p}_conv_1"))
        h = _conv(_relu(_bn(h, layer(f"{p}_bn_2"))), layer(f"{p}_conv_2"))
        x = h + _conv(_up(x), layer(f"{p}_shortcut"))
    return np.tanh(_conv(_relu(_bn(x, layer("bn_out"))), layer("to_images")))


def _reference_discriminator(d, x):
    """The 28x28 discriminator written out: the optimized block, a plain block, ReLU, sum, Dense."""
    layer = d.get_layer
    h = _pool(_conv(_relu(_conv(x, layer("block_1_conv_1"))), layer("block_1_conv_2")))
    x = h + _conv(_pool(x), layer("block_1_shortcut"))
    h = _pool(_conv(_relu(_conv(_relu(x), layer("block_2_conv_1"))), layer("block_2_conv_2")))
    x = h + _pool(_conv(x, layer("block_2_shortcut")))
    features = _relu(x).sum(axis=(1, 2))
    return features @ _np(layer("logits").kernel) + _np(layer("logits").bias)


def test_generator_computes_the_written_out_residual_network():
    g = resnet_generator(8, (28, 28, 1), base_filters=4)
    _randomize(g)
    z = _noise(3)
    np.testing.assert_allclose(_np(g(z, training=False)), _reference_generator(g, z), rtol=1e-4, atol=1e-5)


def test_discriminator_computes_the_written_out_residual_network():
    d = resnet_discriminator((28, 28, 1), base_filters=4)
    _randomize(d)
    x = _images(n=3)
    np.testing.assert_allclose(_np(d(x)), _reference_discriminator(d, x), rtol=1e-4, atol=1e-4)


# --- shapes, widths, range ------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_shapes_widths_and_range(shape):
    g = resnet_generator(8, shape, base_filters=4)
    d = resnet_discriminator(shape, base_filters=4)
    fake = _np(g(_noise(), training=True))
    assert fake.shape == (4, *shape) and fake.dtype == np.float32
    assert -1 <= fake.min() < fake.max() <= 1 and fake.std() > 1e-3
    logits = _np(d(fake))
    assert logits.shape == (4, 1) and logits.dtype == np.float32 and np.isfinite(logits).all()
    assert len(np.unique(logits)) == 4  # one logit per image

    size, n = shape[0], {28: 2, 32: 3, 64: 4}[shape[0]]
    start = {28: 7, 32: 4, 64: 4}[size]
    assert g.get_layer("reshape").output.shape[1:] == (start, start, 4 * 2 ** (n - 1))
    g_blocks = [g.get_layer(f"block_{i}_add").output.shape[1:] for i in range(1, n + 1)]
    assert g_blocks == [(start * 2**i, start * 2**i, 4 * 2 ** max(n - 1 - i, 0)) for i in range(1, n + 1)]
    d_blocks = [d.get_layer(f"block_{i}_add").output.shape[1:] for i in range(1, n + 1)]
    assert d_blocks == [(size // 2**i, size // 2**i, 4 * 2 ** (i - 1)) for i in range(1, n + 1)]
    with pytest.raises(ValueError):
        g.get_layer(f"block_{n + 1}_add")
    # The sum over positions: the Rescaling multiplies the mean by the last map's positions.
    assert d.get_layer("global_sum").scale == start * start


def test_layer_names_are_stable():
    g = resnet_generator(8, (28, 28, 1), base_filters=4, name="g")
    block = ["bn_1", "relu_1", "upsample", "conv_1", "bn_2", "relu_2", "conv_2", "shortcut_upsample",
             "shortcut", "add"]
    assert g.name == "g"
    assert sorted(l.name for l in g.layers) == sorted(
        ["noise", "project", "reshape", "bn_out", "relu_out", "to_images", "tanh"]
        + [f"block_{i}_{n}" for i in (1, 2) for n in block])
    d = resnet_discriminator((28, 28, 1), base_filters=4, name="d")
    block = ["conv_1", "relu_2", "conv_2", "pool", "shortcut", "shortcut_pool", "add"]
    assert d.name == "d"
    assert sorted(l.name for l in d.layers) == sorted(
        ["images", "relu_out", "global_average", "global_sum", "logits", "block_2_relu_1"]
        + [f"block_{i}_{n}" for i in (1, 2) for n in block])
    assert not any("Normalization" in type(l).__name__ for l in d.layers)  # no normalisation layer


def test_discriminator_without_spectral_norm_is_per_sample():
    """Only per-sample layers (no Lambda, no batch statistics): a GAN may fuse real and fake."""
    assert samplewise(resnet_discriminator((28, 28, 1), base_filters=4))
    assert not samplewise(resnet_discriminator((28, 28, 1), base_filters=4, spectral_norm=True))


# --- the shortcuts ----------------------------------------------------------------------------------


def _zero(layer):
    for w in layer.weights:
        w.assign(np.zeros(w.shape, "float32"))


def test_generator_block_is_its_shortcut_when_its_main_path_is_zero():
    g = resnet_generator(8, (32, 32, 3), base_filters=4)
    _randomize(g)
    probe = keras.Model(g.input, [g.get_layer("block_1_add").output, g.get_layer("block_2_add").output])
    z = _noise()
    shortcut = g.get_layer("block_2_shortcut")

    def from_shortcut(x):  # nearest upsampling, then the 1x1 convolution
        return _up(x) @ _np(shortcut.kernel)[0, 0] + _np(shortcut.bias)

    before, out = (_np(t) for t in probe(z, training=False))
    assert not np.allclose(out, from_shortcut(before), atol=1e-3)  # the main path contributes
    _zero(g.get_layer("block_2_conv_2"))
    before, out = (_np(t) for t in probe(z, training=False))
    np.testing.assert_allclose(out, from_shortcut(before), rtol=1e-5, atol=1e-5)


def test_generator_still_depends_on_the_noise_with_every_main_path_zero():
    """Without shortcuts, zeroing each block's last convolution would make the images constant."""
    g = resnet_generator(8, (32, 32, 3), base_filters=4)
    _randomize(g)
    for i in (1, 2, 3):
        _zero(g.get_layer(f"block_{i}_conv_2"))
    a, b = (_np(g(_noise(seed=s), training=False)) for s in (0, 1))
    assert np.abs(a - b).max() > 1e-3


@pytest.mark.parametrize("block", [1, 2])
def test_discriminator_block_is_its_pooled_shortcut_when_its_main_path_is_zero(block):
    d = resnet_discriminator((32, 32, 3), base_filters=4)
    _randomize(d)
    name = f"block_{block}"
    into = d.input if block == 1 else d.get_layer("block_1_add").output
    probe = keras.Model(d.input, [into, d.get_layer(f"{name}_add").output])
    _zero(d.get_layer(f"{name}_conv_2"))
    x, out = (_np(t) for t in probe(_images((32, 32, 3))))
    shortcut = d.get_layer(f"{name}_shortcut")
    expected = _pool(x) @ _np(shortcut.kernel)[0, 0] + _np(shortcut.bias)  # 2x2 average, then 1x1 conv
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    # Both orders compute the same (pooling and a 1x1 convolution commute); the optimized block
    # pools first, on 4x fewer positions, the others convolve first (SNGAN's order).
    pool = d.get_layer(f"{name}_shortcut_pool")
    assert (shortcut.input is pool.output) if block == 1 else (pool.input is shortcut.output)
    # ... and the logits still depend on the image.
    assert np.abs(_np(d(_images((32, 32, 3), seed=2))) - _np(d(_images((32, 32, 3))))).max() > 1e-4


# --- spectral normalisation -------------------------------------------------------------------------


def test_spectral_norm_wraps_every_kernel_layer_and_bounds_it_at_one():
    d = resnet_discriminator((28, 28, 1), base_filters=4, spectral_norm=True)
    sn = [l for l in d.layers if isinstance(l, SN)]
    assert len(sn) == 3 * 2 + 1  # three convolutions per block, two blocks, and the logit Dense
    assert {type(l.layer) for l in sn} == {keras.layers.Conv2D, keras.layers.Dense}
    assert not any(isinstance(l, (keras.layers.Conv2D, keras.layers.Dense)) for l in d.layers)  # none bare
    assert all(l.power_iterations == 1 for l in sn) and d.get_layer("logits") in sn
    # Glorot kernels start away from 1
    assert max(abs(factories.largest_singular_value(l.kernel) - 1) for l in sn) > 0.3

    x = _images()
    factories.training_calls(d, x, 20)
    for layer in sn:
        _, normalized = layer.normalized_weights()
        assert factories.largest_singular_value(normalized) == pytest.approx(1.0, abs=0.05), layer.name
    assert _np(d(x)).dtype == np.float32


# --- attention --------------------------------------------------------------------------------------


def test_generator_places_attention_after_the_block_of_that_side():
    g = resnet_generator(8, (64, 64, 3), base_filters=4, attention=16)
    block = g.get_layer("attention")
    assert isinstance(block, SelfAttention) and not block.spectral_norm
    assert g.layers[g.layers.index(block) - 1].name == "block_2_add"
    assert block.output.shape[1:] == (16, 16, 8)
    assert g.get_layer("block_3_bn_1").input is block.output
    plain = resnet_generator(8, (64, 64, 3), base_filters=4)
    plain.set_weights([w for layer in g.layers if layer is not block for w in layer.get_weights()])
    z = _noise()
    # gamma starts at 0: the same weights give the same images with and without the block.
    np.testing.assert_allclose(_np(g(z, training=False)), _np(plain(z, training=False)), atol=1e-6)
    block.gamma.assign(1.0)
    assert np.abs(_np(g(z, training=False)) - _np(plain(z, training=False))).max() > 1e-4


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_discriminator_places_attention_after_the_block_of_that_side(spectral_norm):
    d = resnet_discriminator((32, 32, 3), base_filters=4, spectral_norm=spectral_norm, attention=8)
    block = d.get_layer("attention")
    assert block.spectral_norm is spectral_norm
    assert d.layers[d.layers.index(block) - 1].name == "block_2_add"
    assert block.output.shape[1:] == (8, 8, 8)
    assert d.get_layer("block_3_relu_1").input is block.output
    assert d(_images((32, 32, 3))).shape == (4, 1)


@pytest.mark.parametrize("size, network, sides", [
    (28, "generator", (14,)), (32, "generator", (8, 16)), (64, "generator", (8, 16, 32)),
    (28, "discriminator", (14,)), (32, "discriminator", (16, 8, 4)), (64, "discriminator", (32, 16, 8, 4)),
])
def test_every_allowed_attention_side_builds(size, network, sides):
    assert resnet_attention_sides(size, network) == sides
    shape = next(s for s in SHAPES if s[0] == size)
    for side in sides:
        model = (resnet_generator(8, shape, base_filters=4, attention=side) if network == "generator"
                 else resnet_discriminator(shape, base_filters=4, attention=side))
        assert model.get_layer("attention").output.shape[1] == side


@pytest.mark.parametrize("build, sides, side", [
    (lambda a: resnet_generator(8, (64, 64, 3), attention=a), "(8, 16, 32)", 4),
    (lambda a: resnet_generator(8, (64, 64, 3), attention=a), "(8, 16, 32)", 64),
    (lambda a: resnet_generator(8, (64, 64, 3), attention=a), "(8, 16, 32)", True),
    (lambda a: resnet_generator(8, (28, 28, 1), attention=a), "(14,)", 7),
    (lambda a: resnet_discriminator((28, 28, 1), attention=a), "(14,)", 7),
    (lambda a: resnet_discriminator((64, 64, 3), attention=a), "(32, 16, 8, 4)", 64),
    (lambda a: resnet_discriminator((64, 64, 3), attention=a), "(32, 16, 8, 4)", "32"),
])
def test_attention_side_must_be_an_allowed_block_output(build, sides, side):
    with pytest.raises(ValueError, match=rf"^resnet_(generator|discriminator): attention must be None or the side .* "
                                         rf"one of {re.escape(sides)}; got {re.escape(repr(side))}\.$"):
        build(side)


# --- argument checks --------------------------------------------------------------------------------


@pytest.mark.parametrize("fn, kwargs", [
    ("resnet_generator", dict(latent_dim=0)),
    ("resnet_generator", dict(latent_dim=2.5)),
    ("resnet_generator", dict(output_shape=(48, 48, 3))),
    ("resnet_generator", dict(output_shape=(64, 64, 2))),
    ("resnet_generator", dict(output_shape=(64, 32, 3))),
    ("resnet_generator", dict(output_shape="64")),
    ("resnet_generator", dict(base_filters=0)),
    ("resnet_generator", dict(base_filters=True)),
    ("resnet_discriminator", dict(input_shape=(32, 32))),
    ("resnet_discriminator", dict(base_filters=-1)),
    ("resnet_discriminator", dict(base_filters=8.0)),
    ("resnet_discriminator", dict(spectral_norm=1)),
    ("resnet_discriminator", dict(spectral_norm="yes")),
])
def test_bad_arguments_are_named(fn, kwargs):
    (arg, value), = kwargs.items()
    builder = {"resnet_generator": resnet_generator, "resnet_discriminator": resnet_discriminator}[fn]
    with pytest.raises(ValueError, match=rf"^{fn}: .*{arg}.*{re.escape(repr(value))}"):
        builder(**kwargs)


def test_attention_sides_rejects_an_unknown_network_or_size():
    with pytest.raises(ValueError, match="network must be 'generator' or 'discriminator', got 'critic'"):
        resnet_attention_sides(64, "critic")
    with pytest.raises(ValueError, match=r"size must be one of \(28, 32, 64\), got 48"):
        resnet_attention_sides(48, "generator")


# --- saving, mixed precision, training --------------------------------------------------------------


def test_round_trips_through_keras_files(tmp_path):
    g = resnet_generator(8, (28, 28, 1), base_filters=4, attention=14)
    g.get_layer("attention").gamma.assign(0.5)
    z = _noise()
    g(z, training=True)  # move the batch-norm statistics off their start
    d = resnet_discriminator((28, 28, 1), base_filters=4, spectral_norm=True, attention=14)
    d.get_layer("attention").gamma.assign(0.5)
    x = _images()
    factories.training_calls(d, x, 3)  # move vector_u and the kernels
    for name, model, inputs in (("g", g, z), ("d", d, x)):
        model.save(tmp_path / f"{name}.keras")
        loaded = keras.saving.load_model(tmp_path / f"{name}.keras")
        assert [l.name for l in loaded.layers] == [l.name for l in model.layers]
        np.testing.assert_allclose(_np(loaded(inputs, training=False)), _np(model(inputs, training=False)),
                                   rtol=1e-6, atol=1e-6)
    sn = [(a, b) for a, b in zip(d.layers, loaded.layers) if isinstance(a, SN)]
    assert sn and all(np.array_equal(_np(a.vector_u), _np(b.vector_u)) for a, b in sn)


@pytest.fixture
def mixed_float16():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_float32_outputs_under_mixed_float16(mixed_float16):
    g = resnet_generator(8, (28, 28, 1), base_filters=4, attention=14)
    d = resnet_discriminator((28, 28, 1), base_filters=4, spectral_norm=True, attention=14)
    assert g.get_layer("block_1_conv_1").compute_dtype == "float16"  # the policy reached the body
    assert d.get_layer("block_1_conv_1").compute_dtype == "float16"
    fake = g(_noise(), training=True)
    logits = d(fake, training=True)
    assert keras.backend.standardize_dtype(fake.dtype) == "float32"
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    assert np.isfinite(_np(fake)).all() and np.abs(_np(fake)).max() <= 1 and np.isfinite(_np(logits)).all()


def test_gan_of_resnets_trains_a_few_steps_with_hinge_loss():
    g = resnet_generator(8, (28, 28, 1), base_filters=4)
    d = resnet_discriminator((28, 28, 1), base_filters=4, spectral_norm=True)
    gan = kgan.GAN(g, d, loss="hinge", seed=0)
    gan.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.9),
                d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.9))
    before = {id(w): _np(w).copy() for w in g.trainable_weights + d.trainable_weights}
    # A tiny toy: bright blobs on a dark background.
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:28, :28]
    centres = rng.uniform(8, 20, (32, 2))
    real = np.exp(-((yy - centres[:, :1, None]) ** 2 + (xx - centres[:, 1:, None]) ** 2) / 20.0)
    real = (2 * real - 1)[..., None].astype("float32")
    history = gan.fit(real, batch_size=8, epochs=1, verbose=0).history
    assert int(gan.g_optimizer.iterations) == 4
    assert all(np.isfinite(history[k]).all() for k in ("d_loss", "g_loss"))
    # The hinge loss gives the logit's bias exactly zero gradient while every logit lies inside the
    # margin (-1, 1), as at the start: mean(-1) over real + mean(+1) over fake. Every other weight moves.
    d_weights = [w for w in d.trainable_weights if w.path != "logits/logits_kernel/bias"]
    assert len(d_weights) == len(d.trainable_weights) - 1
    for name, weights in (("generator", g.trainable_weights), ("discriminator", d_weights)):
        moved = [not np.allclose(_np(w), before[id(w)]) for w in weights]
        assert all(moved), (name, [w.path for w, m in zip(weights, moved) if not m])
