"""Latent-space tools: the noise a generator samples from, truncation, interpolation.

NumPy in, NumPy out (Keras tensors are converted first), so the results are the same on
every backend and feed ``generator(noise)`` or ``AdversarialModel.generate`` directly.

- ``sample(n, latent_dim, seed)``: standard normal noise, drawn as ``generate()`` draws it.
- ``truncate(noise, psi)``: the truncation trick for a zero-mean prior, ``psi * noise``:
  ``psi < 1`` trades variety for typical, cleaner samples; ``psi = 1`` (or ``None``) leaves
  the noise unchanged.
- ``interpolate(z0, z1, steps, method)``: a path of ``steps`` latent vectors from ``z0`` to
  ``z1`` (both endpoints exact), along the great circle (``"slerp"``) or a straight line.
"""

import math
import numbers

import numpy as np

METHODS = ("slerp", "linear")
# Below this angle (radians) two directions count as parallel and slerp is linear
# interpolation: sin(angle) would be a division by almost zero.
_PARALLEL = 1e-4


def sample(n, latent_dim, seed=None):
    """``(n, latent_dim)`` float32 standard normal noise; the same ``seed`` gives the same noise."""
    n, latent_dim = _count(n, "n", 1), _count(latent_dim, "latent_dim", 1)
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")


def truncate(noise, psi):
    """The truncation trick: ``psi * noise``, towards the prior's mean (zero).

    ``psi`` is a finite number >= 0: 1 keeps the noise as drawn, 0.7 a common trade of variety
    for quality, 0 the mean image; above 1 it exaggerates. ``psi=None`` returns ``noise``
    itself (no truncation), so callers can pass an optional argument straight through.
    Returns a NumPy array of the noise's float dtype (float32 for integer input).
    """
    if psi is None:
        return noise
    if isinstance(psi, bool) or not isinstance(psi, numbers.Real) or not math.isfinite(psi) or psi < 0:
        raise ValueError(f"truncate: psi must be a finite number >= 0 (1 = no truncation), got {psi!r}.")
    z = _floats(noise, "noise")
    return (z * np.asarray(psi, z.dtype)).astype(z.dtype)


def interpolate(z0, z1, steps, method="slerp"):
    """``steps`` latent vectors from ``z0`` to ``z1``, shape ``(steps, dim)``; row 0 is ``z0``
    and row ``steps - 1`` is ``z1`` exactly.

    ``method="linear"``: evenly spaced points on the segment, ``(1 - t) z0 + t z1``.
    ``method="slerp"``: spherical interpolation, the path a Gaussian prior prefers (a straight
    line cuts through the low-density centre, so its midpoints have untypically small norms).
    The direction turns at constant speed along the great circle from ``z0``'s direction to
    ``z1``'s, and the norm moves linearly from ``|z0|`` to ``|z1|``: for vectors of equal norm
    every point keeps that norm. Nearly parallel vectors (or a zero vector) have no great
    circle to follow and are interpolated linearly, which is then the same path; exactly
    opposite vectors have no unique great circle and raise ``ValueError`` (use "linear").
    """
    if method not in METHODS:
        raise ValueError(f"interpolate: method must be one of {METHODS}, got {method!r}.")
    steps = _count(steps, "steps", 2)
    a, b = _floats(z0, "z0"), _floats(z1, "z1")
    if a.ndim != 1 or b.shape != a.shape or a.size == 0:
        raise ValueError(
            f"interpolate: z0 and z1 must be 1-D latent vectors of the same length, "
            f"got shapes {a.shape} and {b.shape}."
        )
    dtype = np.result_type(a.dtype, b.dtype)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    t = np.linspace(0.0, 1.0, steps)[:, None]
    path = _slerp(a64, b64, t) if method == "slerp" else None
    if path is None:
        path = (1.0 - t) * a64 + t * b64
    path = path.astype(dtype)
    path[0], path[-1] = a, b  # exact endpoints, whatever the rounding
    return path


def _slerp(a, b, t):
    """Great-circle path (see ``interpolate``), or None where linear interpolation is the answer."""
    norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
    if norm_a == 0 or norm_b == 0:
        return None
    u, v = a / norm_a, b / norm_b
    # The angle from atan2 is accurate at both ends, where arccos(dot) loses digits.
    angle = math.atan2(np.linalg.norm(u - v), np.linalg.norm(u + v)) * 2.0
    if angle < _PARALLEL:
        return None
    if math.pi - angle < _PARALLEL:
        raise ValueError(
            "interpolate: z0 and z1 point in opposite directions, so no unique great circle "
            "joins them; use method='linear' or another pair of vectors."
        )
    direction = (np.sin((1.0 - t) * angle) * u + np.sin(t * angle) * v) / math.sin(angle)
    return direction * ((1.0 - t) * norm_a + t * norm_b)


def _count(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _floats(x, name):
    """``x`` as a finite floating NumPy array (float32 for integers); tensors are converted."""
    if not isinstance(x, (np.ndarray, numbers.Number, list, tuple)):
        import keras

        x = keras.ops.convert_to_numpy(x)
    x = np.asarray(x)
    if x.dtype == object or not (np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.integer)):
        raise ValueError(f"{name} must be a numeric array, got dtype {x.dtype}.")
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float32)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return x


__all__ = ["METHODS", "interpolate", "sample", "truncate"]
