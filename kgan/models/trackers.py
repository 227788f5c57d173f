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


class LossTrackers(MetricsList):
    """A ``keras.metrics.Mean`` per logged name, updated together."""

    def __init__(self, names, name="loss_trackers"):
        trackers = []
        for tracker_name in names:
            tracker = keras.metrics.Mean(name=tracker_name)
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
