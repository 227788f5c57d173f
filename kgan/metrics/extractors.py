"""Feature extractors for the sample-quality metrics, and the plumbing that runs them.

A feature extractor is any callable mapping a batch of images in [-1, 1] to a (batch, d) array:
a `keras.Model` (run with `predict_on_batch`, i.e. inference mode) or a plain Python function.
"""

import keras
import numpy as np

__all__ = ["inception_v3", "check_images", "apply_model", "iterate_images", "to_unit_range"]

_RANGE_TOLERANCE = 1e-3


def _to_numpy(x):
    if isinstance(x, np.ndarray):
        return x
    return np.asarray(keras.ops.convert_to_numpy(x))


def check_extractor(feature_extractor):
    if feature_extractor is None or not callable(feature_extractor):
        raise ValueError(
            "feature_extractor must be a keras.Model or a callable mapping images to (batch, d) "
            f"features; got {feature_extractor!r}. For images, kgan.metrics.inception_v3(...) "
            "is one; pass `lambda x: x` to use (batch, d) inputs as features directly."
        )


def check_images(images, value_range=(-1.0, 1.0), name="images"):
    """Returns `images` as a numpy array with at least one axis, checking its value range.

    `value_range=None` skips the range check (e.g. when the "images" are feature vectors).
    """
    images = _to_numpy(images)
    if images.ndim < 1:
        raise ValueError(f"{name} must be a batch (first axis = samples); got a scalar.")
    if images.size and value_range is not None:
        low, high = value_range
        lo, hi = float(np.min(images)), float(np.max(images))
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(f"{name} contain NaN or inf.")
        if lo < low - _RANGE_TOLERANCE or hi > high + _RANGE_TOLERANCE:
            hint = ""
            if images.dtype == np.uint8 or hi > 2.0:
                hint = " For uint8 images in [0, 255], convert with x / 127.5 - 1."
            raise ValueError(
                f"{name} must lie in [{low}, {high}]; got min={lo:g}, max={hi:g}.{hint}"
            )
    if not np.issubdtype(images.dtype, np.floating):
        images = images.astype(np.float32)
    return images


def apply_model(model, inputs, batch_size=250):
    """Runs `model` over `inputs` in chunks of `batch_size`; returns one numpy array.

    `model` is a `keras.Model` (called through `predict_on_batch`, i.e. with training=False) or
    any callable. `inputs` is an array, or a list of arrays for a multi-input model.
    """
    multi = isinstance(inputs, (list, tuple))
    parts = list(inputs) if multi else [inputs]
    n = len(parts[0])
    if isinstance(model, keras.Model):
        run = model.predict_on_batch
    elif callable(model):
        run = model
    else:
        raise ValueError(f"Expected a keras.Model or a callable; got {type(model).__name__}.")
    outputs = []
    for start in range(0, n, batch_size):
        chunk = [p[start : start + batch_size] for p in parts]
        out = run(chunk if multi else chunk[0])
        outputs.append(_to_numpy(out))
    if not outputs:
        return np.zeros((0,), dtype=np.float32)
    return np.concatenate(outputs, axis=0)


def inception_v3(input_shape=(299, 299, 3), weights="imagenet", name="inception_v3_features"):
    """InceptionV3 pool features (2048-d) for images in [-1, 1] of shape `input_shape`.

    Grey images (1 channel) are tiled to RGB; images are resized to 299x299 (bilinear,
    `keras.layers.Resizing`) and fed to `keras.applications.InceptionV3(include_top=False,
    pooling="avg")`, whose own preprocessing expects [-1, 1], so no rescaling happens.

    `weights="imagenet"` downloads the Keras ImageNet weights. These are not the weights of the
    TF 2015 graph used by the reference FID code, so numbers are comparable between runs of this
    function, not with published FID values.
    """
    if len(input_shape) != 3 or input_shape[-1] not in (1, 3):
        raise ValueError(
            "inception_v3 needs input_shape (height, width, channels) with 1 or 3 channels; "
            f"got {tuple(input_shape)}."
        )
    inputs = keras.Input(shape=tuple(input_shape))
    x = inputs
    if input_shape[-1] == 1:
        x = keras.layers.Concatenate(axis=-1, name="grey_to_rgb")([x, x, x])
    if tuple(input_shape[:2]) != (299, 299):
        x = keras.layers.Resizing(299, 299, interpolation="bilinear", name="resize_299")(x)
    base = keras.applications.InceptionV3(
        include_top=False, pooling="avg", weights=weights, input_shape=(299, 299, 3)
    )
    return keras.Model(inputs, base(x), name=name)


def to_unit_range(images):
    """uint8 images in [0, 255] -> float32 in [-1, 1]; floats unchanged; other types -> float32."""
    images = _to_numpy(images)
    if images.dtype == np.uint8:
        return images.astype(np.float32) / 127.5 - 1.0
    if np.issubdtype(images.dtype, np.floating):
        return images
    return images.astype(np.float32)


def iterate_images(data, batch_size=250, limit=None):
    """Yields float image batches from `data`, at most `limit` images in all.

    `data` is an array (float in [-1, 1] or uint8 in [0, 255], which is converted), or a
    *batched* `tf.data.Dataset` / iterable of batches yielding images, `(images, labels)` tuples
    or dicts with an "image" key.
    """
    seen = 0
    if hasattr(data, "shape") and hasattr(data, "dtype"):
        batches = (data[i : i + batch_size] for i in range(0, len(data), batch_size))
    elif hasattr(data, "as_numpy_iterator"):
        batches = data.as_numpy_iterator()
    elif hasattr(data, "__iter__"):
        batches = iter(data)
    else:
        raise ValueError(
            "Real data must be an array of images or a batched tf.data.Dataset / iterable of "
            f"batches; got {type(data).__name__}."
        )
    for batch in batches:
        if isinstance(batch, dict):
            key = next((k for k in ("image", "images") if k in batch), None)
            if key is None:
                raise ValueError(
                    f"Dataset elements are dicts with keys {sorted(batch)}; expected an "
                    "'image' key."
                )
            batch = batch[key]
        elif isinstance(batch, (tuple, list)):
            batch = batch[0]
        batch = to_unit_range(batch)
        if limit is not None:
            batch = batch[: limit - seen]
        if len(batch) == 0:
            break
        seen += len(batch)
        yield batch
        if limit is not None and seen >= limit:
            break


class ImageShapeGuard:
    """Remembers the per-sample shape of real and fake images and rejects mismatches."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.shapes = {"real": None, "fake": None}

    def check(self, images, side):
        shape = tuple(images.shape[1:])
        other = "fake" if side == "real" else "real"
        if self.shapes[side] is not None and self.shapes[side] != shape:
            raise ValueError(
                f"{side.capitalize()} images have shape {shape}, but earlier {side} images had "
                f"shape {self.shapes[side]}."
            )
        if self.shapes[other] is not None and self.shapes[other] != shape:
            shapes = {side: shape, other: self.shapes[other]}
            raise ValueError(
                "Real and fake images must have the same shape: real images have shape "
                f"{shapes['real']}, fake images have shape {shapes['fake']}."
            )
        self.shapes[side] = shape
