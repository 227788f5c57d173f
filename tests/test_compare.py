"""zoo.recipes.compare (GAN against VAE): its figures, its README section and its conclusion,
on toy arrays and toy generators (the real evaluation runs from the command line)."""

import json

import keras
import numpy as np
import pytest

from zoo.recipes import compare
from zoo.recipes.compare import END, START


def flatten(images):
    return np.asarray(images).reshape(len(images), -1)


# ------------------------------------------------------------------ sharpness
def test_laplacian_variance_by_hand():
    flat = np.full((2, 5, 5, 1), 0.3)
    np.testing.assert_array_equal(compare.laplacian_variance(flat), [0.0, 0.0])
    impulse = np.zeros((1, 5, 5, 1))
    impulse[0, 2, 2] = 1.0  # the 3x3 valid Laplacian: -4 in the centre, 1 at its 4 neighbours, 0 at corners
    np.testing.assert_allclose(compare.laplacian_variance(impulse), [20 / 9])  # mean 0, (16 + 4 * 1) / 9
    checkerboard = np.where(np.add.outer(np.arange(6), np.arange(6)) % 2, 1.0, -1.0)[None, :, :, None]
    np.testing.assert_allclose(compare.laplacian_variance(checkerboard), [64.0])  # every value is +-8
    rgb = np.repeat(checkerboard, 3, axis=-1)  # gray RGB: the luma weights sum to 1
    np.testing.assert_allclose(compare.laplacian_variance(rgb), [64.0])


def test_blur_lowers_sharpness_and_real_scores_one():
    x = np.random.default_rng(0).uniform(-1, 1, (4, 16, 16, 1))
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
    blurred = sum(padded[:, i : i + 16, j : j + 16] for i in range(3) for j in range(3)) / 9  # 3x3 box blur
    assert compare.sharpness(x, x) == pytest.approx(1.0)
    assert compare.sharpness(blurred, x) < 0.2
    assert compare.sharpness(x, blurred) > 5


def test_sharpness_names_bad_shapes():
    with pytest.raises(ValueError, match=r"\(2, 5, 5, 2\)"):
        compare.laplacian_variance(np.zeros((2, 5, 5, 2)))
    with pytest.raises(ValueError, match=r"at least 3x3.*\(1, 2, 9, 1\)"):
        compare.laplacian_variance(np.zeros((1, 2, 9, 1)))
    with pytest.raises(ValueError, match="no detail"):
        compare.sharpness(np.ones((1, 4, 4, 1)), np.zeros((1, 4, 4, 1)))


# ------------------------------------------------------------------ near-duplicates
def test_near_duplicate_share_of_repeats_and_of_fresh_images():
    rng = np.random.default_rng(1)
    real = rng.uniform(-1, 1, (300, 4, 4, 1)).astype("float32")
    monitor = compare.duplicate_monitor(real, flatten, n=300)
    assert monitor.real_figures["mode_duplicates"] == pytest.approx(0.01, abs=0.005)  # by construction
    repeated = np.repeat(rng.uniform(-1, 1, (1, 4, 4, 1)).astype("float32"), 300, axis=0)
    assert compare.near_duplicate_share(monitor, repeated) == 1.0
    fresh = rng.uniform(-1, 1, (300, 4, 4, 1)).astype("float32")
    assert compare.near_duplicate_share(monitor, fresh) < 0.05
    half = np.concatenate([fresh[:150], fresh[:150]])  # every sample has its twin
    assert compare.near_duplicate_share(monitor, half) == 1.0


