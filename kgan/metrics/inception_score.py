"""Inception score (Salimans et al. 2016) of generated images under any classifier.

IS = exp(E_x KL(p(y|x) || p(y))), computed on each of `splits` consecutive chunks of the samples
(p(y) is the chunk's mean prediction); `result()` gives the mean and std over chunks. The class
probabilities are kept on the host in float64. Plain Python class for the reasons given in
`kgan.metrics.frechet`.
"""

import warnings

import numpy as np

from kgan.metrics.extractors import apply_model, check_images

__all__ = ["InceptionScore", "inception_score"]


def _softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def inception_score(probabilities, splits=10):
    """(mean, std) of the inception score of (n, K) class probabilities over `splits` chunks."""
    p = np.asarray(probabilities, dtype=np.float64)
    n = p.shape[0]
    if n < 2:
        raise ValueError(f"The inception score needs at least 2 samples; got {n}.")
    if n < splits:
        raise ValueError(
            f"The inception score with splits={splits} needs at least {splits} samples; got {n}. "
            "Feed more images or lower `splits`."
        )
    scores = []
    for chunk in np.array_split(p, splits):
        marginal = chunk.mean(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(chunk > 0, chunk * (np.log(chunk) - np.log(marginal)), 0.0)
        scores.append(np.exp(terms.sum(axis=1).mean()))
    scores = np.asarray(scores)
    mean, std = float(scores.mean()), float(scores.std())
    if not (np.isfinite(mean) and np.isfinite(std)):
        raise ValueError("The inception score is not finite; check the classifier outputs.")
    return mean, std


class InceptionScore:
    """Inception score of fake images under `classifier`.

    Args:
        classifier: a `keras.Model` or callable mapping images in [-1, 1] to (batch, K) class
            logits (`from_logits=True`) or probabilities (`from_logits=False`).
        splits: number of chunks the samples are split into (mean and std are over chunks).

    `result()` returns ``{"is": mean, "is_std": std}``; `probabilities()` the (n, K) float64
    class probabilities seen so far (for class shares and confidences).
    """

    def __init__(self, classifier, from_logits=True, splits=10, batch_size=250,
                 value_range=(-1.0, 1.0), name="is"):
        if classifier is None or not callable(classifier):
            raise ValueError(f"classifier must be a keras.Model or callable; got {classifier!r}.")
        self.classifier = classifier
        self.from_logits = bool(from_logits)
        self.splits = int(splits)
        self.batch_size = int(batch_size)
        self.value_range = value_range
        self.name = name
        self._warned = False
        self.reset_state()

    def reset_state(self):
        self._probabilities = []
        self._image_shape = None

    def update_state(self, images):
        """Adds a batch of fake images in [-1, 1]."""
        images = check_images(images, self.value_range, name="fake images")
        shape = tuple(images.shape[1:])
        if self._image_shape is not None and shape != self._image_shape:
            raise ValueError(
                f"Fake images have shape {shape}, but earlier ones had shape {self._image_shape}."
            )
        self._image_shape = shape
        self.update_predictions(apply_model(self.classifier, images, self.batch_size))

    def update_predictions(self, outputs):
        """Adds (batch, K) classifier outputs (logits or probabilities, as `from_logits`)."""
        outputs = np.asarray(outputs, dtype=np.float64)
        if outputs.ndim != 2 or outputs.shape[1] < 2:
            raise ValueError(
                f"Classifier outputs must have shape (batch, K) with K >= 2; got {outputs.shape}."
            )
        if not np.all(np.isfinite(outputs)):
            raise ValueError("Classifier outputs contain NaN or inf.")
        stored = self._probabilities
        if stored and stored[0].shape[1] != outputs.shape[1]:
            raise ValueError(
                f"Classifier outputs have {outputs.shape[1]} classes, earlier ones "
                f"{stored[0].shape[1]}."
            )
        looks_like_probs = (
            outputs.min() >= 0 and outputs.max() <= 1
            and np.allclose(outputs.sum(axis=1), 1.0, atol=1e-3)
        )
        if self.from_logits:
            if looks_like_probs and not self._warned:
                self._warned = True
                warnings.warn(
                    "InceptionScore(from_logits=True) got outputs that look like probabilities "
                    "(in [0, 1], rows summing to 1). If the classifier ends in a softmax, pass "
                    "from_logits=False.",
                    stacklevel=2,
                )
            probabilities = _softmax(outputs)
        else:
            if not looks_like_probs:
                raise ValueError(
                    "InceptionScore(from_logits=False) needs probabilities (in [0, 1], rows "
                    f"summing to 1); got values in [{outputs.min():g}, {outputs.max():g}]. "
                    "For logits pass from_logits=True."
                )
            probabilities = outputs / outputs.sum(axis=1, keepdims=True)
        self._probabilities.append(probabilities)

    def probabilities(self):
        if not self._probabilities:
            raise ValueError("No fake images seen: call update_state(images).")
        return np.concatenate(self._probabilities, axis=0)

    def result(self):
        mean, std = inception_score(self.probabilities(), splits=self.splits)
        return {"is": mean, "is_std": std}
