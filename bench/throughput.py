"""Images per second: kgan through ``fit`` against a hand-written tf.function loop.

    python bench/throughput.py            # full run (several minutes on 2 CPU cores)
    python bench/throughput.py --quick    # CI smoke run, under two minutes

Both run in one process on identical networks, optimizers, batches and data, alternating,
with warm-up; the table shows medians, the ratio kgan / hand-written, the estimated FLOPs per
step (bench/flops.py) and achieved GFLOP/s. ``--backend jax|torch`` times kgan only (the
hand-written baseline is TensorFlow code).
"""

import argparse
import os
import statistics
import sys
import time


def parse():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("tensorflow", "jax", "torch"), default="tensorflow")
    parser.add_argument("--quick", action="store_true", help="few steps and repeats (CI smoke run)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None, help="training steps per timed repeat")
    parser.add_argument("--rows", default="gan,cgan,wgangp,dcgan64", help="comma-separated subset")
    parser.add_argument("--steps-per-execution", type=int, default=1)
    return parser.parse_args()


ARGS = parse()
os.environ["KERAS_BACKEND"] = ARGS.backend
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import flops  # noqa: E402
import handwritten  # noqa: E402
import kgan  # noqa: E402
from kgan import networks  # noqa: E402


def adam():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def rows():
    """name -> (build(), batch, image shape, conditional). build returns (kgan model, g, d)."""

    def gan():
        g = networks.dcgan_generator(100, (28, 28, 1), base_filters=32)
        d = networks.dcgan_discriminator((28, 28, 1))
        return kgan.GAN(g, d, seed=0), g, d

    def cgan():
        g = networks.conditional_dcgan_generator(100, 10, (28, 28, 1), base_filters=32)
        d = networks.conditional_dcgan_discriminator((28, 28, 1), 10)
        return kgan.ConditionalGAN(g, d, num_classes=10, seed=0), g, d

    def wgangp():
        g = networks.dcgan_generator(100, (28, 28, 1), base_filters=32)
        d = networks.dcgan_discriminator((28, 28, 1), base_filters=32, normalization="layer")
        return kgan.WGANGP(g, d, n_critic=5, seed=0), g, d

    def dcgan64():
        g = networks.dcgan_generator(100, (64, 64, 3), base_filters=24)
        d = networks.dcgan_discriminator((64, 64, 3), base_filters=24)
        return kgan.GAN(g, d, seed=0), g, d

    return {
        "gan": (gan, 128, (28, 28, 1), False),
        "cgan": (cgan, 128, (28, 28, 1), True),
        "wgangp": (wgangp, 640, (28, 28, 1), False),  # 128 images per critic step, n_critic=5
        "dcgan64": (dcgan64, 64, (64, 64, 3), False),
    }


def dataset(batch, shape, conditional, steps):
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (batch * steps,) + shape).astype("float32")
    data = (images, rng.integers(0, 10, len(images)).astype("int32")) if conditional else images
    return tf.data.Dataset.from_tensor_slices(data).batch(batch, drop_remainder=True).cache()


def time_kgan(model, data):
    start = time.perf_counter()
    model.fit(data, epochs=1, verbose=0)
    return time.perf_counter() - start


def time_handwritten(step, data, conditional):
    start = time.perf_counter()
    for batch in data:
        out = step(*batch) if conditional else step(batch)
    float(out[0])  # wait for the last step
    return time.perf_counter() - start


def measure(name, build, batch, shape, conditional, steps, repeats):
    data = dataset(batch, shape, conditional, steps)
    model, g, d = build()
    model.compile(g_optimizer=adam(), d_optimizer=adam(), steps_per_execution=ARGS.steps_per_execution)
    hand = None
    if ARGS.backend == "tensorflow":
        g2, d2 = keras.models.clone_model(g), keras.models.clone_model(d)
        if name == "wgangp":
            hand = handwritten.wgangp_step(g2, d2, adam(), adam(), 100)
        else:
            hand = handwritten.gan_step(g2, d2, adam(), adam(), 100, conditional)
    time_kgan(model, data.take(2))  # warm-up: trace and build
    if hand is not None:
        time_handwritten(hand, data.take(2), conditional)
    ours, theirs = [], []
    for _ in range(repeats):  # alternate so drifts in machine load hit both alike
        ours.append(time_kgan(model, data))
        if hand is not None:
            theirs.append(time_handwritten(hand, data, conditional))
    images = batch * steps
    step_flops = (flops.wgangp_step_flops(g, d, batch, 5) if name == "wgangp" else flops.gan_step_flops(g, d, batch))
    kgan_rate = images / statistics.median(ours)
    hand_rate = images / statistics.median(theirs) if theirs else None
    return {
        "row": name, "batch": batch, "kgan_img_s": kgan_rate, "hand_img_s": hand_rate,
        "ratio": kgan_rate / hand_rate if hand_rate else None,
        "gflop_per_step": step_flops / 1e9, "kgan_gflop_s": step_flops * kgan_rate / batch / 1e9,
    }


def main():
    steps = ARGS.steps or (3 if ARGS.quick else 20)
    repeats = ARGS.repeats or (2 if ARGS.quick else 5)
    table = rows()
    print(f"backend={ARGS.backend} steps/repeat={steps} repeats={repeats} "
          f"steps_per_execution={ARGS.steps_per_execution} cpus={os.cpu_count()}")
    print(f"{'row':8s} {'batch':>5s} {'kgan img/s':>11s} {'hand img/s':>11s} {'ratio':>6s} {'GFLOP/step':>10s} {'GFLOP/s':>8s}")
    for name in ARGS.rows.split(","):
        build, batch, shape, conditional = table[name]
        r = measure(name, build, batch, shape, conditional, steps, repeats)
        hand = f"{r['hand_img_s']:11.1f}" if r["hand_img_s"] else f"{'n/a':>11s}"
        ratio = f"{r['ratio']:6.3f}" if r["ratio"] else f"{'n/a':>6s}"
        print(f"{name:8s} {batch:5d} {r['kgan_img_s']:11.1f} {hand} {ratio} {r['gflop_per_step']:10.2f} "
              f"{r['kgan_gflop_s']:8.1f}", flush=True)


if __name__ == "__main__":
    main()
