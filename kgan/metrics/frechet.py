"""Frechet distance (FID when the features are InceptionV3's) as a stateful accumulator.

The metric follows the `keras.metrics.Metric` protocol (`update_state` / `result` /
`reset_state`) but is a plain Python class: its state is a float64 d x d sum of outer products
kept on the host (32 MB for 2048-d features). As Keras variables that state would have to be
float64, which JAX disables by default, and the matrix square root runs in numpy anyway.
"""

from kgan.metrics.extractors import (
    ImageShapeGuard,
    apply_model,
    check_extractor,
    check_images,
    iterate_images,
)
from kgan.metrics.statistics import FrechetStatistics, MomentAccumulator, frechet_distance

__all__ = ["FrechetDistance", "compute_statistics"]


def compute_statistics(data, feature_extractor, batch_size=250, max_samples=None,
                       value_range=(-1.0, 1.0)):
    """`FrechetStatistics` of `data` (array or batched dataset of images) in feature space.

    Save the result with `.save("real_stats.npz")` and pass it as `reference=` later, so the
    real data goes through the feature extractor once.
    """
    check_extractor(feature_extractor)
    acc = MomentAccumulator()
    for batch in iterate_images(data, batch_size=batch_size, limit=max_samples):
        batch = check_images(batch, value_range, name="images")
        acc.update(apply_model(feature_extractor, batch, batch_size))
    return acc.statistics()


class FrechetDistance:
    """Frechet distance between real and fake images in the space of `feature_extractor`.

    Args:
        feature_extractor: a `keras.Model` or callable mapping a batch of images in [-1, 1]
            to (batch, d) features. Keras models run through `predict_on_batch` (inference).
        batch_size: images per call of the feature extractor.
        reference: optional `FrechetStatistics` (or path to a saved `.npz`) of the real data;
            then only `fake` images are fed.
        value_range: allowed range of image values (tolerance 1e-3), or None to skip the check
            (e.g. when the "images" are already feature vectors).

    ```python
    fd = FrechetDistance(kgan.metrics.inception_v3((28, 28, 1)))
    fd.update_state(real=x_real, fake=x_fake)   # any number of times, any batch sizes
    fd.result()                                 # float
    fd.save_reference("mnist_inception.npz")   # later: FrechetDistance(..., reference=path)
    ```
    """

    def __init__(self, feature_extractor, batch_size=250, reference=None,
                 value_range=(-1.0, 1.0), name="fd"):
        check_extractor(feature_extractor)
        self.feature_extractor = feature_extractor
        self.batch_size = int(batch_size)
        self.value_range = value_range
        self.name = name
        self._reference = None
        self._real = MomentAccumulator()
        self._fake = MomentAccumulator()
        self._shapes = ImageShapeGuard()
        if reference is not None:
            self.set_reference(reference)

    # -- state -------------------------------------------------------------------------------

    def reset_state(self):
        """Forgets accumulated images; a reference set with `set_reference` is kept."""
        self._real.reset()
        self._fake.reset()
        self._shapes.reset()

    def update_state(self, real=None, fake=None):
        """Adds a batch of real and/or fake images (arrays or tensors in [-1, 1])."""
        if real is not None:
            self._check_no_reference()
            real = check_images(real, self.value_range, name="real images")
            self._shapes.check(real, "real")
            self._real.update(self._features(real))
        if fake is not None:
            fake = check_images(fake, self.value_range, name="fake images")
            self._shapes.check(fake, "fake")
            self._fake.update(self._features(fake))

    def update_features(self, real=None, fake=None):
        """Adds precomputed (batch, d) features, skipping the feature extractor."""
        if real is not None:
            self._check_no_reference()
            self._real.update(real)
        if fake is not None:
            self._fake.update(fake)

    def result(self):
        """The Frechet distance as a Python float (raises ValueError rather than give NaN)."""
        real = self.real_statistics()
        fake = self.fake_statistics()
        return frechet_distance(real, fake, names=("real", "fake"))

    # -- statistics --------------------------------------------------------------------------

    def real_statistics(self):
        if self._reference is not None:
            return self._reference
        if self._real.count == 0:
            raise ValueError("No real images seen: call update_state(real=...) or set a reference.")
        return self._real.statistics()

    def fake_statistics(self):
        if self._fake.count == 0:
            raise ValueError("No fake images seen: call update_state(fake=...).")
        return self._fake.statistics()

    def set_reference(self, reference):
        """Uses fixed real statistics (`FrechetStatistics` or a path to a saved `.npz`)."""
        if not isinstance(reference, FrechetStatistics):
            reference = FrechetStatistics.load(reference)
        if self._real.count:
            raise ValueError(
                "Real images were already accumulated; call reset_state() before set_reference()."
            )
        self._reference = reference

    def clear_reference(self):
        self._reference = None

    def save_reference(self, path):
        """Saves the real statistics (reference, or accumulated real images) to `.npz`."""
        self.real_statistics().save(path)

    def load_reference(self, path):
        self.set_reference(FrechetStatistics.load(path))

    # -- helpers -----------------------------------------------------------------------------

    def _check_no_reference(self):
        if self._reference is not None:
            raise ValueError(
                "This metric uses fixed reference statistics for the real data; pass only "
                "fake images (or call clear_reference() first)."
            )

    def _features(self, images):
        return apply_model(self.feature_extractor, images, self.batch_size)

    def __repr__(self):
        ref = "reference" if self._reference is not None else f"real={self._real.count}"
        return f"<FrechetDistance {ref} fake={self._fake.count}>"
