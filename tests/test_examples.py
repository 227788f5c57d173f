"""Every script in examples/ runs, reduced (a couple of steps on tiny data), and writes its outputs.

An example that no test runs rots, so the list below must name every examples/*.py.
"""

import concurrent.futures
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import zoo

EXAMPLES_DIR = pathlib.Path(__file__).resolve().parents[1] / "examples"
ENV = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
REDUCED = ["--epochs", "1", "--steps", "2"]


def zoo_generator():
    """A zoo generator for the zoo examples: a trained one when there is one, else random weights."""
    trained = [r["name"] for r in zoo.list_models() if r["sha256"] and r["kind"] == "generator"]
    return (trained[0], []) if trained else ("mnist_dcgan", ["--untrained"])


# name -> (arguments given a dict of paths, outputs relative to --out that must exist)
EXAMPLES = {
    "train_dcgan_mnist.py": (lambda p: ["--data", p["mnist"], *REDUCED],
                             ["gan.keras", "samples/epoch_0001.png"]),
    "train_cgan_mnist.py": (lambda p: ["--data", p["mnist"], *REDUCED, "--batch-size", "8", "--digit", "3"],
                            ["cgan.keras", "samples/epoch_0001.png", "digit_3.png"]),
    "train_wgangp_mnist.py": (lambda p: ["--data", p["mnist"], *REDUCED, "--critic-batch", "8"],
                              ["wgangp.keras", "samples/epoch_0001.png", "log.csv"]),
    "train_dcgan_celeba.py": (lambda p: ["--data", p["faces"], *REDUCED, "--batch-size", "4"],
                              ["celeba_dcgan.keras", "samples/epoch_0001.png", "logs"]),
    "custom_networks.py": (lambda p: ["--data", p["mnist"], *REDUCED, "--batch-size", "8"],
                           ["gan.keras", "wgangp.keras", "gan_samples/epoch_0001.png",
                            "wgangp_samples/epoch_0001.png"]),
    "sample_zoo.py": (lambda p: ["--model", zoo_generator()[0], *zoo_generator()[1], "--n", "4",
                                 "--out", p["out"] / "grid.png"], ["grid.png"]),
    # runs after the others: it serves the .keras file that train_dcgan_mnist.py wrote
    "export_and_serve.py": (lambda p: ["--model", p["dcgan_keras"], "--n", "3"],
                            ["savedmodel/saved_model.pb", "served/000.png", "served/002.png"]),
}


def test_every_example_is_run_here():
    assert set(EXAMPLES) == {p.name for p in EXAMPLES_DIR.glob("*.py")}


def run_example(name, paths, root):
    out = root / name.removesuffix(".py")
    args, _ = EXAMPLES[name]
    paths = {**paths, "out": out}
    extra = [] if name == "sample_zoo.py" else ["--out", out]
    return subprocess.run([sys.executable, str(EXAMPLES_DIR / name), *map(str, args(paths)), *map(str, extra)],
                          capture_output=True, text=True, cwd=root, env=ENV, timeout=600)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """Run every example once (two at a time: most of each run is TensorFlow's import)."""
    root = tmp_path_factory.mktemp("examples")
    rng = np.random.default_rng(0)
    mnist = root / "tiny_mnist.npz"
    np.savez(mnist, x_train=rng.integers(0, 256, (160, 28, 28), dtype=np.uint8),
             y_train=(np.arange(160) % 10).astype("uint8"))
    faces = root / "faces"
    faces.mkdir()
    for i in range(12):  # not square and not 64x64: the loader crops and resizes
        Image.fromarray(rng.integers(0, 256, (90, 70, 3), dtype=np.uint8)).save(faces / f"face_{i:02d}.png")
    paths = {"mnist": mnist, "faces": faces, "dcgan_keras": root / "train_dcgan_mnist" / "gan.keras"}
    first = [n for n in EXAMPLES if n != "export_and_serve.py"]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = dict(zip(first, pool.map(lambda n: run_example(n, paths, root), first)))
    results["export_and_serve.py"] = run_example("export_and_serve.py", paths, root)
    return root, results


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_runs_and_writes_its_outputs(ran, name):
    root, results = ran
    result = results[name]
    assert result.returncode == 0, f"{name}: exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    assert "ran out of data" not in result.stderr  # the reduced run really took its steps
    out = root / name.removesuffix(".py")
    for expected in EXAMPLES[name][1]:
        assert (out / expected).exists(), f"{name} did not write {expected}; stdout:\n{result.stdout[-2000:]}"


def test_cgan_example_draws_the_requested_digit_grid(ran):
    root, _ = ran
    grid = Image.open(root / "train_cgan_mnist" / "digit_3.png")
    assert grid.size == (8 * 30 + 2, 8 * 30 + 2)  # 64 samples, 28x28 tiles with 2-pixel padding


def test_served_pngs_are_images_of_the_generator_shape(ran):
    root, _ = ran
    served = sorted((root / "export_and_serve" / "served").iterdir())
    assert [p.name for p in served] == ["000.png", "001.png", "002.png"]
    assert all(np.asarray(Image.open(p)).shape == (28, 28) for p in served)
