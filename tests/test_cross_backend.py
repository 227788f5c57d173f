"""A .keras file saved on any backend loads on every other and generates the same images."""

import importlib.util
import json
import os
import subprocess
import sys

import keras
import pytest

from tests.cross_backend_worker import KINDS

BACKENDS = ("tensorflow", "jax", "torch")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

pytestmark = [
    pytest.mark.skipif(keras.backend.backend() != "tensorflow",
                       reason="spawns every backend itself; run once, from the tensorflow leg"),
    pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("jax", "torch")),
                       reason="needs jax and torch installed"),
]


def run_workers(mode, folder):
    """Runs the worker in `mode` on every backend at once (separate processes; start-up dominates)."""
    workers = {}
    for backend in BACKENDS:
        env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2")
        workers[backend] = subprocess.Popen([sys.executable, "-m", "tests.cross_backend_worker", mode, str(folder)],
                                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                            text=True)
    errors = {backend: worker.communicate(timeout=600)[1] for backend, worker in workers.items()}  # wait for all
    for backend, worker in workers.items():
        assert worker.returncode == 0, f"{mode} on {backend} failed:\n{errors[backend][-3000:]}"


def test_keras_files_move_between_backends(tmp_path):
    run_workers("save", tmp_path)  # every backend saves its files ...
    run_workers("load", tmp_path)  # ... then every backend loads all of them

    for loader in BACKENDS:
        report = json.loads((tmp_path / f"loaded_on_{loader}.json").read_text())
        assert sorted(report) == sorted(f"{b}_{k}" for b in BACKENDS for k in KINDS)
        for name, figures in report.items():
            assert figures["max_abs_diff"] < 1e-4, (name, loader, figures)
            steps = 2 if name.endswith("wgangp") else 1  # n_critic=2 in the worker
            assert figures["d_iterations"] == steps * figures["g_iterations"] > 0, (name, loader, figures)
