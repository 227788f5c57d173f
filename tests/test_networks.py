"""Shapes, serialization and argument checks of the kgan.networks builders."""

import re

import keras
import numpy as np
import pytest

from kgan import networks

IMAGE_SHAPES = [(28, 28, 1), (32, 32, 1), (32, 32, 3), (64, 64, 1), (64, 64, 3)]
BATCH = 2


def _noise(dim=100, batch=BATCH):
    return np.random.default_rng(0).normal(size=(batch, dim)).astype("float32")


def _images(shape, batch=BATCH):
    return np.random.default_rng(1).uniform(-1, 1, size=(batch, *shape)).astype("float32")


def _labels(batch=BATCH, dtype="int32"):
    return (np.arange(batch) % 10).astype(dtype)


# Every builder with small widths, and inputs that fit it.
BUILDERS = {
    "mlp_generator": (lambda: networks.mlp_generator(hidden_units=(16, 32)), lambda: _noise()),
    "mlp_discriminator": (
        lambda: networks.mlp_discriminator(hidden_units=(32, 16)),
        lambda: _images((28, 28, 1)),
    ),
    "dcgan_generator": (lambda: networks.dcgan_generator(base_filters=8), lambda: _noise()),
    "dcgan_discriminator": (
        lambda: networks.dcgan_discriminator(base_filters=8),
        lambda: _images((28, 28, 1)),
    ),
    "conditional_mlp_generator": (
        lambda: networks.conditional_mlp_generator(hidden_units=(16, 32), embedding_dim=4),
        lambda: [_noise(), _labels()],
    ),
    "conditional_mlp_discriminator": (
        lambda: networks.conditional_mlp_discriminator(hidden_units=(32, 16), embedding_dim=4),
        lambda: [_images((28, 28, 1)), _labels()],
    ),
    "conditional_dcgan_generator": (
        lambda: networks.conditional_dcgan_generator(base_filters=8, embedding_dim=4),
        lambda: [_noise(), _labels()],
    ),
    "conditional_dcgan_discriminator": (
        lambda: networks.conditional_dcgan_discriminator(base_filters=8, embedding_dim=4),
        lambda: [_images((28, 28, 1)), _labels()],
    ),
}


def _run(model, inputs):
    return keras.ops.convert_to_numpy(model(inputs, training=False))


@pytest.mark.parametrize("shape", IMAGE_SHAPES)
def test_dcgan_shapes_and_ranges(shape):
    g = networks.dcgan_generator(latent_dim=100, output_shape=shape, base_filters=8)
    d = networks.dcgan_discriminator(input_shape=shape, base_filters=8)
    fake = _run(g, _noise())
    assert fake.shape == (BATCH, *shape) and fake.dtype == np.float32
    assert fake.min() >= -1 and fake.max() <= 1
    assert _run(d, fake).shape == (BATCH, 1)


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3)])
def test_conditional_dcgan_shapes(shape):
    g = networks.conditional_dcgan_generator(num_classes=10, output_shape=shape, base_filters=8)
    d = networks.conditional_dcgan_discriminator(input_shape=shape, num_classes=10, base_filters=8)
    fake = _run(g, [_noise(), _labels()])
    assert fake.shape == (BATCH, *shape)
    assert fake.min() >= -1 and fake.max() <= 1
    assert _run(d, [fake, _labels()]).shape == (BATCH, 1)


def test_mlp_shapes_and_linear_output_for_toy_data():
    g = networks.mlp_generator(latent_dim=100, output_shape=(28, 28, 1))
    d = networks.mlp_discriminator(input_shape=(28, 28, 1))
    fake = _run(g, _noise())
    assert fake.shape == (BATCH, 28, 28, 1) and fake.min() >= -1 and fake.max() <= 1
    assert _run(d, fake).shape == (BATCH, 1)

    g2 = networks.mlp_generator(latent_dim=2, output_shape=(2,), hidden_units=(8,), output_activation=None)
    d2 = networks.mlp_discriminator(input_shape=(2,), hidden_units=(8,))
    big = _run(g2, 1e3 * _noise(dim=2))
    assert big.shape == (BATCH, 2) and np.abs(big).max() > 1  # linear: not squashed into [-1, 1]
    assert _run(d2, big).shape == (BATCH, 1)


def test_mlp_batch_norm_flag():
    g = networks.mlp_generator(hidden_units=(8, 8), batch_norm=True)
    assert sum(isinstance(l, keras.layers.BatchNormalization) for l in g.layers) == 2
    assert not any(isinstance(l, keras.layers.BatchNormalization) for l in networks.mlp_generator().layers)


