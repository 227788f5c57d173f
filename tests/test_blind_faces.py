"""bench/blind_faces.py: the shuffled grids hold exactly each source's seeded samples, and the
tally adds raters' rejections to the right source."""

import json
import os
import pathlib
import sys

import numpy as np
import pytest
from PIL import Image

import kgan
import keras
from kgan import networks
from kgan.images import make_grid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "bench"))
import blind_faces  # noqa: E402


@pytest.fixture(scope="module")
def saved_gan(tmp_path_factory):
    """A tiny 64x64 GAN, trained one step so that its EMA and raw generators differ, saved whole."""
    keras.utils.set_random_seed(0)
    gan = kgan.GAN(networks.dcgan_generator(8, (64, 64, 3), base_filters=4),
                   networks.dcgan_discriminator((64, 64, 3), base_filters=4), ema_decay=0.5, ema_start=0, seed=0)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-2), d_optimizer=keras.optimizers.Adam(1e-2))
    images = np.random.default_rng(0).uniform(-1, 1, (8, 64, 64, 3)).astype("float32")
    gan.fit(images, batch_size=8, epochs=2, verbose=0)
    path = tmp_path_factory.mktemp("gan") / "model.keras"
    gan.save(path)
    return path, gan


@pytest.fixture
def faces(tmp_path):
    path = tmp_path / "faces.npz"
    np.savez(path, images=np.random.default_rng(1).integers(0, 256, (100, 64, 64, 3), dtype=np.uint8))
    return path


def test_make_writes_every_grid_once_under_a_key(tmp_path, saved_gan, faces):
    path, gan = saved_gan
    sources = [f"{path}:ema", f"{path}:raw", "real"]
    key = blind_faces.make(str(tmp_path / "blind"), sources, seeds=(0, 1), scale=1, data=str(faces), shuffle_seed=3)
    assert sorted(key, key=lambda g: int(g[4:])) == [f"grid{n}" for n in range(1, 7)]
    shown_sources = sorted((v["source"], v["seed"]) for v in key.values())
    assert shown_sources == sorted((s, seed) for s in sources for seed in (0, 1))
    assert json.load(open(tmp_path / "blind" / "key.json"))["grids"] == key
    assert (tmp_path / "blind" / "judge" / "RUBRIC.txt").read_text() == blind_faces.RUBRIC
    assert sorted(os.listdir(tmp_path / "blind")) == ["judge", "key.json"]  # the key is not in the raters' folder
    expected = {
        f"{path}:ema": gan.sampling_generator, f"{path}:raw": gan.generator,
    }
    real = np.load(faces)["images"]
    for grid, where in key.items():
        shown = np.asarray(Image.open(tmp_path / "blind" / "judge" / f"{grid}.png"))
        if where["source"] == "real":
            picked = real[np.random.default_rng(where["seed"]).choice(100, 64, replace=False)]
            assert np.array_equal(shown, make_grid(picked, nrow=8))
        else:
            noise = kgan.latent.sample(64, 8, seed=where["seed"])
            images = keras.ops.convert_to_numpy(expected[where["source"]].predict(noise, verbose=0))
            assert np.abs(shown.astype(int) - make_grid(images, nrow=8).astype(int)).max() <= 1
    seed_0 = {v["source"]: grid for grid, v in key.items() if v["seed"] == 0}
    judge = tmp_path / "blind" / "judge"
    ema, raw = (np.asarray(Image.open(judge / f"{seed_0[f'{path}:{w}']}.png")) for w in ("ema", "raw"))
    assert not np.array_equal(ema, raw)


def test_make_scales_cells_and_shuffles_by_seed(tmp_path, faces):
    first, again = (blind_faces.make(str(tmp_path / name), ["real"], seeds=(0, 1, 2, 3), scale=2, data=str(faces),
                                     shuffle_seed=0) for name in "ab")
    assert first == again
    assert [first[f"grid{n}"]["seed"] for n in range(1, 5)] != [0, 1, 2, 3]  # shuffled
    assert Image.open(tmp_path / "a" / "judge" / "grid1.png").size == (8 * 128 + 9 * 2,) * 2


