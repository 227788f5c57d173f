"""The `kgan` command as a user types it: every subcommand in a fresh process.

Most of each invocation is TensorFlow's import, so trained artifacts are shared through
module-scoped fixtures and independent invocations run two at a time.
"""

import concurrent.futures
import csv
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from keras import ops
from PIL import Image

import zoo

SCRIPT = os.path.join(os.path.dirname(sys.executable), "kgan")
# What a user's clean shell has: no TF_* or CUDA_* settings (the test session's own TF log
# level included), so every stderr check below holds without them, on any CPU.
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "CUDA_"))}
ALGORITHMS = ("gan", "dcgan", "cgan", "wgangp")
SHORT = ["--epochs", "1", "--steps-per-epoch", "2", "--batch-size", "8"]


def kgan(*args, cwd=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "kgan", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=ENV, timeout=timeout)


def kgan_many(*commands):
    """Independent invocations, two at a time; results in order."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda command: kgan(*command), commands))


def ok(result, own_warning=None):
    """A successful run whose stderr holds only kgan's words, on any CPU: nothing, or (where a
    test provokes one) kgan's own warning."""
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    foreign, in_warning = [], False
    for line in result.stderr.splitlines():
        # A Python warning is its message line, then the indented source line it points at.
        in_warning = bool(own_warning) and (own_warning in line or (in_warning and line.startswith(" ")))
        if not in_warning:
            foreign.append(line)
    assert not foreign, result.stderr[-4000:]
    return result


def png(path):
    return np.asarray(Image.open(path))


def grid_size(n, side):
    """(width, height) of kgan.images.make_grid: ceil(sqrt(n)) per row, 2-pixel padding."""
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    return cols * (side + 2) + 2, rows * (side + 2) + 2


