"""Float64 feature statistics and the Frechet distance between two Gaussians.

Everything here is plain numpy on the host, in float64:

- `MomentAccumulator` streams batches of features and keeps a count, a sum and a sum of outer
  products. The sums are taken around a fixed shift (the mean of the first batch), so the
  covariance does not lose digits to cancellation when the features have a large mean.
- `FrechetStatistics` is the (mu, sigma, n) of one set of features, saved to / loaded from
  `.npz`, so the statistics of real data are computed once and reused.
- `sqrtm_psd`, `trace_sqrt_product` and `frechet_distance` compute
  ``||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^{1/2})`` with symmetric eigendecompositions only,
  so no complex numbers can leak in (unlike `scipy.linalg.sqrtm` on a nearly singular product).
"""

import dataclasses
import os
import warnings

import numpy as np

__all__ = [
    "MomentAccumulator",
    "FrechetStatistics",
    "sqrtm_psd",
    "trace_sqrt_product",
    "frechet_distance",
]


def _as_features(features):
    """Checks a (batch, d) feature array and returns it as float64."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2:
        raise ValueError(
            "Features must have shape (batch, d); got shape "
            f"{features.shape}. Use a feature extractor that pools or flattens its output."
        )
    if not np.all(np.isfinite(features)):
        raise ValueError(
            "Features contain NaN or inf; check the feature extractor and its input images."
        )
    return features


class MomentAccumulator:
    """Streams (batch, d) features into a count, a sum and a sum of outer products (float64)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.count = 0
        self.shift = None  # mean of the first batch; sums are taken around it
        self.sum = None
        self.outer_sum = None

    @property
    def dim(self):
        return None if self.shift is None else self.shift.shape[0]

    def update(self, features):
        features = _as_features(features)
        if features.shape[0] == 0:
            return
        if self.shift is None:
            d = features.shape[1]
            self.shift = features.mean(axis=0)
            self.sum = np.zeros(d)
            self.outer_sum = np.zeros((d, d))
        elif features.shape[1] != self.dim:
            raise ValueError(
                f"Features have dimension {features.shape[1]}, but earlier batches had "
                f"dimension {self.dim}. Use the same feature extractor for every batch."
            )
        centred = features - self.shift
        with np.errstate(over="ignore", invalid="ignore"):
            batch_sum = centred.sum(axis=0)
            batch_outer = centred.T @ centred
        if not (np.all(np.isfinite(batch_sum)) and np.all(np.isfinite(batch_outer))):
            raise ValueError(
                "Feature moments overflow float64 (feature values up to "
                f"{np.abs(features).max():g}); check the feature extractor."
            )
        self.count += features.shape[0]
        self.sum += batch_sum
        self.outer_sum += batch_outer

    def statistics(self):
        """Returns `FrechetStatistics` (mean, unbiased covariance, count)."""
        if self.count < 2:
            raise ValueError(
                f"At least 2 samples are needed for a covariance; got {self.count}."
            )
        n = self.count
        mean_centred = self.sum / n
        sigma = (self.outer_sum - n * np.outer(mean_centred, mean_centred)) / (n - 1)
        sigma = (sigma + sigma.T) / 2
        return FrechetStatistics(mu=self.shift + mean_centred, sigma=sigma, n=n)


