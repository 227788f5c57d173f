"""Loss trackers that Keras callbacks understand.

The values a GAN logs are ``keras.metrics.Mean`` trackers. Grouping them in Keras's
``MetricsList`` (and marking losses as "down") lets ``EarlyStopping(monitor="g_loss")`` and
``ModelCheckpoint(monitor="d_loss")`` infer their direction in the default ``mode="auto"``,
which Keras does only for metrics found in such lists.
"""

import keras
from keras.src.trainers.compile_utils import MetricsList

# Logged values that should go up; every other tracker is a loss and should go down.
_MAXIMISED = ("wasserstein",)
# State rather than a per-batch figure: logged as the latest value, not the epoch's mean.
_LATEST = ("ada_p",)


class Latest(keras.metrics.Metric):
    """The most recent value given to ``update_state``."""

    def __init__(self, name, **kwargs):
        super().__init__(name=name, **kwargs)
        self.value = self.add_variable(shape=(), initializer="zeros", name="value")

    def update_state(self, value):
        self.value.assign(keras.ops.cast(value, self.value.dtype))

    def result(self):
        return keras.ops.convert_to_tensor(self.value)


class LossTrackers(MetricsList):
    """A ``keras.metrics.Mean`` per logged name, updated together."""

    def __init__(self, names, name="loss_trackers"):
        trackers = []
        for tracker_name in names:
            tracker = (Latest if tracker_name in _LATEST else keras.metrics.Mean)(name=tracker_name)
            tracker._direction = "up" if tracker_name in _MAXIMISED else "down"
            trackers.append(tracker)
        super().__init__(trackers, name=name)

    def result(self):
        return {tracker.name: tracker.result() for tracker in self.metrics}

    def update(self, values):
        """Add one batch's values (a dict by name) and return the running means."""
        for tracker in self.metrics:
            tracker.update_state(values[tracker.name])
        return self.result()