def snapshot(folder):
    """Every file below ``folder`` with its size and modification time."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            stat = os.stat(path)
            out[os.path.relpath(path, folder)] = (stat.st_size, stat.st_mtime_ns)
    return out


def write_digits(path, n):
    rng = np.random.default_rng(0)
    np.savez(path, x_train=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
             y_train=(np.arange(n) % 10).astype("uint8"))
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """128 random 28x28 'digits' with labels 0..9 (WGAN-GP takes 5 x 8 images per step)."""
    return write_digits(tmp_path_factory.mktemp("data") / "tiny.npz", 128)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, tiny):
    """One short `kgan train` run folder per algorithm."""
    root = tmp_path_factory.mktemp("runs")
    results = kgan_many(*[["train", "--algorithm", a, "--dataset", tiny, "--out", root / a, *SHORT]
                          for a in ALGORITHMS])
    for algorithm, result in zip(ALGORITHMS, results):
        ok(result)
        assert f"trained {algorithm} on" in result.stdout
        assert "ran out of data" not in result.stderr
    return {a: root / a for a in ALGORITHMS}


# --- zoo list, through the `kgan` console script (everything else goes through python -m kgan) ---


def test_zoo_list_through_the_console_script_prints_every_registry_name():
    if not os.path.exists(SCRIPT):
        pytest.skip(f"no console script at {SCRIPT} (kgan is not pip-installed into this interpreter)")
    result = ok(subprocess.run([SCRIPT, "zoo", "list"], capture_output=True, text=True, env=ENV, timeout=300))
    listed = {line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip()}
    assert listed == {r["name"] for r in zoo.list_models()}
    assert result.stderr == ""  # TensorFlow's start-up chatter stays off the user's terminal


# --- train ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_train_writes_a_complete_run_folder(runs, algorithm):
    import keras

    import kgan as lib

    run = runs[algorithm]
    for name in ("config.json", "log.csv", "samples/epoch_0001.png", "checkpoints/epoch_0001.keras", "model.keras"):
        assert (run / name).is_file(), name
    assert any((run / "logs").rglob("events.out.tfevents.*"))  # TensorBoard
    assert not (run / "backup").exists()  # BackupAndRestore cleans up after a finished run
    assert json.loads((run / "config.json").read_text())["algorithm"] == algorithm
    with open(run / "log.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["epoch"] for r in rows] == ["0"] and np.isfinite(float(rows[0]["g_loss"]))
    expected = {"gan": lib.GAN, "dcgan": lib.GAN, "cgan": lib.ConditionalGAN, "wgangp": lib.WGANGP}[algorithm]
    assert type(keras.saving.load_model(run / "model.keras")) is expected


def test_train_with_ema_and_augmentation_samples_the_average(tiny, tmp_path):
    import keras

    run = tmp_path / "ema"
    ok(kgan("train", "--algorithm", "dcgan", "--dataset", tiny, "--out", run, "--ema-decay", "0.9",
            "--augment", "translation,cutout", *SHORT))
    model = keras.saving.load_model(run / "model.keras")
    assert model.ema_decay == 0.9 and model.augmentation.transforms == ("translation", "cutout")
    assert json.loads((run / "config.json").read_text())["ema_decay"] == 0.9
    ok(kgan("sample", run / "model.keras", "--n", 4, "--seed", 3, "--out", tmp_path / "ema.png"))
    noise = np.random.default_rng(3).standard_normal((4, model.latent_dim)).astype("float32")
    expected = ops.convert_to_numpy(model.ema_generator(noise, training=False))
    written = png(tmp_path / "ema.png")
    from kgan import images as image_utils

    grid = np.squeeze(image_utils.make_grid(expected)).astype(int)
    assert written.shape == grid.shape and np.abs(np.squeeze(written).astype(int) - grid).max() <= 1


def test_train_recipe_runs_the_zoos_recipe_into_the_run_folder_without_publishing(tmp_path):
    import keras

    import kgan as lib

    data = tmp_path / "digits.npz"
    rng = np.random.default_rng(0)
    np.savez(data, x_train=rng.integers(0, 256, (64, 28, 28), dtype=np.uint8), y_train=np.arange(64) % 10,
             x_test=rng.integers(0, 256, (64, 28, 28), dtype=np.uint8), y_test=np.arange(64) % 10)
    shipped = snapshot(os.path.dirname(zoo.registry.MANIFEST))
    run = tmp_path / "run"
    result = ok(kgan("train", "--recipe", "mnist_gan", "--dataset", data, "--out", run, *SHORT),
                own_warning="samples")
    final = run / "finetune" / "model.keras"  # mnist_gan v8 fine-tunes after its first phase
    assert f"trained recipe mnist_gan: {final}" in result.stdout
    model = keras.saving.load_model(final)
    # The recipe's own settings, which --algorithm gan does not give: its MLP pair, label smoothing
    # and the second phase's mode seeking.
    assert type(model) is lib.GAN and model.label_smoothing == 0.1 and model.mode_seeking == 1.0
    assert model.generator.count_params() == zoo.registry.entry("mnist_gan").build().count_params()
    assert (run / "quality.csv").is_file() and (run / "samples" / "epoch_0001.png").is_file()
    assert snapshot(os.path.dirname(zoo.registry.MANIFEST)) == shipped  # nothing published
    again = kgan("train", "--recipe", "mnist_gan", "--dataset", data, "--out", run, *SHORT)
    assert again.returncode == 2 and "already holds a finished run" in again.stderr
    unknown = kgan("train", "--recipe", "nope", "--out", tmp_path / "x")
    assert unknown.returncode == 2 and "mnist_dcgan" in unknown.stderr and "common" not in unknown.stderr


# --- sample --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(runs, tmp_path_factory):
    """`kgan export` of the DCGAN run, given a path relative to the working folder."""
    out = tmp_path_factory.mktemp("export") / "generator"
    result = ok(kgan("export", "dcgan/model.keras", out, cwd=runs["dcgan"].parent))
    return out, result


@pytest.fixture(scope="module")
def samples(runs, exported, tmp_path_factory):
    """Grids from the DCGAN run's .keras file and from its SavedModel export."""
    out = tmp_path_factory.mktemp("samples")
    model = runs["dcgan"] / "model.keras"
    export, _ = exported
    results = kgan_many(
        ["sample", model, "--n", 10, "--seed", 0, "--out", out / "a.png"],
        ["sample", model, "--n", 10, "--seed", 0, "--out", out / "b.png"],
        ["sample", model, "--n", 10, "--seed", 1, "--out", out / "c.png"],
        ["sample", model, "--n", 5, "--separate", "--out", out / "separate"],
        ["sample", export, "--n", 10, "--seed", 0, "--out", out / "saved.png"],
    )
    for result in results:
        ok(result)
    return out


def test_sample_grid_has_the_expected_size(samples):
    image = Image.open(samples / "a.png")
    assert image.size == grid_size(10, 28) == (122, 92)
    assert image.mode == "L"  # grayscale data stays one channel


def test_sample_same_seed_same_png_other_seed_differs(samples):
    assert (samples / "a.png").read_bytes() == (samples / "b.png").read_bytes()
    assert (samples / "a.png").read_bytes() != (samples / "c.png").read_bytes()


def test_sample_separate_writes_one_png_per_image(samples):
    files = sorted(os.listdir(samples / "separate"))
    assert files == [f"{i:05d}.png" for i in range(5)]
    assert all(png(samples / "separate" / f).shape == (28, 28) for f in files)


