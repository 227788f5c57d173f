"""Keras callbacks for GAN training."""

import os

import keras

from kgan import images as image_utils
from kgan.metrics.callback import FrechetDistanceCallback
from kgan.metrics.mode_monitor import ModeCollapseWarning, ModeMonitor

__all__ = ["FrechetDistanceCallback", "ModeCollapseWarning", "ModeMonitor", "SampleGrid"]


@keras.saving.register_keras_serializable(package="kgan")
class SampleGrid(keras.callbacks.Callback):
    """Write a PNG grid of samples from fixed noise every ``every`` epochs.

    The noise (and, for conditional models, the labels ``0, 1, ..., K-1, 0, ...``) is the
    same at every epoch, so the grids show how the generator evolves. Files are
    ``{directory}/epoch_{epoch:04d}.png`` (epochs counted from 1). When a
    ``keras.callbacks.TensorBoard`` callback is given to the same ``fit``, the grid is also
    written as an image summary ``samples`` under its ``log_dir``/``samples``.

    Drawing samples does not touch the model's training seed generator, so adding this
    callback does not change training.
    """

    def __init__(self, directory, every=1, n=64, seed=0, nrow=None):
        super().__init__()
        if int(every) != every or every < 1:
            raise ValueError(f"every must be an integer >= 1, got {every!r}.")
        if int(n) != n or n < 1:
            raise ValueError(f"n must be an integer >= 1, got {n!r}.")
        self.directory = os.fspath(directory)
        self.every = int(every)
        self.n = int(n)
        self.seed = seed
        self.nrow = nrow
        self._tensorboard_dir = None
        self._writer = None

    def set_sibling_callbacks(self, callbacks):
        """Called by kgan models' ``fit`` with the callbacks of the same run."""
        boards = [c for c in callbacks if isinstance(c, keras.callbacks.TensorBoard)]
        self._tensorboard_dir = os.path.join(boards[0].log_dir, "samples") if boards else None

    def on_train_begin(self, logs=None):
        if not hasattr(self.model, "generate"):
            raise ValueError(f"SampleGrid needs a kgan model with generate(), got {type(self.model).__name__}.")
        os.makedirs(self.directory, exist_ok=True)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        samples = self.model.generate(self.n, seed=self.seed)
        grid = image_utils.make_grid(samples, nrow=self.nrow)
        image_utils.save_image(grid, os.path.join(self.directory, f"epoch_{epoch + 1:04d}.png"))
        if self._tensorboard_dir:
            self._write_summary(grid, epoch + 1)

    def _write_summary(self, grid, step):
        import tensorflow as tf

        if self._writer is None:
            self._writer = tf.summary.create_file_writer(self._tensorboard_dir)
        with self._writer.as_default():
            tf.summary.image("samples", grid[None], step=step)
        self._writer.flush()

    def get_config(self):
        return {"directory": self.directory, "every": self.every, "n": self.n, "seed": self.seed, "nrow": self.nrow}
