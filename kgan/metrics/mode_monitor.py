"""`ModeMonitor`: watches a GAN for mode collapse during `fit` and logs what it sees.

A collapsing generator loses classes and repeats itself long before its losses say so. Every
`every` epochs this callback draws `n` samples with `model.generate(n, seed=seed)` (fixed NumPy
noise, so training is not disturbed and epochs compare on equal footing) and writes into `logs`
(prefix "mode_" by default):

- with a classifier: `mode_classes`, the number of classes (argmax of the logits) that receive at
  least `1 / (4 K)` of the samples, a quarter of a uniform share, far below sampling noise for
  n >= 100; `mode_min_share` and `mode_max_share`, the smallest and largest class shares.
- `mode_duplicates`: the share of samples whose nearest neighbour among the other samples lies
  within `threshold`, where `threshold` is the `duplicate_quantile` (1 %) quantile of the
  nearest-neighbour distances of `n` real images among themselves. Real data scores about 1 %
  by construction (`real_figures` holds its exact figures); a generator repeating one image
  scores 1.0.
- `mode_fd`: the Frechet distance between the samples' and the real images' features.

Distances and FD live in the feature extractor's space; with only a classifier, in its logits
(softmax probabilities saturate to one-hot, which would make every pair of confident images of
a class look identical). Real-data figures are computed once, at the first `on_train_begin`.

Collapse, reported as a `ModeCollapseWarning` and with `stop_on_collapse=True` also ending
`fit`: fewer than `min_classes` classes covered (default: as many as the real images cover), or
`mode_duplicates` above `duplicate_factor` times the real images' own share. On the zoo's MNIST
GANs (`zoo.mnist_features()`, n=1000) the reference scores 0.011, MNIST's test images 0.003 and
the trained generators 0.000-0.004; the default factor 5 flags above 0.055. The reference share
is itself a count of about n/100, so small n is noisy: on Gaussian toy data, fresh real samples
crossed 5x in 0 of 200 trials at n=1000, 1 % at n=256 and 2.5 % at n=100 (3x: 1.5 % at n=1000).

```python
callbacks = [kgan.metrics.ModeMonitor(x_train, zoo.mnist_features(), zoo.mnist_classifier()),
             keras.callbacks.CSVLogger("log.csv"), keras.callbacks.EarlyStopping(...)]
```

List it before the callbacks that read its keys (Keras passes one `logs` dict along the list).
It also measures after the first epoch of each `fit`, so CSVLogger, which fixes its columns
then, records the keys even with `every` > 1 (skipped epochs show "NA").
"""

import inspect
import numbers
import warnings

import keras
import numpy as np

from kgan.metrics.extractors import (
    ImageShapeGuard,
    apply_model,
    check_extractor,
    check_images,
    iterate_images,
)
from kgan.metrics.statistics import FrechetStatistics, frechet_distance

__all__ = ["ModeCollapseWarning", "ModeMonitor", "nearest_neighbour_distances"]

COVERED_SHARE = 0.25  # a class counts as covered with >= COVERED_SHARE / K of the samples


class ModeCollapseWarning(UserWarning):
    """Issued by `ModeMonitor` when the samples cover too few classes or repeat themselves."""


def nearest_neighbour_distances(features, chunk=256):
    """Euclidean distance from each row of (n, d) `features` to its nearest *other* row.

    Neighbours are found `chunk` rows at a time from ||a||^2 + ||b||^2 - 2ab (memory chunk x n);
    the distance to the chosen neighbour is then recomputed exactly, so duplicates give 0.
    """
    x = np.asarray(features, dtype=np.float64)
    squares = np.einsum("ij,ij->i", x, x)
    distances = np.empty(len(x))
    for start in range(0, len(x), chunk):
        rows = x[start : start + chunk]
        index = np.arange(len(rows))
        d2 = squares[start : start + chunk, None] + squares[None, :] - 2.0 * rows @ x.T
        d2[index, start + index] = np.inf
        nearest = d2.argmin(axis=1)
        distances[start : start + len(rows)] = np.linalg.norm(rows - x[nearest], axis=1)
    return distances


def _integer(value, name, minimum):
    if (isinstance(value, bool) or not isinstance(value, numbers.Real) or not float(value).is_integer()
            or value < minimum):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}.")
    return int(value)