@pytest.mark.parametrize("labels_dtype", ["int32", "int64"])
def test_conditional_models_take_int_labels_of_shape_batch(labels_dtype):
    g = networks.conditional_mlp_generator(num_classes=3, output_shape=(4,), hidden_units=(8,))
    d = networks.conditional_mlp_discriminator(input_shape=(4,), num_classes=3, hidden_units=(8,))
    assert tuple(g.get_layer("labels").batch_shape) == (None,)
    noise = np.repeat(_noise(batch=1), 3, axis=0)
    labels = np.array([0, 1, 2], dtype=labels_dtype)
    fake = _run(g, [noise, labels])
    assert fake.shape == (3, 4)
    # Same noise, different labels: the label must change the sample.
    assert not np.allclose(fake[0], fake[1]) and not np.allclose(fake[1], fake[2])
    assert _run(d, [fake, labels]).shape == (3, 1)


def test_discriminator_normalization_choices():
    def norms(model):
        return {type(l).__name__ for l in model.layers if "Normalization" in type(l).__name__}

    assert norms(networks.dcgan_discriminator(base_filters=8)) == {"BatchNormalization"}
    assert norms(networks.dcgan_discriminator(base_filters=8, normalization="layer")) == {"GroupNormalization"}
    critic = networks.conditional_dcgan_discriminator(base_filters=8, normalization=None)
    assert norms(critic) == set()
    assert _run(critic, [_images((28, 28, 1)), _labels()]).shape == (BATCH, 1)


def test_dcgan_discriminator_dropout_acts_only_in_training():
    plain = networks.dcgan_discriminator(base_filters=8)
    dropped = networks.dcgan_discriminator(base_filters=8, dropout=0.3)
    dropped.set_weights(plain.get_weights())  # dropout adds no weights
    images = _images((28, 28, 1))
    np.testing.assert_allclose(_run(dropped, images), _run(plain, images), rtol=1e-5, atol=1e-6)
    train = [keras.ops.convert_to_numpy(dropped(images, training=True)) for _ in range(2)]
    assert not np.allclose(train[0], train[1])


@pytest.mark.parametrize("normalization", ["batch", "layer", None])
def test_dcgan_discriminator_hidden_dense_layer(normalization):
    plain = networks.dcgan_discriminator(base_filters=8, normalization=normalization)
    hidden = networks.dcgan_discriminator(base_filters=8, normalization=normalization, dense_units=16)
    layer = hidden.get_layer("hidden")
    assert layer.units == 16 and layer.use_bias == (normalization is None)
    # conv weights, the hidden layer (+ normalisation), then a logit that reads 16 features
    assert hidden.get_layer("logits").kernel.shape == (16, 1)
    assert hidden.count_params() > plain.count_params()
    assert _run(hidden, _images((28, 28, 1))).shape == (BATCH, 1)
    with pytest.raises(ValueError, match="dense_units must be a positive integer, got 0"):
        networks.dcgan_discriminator(dense_units=0)


def test_dcgan_generator_hidden_dense_layer():
    plain = networks.dcgan_generator(8, base_filters=8)
    hidden = networks.dcgan_generator(8, base_filters=8, dense_units=16)
    assert hidden.get_layer("hidden").units == 16 and hidden.get_layer("bn_hidden") is not None
    # the projection now reads the 16 hidden units instead of the 8 noise values
    assert hidden.get_layer("project").kernel.shape == (16, 7 * 7 * 16)
    assert plain.get_layer("project").kernel.shape == (8, 7 * 7 * 16)
    assert _run(hidden, np.random.default_rng(0).normal(size=(BATCH, 8)).astype("float32")).shape == (BATCH, 28, 28, 1)
    with pytest.raises(ValueError, match="dense_units must be a positive integer, got 0"):
        networks.dcgan_generator(dense_units=0)
    info = networks.infogan_generator(4, (3,), 1, base_filters=8, dense_units=16)
    assert info.get_layer("project").kernel.shape == (16, 7 * 7 * 16)


