"""Real images for ``ProgressiveGAN.fit``: a stream cut into each stage's batches.

The schedule gives every stage its own batch size, so the model, not Keras, batches the data.
The stream is an endless sequence of the training images -- pass ``p`` over them in the order
of a permutation seeded by ``(data_seed, p)`` -- and the step that begins after ``n`` images
takes the next ``batch_size`` of them. What a step sees is therefore a function of the images
seen so far (a model variable): a run resumed from a checkpoint sees exactly the batches the
uninterrupted run would have seen. ``PhaseCallback`` starts the stream where the model stands
once checkpoints are restored, and moves the model to the next phase between steps.
"""

import keras
import numpy as np


def as_images(x, resolution, channels):
    """``fit``'s data as one float32 NumPy array of ``(N, resolution, resolution, channels)``
    images: an array (or tensor) of images, or a finite ``tf.data.Dataset`` of images (or of
    ``(images, ...)`` tuples), batched or not, read into memory once (random access is what
    lets every stage have its batch size and a resumed run its exact batches)."""
    if hasattr(x, "element_spec"):
        if int(x.cardinality()) == -1:  # tf.data.INFINITE_CARDINALITY
            raise ValueError("ProgressiveGAN.fit needs a finite dataset (it reads the images into memory once); "
                             "drop .repeat(): the model repeats the data itself.")
        parts = []
        for element in x.as_numpy_iterator():
            element = element[0] if isinstance(element, tuple) else element
            parts.append(element[None] if element.ndim == 3 else element)
        x = np.concatenate(parts) if parts else np.zeros((0, resolution, resolution, channels), "float32")
    elif not isinstance(x, np.ndarray):
        x = np.asarray(keras.ops.convert_to_numpy(x))
    expected = (resolution, resolution, channels)
    if x.ndim != 4 or tuple(x.shape[1:]) != expected:
        raise ValueError(
            f"ProgressiveGAN.fit: the images have shape {tuple(x.shape[1:])} but the schedule and the networks "
            f"end at {resolution}x{resolution} with {channels} channels, i.e. {expected}; resize the data or "
            "build the networks and the schedule for its resolution."
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"Images must be floats in [-1, 1], got dtype {x.dtype}; convert uint8 images with "
                         "kgan.images.from_uint8.")
    if len(x) == 0:
        raise ValueError("ProgressiveGAN.fit got no images.")
    return x.astype("float32", copy=False)


class ImageStream:
    """The endless, reproducible stream of real images, batched by the schedule."""

    def __init__(self, images, schedule, shuffle=True):
        self.images, self.schedule, self.shuffle = images, schedule, bool(shuffle)
        self.start, self.seed = 0, 0

    def restart(self, images_seen, seed):
        """Begin the next iteration after ``images_seen`` images, in the order of ``seed``."""
        self.start, self.seed = int(images_seen), int(seed)

    def _order(self, p, cache):
        if p not in cache:
            n = len(self.images)
            cache.clear()
            cache[p] = np.random.default_rng([self.seed, p]).permutation(n) if self.shuffle else np.arange(n)
        return cache[p]

    def rows(self, position, size, cache=None):
        """Indices of the images at stream positions ``position .. position + size - 1``."""
        cache = {} if cache is None else cache
        n, out = len(self.images), []
        while size:
            p, offset = divmod(position, n)
            take = min(size, n - offset)
            out.append(self._order(p, cache)[offset : offset + take])
            position, size = position + take, size - take
        return np.concatenate(out)

    def batches(self):
        """One batch per step from ``start`` on, each of its phase's batch size (endless)."""
        position, cache = self.start, {}
        while True:
            size = self.schedule.phase_at(position).batch_size
            yield self.images[self.rows(position, size, cache)]
            position += size

    def dataset(self):
        import tensorflow as tf

        spec = tf.TensorSpec((None,) + self.images.shape[1:], tf.float32)
        return tf.data.Dataset.from_generator(self.batches, output_signature=spec).prefetch(2)


class PhaseCallback(keras.callbacks.Callback):
    """Added last by ``ProgressiveGAN.fit``: after ``BackupAndRestore`` and the like have
    restored the model, starts the stream at its image count; after every step, moves the model
    into the phase of the next step (a new phase retraces the train step)."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.images = 0

    def on_train_begin(self, logs=None):
        self.images = self.model.images_seen
        self.stream.restart(self.images, self.model.data_seed)
        self.model.enter_phase(self.images)

    def on_train_batch_end(self, batch, logs=None):
        self.images += self.model.phase.batch_size
        self.model.enter_phase(self.images)


__all__ = ["ImageStream", "PhaseCallback", "as_images"]
