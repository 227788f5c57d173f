"""The benchmarks in bench/ run (smoke runs in subprocesses) and report what they promise."""

import csv
import json
import math
import os
import pathlib
import platform
import re
import subprocess
import sys

import pytest
from PIL import Image

from kgan._onednn import X86

ROOT = pathlib.Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def run(script, *args, timeout=600):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def test_throughput_quick_times_both_sides(tmp_path):
    table = tmp_path / "throughput.csv"
    out = run("throughput.py", "--quick", "--steps", "1", "--repeats", "1", "--rows", "cgan", "--csv", str(table))
    printed = [line for line in out.splitlines() if re.match(r"\| cgan \|", line)]
    assert len(printed) == 1, out
    with open(table) as f:
        rows = list(csv.DictReader(f))
    assert [r["row"] for r in rows] == ["cgan"]
    for r in rows:
        for key in ("kgan_img_s", "hand_img_s", "ratio", "cpu_ratio", "gflop_per_step", "kgan_gflop_s"):
            assert float(r[key]) > 0, (key, r)


def test_third_party_quick_times_every_row_against_its_example_loop(tmp_path):
    table = tmp_path / "third_party.csv"
    out = run("third_party.py", "--quick", "--steps", "1", "--repeats", "1", "--csv", str(table))
    names = ["keras_dcgan", "keras_wgangp", "tf_dcgan", "tf_dcgan_simultaneous"]
    for name in names:
        assert len([line for line in out.splitlines() if line.startswith(f"| {name} |")]) == 1, out
    assert re.search(r"^CPU: .+, \d+ cores, (AVX-512 \(avx512|AVX2 only|no AVX2)", out, re.M), out
    with open(table) as f:
        rows = list(csv.DictReader(f))
    assert [r["row"] for r in rows] == names
    for r in rows:
        for key in ("kgan_img_s", "hand_img_s", "ratio", "ratio_q1", "ratio_q3", "kgan_cpu_s", "hand_cpu_s",
                    "kgan_gflop_per_step", "hand_gflop_per_step", "kgan_gflop_s", "hand_gflop_s", "matmul_gflop_s",
                    "kgan_pct_matmul", "hand_pct_matmul"):
            assert math.isfinite(float(r[key])) and float(r[key]) > 0, (key, r)
    # The tutorial's simultaneous update does less work than kgan's alternating one, and says so.
    tutorial = rows[2]
    assert float(tutorial["hand_gflop_per_step"]) < float(tutorial["kgan_gflop_per_step"])
    assert tutorial["work"].startswith("NOT equal") and all(r["work"] == "equal" for r in rows[:2])
    # kgan's opt-in simultaneous update does the tutorial's work.
    same = rows[3]
    assert same["work"] == "equal" and same["kgan_gflop_per_step"] == same["hand_gflop_per_step"]
    assert same["kgan_gflop_per_step"] == tutorial["hand_gflop_per_step"]


@pytest.mark.skipif(platform.machine().lower() not in X86, reason="kgan sets oneDNN on x86 only")
def test_onednn_quick_times_a_recipe_with_the_kernels_off_then_on():
    out = run("onednn.py", "--quick")
    assert re.search(r"^CPU: .+, \d+ cores, (AVX-512 \(avx512|AVX2 only|no AVX2)", out, re.M), out
    rows = [line for line in out.splitlines() if line.startswith("| mnist_gan |")]
    assert len(rows) == 1, out
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    off, on = (float(v) for v in cells[3].split(" / "))
    assert off > 0 and on > 0
    assert cells[-1] == "oneDNN off / oneDNN on"  # each side really ran the kernels it names


def test_ablation_refuses_too_few_final_samples_before_training(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH / "ablation.py"), "run", "mnist", "ema", "--final-samples", "1",
                           "--runs", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--final-samples must be at least 2" in done.stderr and "got 1" in done.stderr
    assert not any(tmp_path.iterdir())  # nothing written


def test_time_to_quality_quick_writes_curve(mnist_path, tmp_path):
    out = run("time_to_quality.py", "--quick", "--data", str(mnist_path), "--out", str(tmp_path))
    assert "FD < 75" in out
    with open(tmp_path / "time_to_quality.csv") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["step"]) for r in rows] == [0, 10, 20]
    seconds = [float(r["train_seconds"]) for r in rows]
    assert seconds == sorted(seconds) and seconds[0] == 0.0
    assert all(float(r["fd"]) > 0 for r in rows)
    summary = json.loads((tmp_path / "time_to_quality.json").read_text())
    assert summary["steps_run"] == 20 and summary["quick"] and set(summary["milestones"]) == {"150", "100", "75"}
    with Image.open(tmp_path / "time_to_quality.png") as image:
        assert image.size == (720, 440)


class _Model:
    stop_training = False


@pytest.fixture
def time_to_quality():
    sys.path.insert(0, str(BENCH))
    try:
        import time_to_quality

        yield time_to_quality
    finally:
        sys.path.remove(str(BENCH))


def test_quality_clock_records_milestones_and_stops_at_threshold(time_to_quality):
    values = iter([500.0, 120.0, 90.0, 70.0, 60.0])
    clock = time_to_quality.QualityClock(lambda: next(values), every=2, threshold=75.0, max_seconds=3600,
                                         steps_per_epoch=10, milestones=(150.0, 100.0))
    clock.set_model(_Model())
    clock.on_train_begin()
    for _ in range(6):
        clock.on_train_batch_end(0)
        if clock.model.stop_training:
            break
    assert [r["step"] for r in clock.rows] == [0, 2, 4, 6]
    assert {level: row["step"] for level, row in clock.crossed.items()} == {150.0: 2, 100.0: 4, 75.0: 6}
    assert clock.reached["fd"] == 70.0 and clock.model.stop_training
    # Evaluation time is off the clock: training seconds never exceed the wall time elapsed.
    assert all(r["train_seconds"] >= 0 for r in clock.rows)


def test_ablation_cell_and_report(mnist_path, tmp_path):
    runs, results = tmp_path / "runs", tmp_path / "results"
    common = ["--budget", "0.05", "--eval-every", "0.02", "--runs", str(runs), "--data-path", str(mnist_path),
              "--final-samples", "2000"]
    run("ablation.py", "run", "mnist", "ema", *common)
    cell = json.loads((runs / "mnist" / "ema.json").read_text())
    assert cell["options"] == {"ema_decay": 0.999} and cell["final"]["fd"] > 0 and cell["final_samples"] == 2000
    minutes = [p["cpu_min"] for p in cell["curve"]]
    # The budget ends the run at its first step past 0.05 CPU-minutes (compiling may be that step).
    assert minutes and minutes == sorted(minutes) and minutes[-1] >= 0.05
    out = run("ablation.py", "report", "mnist", "--runs", str(runs), "--results", str(results))
    assert "| ema |" in out and (results / "ablation_mnist.md").read_text().count("| ema |") == 1
    assert "Final figures on 2,000 samples" in out
    with Image.open(results / "ablation_mnist.png") as image:
        assert image.size == (720, 440)