@pytest.mark.parametrize("dense_units", [None, 12])
def test_projection_discriminator_adds_the_label_embedding_dot_the_features(dense_units):
    d = networks.conditional_dcgan_discriminator(base_filters=8, conditioning="projection", dense_units=dense_units)
    rng = np.random.default_rng(0)
    for weight in d.weights:  # random weights everywhere, so every term matters
        weight.assign(rng.normal(0, 0.3, weight.shape).astype("float32"))
    images, labels = _images((28, 28, 1), batch=3), np.array([0, 3, 7], "int32")
    features_layer = d.get_layer("lrelu_hidden" if dense_units else "flatten")
    features = _run(keras.Model(d.inputs[0], features_layer.output), images)
    assert features.shape == (3, dense_units or 7 * 7 * 16)
    logits = d.get_layer("logits")
    w, b = (keras.ops.convert_to_numpy(v) for v in (logits.kernel, logits.bias))
    table = keras.ops.convert_to_numpy(d.get_layer("label_embedding").embeddings)
    expected = features @ w + b + np.sum(features * table[labels], axis=1, keepdims=True)
    np.testing.assert_allclose(_run(d, [images, labels]), expected, rtol=1e-4, atol=1e-4)
    other = _run(d, [images, np.array([1, 4, 8], "int32")])
    assert not np.allclose(other, expected)  # the label changes the logit
    clone = keras.models.model_from_json(d.to_json())
    clone.set_weights(d.get_weights())
    np.testing.assert_allclose(_run(clone, [images, labels]), expected, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="conditioning must be one of .*got 'concat'"):
        networks.conditional_dcgan_discriminator(conditioning="concat")


@pytest.mark.parametrize("name", list(BUILDERS))
def test_builtin_layers_names_and_json_round_trip(name):
    build, inputs = BUILDERS[name]
    model = build()
    assert model.name == name
    assert [t.name for t in model.inputs] == (
        ["noise"] if name.endswith("generator") else ["images"]
    ) + (["labels"] if name.startswith("conditional") else [])
    for layer in model.layers:
        assert type(layer).__module__.startswith("keras.src.layers"), layer
        assert not isinstance(layer, keras.layers.Lambda), layer

    clone = keras.models.model_from_json(model.to_json())
    clone.set_weights(model.get_weights())
    x = inputs()
    np.testing.assert_allclose(_run(clone, x), _run(model, x), rtol=1e-6, atol=1e-6)


def test_keras_file_round_trip(tmp_path):
    model = networks.conditional_dcgan_generator(base_filters=8, embedding_dim=4)
    path = tmp_path / "g.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    x = [_noise(), _labels()]
    np.testing.assert_allclose(_run(loaded, x), _run(model, x), rtol=1e-6, atol=1e-6)


def test_default_dcgan_sizes_stay_modest():
    assert networks.dcgan_generator().count_params() < 2_000_000
    assert networks.dcgan_discriminator().count_params() < 2_000_000


@pytest.mark.parametrize("shape", [(48, 48, 3), (28, 28, 2), (32, 28, 1), (64, 64), (0, 0, 1)])
@pytest.mark.parametrize(
    "builder, arg",
    [
        (networks.dcgan_generator, "output_shape"),
        (networks.dcgan_discriminator, "input_shape"),
        (networks.conditional_dcgan_generator, "output_shape"),
        (networks.conditional_dcgan_discriminator, "input_shape"),
    ],
)
def test_unsupported_image_shapes_raise(builder, arg, shape):
    with pytest.raises(ValueError, match=rf"{arg}.*{re.escape(repr(shape))}.*\(28, 28, 1\)"):
        builder(**{arg: shape})


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: networks.mlp_generator(latent_dim=0), "latent_dim.*0"),
        (lambda: networks.dcgan_generator(latent_dim=2.5), "latent_dim.*2.5"),
        (lambda: networks.mlp_generator(output_shape=(28, -1)), r"output_shape.*\(28, -1\)"),
        (lambda: networks.mlp_generator(hidden_units=()), r"hidden_units.*\(\)"),
        (lambda: networks.mlp_generator(output_activation="nope"), "output_activation.*nope"),
        (lambda: networks.mlp_discriminator(dropout=1.0), "dropout.*1.0"),
        (lambda: networks.dcgan_discriminator(normalization="instance"), "normalization.*instance"),
        (lambda: networks.dcgan_discriminator(dropout=-0.1), "dropout.*-0.1"),
        (lambda: networks.dcgan_generator(base_filters=True), "base_filters.*True"),
        (lambda: networks.conditional_dcgan_generator(num_classes=0), "num_classes.*0"),
        (lambda: networks.conditional_mlp_discriminator(embedding_dim=-3), "embedding_dim.*-3"),
    ],
)
def test_bad_arguments_raise(call, match):
    with pytest.raises(ValueError, match=match):
        call()