def test_training_draws_give_real_datas_share_where_the_reference_is_not_typical():
    """The reference (the first ``n`` images) scores 1 % by construction; random draws of a
    training set in which every image has a near-twin score far more, draws of fresh images
    about as much. The draws are seeded: the same figures twice."""
    rng = np.random.default_rng(3)
    real = rng.uniform(-1, 1, (300, 4, 4, 1)).astype("float32")
    monitors = [compare.duplicate_monitor(real, flatten, n=300) for _ in range(2)]
    base = rng.uniform(-1, 1, (300, 4, 4, 1)).astype("float32")
    twins = np.concatenate([base, base + 1e-3 * rng.standard_normal(base.shape).astype("float32")])
    draws = compare.training_draws(twins, 300, draws=3)
    assert [d.shape for d in draws] == [(300, 4, 4, 1)] * 3 and not np.array_equal(draws[0], draws[1])
    figures = compare.training_figures(*monitors, twins, 300, draws=3)
    assert figures == compare.training_figures(*monitors, twins, 300, draws=3)
    assert figures["training_draws"] == 3
    low, high = figures["training_near_duplicates_range"]
    # a draw of 300 of the 600 keeps both twins of about a quarter of the pairs: about half its images
    assert 0.3 < low <= figures["training_near_duplicates"] <= high < 0.7
    fresh = compare.training_figures(*monitors, rng.uniform(-1, 1, (600, 4, 4, 1)).astype("float32"), 300)
    assert fresh["training_near_duplicates"] < 0.05 and fresh["training_draws"] == compare.TRAINING_DRAWS
    with pytest.raises(ValueError, match="n=601: need 2 <= n <= 600"):
        compare.training_draws(twins, 601)


def test_table_and_conclusion_set_the_training_draws_beside_the_samples():
    result = dict(_result([_row("celeba_dcgan", 1.0, 0.9, 0.016), _row("celeba_vae", 3.0, 0.7, 0.021)]),
                  training_near_duplicates=0.0179, training_near_duplicates_range=[0.0166, 0.0202],
                  training_pixel_near_duplicates=0.0142, training_pixel_near_duplicates_range=[0.0116, 0.017],
                  training_draws=4)
    lines = compare.table("faces", result)
    assert lines[-1] == ("| real (all training faces: 4 random draws) | - | - | - | - | - | 1.8 % (1.7-2.0 %) | "
                         "1.4 % (1.2-1.7 %) | - | - |")
    assert lines[-2].startswith("| real (CelebA faces, the reference) | - | - | - | - | 1.00 | 1.0 % |")
    assert len({line.count("|") for line in lines}) == 1  # every row has every column
    assert ("2.1 % of them are near-duplicates against 1.6 % for the GANs and 1.8 % (1.7-2.0 %) for random draws "
            "of the training faces.") in compare.conclusion("faces", result)


