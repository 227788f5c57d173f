"""Conversions, grids and PNG writing in kgan.images."""

import os

import keras
import numpy as np
import pytest
from PIL import Image

from kgan import images


def test_uint8_round_trip_and_endpoints():
    u = np.arange(256, dtype=np.uint8).reshape(1, 16, 16, 1)
    f = images.from_uint8(u)
    assert f.dtype == np.float32 and f.min() == -1 and f.max() == 1
    np.testing.assert_array_equal(images.to_uint8(f), u)
    np.testing.assert_array_equal(images.to_uint8(np.array([-1.0, 0.0, 1.0])), [0, 128, 255])


def test_to_uint8_accepts_tensors_uint8_and_small_overshoot():
    t = keras.ops.convert_to_tensor(np.array([[-1.0005, 1.0005]], dtype="float32"))
    np.testing.assert_array_equal(images.to_uint8(t), [[0, 255]])
    u = np.array([3, 200], dtype=np.uint8)
    assert images.to_uint8(u) is u


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([0.0, 1.5]), "max 1.5"),
        (np.array([-2.0, 0.0]), "min -2"),
        (np.array([0.0, np.nan]), "NaN"),
        (np.array([0.5, 255.5]), "max 255.5"),  # uint8-scale floats passed by mistake
    ],
)
def test_to_uint8_rejects_out_of_range(bad, match):
    with pytest.raises(ValueError, match=match):
        images.to_uint8(bad)


def test_from_uint8_rejects_floats_and_out_of_range_ints():
    with pytest.raises(ValueError, match="float32"):
        images.from_uint8(np.zeros((2, 2), np.float32))
    with pytest.raises(ValueError, match="max 300"):
        images.from_uint8(np.array([0, 300]))


def test_grid_places_tiles_in_order():
    values = [0, 64, 128, 255]
    batch = np.stack([np.full((3, 5, 1), v, np.uint8) for v in values])
    grid = images.make_grid(batch, padding=1, pad_value=7)
    assert grid.shape == (2 * 3 + 3, 2 * 5 + 3, 1) and grid.dtype == np.uint8
    tiles = {(r, c): grid[1 + r * 4 : 4 + r * 4, 1 + c * 6 : 6 + c * 6] for r in range(2) for c in range(2)}
    for i, v in enumerate(values):
        assert np.all(tiles[divmod(i, 2)] == v)
    assert grid[0].tolist() == [[7]] * grid.shape[1] and np.all(grid[4] == 7)  # padding rows


def test_grid_nrow_partial_rows_and_float_input():
    batch = -np.ones((5, 4, 4, 3), np.float32)
    grid = images.make_grid(batch, nrow=3, padding=0, pad_value=255)
    assert grid.shape == (8, 12, 3)
    assert np.all(grid[:4] == 0) and np.all(grid[4:, :8] == 0)
    assert np.all(grid[4:, 8:] == 255)  # the empty sixth slot stays pad_value
    assert images.make_grid(np.zeros((10, 2, 2, 1), np.uint8), padding=0).shape == (6, 8, 1)  # ceil(sqrt(10)) = 4


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(images=np.zeros((4, 4, 1), np.uint8)), r"\(N, H, W, C\).*\(4, 4, 1\)"),
        (dict(images=np.zeros((0, 4, 4, 1), np.uint8)), "empty"),
        (dict(images=np.zeros((1, 4, 4, 1), np.uint8), nrow=0), "nrow.*0"),
        (dict(images=np.zeros((1, 4, 4, 1), np.uint8), padding=-1), "padding.*-1"),
        (dict(images=np.zeros((1, 4, 4, 1), np.uint8), pad_value=256), "pad_value.*256"),
        (dict(images=np.full((1, 4, 4, 1), 3.0)), "max 3"),
    ],
)
def test_grid_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        images.make_grid(**kwargs)


def test_save_image_grayscale_and_rgb(tmp_path):
    gray = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4, 1)
    path = images.save_image(gray, tmp_path / "g.png")
    with Image.open(path) as im:
        assert im.mode == "L" and im.size == (4, 3)
        np.testing.assert_array_equal(np.asarray(im), images.to_uint8(gray)[..., 0])
    rgb = np.random.default_rng(0).integers(0, 256, (5, 6, 3), dtype=np.uint8)
    images.save_image(rgb, tmp_path / "c.png")
    with Image.open(tmp_path / "c.png") as im:
        assert im.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(im), rgb)
    assert sorted(os.listdir(tmp_path)) == ["c.png", "g.png"]  # no temporary files left


def test_save_grid(tmp_path):
    images.save_grid(np.zeros((4, 8, 8, 1), np.float32), tmp_path / "grid.png", nrow=4)
    with Image.open(tmp_path / "grid.png") as im:
        assert im.mode == "L" and im.size == (4 * 10 + 2, 12)


def test_failed_save_keeps_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "x.png"
    images.save_image(np.zeros((2, 2, 1), np.uint8), path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match=r"\(4, 2, 2, 1\)"):
        images.save_image(np.zeros((4, 2, 2, 1), np.uint8), path)  # a batch, not one image
    with pytest.raises(ValueError, match="max 9"):
        images.save_image(np.full((2, 2, 1), 9.0), path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["x.png"]


def test_save_image_write_failure_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "x.png"
    images.save_image(np.zeros((2, 2, 1), np.uint8), path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        images.save_image(np.full((2, 2, 1), 255, np.uint8), path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["x.png"]


def test_save_image_requires_png_suffix(tmp_path):
    with pytest.raises(ValueError, match="x.jpg"):
        images.save_image(np.zeros((2, 2, 1), np.uint8), tmp_path / "x.jpg")
