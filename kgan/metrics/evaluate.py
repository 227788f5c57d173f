"""`evaluate`: FD, KID and (with a classifier) IS and class statistics of a generator's samples.

Samples are generated, featurised and classified batch by batch, so memory stays at one batch of
images however large `n` is. Every number is in the space of the feature extractor / classifier
passed in: say which one when reporting it.
"""

import numpy as np

from kgan.metrics.extractors import (
    ImageShapeGuard,
    apply_model,
    check_extractor,
    check_images,
    iterate_images,
)
from kgan.metrics.frechet import FrechetDistance
from kgan.metrics.inception_score import InceptionScore
from kgan.metrics.kernel import KernelDistance

__all__ = ["evaluate", "generate_images", "latent_size", "is_conditional"]


def is_conditional(generator):
    """True for a generator with two inputs, [noise, labels]."""
    inputs = getattr(generator, "inputs", None)
    return bool(inputs) and len(inputs) == 2


def latent_size(generator, latent_dim=None):
    """`latent_dim` if given, else the last axis of the generator's first input."""
    if latent_dim is not None:
        return int(latent_dim)
    inputs = getattr(generator, "inputs", None)
    if not inputs or inputs[0].shape[-1] is None:
        raise ValueError(
            "Cannot infer the latent size from the generator (it has no fixed `inputs`); "
            "pass latent_dim=."
        )
    return int(inputs[0].shape[-1])


def _label_input(generator, labels, num_classes):
    """Formats integer labels for the generator's label input: (b,), (b, 1) or one-hot (b, K)."""
    spec = generator.inputs[1]
    shape = tuple(spec.shape)
    dtype = str(getattr(spec, "dtype", "int32"))
    if len(shape) >= 2 and shape[-1] not in (None, 1):
        if num_classes is None or shape[-1] != num_classes:
            raise ValueError(
                f"The generator's label input has shape {shape}; one-hot labels need "
                f"num_classes={shape[-1]}, got {num_classes}."
            )
        return np.eye(num_classes, dtype=dtype)[labels]
    if len(shape) >= 2:
        return labels.reshape(-1, 1).astype(dtype)
    return labels.astype(dtype)


def generate_images(generator, n, latent_dim, rng, labels=None, num_classes=None,
                    batch_size=250):
    """Yields (images, labels_or_None) batches: `n` samples, noise ~ N(0, 1) from `rng`."""
    for start in range(0, n, batch_size):
        b = min(batch_size, n - start)
        noise = rng.standard_normal((b, latent_dim)).astype(np.float32)
        if labels is None:
            yield apply_model(generator, noise, b), None
        else:
            batch_labels = labels[start : start + b]
            inputs = [noise, _label_input(generator, batch_labels, num_classes)]
            yield apply_model(generator, inputs, b), batch_labels


def real_feature_batches(real_data, feature_extractor, n, batch_size, guard=None):
    """Yields features of the first `n` real images (uint8 is converted to [-1, 1])."""
    for batch in iterate_images(real_data, batch_size=batch_size, limit=n):
        batch = check_images(batch, name="real images")
        if guard is not None:
            guard.check(batch, "real")
        yield apply_model(feature_extractor, batch, batch_size)


def _conditioning_labels(labels, num_classes, n, rng):
    if labels is not None:
        labels = np.asarray(labels).reshape(-1)
        if not np.issubdtype(labels.dtype, np.integer):
            if not np.all(labels == np.round(labels)):
                raise ValueError("labels must be integers.")
            labels = labels.astype(np.int64)
        if len(labels) != n:
            raise ValueError(f"labels must hold one class per sample: {n}; got {len(labels)}.")
        if num_classes is not None and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError(
                f"labels must lie in [0, {num_classes}); got min={labels.min()}, "
                f"max={labels.max()}."
            )
        return labels
    if num_classes is None:
        raise ValueError(
            "The generator is conditional (inputs [noise, labels]): pass num_classes= (labels "
            "are drawn uniformly) or labels= (one class per sample)."
        )
    return rng.integers(0, num_classes, size=n)


def evaluate(generator, real_data, n=10000, feature_extractor=None, classifier=None,
             labels=None, num_classes=None, batch_size=250, seed=0, latent_dim=None,
             from_logits=True, kid_subset_size=1000, kid_num_subsets=100, is_splits=10):
    """Measures `n` samples of `generator` against `real_data`.

    Args:
        generator: keras.Model, noise -> images in [-1, 1]; or [noise, labels] -> images
            for a conditional generator (detected by its two inputs).
        real_data: array of images (float in [-1, 1] or uint8), or a batched tf.data.Dataset
            yielding images or (images, labels). The first `n` real images are used.
        feature_extractor: keras.Model or callable, images -> (batch, d). Required.
        classifier: optional keras.Model or callable, images -> (batch, K) logits
            (probabilities with `from_logits=False`).
        labels: for a conditional generator, one class per sample (length `n`); by default
            classes are drawn uniformly from [0, num_classes).
        seed: seeds the numpy RNG that draws noise (standard normal) and labels.

    Returns a dict of Python numbers: "fd", "kid", "kid_std", "n_real", "n_fake"; with a
    classifier also "is", "is_std", "class_shares" (share of samples per argmax class),
    "mean_confidence" (mean max softmax probability), and for a conditional generator
    "conditional_accuracy" (share classified as the requested class).
    """
    check_extractor(feature_extractor)
    n = int(n)
    if n < 2:
        raise ValueError(f"n must be at least 2; got {n}.")
    rng = np.random.default_rng(seed)
    conditional = is_conditional(generator)
    latent_dim = latent_size(generator, latent_dim)
    if conditional:
        labels = _conditioning_labels(labels, num_classes, n, rng)
    elif labels is not None:
        raise ValueError("labels were given, but the generator has a single (noise) input.")

    guard = ImageShapeGuard()
    fd = FrechetDistance(feature_extractor, batch_size=batch_size)
    kid = KernelDistance(feature_extractor, subset_size=min(kid_subset_size, n),
                         num_subsets=kid_num_subsets, seed=seed, batch_size=batch_size)
    score = None
    if classifier is not None:
        score = InceptionScore(classifier, from_logits=from_logits, splits=is_splits,
                               batch_size=batch_size)

    n_real = 0
    for features in real_feature_batches(real_data, feature_extractor, n, batch_size, guard):
        fd.update_features(real=features)
        kid.update_features(real=features)
        n_real += len(features)

    for images, _ in generate_images(generator, n, latent_dim, rng, labels, num_classes,
                                     batch_size):
        images = check_images(images, name="generated images")
        guard.check(images, "fake")
        features = apply_model(feature_extractor, images, batch_size)
        fd.update_features(fake=features)
        kid.update_features(fake=features)
        if score is not None:
            score.update_state(images)

    results = {"fd": fd.result(), **kid.result(), "n_real": n_real, "n_fake": n}
    if score is not None:
        results.update(score.result())
        probabilities = score.probabilities()
        predicted = probabilities.argmax(axis=1)
        shares = np.bincount(predicted, minlength=probabilities.shape[1]) / len(predicted)
        results["class_shares"] = [float(s) for s in shares]
        results["mean_confidence"] = float(probabilities.max(axis=1).mean())
        if conditional:
            results["conditional_accuracy"] = float(np.mean(predicted == labels))
    return results
