"""Class-conditional generators and discriminators (Mirza & Osindero, 2014).

Labels are integer class ids of shape (batch,). Each label is embedded by a learned
Embedding; generators concatenate the embedding to the noise, discriminators append it to
their input (as a feature for MLPs, as an extra image channel for DCGANs) or, for the DCGAN
discriminator with `conditioning="projection"`, take its inner product with their features
(the projection discriminator of Miyato & Koyama, 2018). The bodies are the
unconditional ones from mlp.py and dcgan.py, so both families stay in step: the options
`spectral_norm` (discriminators) and `upsampling` (DCGAN generator) mean the same here.

Call as `generator([noise, labels])` and `discriminator([images, labels])`.
"""

import math

import keras

from kgan.networks.dcgan import (
    _check_normalization,
    _check_upsampling,
    _dense_units,
    _discriminator_body,
    _discriminator_features,
    _init,
    _logit,
    _generator_body,
    _generator_kernel,
    _image_shape,
)
from kgan.networks.mlp import (
    _activation,
    _flag,
    _kernel_layer,
    _mlp_discriminator_body,
    _mlp_generator_body,
    _positive_int,
    _rate,
    _shape,
    _units,
)


_CONDITIONINGS = ("channel", "projection")


def _labels_embedding(num_classes, embedding_dim):
    """The int32 labels input (shape (batch,)) and its embedding (batch, embedding_dim)."""
    labels = keras.Input(shape=(), dtype="int32", name="labels")
    embedded = keras.layers.Embedding(num_classes, embedding_dim, name="label_embedding")(labels)
    return labels, embedded


def conditional_mlp_generator(
    latent_dim=100,
    num_classes=10,
    output_shape=(28, 28, 1),
    hidden_units=(256, 512, 1024),
    embedding_dim=50,
    output_activation="tanh",
    batch_norm=False,
    name="conditional_mlp_generator",
):
    """[noise (batch, latent_dim), labels (batch,)] -> samples (batch, *output_shape)."""
    fn = "conditional_mlp_generator"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    num_classes = _positive_int(num_classes, "num_classes", fn)
    output_shape = _shape(output_shape, "output_shape", fn)
    hidden_units = _units(hidden_units, "hidden_units", fn)
    embedding_dim = _positive_int(embedding_dim, "embedding_dim", fn)
    activation = _activation(output_activation, fn)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    labels, embedded = _labels_embedding(num_classes, embedding_dim)
    x = keras.layers.Concatenate(name="noise_and_label")([noise, embedded])
    out = _mlp_generator_body(x, output_shape, hidden_units, activation, bool(batch_norm))
    return keras.Model([noise, labels], out, name=name)


def conditional_mlp_discriminator(
    input_shape=(28, 28, 1),
    num_classes=10,
    hidden_units=(1024, 512, 256),
    embedding_dim=50,
    dropout=0.3,
    spectral_norm=False,
    name="conditional_mlp_discriminator",
):
    """[images (batch, *input_shape), labels (batch,)] -> raw logits (batch, 1).

    `spectral_norm=True` wraps every Dense in `keras.layers.SpectralNormalization` (SNGAN),
    as in `mlp_discriminator`; the label Embedding, a per-class lookup, stays as it is.
    """
    fn = "conditional_mlp_discriminator"
    input_shape = _shape(input_shape, "input_shape", fn)
    num_classes = _positive_int(num_classes, "num_classes", fn)
    hidden_units = _units(hidden_units, "hidden_units", fn)
    embedding_dim = _positive_int(embedding_dim, "embedding_dim", fn)
    dropout = _rate(dropout, "dropout", fn)
    spectral_norm = _flag(spectral_norm, "spectral_norm", fn)
    images = keras.Input(shape=input_shape, name="images")
    labels, embedded = _labels_embedding(num_classes, embedding_dim)
    x = keras.layers.Flatten(name="flatten_images")(images)
    x = keras.layers.Concatenate(name="image_and_label")([x, embedded])
    logits = _mlp_discriminator_body(x, hidden_units, dropout, spectral_norm)
    return keras.Model([images, labels], logits, name=name)