def test_sample_from_savedmodel_matches_the_keras_file(samples):
    saved, keras_grid = png(samples / "saved.png").astype(int), png(samples / "a.png").astype(int)
    assert saved.shape == keras_grid.shape
    assert np.abs(saved - keras_grid).max() <= 1  # float differences below 1e-5 may round apart


def test_sample_labels_of_a_conditional_model(runs, tmp_path):
    import keras

    from kgan import images

    model = runs["cgan"] / "model.keras"
    for result in kgan_many(["sample", model, "--n", 4, "--seed", 5, "--digit", 7, "--out", tmp_path / "digit.png"],
                            ["sample", model, "--n", 4, "--seed", 5, "--labels", "0,1,2", "--out",
                             tmp_path / "mix.png"]):
        ok(result)
    # What the command promises: noise from numpy's default_rng(seed), labels cycled to --n.
    generator = keras.saving.load_model(model).generator
    noise = np.random.default_rng(5).standard_normal((4, 100)).astype("float32")
    for name, labels in (("digit.png", [7, 7, 7, 7]), ("mix.png", [0, 1, 2, 0])):
        expected = images.make_grid(ops.convert_to_numpy(generator([noise, np.array(labels, "int32")], training=False)))
        written = png(tmp_path / name)
        assert written.shape == expected.shape[:2]
        assert np.abs(written.astype(int) - expected[..., 0].astype(int)).max() <= 1, name
    assert (tmp_path / "digit.png").read_bytes() != (tmp_path / "mix.png").read_bytes()  # labels matter


def test_sample_from_a_trained_zoo_model(tmp_path):
    trained = [r for r in zoo.list_models() if r["sha256"] and r["kind"] == "generator"]
    if not trained:
        pytest.skip("no zoo generator has trained weights yet (zoo/weights/manifest.json)")
    record = trained[0]
    extra = ["--digit", 3] if record["conditional"] else []
    result = ok(kgan("sample", record["name"], "--n", 4, "--out", tmp_path / "zoo.png", *extra))
    assert f"zoo model '{record['name']}'" in result.stdout
    side = int(record["resolution"].split("x")[0])
    assert Image.open(tmp_path / "zoo.png").size == grid_size(4, side)


# --- export --------------------------------------------------------------------------------------


def test_export_writes_a_checked_savedmodel(exported, tmp_path):
    out, result = exported
    assert (out / "saved_model.pb").is_file()
    assert "generate_uint8" in result.stdout and "check passed" in result.stdout
    check = ok(kgan("export", "--check", out, cwd=tmp_path))  # from another folder than the export's
    assert check.stdout.startswith("check passed") and check.stderr == ""


def test_exported_savedmodel_matches_the_generator(exported, runs):
    import keras
    import tensorflow as tf

    out, _ = exported
    generator = keras.saving.load_model(runs["dcgan"] / "model.keras").generator
    loaded = tf.saved_model.load(str(out))
    noise = np.random.default_rng(3).standard_normal((6, generator.input_shape[-1])).astype("float32")
    served = loaded.signatures["serving_default"](noise=tf.constant(noise))["images"].numpy()
    assert np.abs(served - ops.convert_to_numpy(generator(noise, training=False))).max() < 1e-5
    as_uint8 = loaded.generate_uint8(tf.constant(noise))["images"].numpy()
    assert as_uint8.dtype == np.uint8 and as_uint8.shape == (6, 28, 28, 1)


# --- evaluate ------------------------------------------------------------------------------------


def test_evaluate_prints_json(runs, tiny):
    if not next(r for r in zoo.list_models() if r["name"] == "mnist_classifier")["sha256"]:
        pytest.skip("the zoo's mnist_classifier weights are not trained (python -m zoo.recipes.mnist_classifier)")
    result = ok(kgan("evaluate", runs["dcgan"] / "model.keras", "--data", tiny, "--split", "train",
                     "--n", 64, "--json"), own_warning="so the Frechet distance is strongly biased")
    figures = json.loads(result.stdout)
    assert np.isfinite(figures["fd"]) and np.isfinite(figures["kid"])
    assert figures["n_fake"] == figures["n_real"] == 64
    assert "mnist_classifier" in figures["feature_space"]


# --- resume --------------------------------------------------------------------------------------


def epochs_logged(run):
    try:
        with open(run / "log.csv") as f:
            return [int(row["epoch"]) for row in csv.DictReader(f)]
    except (FileNotFoundError, ValueError, KeyError):
        return []