@dataclasses.dataclass
class FrechetStatistics:
    """Mean `mu` (d,), covariance `sigma` (d, d) and sample count `n` of a set of features."""

    mu: np.ndarray
    sigma: np.ndarray
    n: int

    def __post_init__(self):
        self.mu = np.asarray(self.mu, dtype=np.float64)
        self.sigma = np.asarray(self.sigma, dtype=np.float64)
        self.n = int(self.n)
        d = self.mu.shape[0] if self.mu.ndim == 1 else None
        if d is None or self.sigma.shape != (d, d):
            raise ValueError(
                "FrechetStatistics needs mu of shape (d,) and sigma of shape (d, d); got "
                f"mu {self.mu.shape} and sigma {self.sigma.shape}."
            )

    @property
    def dim(self):
        return self.mu.shape[0]

    @classmethod
    def from_features(cls, features):
        acc = MomentAccumulator()
        acc.update(features)
        return acc.statistics()

    def save(self, path):
        """Writes `mu`, `sigma` and `n` to an `.npz` file."""
        np.savez(path, mu=self.mu, sigma=self.sigma, n=np.int64(self.n))

    @classmethod
    def load(cls, path):
        if not os.path.exists(path):
            raise FileNotFoundError(f"No statistics file at {path!r}.")
        with np.load(path, allow_pickle=False) as data:
            missing = {"mu", "sigma", "n"} - set(data.files)
            if missing:
                raise ValueError(
                    f"{path!r} is not a statistics file: it lacks {sorted(missing)} "
                    "(expected keys mu, sigma, n)."
                )
            return cls(mu=data["mu"], sigma=data["sigma"], n=int(data["n"]))


def sqrtm_psd(matrix):
    """Square root of a symmetric positive semi-definite matrix via `eigh`.

    Negative eigenvalues (rounding noise) are clipped to 0; the result is real and symmetric.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    matrix = (matrix + matrix.T) / 2
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    root = np.sqrt(np.clip(eigenvalues, 0.0, None))
    return (eigenvectors * root) @ eigenvectors.T


def trace_sqrt_product(sigma1, sigma2):
    """Tr((S1 S2)^{1/2}) for symmetric PSD S1, S2.

    (S1 S2)^{1/2} is similar to (S1^{1/2} S2 S1^{1/2})^{1/2}, whose argument is symmetric PSD,
    so the trace is the sum of square roots of its (clipped) eigenvalues.
    """
    root1 = sqrtm_psd(sigma1)
    middle = root1 @ np.asarray(sigma2, dtype=np.float64) @ root1
    middle = (middle + middle.T) / 2
    eigenvalues = np.linalg.eigvalsh(middle)
    return float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))


def _warn_if_rank_deficient(stats, name):
    if stats.n <= stats.dim:
        warnings.warn(
            f"The {name} statistics come from {stats.n} samples of {stats.dim}-dimensional "
            f"features: the covariance has rank at most {stats.n - 1} < {stats.dim}, so the "
            "Frechet distance is strongly biased. Use more samples than feature dimensions "
            "(for InceptionV3 features, well over 2048; 10000 is usual).",
            stacklevel=3,
        )


def frechet_distance(stats1, stats2, names=("first", "second")):
    """Frechet distance between Gaussians N(mu1, S1) and N(mu2, S2).

    ``||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^{1/2})``. Tiny negative values from
    rounding are returned as 0 (the distance is a squared metric). Raises `ValueError` instead of
    ever returning NaN/inf, and warns when a covariance is rank deficient.
    """
    if stats1.dim != stats2.dim:
        raise ValueError(
            f"Feature dimensions differ: {stats1.dim} vs {stats2.dim}. Both sets of statistics "
            "must come from the same feature extractor."
        )
    for stats, name in zip((stats1, stats2), names):
        if stats.n < 2:
            raise ValueError(f"The {name} statistics come from {stats.n} sample(s); need >= 2.")
        if not (np.all(np.isfinite(stats.mu)) and np.all(np.isfinite(stats.sigma))):
            raise ValueError(f"The {name} statistics contain NaN or inf.")
        _warn_if_rank_deficient(stats, name)
    diff = stats1.mu - stats2.mu
    with np.errstate(over="ignore", invalid="ignore"):
        mean_term = float(diff @ diff)
        value = (
            mean_term
            + float(np.trace(stats1.sigma))
            + float(np.trace(stats2.sigma))
            - 2.0 * trace_sqrt_product(stats1.sigma, stats2.sigma)
        )
    if not np.isfinite(value):
        raise ValueError(
            "The Frechet distance is not finite (overflow in the features?); "
            f"||mu1 - mu2||^2 = {mean_term:g}."
        )
    return max(value, 0.0)