# ------------------------------------------------------------------ README section
def test_pixel_features_are_block_means():
    images = np.arange(2 * 4 * 4 * 1, dtype="float32").reshape(2, 4, 4, 1)
    features = compare.pixel_features(images, size=2)  # 2x2 blocks -> 2x2 means per image
    expected = [[(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4, (8 + 9 + 12 + 13) / 4, (10 + 11 + 14 + 15) / 4]]
    np.testing.assert_allclose(features[:1], expected)
    assert compare.pixel_features(np.zeros((3, 28, 28, 1))).shape == (3, 14 * 14)  # 2x2 blocks
    assert compare.pixel_features(np.zeros((3, 64, 64, 3))).shape == (3, 16 * 16 * 3)  # 4x4 blocks
    assert compare.pixel_features(np.zeros((3, 8, 8, 1))).shape == (3, 64)  # small images stay whole
    with pytest.raises(ValueError, match="34x34 pixels do not split into 3x3 blocks"):
        compare.pixel_features(np.zeros((1, 34, 34, 1)), size=16)
    with pytest.raises(ValueError, match=r"shape \(n, h, w, c\); got shape \(4, 16\)"):
        compare.pixel_features(np.zeros((4, 16)))


def test_replace_section_keeps_the_rest():
    text = f"# zoo\n\nintro\n\n{START}\nold figures\n{END}\n\n## after\ntail\n"
    out = compare.replace_section(text, "new figures")
    assert out == f"# zoo\n\nintro\n\n{START}\nnew figures\n{END}\n\n## after\ntail\n"
    assert compare.replace_section(out, "new figures") == out
    bare = "# zoo\n\nintro\n"
    appended = compare.replace_section(bare, "figures")
    assert appended.startswith(bare) and appended.endswith(f"{START}\nfigures\n{END}\n")
    assert compare.replace_section(appended, "other") == bare + f"\n{START}\nother\n{END}\n"


def test_replace_section_refuses_broken_markers():
    with pytest.raises(ValueError, match="found 0 and 1"):
        compare.replace_section(f"text\n{END}\n", "x")
    with pytest.raises(ValueError, match="end marker first"):
        compare.replace_section(f"{END}\n{START}\n", "x")
    with pytest.raises(ValueError, match="found 2 and 1"):
        compare.replace_section(f"{START}\n{START}\n{END}\n", "x")


def test_readme_regeneration_keeps_the_section(tmp_path, monkeypatch):
    from zoo.recipes import readme

    stored = tmp_path / "compare.json"
    stored.write_text(json.dumps({"mnist": _result([_row("mnist_gan", 10.0, 0.9)])}))
    monkeypatch.setattr(compare, "COMPARE_JSON", str(stored))
    monkeypatch.setattr(readme, "HERE", str(tmp_path))
    monkeypatch.setattr(readme, "real_vs_real_fd", lambda: 0.5)
    readme.main()  # python -m zoo.recipes.readme, writing into tmp_path
    page = (tmp_path / "README.md").read_text()
    assert page.startswith("# kgan model zoo") and page.count(START) == page.count(END) == 1
    assert "| `mnist_gan` | GAN | 10.00 | 1.000 | 8.00 |" in page and "## Recipes and licences" in page
    assert compare.with_section(page) == page
    assert compare.with_section("text\n", str(tmp_path / "absent.json")) == "text\n"


# ------------------------------------------------------------------ conclusion
def _row(name, fd, sharpness, duplicates=0.002):
    return {"name": name, "family": compare.family(name), "status": "measured", "recipe": f"python -m {name}",
            "parameters": 1000, "train_time": "10 min",
            "figures": {"fd": fd, "kid": fd / 10, "sharpness": sharpness, "near_duplicates": duplicates,
                        "is": 8.0, "mean_confidence": 0.9, "class_shares": [0.1] * 10}}


def _result(rows):
    return {"n": 100, "machine": "Some CPU, 2 cores, AVX2 only", "cores": 2, "rows": rows, "real_near_duplicates": 0.01}


def test_conclusion_follows_the_figures():
    gans_win = compare.conclusion("mnist", _result([_row("mnist_gan", 10.0, 0.9), _row("mnist_wgangp", 30.0, 1.1),
                                                    _row("mnist_vae", 20.0, 0.3, 0.0)]))
    assert gans_win.startswith("The GANs reach the lower FD on MNIST: the best, `mnist_gan`, 10.00 against 20.00")
    assert "1 of 2 GANs beat the VAE" in gans_win
    assert "0.30 times the Laplacian variance of real digits (blurrier than every GAN's, 0.90-1.10)" in gans_win
    assert "0.0 % of them are near-duplicates against 0.2 % for the GANs and 1.0 % for real digits" in gans_win
    assert gans_win.count(". ") == 1 and gans_win.endswith(".")  # two sentences
    vae_wins = compare.conclusion("mnist", _result([_row("mnist_gan", 20.0, 0.9), _row("mnist_vae", 10.0, 1.5)]))
    assert vae_wins.startswith("The VAE reaches the lower FD on MNIST: `mnist_vae` 10.00 against 20.00 for the best "
                               "GAN, `mnist_gan`")
    assert "(sharper than every GAN's, 0.90)" in vae_wins
    within = compare.conclusion("faces", _result([_row("celeba_dcgan", 1.0, 0.5), _row("celeba_progan", 2.0, 1.0),
                                                  _row("celeba_vae", 3.0, 0.7)]))
    assert "real faces (within the GANs' range, 0.50-1.00)" in within


def test_conclusion_without_a_family_says_so():
    untrained = {"name": "mnist_vae", "family": "VAE", "status": "not trained yet",
                 "recipe": "python -m zoo.recipes.mnist_vae"}
    no_vae = _result([_row("mnist_gan", 10.0, 0.9), untrained])
    assert compare.conclusion("mnist", no_vae) == ("Nothing to compare on MNIST yet: no VAE of the comparison is "
                                                   "trained and loadable (`python -m zoo.recipes.mnist_vae`).")
    assert compare.conclusion("faces", _result([_row("celeba_vae", 3.0, 0.7)])).startswith(
        "Nothing to compare on faces yet: no GAN")


# ------------------------------------------------------------------ missing and broken models
def test_untrained_and_unregistered_models_are_rows_with_their_recipe():
    row, generator = compare.load_row("mnist_vae", manifest={})  # no registry entry yet
    assert generator is None and row == {"name": "mnist_vae", "family": "VAE", "status": "not trained yet",
                                         "recipe": "python -m zoo.recipes.mnist_vae"}
    row, generator = compare.load_row("mnist_wgan", manifest={}, load=pytest.fail)  # registered, no weights
    assert generator is None
    assert (row["status"], row["recipe"]) == ("not trained yet", "python -m zoo.recipes.mnist_wgan")
    lines = compare.table("mnist", _result([row]))
    assert lines[2] == "| `mnist_wgan` | GAN | not trained yet: `python -m zoo.recipes.mnist_wgan` | " + " | ".join(
        ["-"] * 9) + " |"
    assert lines[0].count("|") == lines[2].count("|") == lines[3].count("|")


def test_weights_that_do_not_fit_the_builder_are_skipped_with_the_reason():
    keras_message = ("A total of 5 objects could not be loaded. Example error message for object <Dense name=project>:"
                     "\n\nThe shape of the target variable and the shape of the target value in "
                     "`variable.assign(value)` must match. variable.shape=(100, 6272), Received: "
                     "value.shape=(100, 3136). Target variable: "
                     "<Variable path=project/kernel, shape=(100, 6272), dtype=float32, value=[[0.1 ...")

    def load(name):
        raise ValueError(keras_message)

    row, generator = compare.load_row("mnist_dcgan", {"mnist_dcgan": {"sha256": "abc"}}, load=load)
    assert generator is None and row["status"] == "skipped"
    assert row["reason"] == ("the weights do not match the registry's builder, e.g. a new version is training "
                             "(project/kernel: builder (100, 6272), file (100, 3136))")
    table = "\n".join(compare.table("mnist", _result([row])))
    assert "| `mnist_dcgan` | GAN | skipped: the weights do not match" in table

    def tampered(name):
        raise ValueError("Weights file /x/mnist_dcgan.weights.h5 has sha256 123, expected abc: the file is truncated")

    row, _ = compare.load_row("mnist_dcgan", {"mnist_dcgan": {"sha256": "abc"}}, load=tampered)
    assert row["reason"].startswith("the weights file fails its sha256 check (Weights file /x/mnist_dcgan.weights.h5")


def toy(seed):
    keras.utils.set_random_seed(seed)
    noise = keras.Input((4,))
    return keras.Model(noise, keras.layers.Reshape((4, 4, 1))(keras.layers.Dense(16, activation="tanh")(noise)))


def test_measure_with_toy_generators_writes_rows_grid_and_section(tmp_path):
    real = np.random.default_rng(2).uniform(-1, 1, (64, 4, 4, 1)).astype("float32")  # 16-d < 64 samples

    generators = {"mnist_gan": toy(0), "mnist_wgangp": toy(1)}
    manifest = {name: {"sha256": "x", "train_seconds": 600} for name in generators}
    grid = tmp_path / "compare_mnist.png"
    training = np.concatenate([real, real])  # every training image twice: the draws hold twins
    result = compare.measure("mnist", real, 64, lambda g: {"fd": 1.0 + g.count_params() % 7, "kid": 0.1},
                             flatten, manifest=manifest, load=generators.__getitem__, grid_path=str(grid),
                             training=training)
    rows = {r["name"]: r for r in result["rows"]}
    assert [r["name"] for r in result["rows"]] == list(compare.MODELS["mnist"])
    assert rows["mnist_gan"]["status"] == "measured" and rows["mnist_gan"]["parameters"] == 4 * 16 + 16
    assert rows["mnist_gan"]["train_time"] == "10 min" and 0 <= rows["mnist_gan"]["figures"]["near_duplicates"] <= 1
    assert rows["mnist_gan"]["figures"]["sharpness"] > 0
    # 4x4 images are their own pixel features (no block exceeds 16 per side): the two spaces agree
    figures = rows["mnist_gan"]["figures"]
    assert figures["pixel_near_duplicates"] == figures["near_duplicates"]
    assert result["real_pixel_near_duplicates"] == result["real_near_duplicates"] > 0
    assert result["training_near_duplicates"] > 0.2 and result["training_draws"] == compare.TRAINING_DRAWS
    untrained = ("mnist_dcgan", "mnist_wgan", "mnist_infogan", "mnist_vae")
    assert {rows[n]["status"] for n in untrained} == {"not trained yet"}
    assert grid.exists() and result["grid"].endswith("compare_mnist.png")
    section = compare.render_section({"mnist": result})
    assert "| `mnist_vae` | VAE | not trained yet: `python -m zoo.recipes.mnist_vae` |" in section
    assert "64 samples per model against the first 64 MNIST test digits" in section
    assert "| near-duplicates | near-duplicates (pixels) |" in section
    assert f"{result['cores']} cores" in section and "![mnist: real and samples side by side]" in section
    assert "Nothing to compare on MNIST yet: no VAE" in section
    with pytest.raises(ValueError, match="n=65 for mnist: need 2 <= n <= 64"):
        compare.measure("mnist", real, 65, None, flatten, manifest={})


def test_stored_rows_stand_only_for_unchanged_weights():
    """``keep``: a stored row whose sha256 is the manifest's keeps its figures (the model is not
    measured again); one of other weights, or stored without a sha256, is measured anew."""
    real = np.random.default_rng(2).uniform(-1, 1, (64, 4, 4, 1)).astype("float32")
    generators = {"mnist_gan": toy(0), "mnist_dcgan": toy(1), "mnist_wgangp": toy(2)}
    manifest = {name: {"sha256": f"sha-{name}"} for name in generators}
    stored = {"mnist_gan": {"sha256": "sha-mnist_gan", "figures": {"fd": 123.0}},  # same weights
              "mnist_dcgan": {"sha256": "older", "figures": {"fd": 456.0}},  # retrained since
              "mnist_wgangp": {"figures": {"fd": 789.0}}}  # stored before rows held a sha256
    measured = []

    def quality(generator):
        measured.append(generator)
        return {"fd": 1.0, "kid": 0.1}

    result = compare.measure("mnist", real, 64, quality, flatten, manifest=manifest, load=generators.__getitem__,
                             keep=stored)
    rows = {r["name"]: r for r in result["rows"]}
    assert rows["mnist_gan"]["figures"] == {"fd": 123.0}
    assert rows["mnist_dcgan"]["figures"]["fd"] == 1.0 and rows["mnist_wgangp"]["figures"]["fd"] == 1.0
    assert measured == [generators["mnist_dcgan"], generators["mnist_wgangp"]]
    assert {rows[n]["sha256"] for n in generators} == {f"sha-{n}" for n in generators}  # stored for next time


def test_models_option_plans_which_rows_may_stand():
    stored = {"faces": {"n": 5000, "rows": [{"name": "celeba_dcgan"}, {"name": "celeba_progan"}]},
              "mnist": {"n": 10000, "rows": [{"name": "mnist_gan"}]}}
    steps = compare.plan(compare.parse_args(["--models", "celeba_dcgan"]), stored)
    assert steps == [("faces", 5000, {"celeba_progan": {"name": "celeba_progan"}})]  # MNIST untouched
    assert compare.plan(compare.parse_args(["--models", "celeba_dcgan", "--n", "100"]), stored) == [
        ("faces", 100, {})]  # rows of another n do not stand
    assert [step[2] for step in compare.plan(compare.parse_args([]), stored)] == [{}, {}]  # all measured
    with pytest.raises(SystemExit, match=r"--models celeba_gan: not compared on mnist or faces"):
        compare.plan(compare.parse_args(["--models", "celeba_gan"]), stored)
    with pytest.raises(SystemExit, match=r"--models celeba_dcgan: not compared on mnist; the models are mnist_gan"):
        compare.plan(compare.parse_args(["--models", "celeba_dcgan", "--only", "mnist"]), stored)