def test_train_resumes_after_a_kill_and_continues_a_finished_run(tmp_path):
    data = write_digits(tmp_path / "digits.npz", 1000)
    run = tmp_path / "run"
    command = [sys.executable, "-m", "kgan", "train", "--algorithm", "gan", "--dataset", str(data), "--out", str(run),
               "--epochs", "3", "--steps-per-epoch", "20", "--batch-size", "8"]
    with open(tmp_path / "first.log", "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=ENV)
        deadline = time.monotonic() + 240
        while not epochs_logged(run) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)  # a power cut, not a polite stop
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be interrupted: " + (
        tmp_path / "first.log").read_text()[-2000:]
    done = epochs_logged(run)
    assert done and not (run / "model.keras").exists()

    again = ok(subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=300))
    assert "Epoch 1/3" not in again.stdout
    assert f"Epoch {max(done) + 2}/3" in again.stdout  # picks up after the last finished epoch
    assert epochs_logged(run) == [0, 1, 2]
    assert (run / "model.keras").is_file() and (run / "samples" / "epoch_0003.png").is_file()

    more = ok(subprocess.run(command[:-6] + ["--epochs", "4", "--steps-per-epoch", "20", "--batch-size", "8",
                                             "--resume"], capture_output=True, text=True, env=ENV, timeout=300))
    assert "Epoch 4/4" in more.stdout and "Epoch 1/4" not in more.stdout
    assert epochs_logged(run) == [0, 1, 2, 3]
    assert (run / "checkpoints" / "epoch_0004.keras").is_file()


# --- errors: one line on stderr, exit status 2, nothing written --------------------------------


def _error_cases(root, runs, tiny):
    import keras

    plain = root / "plain.keras"
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).save(plain)
    (root / "bad.npz").write_bytes(np.random.default_rng(0).bytes(1000))
    (root / "a_file").write_text("not a folder")
    (root / "precious").mkdir()
    (root / "precious" / "notes.txt").write_text("someone's work")
    dcgan, cgan = runs["dcgan"] / "model.keras", runs["cgan"] / "model.keras"
    cases = {
        "unknown_model": (["sample", "no_such_model", "--out", root / "x.png"],
                          "valid names: " + ", ".join(r["name"] for r in zoo.list_models())),
        "label_outside_classes": (["sample", cgan, "--labels", "0,12", "--out", root / "x.png"],
                                  "label 12 is outside the model's classes [0, 10)"),
        "missing_dataset": (["train", "--algorithm", "gan", "--dataset", root / "none.npz", "--out", root / "run",
                             *SHORT], "does not exist"),
        "unreadable_dataset": (["train", "--algorithm", "gan", "--dataset", root / "bad.npz", "--out", root / "run",
                                *SHORT], "Cannot read dataset"),
        "out_below_a_file": (["sample", dcgan, "--out", root / "a_file" / "x.png"], "not a writable folder"),
        "not_a_kgan_model": (["sample", plain, "--out", root / "x.png"], "holds a Sequential, not a kgan model"),
        "grid_not_png": (["sample", dcgan, "--out", root / "x.jpg"], "must be a .png file"),
        "export_over_a_folder": (["export", dcgan, root / "precious"], "exists and is not a SavedModel"),
        "finished_run_without_resume": (["train", "--algorithm", "gan", "--dataset", tiny, "--out", runs["gan"],
                                         *SHORT], "pass --resume"),
    }
    locked = root / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    if not os.access(locked, os.W_OK):  # root ignores permission bits
        cases["out_not_writable"] = (["sample", dcgan, "--out", locked / "x.png"], "not a writable folder")
        cases["run_not_writable"] = (["train", "--algorithm", "gan", "--dataset", tiny, "--out", locked / "run",
                                      *SHORT], "not a writable folder")
    return cases


ERROR_CASES = ["unknown_model", "label_outside_classes", "missing_dataset",
               "unreadable_dataset", "out_below_a_file", "not_a_kgan_model", "grid_not_png", "export_over_a_folder",
               "finished_run_without_resume", "out_not_writable", "run_not_writable"]


@pytest.fixture(scope="module")
def errors(tmp_path_factory, runs, tiny):
    root = tmp_path_factory.mktemp("errors")
    cases = _error_cases(root, runs, tiny)
    before = {"root": snapshot(root), "runs": snapshot(runs["gan"].parent)}
    results = dict(zip(cases, kgan_many(*[argv for argv, _ in cases.values()])))
    after = {"root": snapshot(root), "runs": snapshot(runs["gan"].parent)}
    os.chmod(root / "locked", 0o700)
    return cases, results, before, after


@pytest.mark.parametrize("case", ERROR_CASES)
def test_error_is_one_line_and_writes_nothing(errors, case):
    cases, results, before, after = errors
    if case not in cases:
        pytest.skip("running as root: permission bits are not enforced, so no folder is unwritable")
    result, expected = results[case], cases[case][1]
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kgan: error: "), result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert after == before  # no file created, changed or removed anywhere (all cases together)
