"""Ablation: what each training option is worth per CPU-minute on this machine.

    python bench/ablation.py run mnist baseline      # one cell (resumes nothing; rerun = redo)
    python bench/ablation.py run mnist --all         # every cell not yet measured, one by one
    python bench/ablation.py report mnist            # table + curves from the measured cells

Every cell trains the zoo's mnist_dcgan recipe (``zoo.recipes.mnist_dcgan``: DCGAN generator, layer-
norm discriminator, non-saturating loss with R1 gamma 1, Adam 2e-4 / beta_1 0.5, batch 64, seed 0)
with one change, for the same budget of **training CPU time** (``time.process_time`` of the
process, both cores' worth; evaluation excluded). CPU time rather than wall time keeps cells
comparable when other work shares the machine; alone on 2 cores, 20 CPU-minutes are about 10
wall-minutes. Every ``--eval-every`` CPU-minutes the clock stops and 2,000 samples (fixed noise)
are measured against MNIST test in ``zoo.mnist_classifier`` feature space (FD); at the end
10,000 samples (``--final-samples``) give FD, KID (x1000), inception score, mean confidence and
class shares.

Writes ``runs/ablation/<data>/<cell>.json``; ``report`` writes ``bench/results/ablation_<data>.md``
(table) and ``bench/results/ablation_<data>.png`` (FD against training CPU-minutes).
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)
from machine import cpu_line  # noqa: E402  (bench/machine.py)
DATA = {"mnist": os.path.join(ROOT, "..", "shared", "data", "mnist.npz"),
        "celeba": os.path.join(ROOT, "..", "shared", "data", "celeba64_15722.npz")}
RUNS = os.path.join(ROOT, "runs", "ablation")
FINAL_SAMPLES = {"mnist": 10000, "celeba": 5000}  # samples behind each cell's final figures
DIFFAUGMENT = "color,translation,cutout"

# Each cell: (model options, network options, one-line description). Network options: the
# generator's `upsampling`, the discriminator's `spectral_norm` and `normalization`.
CELLS = {
    "mnist": {
        "baseline": ({}, {}, "today's mnist_dcgan recipe (R1 1, layer norm D, transposed-conv G)"),
        "ema": ({"ema_decay": 0.999}, {}, "+ generator EMA, decay 0.999"),
        "diffaug": ({"augment": DIFFAUGMENT}, {}, "+ DiffAugment color,translation,cutout"),
        "ada": ({"augment": "ada"}, {}, "+ adaptive augmentation (target 0.6)"),
        "resize": ({}, {"upsampling": "resize"}, "+ resize-conv generator upsampling"),
        "sn_hinge": ({"loss": "hinge", "r1_weight": 0.0}, {"spectral_norm": True, "normalization": None},
                     "SNGAN setting: spectral-norm D, hinge loss, no R1"),
        "ema_resize": ({"ema_decay": 0.999}, {"upsampling": "resize"}, "EMA + resize-conv G"),
        "simultaneous": ({"update": "simultaneous"}, {}, "update='simultaneous': one forward pass serves both updates"),
        "top_k": ({"top_k": 0.5, "top_k_updates": 2000}, {},
                  "+ top-k training: G learns from the half of its fakes D rates most real (from 2,000 updates)"),
    },
    "celeba": {
        "baseline": ({}, {}, "today's celeba_dcgan recipe (BN D, label smoothing 0.1, flips)"),
        "ema": ({"ema_decay": 0.999}, {}, "+ generator EMA, decay 0.999"),
        "diffaug": ({"augment": DIFFAUGMENT}, {}, "+ DiffAugment color,translation,cutout"),
        "ada": ({"augment": "ada"}, {}, "+ adaptive augmentation (target 0.6)"),
        "modern": ({"ema_decay": 0.999, "augment": DIFFAUGMENT, "r1_weight": 1.0, "label_smoothing": 0.0},
                   {"upsampling": "resize", "normalization": "layer"},
                   "EMA + DiffAugment + R1 1 with layer-norm D + resize-conv G"),
        "top_k": ({"top_k": 0.5, "top_k_updates": 2000}, {},
                  "+ top-k training: G learns from the half of its fakes D rates most real (from 2,000 updates)"),
    },
}
# The zoo recipe each data set's baseline is: shape, width, and its own loss settings.
RECIPES = {
    "mnist": {"shape": (28, 28, 1), "filters": 32, "name": "mnist_dcgan_generator", "normalization": "layer",
              "options": {"loss": "non_saturating", "r1_weight": 1.0}},
    "celeba": {"shape": (64, 64, 3), "filters": 24, "name": "celeba_dcgan_generator", "normalization": "batch",
               "options": {"loss": "non_saturating", "label_smoothing": 0.1}},
}


def build(data, options, network_options, seed=0):
    import keras

    import kgan
    from kgan import networks
    from zoo.recipes import common

    keras.utils.set_random_seed(seed)
    recipe = RECIPES[data]
    options = {**recipe["options"], **options}
    generator = networks.dcgan_generator(100, recipe["shape"], base_filters=recipe["filters"], name=recipe["name"],
                                         upsampling=network_options.get("upsampling", "transposed"))
    discriminator = networks.dcgan_discriminator(
        recipe["shape"], base_filters=recipe["filters"], spectral_norm=network_options.get("spectral_norm", False),
        normalization=network_options.get("normalization", recipe["normalization"]))
    gan = kgan.GAN(generator, discriminator, seed=seed, **options)
    gan.compile(g_optimizer=common.adam(2e-4), d_optimizer=common.adam(2e-4))
    return gan


def data_and_measures(data, data_path, batch_size, final_samples):
    """The training dataset, and the quality measures ``(curve(generator), final(generator))``.

    The final measure uses ``final_samples`` samples."""
    import functools

    import keras

    from kgan.datasets import load_npz, to_dataset
    from zoo.recipes import common

    if data == "mnist":
        x, _ = load_npz(data_path, "train")
        measure = common.mnist_quality(data_path, n=final_samples)
        return to_dataset(x, None, batch_size=batch_size, seed=0), functools.partial(measure, n=2000), measure
    from zoo.recipes.common import face_quality

    faces, _ = load_npz(data_path)
    flip = keras.layers.RandomFlip("horizontal", seed=0)  # as the celeba_dcgan recipe
    dataset = to_dataset(faces, batch_size=batch_size, seed=0).map(lambda x: flip(x, training=True))
    return dataset, face_quality(faces, n=2000), face_quality(faces, n=final_samples)


def run_cell(data, cell, budget_min, eval_every_min, runs=RUNS, data_path=None, batch_size=64, final_samples=None):
    import keras

    options, network_options, description = CELLS[data][cell]
    final_samples = final_samples or FINAL_SAMPLES[data]
    dataset, curve_measure, final_measure = data_and_measures(data, data_path or DATA[data], batch_size, final_samples)
    gan = build(data, options, network_options)

    class Budget(keras.callbacks.Callback):
        """Counts training CPU time; evaluates every eval_every_min; stops at the budget."""

        def __init__(self):
            super().__init__()
            self.cpu = 0.0
            self.wall = 0.0
            self.steps = 0
            self.next_eval = eval_every_min * 60
            self.curve = []
            self._mark()

        def _mark(self):
            self._cpu0, self._wall0 = time.process_time(), time.time()

        def on_train_batch_end(self, batch, logs=None):
            self.cpu += time.process_time() - self._cpu0
            self.wall += time.time() - self._wall0
            self.steps += 1
            if self.cpu >= self.next_eval or self.cpu >= budget_min * 60:
                fd = curve_measure(gan.sampling_generator)["fd"]
                self.curve.append({"cpu_min": round(self.cpu / 60, 3), "wall_min": round(self.wall / 60, 3),
                                   "steps": self.steps, "fd_2000": fd})
                print(f"[ablation] {cell}: {self.curve[-1]}", flush=True)
                self.next_eval += eval_every_min * 60
                if self.cpu >= budget_min * 60:
                    self.model.stop_training = True
            self._mark()

    budget = Budget()
    gan.fit(dataset, epochs=1000, callbacks=[budget], verbose=0, shuffle=False)
    final = final_measure(gan.sampling_generator)
    result = {"data": data, "cell": cell, "description": description, "options": options,
              "network_options": network_options, "budget_cpu_min": budget_min, "curve": budget.curve,
              "final": final, "final_samples": final_samples, "cpu": cpu_line()}
    if getattr(gan.augmentation, "adaptive", False):
        result["ada_p"] = float(keras.ops.convert_to_numpy(gan.augmentation.p))
    os.makedirs(os.path.join(runs, data), exist_ok=True)
    with open(os.path.join(runs, data, f"{cell}.json"), "w") as f:
        json.dump(result, f, indent=1)
    gan.save(os.path.join(runs, data, f"{cell}.keras"))  # for later looks at the trained networks
    print(f"[ablation] {cell} done: {json.dumps(final)}", flush=True)


def report(data, runs=RUNS, results=os.path.join(HERE, "results")):
    rows = []
    for cell in CELLS[data]:
        path = os.path.join(runs, data, f"{cell}.json")
        if os.path.exists(path):
            with open(path) as f:
                rows.append(json.load(f))
    if not rows:
        raise SystemExit(f"no measured cells under {os.path.join(runs, data)}")
    space = "zoo.mnist_classifier" if data == "mnist" else "zoo.celeba_features"
    final_n = ", ".join(sorted({f"{r.get('final_samples', FINAL_SAMPLES[data]):,}" for r in rows}))
    lines = [f"Ablation on {data}: {rows[0]['budget_cpu_min']:g} training CPU-minutes per cell, seed 0, one seed "
             f"per cell. CPU: {rows[0]['cpu']}. Final figures on {final_n} samples in {space} space (KID as "
             "kgan.evaluate reports it).", ""]
    if data == "mnist":
        lines += ["| cell | change | steps | FD | KID | IS | mean conf. | class shares |", "|---|---|--:|--:|--:|--:|--:|---|"]
    else:
        lines += ["| cell | change | steps | FD | KID |", "|---|---|--:|--:|--:|"]
    for r in rows:
        q = r["final"]
        row = f"| {r['cell']} | {r['description']} | {r['curve'][-1]['steps']:,} | {q['fd']:.2f} | {q['kid']:.3f} |"
        if data == "mnist":
            shares = q["class_shares"]
            row += f" {q['is']:.2f} | {q['mean_confidence']:.3f} | {min(shares) * 100:.1f}-{max(shares) * 100:.1f} % |"
        lines.append(row + (f" ada_p {r['ada_p']:.2f}" if "ada_p" in r else ""))
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, f"ablation_{data}.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    from zoo.plotting import fd_plot

    series = [(r["cell"], [p["cpu_min"] for p in r["curve"]], [p["fd_2000"] for p in r["curve"]]) for r in rows]
    fd_plot(series, os.path.join(results, f"ablation_{data}.png"), f"kgan ablation, {data}: FD (2,000 samples)",
            xlabel="training CPU-minutes (2 cores: about half as many wall-minutes)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("run", "report"))
    parser.add_argument("data", choices=tuple(CELLS))
    parser.add_argument("cells", nargs="*", help="cells to run (default with --all: every unmeasured one)")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--budget", type=float, default=20.0, help="training CPU-minutes per cell")
    parser.add_argument("--eval-every", type=float, default=4.0, help="CPU-minutes between FD evaluations")
    parser.add_argument("--runs", default=RUNS, help="where cells write their JSON")
    parser.add_argument("--results", default=os.path.join(HERE, "results"), help="where report writes")
    parser.add_argument("--data-path", default=None, help="the .npz to train on (default ../shared/data)")
    parser.add_argument("--final-samples", type=int, default=None,
                        help="samples for the final figures (default 10,000 on mnist, 5,000 on celeba)")
    args = parser.parse_args()
    if args.final_samples is not None and args.final_samples < 2:
        parser.error(f"--final-samples must be at least 2 (FD and KID need two samples); got {args.final_samples}")
    if args.action == "report":
        return report(args.data, args.runs, args.results)
    cells = args.cells or [c for c in CELLS[args.data]
                           if not os.path.exists(os.path.join(args.runs, args.data, f"{c}.json"))] if args.all else args.cells
    unknown = [c for c in cells if c not in CELLS[args.data]]
    if unknown or not cells:
        raise SystemExit(f"cells must be among {', '.join(CELLS[args.data])}; got {cells}")
    if len(cells) == 1:
        return run_cell(args.data, cells[0], args.budget, args.eval_every, args.runs, args.data_path,
                        final_samples=args.final_samples)
    for cell in cells:  # one process per cell: no state shared between cells
        command = [sys.executable, __file__, "run", args.data, cell, "--budget", str(args.budget),
                   "--eval-every", str(args.eval_every), "--runs", args.runs]
        command += ["--data-path", args.data_path] if args.data_path else []
        command += ["--final-samples", str(args.final_samples)] if args.final_samples else []
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
