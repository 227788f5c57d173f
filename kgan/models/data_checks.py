"""Early, clear errors for data that does not fit a model, raised before any training step."""

import numpy as np


def check_batch_structure(model, images, labels):
    """Static checks on one batch (run while ``train_step`` is traced)."""
    expected = tuple(model.generator.outputs[0].shape[1:])
    got = tuple(images.shape[1:])
    if got != expected:
        raise ValueError(
            f"Dataset images have shape {got} per sample but the generator produces {expected}; "
            "resize the data or build the networks for this shape."
        )
    if "int" in str(images.dtype):
        raise ValueError(
            f"Images must be floats in [-1, 1], got dtype {images.dtype}; convert uint8 images "
            "with kgan.images.from_uint8."
        )
    if model.conditional:
        if labels is None:
            raise ValueError(
                f"{type(model).__name__} trains on (images, labels) pairs but the data has no labels; "
                "pass fit(x=images, y=labels) or a dataset of (images, labels)."
            )
        if "int" not in str(labels.dtype):
            raise ValueError(f"Labels must be integers in [0, {model.num_classes}), got dtype {labels.dtype}.")
        if len(labels.shape) != 1:
            raise ValueError(f"Labels must have shape (batch,), got {tuple(labels.shape)}.")


def check_labels(model, labels):
    """Value check of integer class labels; returns them as an int32 array."""
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(
            f"Labels must be integers in [0, {model.num_classes}), got dtype {labels.dtype} "
            f"(first values {labels.ravel()[:5].tolist()})."
        )
    if labels.size and (labels.min() < 0 or labels.max() >= model.num_classes):
        bad = labels[(labels < 0) | (labels >= model.num_classes)].ravel()[0]
        raise ValueError(f"Label {bad} is outside [0, {model.num_classes}) for this model.")
    return labels.astype("int32")


def as_label_array(model, labels, n):
    """Labels for sampling: given ones (checked, length n) or a balanced cycle 0..K-1."""
    if labels is None:
        return (np.arange(n) % model.num_classes).astype("int32")
    labels = check_labels(model, np.reshape(np.asarray(labels), (-1,)))
    if labels.shape[0] == 1 and n > 1:
        labels = np.repeat(labels, n)
    if labels.shape[0] != n:
        raise ValueError(f"Got {labels.shape[0]} labels for n={n} images; give one label or n labels.")
    return labels


def check_fit_data(model, x, y):
    """Check ``fit``'s inputs before Keras builds a train function.

    Shapes and dtypes are checked again while ``train_step`` is traced, but failing here is
    kinder: on JAX an error raised while tracing leaves the model's variables purged.
    """
    if hasattr(x, "element_spec"):  # tf.data.Dataset: its spec, and the values of its first batch
        spec = x.element_spec
        images, labels = (spec[0], spec[1] if len(spec) > 1 else None) if isinstance(spec, tuple) else (spec, None)
        check_batch_structure(model, images, labels)
        if model.conditional:
            for batch in x.take(1):
                check_labels(model, np.asarray(batch[1]))
        return
    if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
        x, y = x
    if isinstance(x, np.ndarray):
        check_batch_structure(model, x, None if y is None else np.asarray(y))
        if model.conditional:
            check_labels(model, y)
