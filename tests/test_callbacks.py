"""Keras callbacks work unchanged with kgan models, and SampleGrid writes real grids."""

import csv
import glob
import os

import keras
import numpy as np
from PIL import Image

from kgan.callbacks import SampleGrid
from tests import factories as f


def test_sample_grid_writes_fixed_noise_grids(tmp_path):
    model = f.make("cgan")
    grid = SampleGrid(tmp_path / "samples", every=2, n=9, seed=0)
    model.fit(**f.data("cgan", 32), batch_size=8, epochs=4, verbose=0, callbacks=[grid])
    files = sorted(os.listdir(tmp_path / "samples"))
    assert files == ["epoch_0002.png", "epoch_0004.png"]
    picture = np.asarray(Image.open(tmp_path / "samples" / "epoch_0004.png"))
    assert picture.shape == (3 * 4 + 4 * 2, 3 * 4 + 4 * 2)  # 3x3 tiles of 4x4 with 2px padding
    first = np.asarray(Image.open(tmp_path / "samples" / "epoch_0002.png"))
    assert np.abs(first.astype(int) - picture.astype(int)).max() > 0  # the generator moved


def test_sample_grid_writes_a_tensorboard_image(tmp_path):
    model = f.make("gan")
    board = keras.callbacks.TensorBoard(str(tmp_path / "logs"))
    model.fit(f.images(16), batch_size=8, epochs=1, verbose=0, callbacks=[board, SampleGrid(tmp_path / "s", n=4)])
    events = glob.glob(str(tmp_path / "logs" / "samples" / "events.out.tfevents.*"))
    assert events, "no image summary written"
    import tensorflow as tf

    tags = [v.tag for e in tf.compat.v1.train.summary_iterator(events[0]) for v in e.summary.value]
    assert "samples" in tags


def test_csv_logger_and_early_stopping_on_g_loss(tmp_path):
    model = f.make("gan")
    log = tmp_path / "log.csv"
    stop = keras.callbacks.EarlyStopping(monitor="g_loss", patience=0, min_delta=1e9)  # mode="auto"
    history = model.fit(
        f.images(32), batch_size=8, epochs=5, verbose=0, callbacks=[keras.callbacks.CSVLogger(str(log)), stop]
    )
    assert len(history.history["g_loss"]) == 2  # nothing improves by 1e9: stops after patience
    rows = list(csv.DictReader(open(log)))
    assert len(rows) == 2 and {"epoch", "d_loss", "g_loss", "loss"} <= set(rows[0])
    assert float(rows[1]["g_loss"]) == np.float32(history.history["g_loss"][1])