def conditional_dcgan_generator(
    latent_dim=100,
    num_classes=10,
    output_shape=(28, 28, 1),
    base_filters=64,
    embedding_dim=50,
    kernel_size=None,
    upsampling="transposed",
    name="conditional_dcgan_generator",
):
    """[noise (batch, latent_dim), labels (batch,)] -> images (batch, *output_shape) in [-1, 1].

    `upsampling` ("transposed" or "resize") and `kernel_size` (default 4 or 3 accordingly)
    are those of `dcgan_generator`.
    """
    fn = "conditional_dcgan_generator"
    latent_dim = _positive_int(latent_dim, "latent_dim", fn)
    num_classes = _positive_int(num_classes, "num_classes", fn)
    output_shape = _image_shape(output_shape, "output_shape", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    embedding_dim = _positive_int(embedding_dim, "embedding_dim", fn)
    upsampling = _check_upsampling(upsampling, fn)
    kernel_size = _generator_kernel(kernel_size, upsampling, fn)
    noise = keras.Input(shape=(latent_dim,), name="noise")
    labels, embedded = _labels_embedding(num_classes, embedding_dim)
    z = keras.layers.Concatenate(name="noise_and_label")([noise, embedded])
    images = _generator_body(z, output_shape, base_filters, kernel_size, upsampling)
    return keras.Model([noise, labels], images, name=name)


def conditional_dcgan_discriminator(
    input_shape=(28, 28, 1),
    num_classes=10,
    base_filters=64,
    embedding_dim=50,
    kernel_size=4,
    normalization="auto",
    spectral_norm=False,
    conditioning="channel",
    dense_units=None,
    name="conditional_dcgan_discriminator",
):
    """[images (batch, *input_shape), labels (batch,)] -> raw logits (batch, 1).

    `conditioning="channel"` (the default): the label embedding (`embedding_dim`) is projected
    to an (H, W, 1) map and appended as an extra image channel. `"projection"` (Miyato & Koyama
    2018): the logit is ``w . phi(x) + e_y . phi(x)``, the unconditional logit plus the inner
    product of the image's features ``phi(x)`` with a learned embedding ``e_y`` of its label
    (as wide as the features; `embedding_dim` is then unused): the label acts on what the
    network has seen rather than on raw pixels, which in the paper made samples match their
    class more often. `normalization`, `spectral_norm` and `dense_units` are those of
    `dcgan_discriminator` ("auto": "batch", or None with spectral normalisation);
    `spectral_norm` also normalises the channel conditioning's label projection (a Dense),
    while the label Embeddings, per-class lookups, stay as they are.
    """
    fn = "conditional_dcgan_discriminator"
    input_shape = _image_shape(input_shape, "input_shape", fn)
    num_classes = _positive_int(num_classes, "num_classes", fn)
    base_filters = _positive_int(base_filters, "base_filters", fn)
    embedding_dim = _positive_int(embedding_dim, "embedding_dim", fn)
    kernel_size = _positive_int(kernel_size, "kernel_size", fn)
    spectral_norm = _flag(spectral_norm, "spectral_norm", fn)
    normalization = _check_normalization(normalization, spectral_norm, fn)
    if conditioning not in _CONDITIONINGS:
        raise ValueError(f"{fn}: conditioning must be one of {_CONDITIONINGS}, got {conditioning!r}.")
    dense_units = _dense_units(dense_units, fn)
    height, width = input_shape[:2]
    images = keras.Input(shape=input_shape, name="images")
    if conditioning == "projection":
        labels = keras.Input(shape=(), dtype="int32", name="labels")
        features = _discriminator_features(images, height, base_filters, kernel_size, normalization,
                                           spectral_norm=spectral_norm, dense_units=dense_units)
        logits = _logit(features, spectral_norm)
        embedded = keras.layers.Embedding(num_classes, features.shape[-1], embeddings_initializer=_init(),
                                          name="label_embedding")(labels)
        projection = keras.layers.Dot(axes=1, dtype="float32", name="label_projection")([features, embedded])
        logits = keras.layers.Add(dtype="float32", name="projected_logits")([logits, projection])
        return keras.Model([images, labels], logits, name=name)
    labels, embedded = _labels_embedding(num_classes, embedding_dim)
    label_map = _kernel_layer(
        keras.layers.Dense, spectral_norm, "label_projection", units=math.prod((height, width))
    )(embedded)
    label_map = keras.layers.Reshape((height, width, 1), name="label_map")(label_map)
    x = keras.layers.Concatenate(name="image_and_label")([images, label_map])
    logits = _discriminator_body(x, height, base_filters, kernel_size, normalization, spectral_norm=spectral_norm,
                                 dense_units=dense_units)
    return keras.Model([images, labels], logits, name=name)
