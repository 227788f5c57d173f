"""Image conversion, grids and PNG files.

Inside kgan images are channels-last float in [-1, 1]; at the edges (files, PNG, datasets on
disk) they are uint8 in [0, 255]. These helpers are the one place that converts between them.
"""

import math
import numbers
import os
import uuid

import keras
import numpy as np
from PIL import Image

# Float images may overshoot [-1, 1] by this much (rounding in tanh, resampling) before it is an error.
_TOLERANCE = 1e-3


def _to_numpy(images):
    return images if isinstance(images, np.ndarray) else np.asarray(keras.ops.convert_to_numpy(images))


def _check_float_range(x, fn):
    if x.size == 0:
        return
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{fn}: images contain NaN or infinite values; expected floats in [-1, 1].")
    lo, hi = float(x.min()), float(x.max())
    if lo < -1 - _TOLERANCE or hi > 1 + _TOLERANCE:
        raise ValueError(
            f"{fn}: float images must lie in [-1, 1], got min {lo:.4g} and max {hi:.4g}. "
            "Scale them first (e.g. from_uint8 for uint8 data)."
        )


def to_uint8(images):
    """Float images in [-1, 1] (numpy array or tensor, any shape) -> uint8 numpy in [0, 255].

    uint8 input is returned unchanged, so callers may pass either kind.
    """
    x = _to_numpy(images)
    if x.dtype == np.uint8:
        return x
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"to_uint8: expected float images in [-1, 1] or uint8, got dtype {x.dtype}.")
    _check_float_range(x, "to_uint8")
    return np.clip(np.rint((x.astype(np.float32) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def from_uint8(images):
    """Integer images in [0, 255] (usually uint8) -> float32 numpy in [-1, 1] (x / 127.5 - 1)."""
    x = _to_numpy(images)
    if not np.issubdtype(x.dtype, np.integer):
        raise ValueError(
            f"from_uint8: expected uint8 images in [0, 255], got dtype {x.dtype}; "
            "float images are assumed to be in [-1, 1] already."
        )
    if x.size and (x.min() < 0 or x.max() > 255):
        raise ValueError(f"from_uint8: values must lie in [0, 255], got min {x.min()} and max {x.max()}.")
    return x.astype(np.float32) / 127.5 - 1.0


def make_grid(images, nrow=None, padding=2, pad_value=255):
    """Tile a batch (N, H, W, C) into one uint8 image (H', W', C), `nrow` images per row.

    Accepts float in [-1, 1] or uint8. `nrow` defaults to ceil(sqrt(N)); `padding` pixels of
    `pad_value` (0-255) separate the tiles and surround the grid. Grayscale stays 1 channel.
    """
    x = to_uint8(images)
    if x.ndim != 4:
        raise ValueError(f"make_grid: expected a batch of shape (N, H, W, C), got shape {x.shape}.")
    n, h, w, c = x.shape
    if n == 0:
        raise ValueError("make_grid: got an empty batch; expected at least one image.")
    if nrow is None:
        nrow = math.ceil(math.sqrt(n))
    if isinstance(nrow, bool) or not isinstance(nrow, numbers.Integral) or nrow < 1:
        raise ValueError(f"make_grid: nrow must be a positive integer or None, got {nrow!r}.")
    if isinstance(padding, bool) or not isinstance(padding, numbers.Integral) or padding < 0:
        raise ValueError(f"make_grid: padding must be a non-negative integer, got {padding!r}.")
    if isinstance(pad_value, bool) or not isinstance(pad_value, numbers.Integral) or not 0 <= pad_value <= 255:
        raise ValueError(f"make_grid: pad_value must be an integer in [0, 255], got {pad_value!r}.")
    cols, rows = min(nrow, n), math.ceil(n / nrow)
    grid = np.full((rows * (h + padding) + padding, cols * (w + padding) + padding, c), pad_value, np.uint8)
    for i in range(n):
        top = padding + (i // cols) * (h + padding)
        left = padding + (i % cols) * (w + padding)
        grid[top : top + h, left : left + w] = x[i]
    return grid


def save_image(image, path):
    """Write one image (H, W), (H, W, 1), (H, W, 3) or (H, W, 4), float in [-1, 1] or uint8, as PNG.

    Written to a temporary file beside `path` and then renamed over it, so a failure never
    leaves a half-written file. (H, W, 1) is stored as grayscale ("L"). Returns `path`.
    """
    path = os.fspath(path)
    if not path.lower().endswith(".png"):
        raise ValueError(f"save_image: only PNG is written; expected a path ending in '.png', got {path!r}.")
    x = to_uint8(image)
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if not (x.ndim == 2 or (x.ndim == 3 and x.shape[-1] in (3, 4))):
        raise ValueError(
            f"save_image: expected one image of shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4), "
            f"got shape {np.shape(image)}; use save_grid for a batch."
        )
    directory, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "xb") as f:  # plain open keeps the usual umask permissions
            Image.fromarray(x).save(f, format="PNG")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def save_grid(images, path, nrow=None, padding=2, pad_value=255):
    """make_grid + save_image: write a batch (N, H, W, C) as one PNG grid. Returns `path`."""
    return save_image(make_grid(images, nrow=nrow, padding=padding, pad_value=pad_value), path)
