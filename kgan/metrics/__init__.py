"""Sample-quality metrics: Frechet distance, kernel distance (KID), inception score.

The accumulators follow the `keras.metrics.Metric` protocol (`update_state`, `result`,
`reset_state`) but are plain Python classes keeping float64 state on the host: a 2048-d
covariance needs float64 and a symmetric eigendecomposition, which JAX (float64 off by default)
and GPU variables handle badly, and none of it belongs in a compiled train step.

Every number lives in the space of the feature extractor / classifier used: report which.
"""

from kgan.metrics.callback import FrechetDistanceCallback
from kgan.metrics.evaluate import evaluate
from kgan.metrics.extractors import inception_v3
from kgan.metrics.frechet import FrechetDistance, compute_statistics
from kgan.metrics.inception_score import InceptionScore, inception_score
from kgan.metrics.mode_monitor import ModeCollapseWarning, ModeMonitor
from kgan.metrics.kernel import KernelDistance, kernel_distance, polynomial_mmd2
from kgan.metrics.statistics import (
    FrechetStatistics,
    frechet_distance,
    sqrtm_psd,
    trace_sqrt_product,
)

__all__ = [
    "FrechetDistance",
    "FrechetDistanceCallback",
    "FrechetStatistics",
    "InceptionScore",
    "KernelDistance",
    "ModeCollapseWarning",
    "ModeMonitor",
    "compute_statistics",
    "evaluate",
    "frechet_distance",
    "inception_score",
    "inception_v3",
    "kernel_distance",
    "polynomial_mmd2",
    "sqrtm_psd",
    "trace_sqrt_product",
]
