"""Datasets as batched, shuffled tf.data pipelines of images in [-1, 1].

Real users download with the Keras / tensorflow-datasets loaders; offline, ``load_npz``
reads a local ``.npz`` (keys ``x_train``/``y_train`` as ``keras.datasets`` caches them, or
``images``/``labels``).
"""

import os
import zipfile

import numpy as np

from kgan.images import from_uint8


def load_npz(path, split="train"):
    """Return ``(images, labels)`` from a local ``.npz``: float32 NHWC in [-1, 1], labels or None."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Dataset file {path!r} does not exist.")
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"Cannot read dataset {path!r} as a .npz file: {error}") from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"Cannot read dataset {path!r}: it holds one array, not a .npz archive of named arrays.")
    with data:
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


KERAS_DATASETS = ("mnist", "fashion_mnist")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def load(name_or_path, image_size=None):
    """Training images (and labels) by dataset name or local path, as NumPy in [-1, 1].

    - ``"mnist"``, ``"fashion_mnist"``: the Keras loaders (they download when online);
    - ``"celeba"``: tensorflow-datasets ``celeb_a``, centre-cropped and resized to 64x64;
    - a ``.npz`` file (``x_train``/``y_train`` or ``images``/``labels``);
    - a folder of images (``keras.utils.image_dataset_from_directory``; ``image_size``
      defaults to 64), without labels.
    """
    if name_or_path in KERAS_DATASETS:
        import keras

        (x, y), _ = getattr(keras.datasets, name_or_path).load_data()
        return from_uint8(x[..., None]), y.astype("int32")
    if name_or_path == "celeba":
        return _load_celeba(image_size or 64)
    path = os.fspath(name_or_path)
    if os.path.isdir(path):
        return _load_folder(path, image_size or 64), None
    if path.endswith(".npz"):
        return load_npz(path)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"Dataset {path!r} is neither a known name {KERAS_DATASETS + ('celeba',)} nor an existing file or folder."
        )
    raise ValueError(f"Cannot read dataset {path!r}: expected a .npz file or a folder of images.")


def _load_folder(path, image_size):
    import keras

    files = [f for f in os.listdir(path) if f.lower().endswith(IMAGE_SUFFIXES)]
    nested = [d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d))]
    if not files and not nested:
        raise ValueError(f"Folder {path!r} holds no images ({', '.join(IMAGE_SUFFIXES)}).")
    dataset = keras.utils.image_dataset_from_directory(
        path, labels=None, image_size=(image_size, image_size), batch_size=256, shuffle=False, verbose=False,
        crop_to_aspect_ratio=True,
    )
    images = np.concatenate([np.asarray(batch) for batch in dataset])
    return (images / 127.5 - 1.0).astype("float32")


def _load_celeba(image_size):
    try:
        import tensorflow_datasets as tfds
    except ImportError as error:
        raise ImportError("The 'celeba' dataset needs tensorflow-datasets: pip install tensorflow-datasets") from error
    import tensorflow as tf

    def crop(example):  # the usual DCGAN crop of img_align_celeba (178x218): a 140x140 face box
        image = tf.image.crop_to_bounding_box(example["image"], 39, 19, 140, 140)
        return tf.image.resize(image, (image_size, image_size), antialias=True)

    dataset = tfds.load("celeb_a", split="train").map(crop).batch(512)
    images = np.concatenate([batch.numpy() for batch in dataset])
    return (images / 127.5 - 1.0).astype("float32"), None