@keras.saving.register_keras_serializable(package="kgan")
class ModeMonitor(keras.callbacks.Callback):
    """Logs class coverage, near-duplicate share and FD of samples; warns on mode collapse.

    Args:
        real_images: images (array in [-1, 1] or uint8, or a batched tf.data.Dataset); the
            first `n` are the reference, featurised once. Pass a random draw where the data is
            sorted (by class, source or name): the threshold is then that of typical images, and
            the reference's share (1 % by construction) real data's.
        feature_extractor: keras.Model or callable, images -> (batch, d), e.g.
            `zoo.mnist_features()`. At least one of it and `classifier` is required.
        classifier: keras.Model or callable, images -> (batch, K) logits, e.g.
            `zoo.mnist_classifier()`; enables the class figures.
        every: measure every `every` epochs (and after the first epoch of each `fit`).
        n: samples per measurement, and real images in the reference (>= 2).
        seed: seed of `model.generate`'s noise; the same samples' noise every time.
        min_classes: collapse when fewer classes are covered; default: as many as the real
            images cover (all K for balanced data).
        duplicate_quantile: quantile of the real nearest-neighbour distances used as the
            duplicate threshold, in (0, 1).
        duplicate_factor: collapse when `mode_duplicates` exceeds this times the real share.
        stop_on_collapse: set `model.stop_training` when collapse is seen.
        prefix: prefix of the logged keys.
        batch_size: batch size of the feature extractor and classifier.
        use_ema: sample the generator's moving average where the model keeps one (default, as
            `generate` does); `False` measures the raw `model.generator`. An average can hold
            more near-duplicates than the raw network (zoo/recipes/mnist_dcgan.py): give two
            monitors different prefixes to log both.

    `get_config` holds the settings only: images and networks are data, not configuration.
    """

    def __init__(self, real_images, feature_extractor=None, classifier=None, every=1, n=1000,
                 seed=0, min_classes=None, duplicate_quantile=0.01, duplicate_factor=5.0,
                 stop_on_collapse=False, prefix="mode_", batch_size=250, use_ema=True):
        super().__init__()
        if feature_extractor is None and classifier is None:
            raise ValueError("ModeMonitor needs a feature_extractor, a classifier or both; got neither.")
        for network in (feature_extractor, classifier):
            if network is not None:
                check_extractor(network)
        self.every = _integer(every, "every", 1)
        self.n = _integer(n, "n", 2)
        self.batch_size = _integer(batch_size, "batch_size", 1)
        self.min_classes = None if min_classes is None else _integer(min_classes, "min_classes", 1)
        if self.min_classes is not None and classifier is None:
            raise ValueError(f"min_classes={self.min_classes} counts classes: pass a classifier too.")
        if not 0.0 < duplicate_quantile < 1.0:
            raise ValueError(f"duplicate_quantile must lie in (0, 1); got {duplicate_quantile!r}.")
        if not duplicate_factor > 0:
            raise ValueError(f"duplicate_factor must be > 0; got {duplicate_factor!r}.")
        if hasattr(real_images, "shape") and len(real_images) < self.n:
            raise ValueError(f"real_images hold {len(real_images)} images; need at least n={self.n}.")
        self.real_images = real_images
        self.feature_extractor = feature_extractor
        self.classifier = classifier
        self.seed = seed
        self.duplicate_quantile = float(duplicate_quantile)
        self.duplicate_factor = float(duplicate_factor)
        self.stop_on_collapse = bool(stop_on_collapse)
        self.prefix = prefix
        if not isinstance(use_ema, bool):
            raise ValueError(f"use_ema must be True or False; got {use_ema!r}.")
        self.use_ema = use_ema
        self.threshold = None  # the duplicate distance, set with the reference
        self.real_figures = None  # what the real images themselves score
        self.expected_classes = self.min_classes  # or, by default, what the real images cover
        self._reference = None
        self._guard = ImageShapeGuard()
        self._measured = False

    # ----------------------------------------------------------------- measuring
    def _features_and_logits(self, images):
        logits = None
        if self.classifier is not None:
            logits = apply_model(self.classifier, images, self.batch_size)
            if logits.ndim != 2 or logits.shape[1] < 2:
                raise ValueError(f"The classifier must return (batch, K >= 2) logits; got shape {logits.shape}.")
        if self.feature_extractor is None:
            return logits, logits
        return apply_model(self.feature_extractor, images, self.batch_size), logits

    def reference(self):
        """Real features' statistics and the duplicate threshold, computed on first call."""
        if self._reference is None:
            batches = list(iterate_images(self.real_images, self.batch_size, limit=self.n))
            count = sum(len(b) for b in batches)
            if count < self.n:
                raise ValueError(f"real_images hold {count} images; need at least n={self.n}.")
            images = check_images(np.concatenate(batches), name="real images")
            self._guard.check(images, "real")
            features, logits = self._features_and_logits(images)
            nearest = nearest_neighbour_distances(features)
            self.threshold = float(np.quantile(nearest, self.duplicate_quantile))
            self._reference = {"stats": FrechetStatistics.from_features(features),
                               "classes": None if logits is None else logits.shape[1]}
            self.real_figures = self._figures(features, logits, nearest, fd=False)
            self.expected_classes = self.min_classes
            if self.min_classes is None and logits is not None:
                self.expected_classes = self.real_figures[self.prefix + "classes"]
        return self._reference

    def _figures(self, features, logits, nearest, fd=True):
        p = self.prefix
        figures = {}
        if logits is not None:
            shares = np.bincount(logits.argmax(axis=1), minlength=logits.shape[1]) / len(logits)
            figures[p + "classes"] = int(np.sum(shares >= COVERED_SHARE / len(shares)))
            figures[p + "min_share"] = float(shares.min())
            figures[p + "max_share"] = float(shares.max())
        figures[p + "duplicates"] = float(np.mean(nearest <= self.threshold))
        if fd:
            stats = FrechetStatistics.from_features(features)
            figures[p + "fd"] = frechet_distance(stats, self._reference["stats"], ("sample", "real"))
        return figures

    def measure(self, images=None):
        """The logged figures for `images` (n of them; default `model.generate(n, seed=seed)`)."""
        reference = self.reference()
        if images is None:
            images = (self.model.generate(self.n, seed=self.seed) if self.use_ema
                      else self.model.generate(self.n, seed=self.seed, use_ema=False))
        images = check_images(images, name="generated images")
        if len(images) != self.n:
            raise ValueError(f"Got {len(images)} images; the duplicate share needs n={self.n}.")
        self._guard.check(images, "fake")
        features, logits = self._features_and_logits(images)
        if logits is not None and logits.shape[1] != reference["classes"]:
            raise ValueError(f"The classifier gave {logits.shape[1]} classes, {reference['classes']} before.")
        return self._figures(features, logits, nearest_neighbour_distances(features))

    def problems(self, figures):
        """Human-readable reasons why `figures` show collapse; empty when they do not."""
        p, real = self.prefix, self.real_figures
        found = []
        if p + "classes" in figures and figures[p + "classes"] < self.expected_classes:
            found.append(f"{figures[p + 'classes']} classes covered (>= {COVERED_SHARE:g}/K of the "
                         f"samples each), expected >= {self.expected_classes}")
        limit = self.duplicate_factor * real[p + "duplicates"]
        if figures[p + "duplicates"] > limit:
            found.append(f"{figures[p + 'duplicates']:.3f} of the samples are near-duplicates, "
                         f"expected <= {limit:.3f} ({self.duplicate_factor:g} x real data's share)")
        return found

    # ----------------------------------------------------------------- callback hooks
    def on_train_begin(self, logs=None):
        if not hasattr(self.model, "generate"):
            raise ValueError(f"ModeMonitor needs a kgan model with generate(); got {type(self.model).__name__}.")
        if not self.use_ema and "use_ema" not in inspect.signature(self.model.generate).parameters:
            raise ValueError(f"use_ema=False samples the raw generator; {type(self.model).__name__}.generate() "
                             "has no use_ema (it keeps no moving average).")
        shape = tuple(getattr(getattr(self.model, "generator", None), "output_shape", None) or ())[1:]
        if shape and all(isinstance(d, int) for d in shape):  # checked before featurising
            self._guard.check(np.zeros((0,) + shape, "float32"), "fake")
        reference = self.reference()
        if reference["classes"] is not None and self.expected_classes > reference["classes"]:
            raise ValueError(f"min_classes={self.min_classes} exceeds the classifier's "
                             f"{reference['classes']} classes.")
        self._measured = False

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every and self._measured:
            return
        self._measured = True
        figures = self.measure()
        if logs is not None:
            logs.update(figures)
        found = self.problems(figures)
        if found:
            action = "; stopping training" if self.stop_on_collapse else ""
            warnings.warn(f"Mode collapse at epoch {epoch + 1}: {'; '.join(found)}{action}.",
                          ModeCollapseWarning, stacklevel=2)
            if self.stop_on_collapse:
                self.model.stop_training = True

    def get_config(self):
        return {"every": self.every, "n": self.n, "seed": self.seed, "min_classes": self.min_classes,
                "duplicate_quantile": self.duplicate_quantile, "duplicate_factor": self.duplicate_factor,
                "stop_on_collapse": self.stop_on_collapse, "prefix": self.prefix, "batch_size": self.batch_size,
                "use_ema": self.use_ema}
