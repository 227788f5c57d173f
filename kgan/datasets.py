"""Datasets as batched, shuffled tf.data pipelines of images in [-1, 1].

Real users download with the Keras / tensorflow-datasets loaders; offline, ``load_npz``
reads a local ``.npz`` (keys ``x_train``/``y_train`` as ``keras.datasets`` caches them, or
``images``/``labels``).
"""

import os

import numpy as np

from kgan.images import from_uint8


def load_npz(path, split="train"):
    """Return ``(images, labels)`` from a local ``.npz``: float32 NHWC in [-1, 1], labels or None."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Dataset file {path!r} does not exist.")
    with np.load(path, allow_pickle=False) as data:
        keys = set(data.keys())
        if f"x_{split}" in keys:
            images, labels = data[f"x_{split}"], data.get(f"y_{split}")
        elif "images" in keys:
            images, labels = data["images"], data.get("labels")
        else:
            raise ValueError(f"{path!r} has keys {sorted(keys)}; expected x_{split}/y_{split} or images/labels.")
    if images.dtype != np.uint8:
        raise ValueError(f"{path!r}: images must be uint8 in [0, 255], got {images.dtype}.")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(f"{path!r}: images must have shape (n, h, w[, c]), got {images.shape}.")
    return from_uint8(images), None if labels is None else labels.astype("int32")


def to_dataset(images, labels=None, batch_size=128, shuffle=True, seed=0, drop_remainder=True):
    """A shuffled, batched, prefetched ``tf.data.Dataset`` of images (and labels)."""
    import tensorflow as tf

    data = images if labels is None else (images, labels)
    dataset = tf.data.Dataset.from_tensor_slices(data)
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
