"""What oneDNN is worth to the zoo's recipes: seconds a training step with TensorFlow's oneDNN
kernels off and on, each in its own process (the switch is read once, when TensorFlow loads).

    python bench/onednn.py                      # every GAN recipe below, 20 steps a side (~5 min, 2 cores)
    python bench/onednn.py --rows mnist_dcgan --steps 40
    python bench/onednn.py --quick              # smoke run: one row, 2 steps a side

TensorFlow 2.21 turns oneDNN on by default only on x86 CPUs with AVX-512 VNNI/BF16 or AMX, and
``import kgan`` turns it on elsewhere (kgan/_onednn.py). Each row builds the recipe's compiled model
(``zoo.recipes.NAME.build()``: its networks, losses, optimizers and batch), trains two untimed
steps and then ``--steps`` timed ones through ``fit`` on uniform noise images (speed does not
depend on the pixels), with ``TF_ENABLE_ONEDNN_OPTS=0`` and then ``=1``, in fresh processes, and
prints wall and process CPU seconds a step (CPU seconds are both cores' worth: the better
measure when other jobs share the machine), the speed-up, and which CPU (flags) ran it. On a
CPU where TensorFlow already runs oneDNN by default both sides are the same kernels.
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROWS = {  # recipe -> (batch, image shape, real batches a step)
    "mnist_gan": (64, (28, 28, 1), 1),
    "mnist_dcgan": (128, (28, 28, 1), 1),
    "mnist_wgangp": (64, (28, 28, 1), 5),  # five critic updates, each on its own 64 images
    "celeba_dcgan": (64, (64, 64, 3), 1),
}


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated subset of {','.join(ROWS)}")
    parser.add_argument("--steps", type=int, default=None, help="timed steps a side (default 20; quick 2)")
    parser.add_argument("--quick", action="store_true", help="smoke run: mnist_gan only, 2 steps a side")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.steps = "mnist_gan", args.steps or 2
    args.steps = args.steps or 20
    args.rows = args.rows.split(",")
    unknown = [r for r in args.rows if r not in ROWS]
    if unknown:
        parser.error(f"unknown rows {unknown}; expected some of {list(ROWS)}")
    if args.steps < 1:
        parser.error(f"--steps must be at least 1; got {args.steps}")
    return args


def time_steps(name, steps):
    """In this process: (wall s, CPU s) a step of the recipe's model, and TensorFlow's kernels."""
    import importlib

    import numpy as np

    sys.path.insert(0, ROOT)
    recipe = importlib.import_module(f"zoo.recipes.{name}")  # imports kgan (and zoo) first
    import machine

    batch, shape, per_step = ROWS[name]
    model = recipe.build(0)
    rng = np.random.default_rng(0)
    warm = rng.uniform(-1, 1, (batch * per_step * 2, *shape)).astype("float32")
    timed = rng.uniform(-1, 1, (batch * per_step * steps, *shape)).astype("float32")
    model.fit(warm, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(timed, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    return {"wall": (time.perf_counter() - wall) / steps, "cpu": (time.process_time() - cpu) / steps,
            "kernels": machine.tensorflow_kernels()}


def measure(name, steps, onednn):
    env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS=onednn, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2")
    code = (f"import sys, json; sys.path.insert(0, {os.path.join(ROOT, 'bench')!r}); import onednn; "
            f"print(json.dumps(onednn.time_steps({name!r}, {steps})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{name} with TF_ENABLE_ONEDNN_OPTS={onednn} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    args = parse(argv)
    sys.path.insert(0, ROOT)
    from zoo.machine import cpu_line

    print(f"CPU: {cpu_line()}; {args.steps} timed steps a side after 2 untimed; TensorFlow backend"
          + (" QUICK: figures not meaningful" if args.quick else ""), flush=True)
    print("| recipe | batch | s/step off / on | CPU s/step off / on | speed-up (wall) | CPU-s saved | kernels off / on |")
    print("|---|--:|--:|--:|--:|--:|---|")
    for name in args.rows:
        off, on = measure(name, args.steps, "0"), measure(name, args.steps, "1")
        print(f"| {name} | {ROWS[name][0]} | {off['wall']:.3f} / {on['wall']:.3f} | {off['cpu']:.3f} / {on['cpu']:.3f} "
              f"| {off['wall'] / on['wall']:.2f}x | {1 - on['cpu'] / off['cpu']:.0%} "
              f"| {off['kernels']} / {on['kernels']} |", flush=True)


if __name__ == "__main__":
    main()