def test_make_refuses_what_would_spoil_a_rating(tmp_path, faces):
    blind_faces.make(str(tmp_path / "blind"), ["real"], seeds=(0,), scale=1, data=str(faces), shuffle_seed=0)
    with pytest.raises(FileExistsError, match="judge exists"):
        blind_faces.make(str(tmp_path / "blind"), ["real"], seeds=(0,), scale=1, data=str(faces))
    with pytest.raises(ValueError, match="Each source once"):
        blind_faces.make(str(tmp_path / "other"), ["real", "real"], data=str(faces))
    with pytest.raises(ValueError, match=r"Each noise seed once, got \[1, 1\]"):
        blind_faces.make(str(tmp_path / "other"), ["real"], seeds=(1, 1), data=str(faces))
    with pytest.raises(ValueError, match="scale must be a positive integer.*got 0"):
        blind_faces.make(str(tmp_path / "other"), ["real"], scale=0, data=str(faces))
    assert not (tmp_path / "other").exists()  # refused before writing anything
    for name in ("no_such_model", "celeba_features"):  # the latter is a zoo network, not a generator
        with pytest.raises(ValueError, match=f"'{name}': expected a zoo generator .*celeba_dcgan"):
            blind_faces.make(str(tmp_path / "other"), [name], data=str(faces))
    with pytest.raises(ValueError, match=":best"):
        blind_faces.make(str(tmp_path / "other"), ["x.keras:best"], data=str(faces))


def _key(tmp_path, grids):
    (tmp_path / "key.json").write_text(json.dumps({"sources": ["a", "b"], "grids": grids}))


def test_tally_sums_each_raters_rejections_by_source(tmp_path, capsys):
    _key(tmp_path, {"grid1": {"source": "a", "seed": 0}, "grid2": {"source": "b", "seed": 0},
                    "grid3": {"source": "a", "seed": 1}, "grid4": {"source": "b", "seed": 1}})
    (tmp_path / "rater1.txt").write_text(
        "grid3: rejected 5: (1,1) (2,2) (3,3) (4,4) (5,5)\nnotes in between\ngrid1: rejected 2: (1,2) (8,8)\n"
        "grid2: rejected 0:\ngrid4: rejected 7: ...\ngrid1: rejected 9: a second look does not count\n")
    (tmp_path / "rater2.txt").write_text("Grid1 : Rejected 1: (4,4)\ngrid2: rejected 3\n")
    assert blind_faces.tally(str(tmp_path)) == {"rater1.txt": {"a": 7, "b": 7}, "rater2.txt": {"a": 1, "b": 3}}
    assert "rater2.txt has no line for grid3, grid4" in capsys.readouterr().err


def test_tally_rejects_lines_that_cannot_be_right(tmp_path):
    _key(tmp_path, {"grid1": {"source": "a", "seed": 0}, "grid2": {"source": "b", "seed": 0}})
    (tmp_path / "rater1.txt").write_text("grid3: rejected 1: (1,1)\n")
    with pytest.raises(ValueError, match=r"rater1.txt:1: grid3 is not one of the 2 grids"):
        blind_faces.tally(str(tmp_path))
    (tmp_path / "rater1.txt").write_text("grid1: rejected 65\n")
    with pytest.raises(ValueError, match="65 rejected of a grid of 64"):
        blind_faces.tally(str(tmp_path))
    os.remove(tmp_path / "rater1.txt")
    with pytest.raises(FileNotFoundError, match="No rater"):
        blind_faces.tally(str(tmp_path))


def test_make_draws_a_zoo_generator_from_the_registry(tmp_path):
    import zoo

    key = blind_faces.make(str(tmp_path / "blind"), ["celeba_dcgan"], seeds=(5,), scale=1, shuffle_seed=0)
    assert key == {"grid1": {"source": "celeba_dcgan", "seed": 5}}
    images = zoo.celeba_dcgan().predict(kgan.latent.sample(64, 100, seed=5), verbose=0)
    shown = np.asarray(Image.open(tmp_path / "blind" / "judge" / "grid1.png")).astype(int)
    assert np.abs(shown - make_grid(keras.ops.convert_to_numpy(images), nrow=8).astype(int)).max() <= 1
