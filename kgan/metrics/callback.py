"""`FrechetDistanceCallback`: the Frechet distance of the generator's samples, logged as "fd".

```python
callbacks = [
    kgan.metrics.FrechetDistanceCallback(x_train, classifier_features, every=5),
    keras.callbacks.ModelCheckpoint("best.keras", monitor="fd", mode="min", save_best_only=True),
]
```

Keras hands one `logs` dict to the callbacks in list order, so list this callback *before* the
ones that read "fd" (ModelCheckpoint, EarlyStopping, CSVLogger). On epochs it skips
(`every` > 1) nothing is written, and ModelCheckpoint warns that "fd" is missing.
"""

import os

import keras
import numpy as np

from kgan.metrics.evaluate import generate_images, latent_size, real_feature_batches
from kgan.metrics.extractors import ImageShapeGuard, check_extractor, check_images
from kgan.metrics.frechet import FrechetDistance
from kgan.metrics.statistics import FrechetStatistics, MomentAccumulator

__all__ = ["FrechetDistanceCallback"]


class FrechetDistanceCallback(keras.callbacks.Callback):
    """Every `every` epochs, logs the Frechet distance of `n` samples of the model's sampling
    generator (`model.ema_generator` when it keeps one, else `model.generator`).

    Args:
        real_data: images (array in [-1, 1] or uint8, or a batched tf.data.Dataset), whose
            statistics (first `n` images) are computed once on first use; or precomputed
            `FrechetStatistics` / the path of a saved `.npz`.
        feature_extractor: keras.Model or callable, images -> (batch, d).
        seed: the same noise (and labels) are used at every evaluation, so epochs compare on
            equal footing.

    The trained model must have a `generator` attribute; `latent_dim` (else it is read from the
    generator's input) and, for conditional models, `num_classes` (labels drawn uniformly).
    """

    def __init__(self, real_data, feature_extractor, every=1, n=2000, seed=0, batch_size=250,
                 name="fd"):
        super().__init__()
        check_extractor(feature_extractor)
        if int(every) < 1 or int(n) < 2:
            raise ValueError(f"Need every >= 1 and n >= 2; got every={every}, n={n}.")
        self.real_data = real_data
        self.feature_extractor = feature_extractor
        self.every = int(every)
        self.n = int(n)
        self.seed = seed
        self.batch_size = int(batch_size)
        self.name = name
        self._reference = None
        self._guard = ImageShapeGuard()

    def reference(self):
        """Real-data statistics, computed on first call."""
        if self._reference is None:
            data = self.real_data
            if isinstance(data, FrechetStatistics):
                self._reference = data
            elif isinstance(data, (str, os.PathLike)):
                self._reference = FrechetStatistics.load(data)
            else:
                acc = MomentAccumulator()
                for features in real_feature_batches(data, self.feature_extractor, self.n,
                                                     self.batch_size, self._guard):
                    acc.update(features)
                self._reference = acc.statistics()
        return self._reference

    def compute(self):
        """The Frechet distance of `n` fresh samples of the model's sampling generator."""
        model = self.model
        generator = getattr(model, "sampling_generator", getattr(model, "generator", None))
        if generator is None:
            raise ValueError("FrechetDistanceCallback needs a model with a `generator` attribute.")
        latent_dim = latent_size(generator, getattr(model, "latent_dim", None))
        num_classes = getattr(model, "num_classes", None)
        rng = np.random.default_rng(self.seed)
        labels = rng.integers(0, num_classes, size=self.n) if num_classes else None
        metric = FrechetDistance(self.feature_extractor, batch_size=self.batch_size,
                                 reference=self.reference())
        for images, _ in generate_images(generator, self.n, latent_dim, rng, labels,
                                         num_classes, self.batch_size):
            images = check_images(images, name="generated images")
            self._guard.check(images, "fake")
            metric.update_state(fake=images)
        return metric.result()

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        value = self.compute()
        if logs is not None:
            logs[self.name] = value
