"""Spectrally normalised discriminators (SNGAN) and resize-convolution generators."""

import keras
import numpy as np
import pytest

import kgan
from kgan import networks
from tests import factories

SHAPE = (28, 28, 1)
BATCH = 4
SN = keras.layers.SpectralNormalization


def _images(shape=SHAPE, batch=BATCH):
    return np.random.default_rng(1).uniform(-1, 1, size=(batch, *shape)).astype("float32")


def _labels(batch=BATCH):
    return (np.arange(batch) % 10).astype("int32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _sn_layers(model):
    return [layer for layer in model.layers if isinstance(layer, SN)]


# Every discriminator builder, small, with spectral normalisation; and inputs that fit it.
DISCRIMINATORS = {
    "mlp": (lambda **kw: networks.mlp_discriminator(SHAPE, hidden_units=(32, 16), dropout=0.0, **kw), _images),
    "dcgan": (lambda **kw: networks.dcgan_discriminator(SHAPE, base_filters=8, **kw), _images),
    "conditional_mlp": (
        lambda **kw: networks.conditional_mlp_discriminator(SHAPE, hidden_units=(32, 16), embedding_dim=4,
                                                            dropout=0.0, **kw),
        lambda: [_images(), _labels()],
    ),
    "conditional_dcgan": (
        lambda **kw: networks.conditional_dcgan_discriminator(SHAPE, base_filters=8, embedding_dim=4, **kw),
        lambda: [_images(), _labels()],
    ),
}


# --- spectral normalisation -------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DISCRIMINATORS))
def test_spectral_norm_wraps_every_kernel_layer_and_bounds_it_at_one(name):
    build, inputs = DISCRIMINATORS[name]
    d = build(spectral_norm=True)
    sn = _sn_layers(d)
    assert sn and all(isinstance(l.layer, (keras.layers.Dense, keras.layers.Conv2D)) for l in sn)
    assert not any(isinstance(l, (keras.layers.Dense, keras.layers.Conv2D)) for l in d.layers)  # none left bare
    assert all(l.power_iterations == 1 for l in sn)
    assert d.get_layer("logits") in sn  # the wrapper keeps the layer's name
    # N(0, 0.02)/Glorot kernels start far from 1
    assert max(abs(factories.largest_singular_value(l.kernel) - 1) for l in sn) > 0.5

    x = inputs()
    factories.training_calls(d, x, 30)
    for layer in sn:
        vector_u, normalized = layer.normalized_weights()  # (u, W / sigma)
        assert _np(vector_u).shape == (1, layer.kernel.shape[-1])
        assert factories.largest_singular_value(normalized) == pytest.approx(1.0, abs=0.05), layer.name
    assert _np(d(x)).dtype == np.float32


def test_spectral_norm_drops_default_normalization_but_honours_an_explicit_one():
    def norms(model):
        names = {type(l).__name__ for l in model.layers if "Normalization" in type(l).__name__}
        return names - {"SpectralNormalization"}

    assert norms(networks.dcgan_discriminator(base_filters=8)) == {"BatchNormalization"}
    assert norms(networks.dcgan_discriminator(base_filters=8, spectral_norm=True)) == set()
    assert norms(networks.conditional_dcgan_discriminator(base_filters=8, spectral_norm=True)) == set()
    explicit = networks.dcgan_discriminator(base_filters=8, normalization="batch", spectral_norm=True)
    assert norms(explicit) == {"BatchNormalization"} and len(_sn_layers(explicit)) == 3
    layer = networks.dcgan_discriminator(base_filters=8, normalization="layer", spectral_norm=True)
    assert norms(layer) == {"GroupNormalization"}


def test_spectral_norm_off_keeps_the_saved_weight_layout():
    """Zoo weights load by these names and this order: spectral_norm=False must not move them."""
    d = networks.dcgan_discriminator(spectral_norm=False)
    assert [v.path for v in d.weights] == [
        "down_1/kernel", "down_1/bias", "down_2/kernel", "bn_2/gamma", "bn_2/beta",
        "bn_2/moving_mean", "bn_2/moving_variance", "logits/kernel", "logits/bias",
    ]
    c = networks.conditional_dcgan_discriminator(spectral_norm=False)
    assert [v.path for v in c.weights][:3] == ["label_embedding/embeddings", "label_projection/kernel",
                                               "label_projection/bias"]
    m = networks.mlp_discriminator(spectral_norm=False)
    assert [v.path for v in m.weights] == [f"{n}/{w}" for n in ("dense_1", "dense_2", "dense_3", "logits")
                                           for w in ("kernel", "bias")]
    for name, (build, _) in DISCRIMINATORS.items():
        assert not _sn_layers(build()), name
        assert build().to_json() == build(spectral_norm=False).to_json(), name


@pytest.mark.parametrize("name", list(DISCRIMINATORS))
def test_spectral_norm_discriminator_keras_file_round_trip(name, tmp_path):
    build, inputs = DISCRIMINATORS[name]
    d = build(spectral_norm=True)
    x = inputs()
    factories.training_calls(d, x, 3)  # move vector_u and the kernels off their initial values
    d.save(tmp_path / "d.keras")
    loaded = keras.saving.load_model(tmp_path / "d.keras")
    assert [type(l).__name__ for l in loaded.layers] == [type(l).__name__ for l in d.layers]
    np.testing.assert_array_equal(_np(loaded(x)), _np(d(x)))
    for a, b in zip(_sn_layers(d), _sn_layers(loaded)):
        np.testing.assert_array_equal(_np(b.vector_u), _np(a.vector_u))


def test_gan_with_sn_discriminator_trains_with_hinge_loss_and_round_trips(tmp_path):
    g = networks.dcgan_generator(latent_dim=8, output_shape=SHAPE, base_filters=4, upsampling="resize")
    d = networks.dcgan_discriminator(SHAPE, base_filters=4, spectral_norm=True)
    gan = kgan.GAN(g, d, loss="hinge", seed=0)
    gan.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    # A (1, 1) vector_u (the single-logit Dense) is +-1 whatever happens: watch the others.
    watched = [l for l in _sn_layers(d) if l.kernel.shape[-1] > 1]
    assert len(watched) == 2
    before = [(_np(l.vector_u), _np(l.kernel)) for l in watched]

    history = gan.fit(_images(batch=16), batch_size=8, epochs=1, verbose=0).history
    assert all(np.isfinite(history[k][-1]) for k in ("d_loss", "g_loss"))
    for layer, (u, kernel) in zip(watched, before):
        assert not np.allclose(_np(layer.vector_u), u), layer.name  # power iteration ran in fit
        assert not np.allclose(_np(layer.kernel), kernel), layer.name  # and the weights trained

    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    x, noise = _images(), np.random.default_rng(2).normal(size=(BATCH, 8)).astype("float32")
    np.testing.assert_array_equal(_np(loaded.discriminator(x)), _np(gan.discriminator(x)))
    np.testing.assert_array_equal(_np(loaded.generator(noise)), _np(gan.generator(noise)))
    for a, b in zip(_sn_layers(gan.discriminator), _sn_layers(loaded.discriminator)):
        np.testing.assert_array_equal(_np(b.vector_u), _np(a.vector_u))


# --- generator upsampling ---------------------------------------------------------------------


GENERATORS = {
    "dcgan": (lambda shape, **kw: networks.dcgan_generator(8, shape, base_filters=4, **kw),
              lambda: np.random.default_rng(0).normal(size=(BATCH, 8)).astype("float32")),
    "conditional_dcgan": (
        lambda shape, **kw: networks.conditional_dcgan_generator(8, 10, shape, base_filters=4, embedding_dim=4, **kw),
        lambda: [np.random.default_rng(0).normal(size=(BATCH, 8)).astype("float32"), _labels()],
    ),
}


def _layers(model, cls):
    return [l for l in model.layers if type(l) is cls]


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3)])
@pytest.mark.parametrize("name", list(GENERATORS))
def test_resize_generator_shapes_range_and_layers(name, shape):
    build, inputs = GENERATORS[name]
    resize, transposed = build(shape, upsampling="resize"), build(shape)
    fake = _np(resize(inputs(), training=False))
    assert fake.shape == (BATCH, *shape) and fake.dtype == np.float32
    assert -1 <= fake.min() < fake.max() <= 1
    assert resize.layers[-1].activation is keras.activations.tanh

    assert not _layers(resize, keras.layers.Conv2DTranspose)
    ups = _layers(resize, keras.layers.UpSampling2D)
    assert ups and all(u.interpolation == "nearest" and tuple(u.size) == (2, 2) for u in ups)
    convs = _layers(resize, keras.layers.Conv2D)
    assert all(c.kernel_size == (3, 3) and c.strides == (1, 1) for c in convs)
    # Same stages, same filter counts: only the upsampling differs.
    deconvs = _layers(transposed, keras.layers.Conv2DTranspose)
    assert [c.filters for c in convs] == [c.filters for c in deconvs] and len(ups) == len(deconvs)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_default_generators_still_use_transposed_convolutions(name):
    build, inputs = GENERATORS[name]
    default = build((28, 28, 1))
    deconvs = _layers(default, keras.layers.Conv2DTranspose)
    assert len(deconvs) == 2 and all(c.kernel_size == (4, 4) and c.strides == (2, 2) for c in deconvs)
    assert not _layers(default, keras.layers.UpSampling2D) and not _layers(default, keras.layers.Conv2D)
    assert build((28, 28, 1), upsampling="transposed").to_json() == default.to_json()
    assert [v.path for v in networks.dcgan_generator().weights] == [
        "project/kernel", "bn_0/gamma", "bn_0/beta", "bn_0/moving_mean", "bn_0/moving_variance",
        "up_1/kernel", "bn_1/gamma", "bn_1/beta", "bn_1/moving_mean", "bn_1/moving_variance",
        "to_images/kernel", "to_images/bias",
    ]


def test_resize_generator_takes_an_explicit_kernel_size():
    g = networks.dcgan_generator(8, (28, 28, 1), base_filters=4, kernel_size=5, upsampling="resize")
    assert {c.kernel_size for c in _layers(g, keras.layers.Conv2D)} == {(5, 5)}


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("builder", [networks.dcgan_generator, networks.conditional_dcgan_generator])
@pytest.mark.parametrize("value", ["bilinear", None, "Resize"])
def test_unknown_upsampling_raises_naming_the_valid_values(builder, value):
    with pytest.raises(ValueError, match=rf"upsampling.*\('transposed', 'resize'\).*{value!r}"):
        builder(upsampling=value)


@pytest.mark.parametrize("name", list(DISCRIMINATORS))
def test_spectral_norm_must_be_a_bool(name):
    build, _ = DISCRIMINATORS[name]
    with pytest.raises(ValueError, match="spectral_norm.*True or False.*'yes'"):
        build(spectral_norm="yes")
