"""Images per second: kgan through ``fit`` against a hand-written tf.function loop.

    python bench/throughput.py                  # full run (about 20 minutes on 2 busy CPU cores)
    python bench/throughput.py --quick          # smoke run: batches / 4, few steps
    python bench/throughput.py --xla none       # neither side compiled with XLA
    python bench/throughput.py --xla both       # both sides compiled with XLA
    python bench/throughput.py --backend jax    # kgan on JAX (hand-written column n/a)

Rows: GAN (DCGAN 28x28 networks), ConditionalGAN, WGANGP (n_critic=5) and GAN with the
64x64 DCGAN networks. Both sides run in one process on identical networks (the hand-written
side gets clones), the same optimizers, batches and data, and do the same work per step: for
GAN rows one discriminator update (real and fake batches, non-saturating loss) and one
generator update; for WGANGP five critic updates on five 128-image slices of a 640-image
batch, with gradient penalty, and one generator update on 128 noise vectors. Images/s counts
the real images consumed.

After a warm-up (tracing, building optimizer state) the two sides alternate, in the order
kgan, hand, hand, kgan, ... so that drifts in machine load hit both alike; each repeat is
``--steps`` training steps (half as many for the 64x64 row). Many short repeats cancel drifts
in machine load better than a few long ones; ``fit``'s fixed cost per call (about 30 ms) stays
under 1% of a repeat. The table shows:

- kgan img/s, hand img/s: images / median wall-clock time of a repeat;
- ratio: kgan img/s / hand img/s (> 1: kgan is faster), and in brackets the quartiles of the
  ratios of the repeats' kgan/hand pairs (the noise);
- CPU s/step: median process CPU time of a step, kgan / hand, and cpu ratio: hand CPU time /
  kgan CPU time. On a machine shared with other jobs, wall-clock time mostly measures the
  scheduler; CPU time measures the work and is disturbed far less;
- GFLOP/step: estimated FLOPs of one step (bench/flops.py), and the GFLOP/s achieved
  (wall-clock), kgan / hand.

``--xla``: ``default`` (the default) runs each side as its user gets it: kgan with its own
``compile()`` default (Keras's: XLA off on CPU-only TensorFlow since 2026-12-01; it was on
before, when bench/README.md's first table was measured), against the plain, idiomatic
``tf.function`` loop;
``none`` runs both without XLA (kgan through ``compile(jit_compile=False)``) and ``both`` both
with it (the loop through ``tf.function(jit_compile=True)``): like for like, the cost of the
``fit`` machinery itself. ``kgan`` runs kgan with XLA against the loop without, and ``measure``
kgan with ``compile(jit_compile="measure")`` (its probe runs in the warm-up, so the timed steps
use its choice) against the loop without. ``--backend jax|torch`` times kgan only (the hand-written baseline is
TensorFlow code; Keras always compiles with XLA on JAX). ``--csv PATH`` also writes the table.
"""

import argparse
import csv
import os
import statistics
import sys
import time


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("tensorflow", "jax", "torch"), default="tensorflow")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: batches divided by 4, 2 steps x 2 repeats (figures not comparable)")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats per side (default 15; quick 2)")
    parser.add_argument("--steps", type=int, default=None,
                        help="training steps per timed repeat (default 4; quick 2); the 64x64 row runs half")
    parser.add_argument("--warmup", type=int, default=None, help="untimed steps per side first (default 2; quick 1)")
    parser.add_argument("--rows", default="gan,cgan,wgangp,dcgan64", help="comma-separated subset")
    parser.add_argument("--steps-per-execution", type=int, default=1)
    parser.add_argument("--xla", choices=("default", "none", "both", "kgan", "measure"), default="default",
                        help="default: kgan's compile() default against the plain loop; none/both: like for like; "
                             "kgan: kgan with XLA, the loop without; measure: kgan's jit_compile='measure' "
                             "(its probe runs in the warm-up), the loop without")
    parser.add_argument("--csv", default=None, help="also write the table to this CSV file")
    return parser.parse_args(argv)


ARGS = parse()
os.environ["KERAS_BACKEND"] = ARGS.backend
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import kgan  # noqa: E402  (first, as a kgan user imports it: oneDNN on AVX2 too, kgan/_onednn.py)
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import flops  # noqa: E402
import handwritten  # noqa: E402
import machine  # noqa: E402
from kgan import networks  # noqa: E402
from kgan.models import jit_choice  # noqa: E402

LATENT = 100


def adam():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def rows():
    """name -> (build(), batch, image shape, conditional, step share). build returns (kgan model, g, d)."""

    def gan():
        g = networks.dcgan_generator(LATENT, (28, 28, 1), base_filters=32)
        d = networks.dcgan_discriminator((28, 28, 1))
        return kgan.GAN(g, d, seed=0), g, d

    def cgan():
        g = networks.conditional_dcgan_generator(LATENT, 10, (28, 28, 1), base_filters=32)
        d = networks.conditional_dcgan_discriminator((28, 28, 1), 10)
        return kgan.ConditionalGAN(g, d, num_classes=10, seed=0), g, d

    def wgangp():
        g = networks.dcgan_generator(LATENT, (28, 28, 1), base_filters=32)
        d = networks.dcgan_discriminator((28, 28, 1), base_filters=32, normalization="layer")
        return kgan.WGANGP(g, d, n_critic=5, seed=0), g, d

    def dcgan64():
        g = networks.dcgan_generator(LATENT, (64, 64, 3), base_filters=24)
        d = networks.dcgan_discriminator((64, 64, 3), base_filters=24)
        return kgan.GAN(g, d, seed=0), g, d

    return {
        "gan": (gan, 128, (28, 28, 1), False, 1.0),
        "cgan": (cgan, 128, (28, 28, 1), True, 1.0),
        "wgangp": (wgangp, 640, (28, 28, 1), False, 1.0),  # 128 images per critic step, n_critic=5
        "dcgan64": (dcgan64, 64, (64, 64, 3), False, 0.5),
    }


def dataset(batch, shape, conditional, steps):
    """Random images (and labels), batched and cached in memory, tf.data autotuning off.

    With autotuning on, deleting an iterator (both sides do, once per repeat) sometimes blocks
    until the autotune thread's next wake-up, whose period doubles from 10 ms: on a busy CPU
    1-1.6 s in 4 of 8 trials, which rounded whole repeats up to 5.1, 10.2 or 20.5 s. There is
    nothing to tune in a cached in-memory dataset, so it is switched off for both sides.
    """
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (batch * steps,) + shape).astype("float32")
    data = (images, rng.integers(0, 10, len(images)).astype("int32")) if conditional else images
    options = tf.data.Options()
    options.autotune.enabled = False
    data = tf.data.Dataset.from_tensor_slices(data).batch(batch, drop_remainder=True).cache().with_options(options)
    for _ in data:  # fill the cache now, not in the first timed repeat
        pass
    return data


def kgan_runner(model):
    """``fit`` over the benchmark's batches. The hand-written WGAN-GP step slices each batch into
    ``n_critic`` critic batches; kgan takes ``n_critic`` batches of ``batch_size`` per step, so
    its data is regrouped (once, cached) into batches of ``batch / n_critic``: the same images
    per generator update on both sides."""
    k = model.discriminator_steps
    regrouped = {}

    def run(data):
        if k > 1:
            if id(data) not in regrouped:
                spec = data.element_spec[0] if isinstance(data.element_spec, tuple) else data.element_spec
                regrouped[id(data)] = data.unbatch().batch(spec.shape[0] // k, drop_remainder=True).cache()
            data = regrouped[id(data)]
        model.fit(data, epochs=1, verbose=0, shuffle=False)

    return run


def hand_runner(step, conditional):
    def run(data):
        for batch in data:
            out = step(*batch) if conditional else step(batch)
        float(out[0])  # wait for the last step

    return run


def timed(run, data):
    wall, cpu = time.perf_counter(), time.process_time()
    run(data)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(name, build, batch, shape, conditional, steps, repeats, warmup):
    data = dataset(batch, shape, conditional, steps)
    model, g, d = build()
    kgan_jit = {"default": {}, "none": {"jit_compile": False}, "both": {"jit_compile": True},
                "kgan": {"jit_compile": True}, "measure": {"jit_compile": "measure"}}[ARGS.xla]
    model.compile(g_optimizer=adam(), d_optimizer=adam(), steps_per_execution=ARGS.steps_per_execution, **kgan_jit)
    runners = {"kgan": kgan_runner(model)}
    if ARGS.backend == "tensorflow":
        g2, d2 = keras.models.clone_model(g), keras.models.clone_model(d)
        if name == "wgangp":
            step = handwritten.wgangp_step(g2, d2, adam(), adam(), LATENT, jit_compile=ARGS.xla == "both")
        else:
            step = handwritten.gan_step(g2, d2, adam(), adam(), LATENT, conditional, jit_compile=ARGS.xla == "both")
        runners["hand"] = hand_runner(step, conditional)
    for side, run in runners.items():  # warm-up: trace, compile, build (and kgan's XLA probe)
        probe = jit_choice.PROBE_CALLS * ARGS.steps_per_execution  # steps "measure" may take to decide
        run(data.repeat().take(max(warmup, probe) if side == "kgan" and ARGS.xla == "measure" else warmup))
    wall = {side: [] for side in runners}
    cpu = {side: [] for side in runners}
    for i in range(repeats):  # kgan, hand, hand, kgan, ...: load drifts hit both alike
        for side in (list(runners) if i % 2 == 0 else list(runners)[::-1]):
            w, c = timed(runners[side], data)
            wall[side].append(w)
            cpu[side].append(c)
    images = batch * steps
    step_flops = flops.wgangp_step_flops(g, d, batch, 5) if name == "wgangp" else flops.gan_step_flops(g, d, batch)
    result = {
        "row": name, "batch": batch, "steps": steps, "repeats": repeats,
        "kgan_img_s": images / statistics.median(wall["kgan"]),
        "hand_img_s": None, "ratio": None, "ratio_q1": None, "ratio_q3": None,
        "kgan_wall_min_s": min(wall["kgan"]) / steps, "hand_wall_min_s": None,
        "kgan_cpu_s": statistics.median(cpu["kgan"]) / steps, "hand_cpu_s": None, "cpu_ratio": None,
        "gflop_per_step": step_flops / 1e9,
    }
    result["kgan_gflop_s"] = step_flops * result["kgan_img_s"] / batch / 1e9
    result["hand_gflop_s"] = None
    if "hand" in runners:
        pairs = sorted(h / k for h, k in zip(wall["hand"], wall["kgan"]))
        quartiles = statistics.quantiles(pairs, n=4) if len(pairs) > 1 else [pairs[0]] * 3
        result.update(
            hand_img_s=images / statistics.median(wall["hand"]),
            ratio=statistics.median(wall["hand"]) / statistics.median(wall["kgan"]),
            ratio_q1=quartiles[0], ratio_q3=quartiles[2],
            kgan_wall_min_s=min(wall["kgan"]) / steps, hand_wall_min_s=min(wall["hand"]) / steps,
            hand_cpu_s=statistics.median(cpu["hand"]) / steps,
            cpu_ratio=statistics.median(cpu["hand"]) / statistics.median(cpu["kgan"]),
        )
        result["hand_gflop_s"] = step_flops * result["hand_img_s"] / batch / 1e9
    return result


def fmt(value, spec, width):
    return f"{'n/a':>{width}s}" if value is None else f"{value:{width}{spec}}"


def main():
    steps = ARGS.steps or (2 if ARGS.quick else 4)
    repeats = ARGS.repeats or (2 if ARGS.quick else 15)
    warmup = ARGS.warmup or (1 if ARGS.quick else 2)
    table = rows()
    print(f"backend={ARGS.backend} steps/repeat={steps} repeats={repeats} warmup={warmup} "
          f"steps_per_execution={ARGS.steps_per_execution} xla={ARGS.xla} "
          f"cpus={os.cpu_count()} keras={keras.__version__} tensorflow={tf.__version__}"
          + (" QUICK: batches / 4, figures not comparable" if ARGS.quick else ""), flush=True)
    print(f"CPU: {machine.cpu_line()}; TensorFlow kernels: {machine.tensorflow_kernels() or 'n/a'}", flush=True)
    print("| row | batch | kgan img/s | hand img/s | ratio (pair IQR) | CPU s/step kgan / hand | cpu ratio "
          "| GFLOP/step | GFLOP/s kgan / hand |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    results = []
    for name in ARGS.rows.split(","):
        build, batch, shape, conditional, share = table[name]
        if ARGS.quick:
            batch = max(batch // 4, 5)
        r = measure(name, build, batch, shape, conditional, max(1, round(steps * share)), repeats, warmup)
        results.append(r)
        ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.3f} ({r['ratio_q1']:.2f}-{r['ratio_q3']:.2f})"
        print(f"| {name} | {batch} | {r['kgan_img_s']:.1f} | {fmt(r['hand_img_s'], '.1f', 0)} | {ratio} "
              f"| {r['kgan_cpu_s']:.3f} / {fmt(r['hand_cpu_s'], '.3f', 0)} | {fmt(r['cpu_ratio'], '.3f', 0)} "
              f"| {r['gflop_per_step']:.2f} | {r['kgan_gflop_s']:.1f} / {fmt(r['hand_gflop_s'], '.1f', 0)} |",
              flush=True)
    if ARGS.csv:
        with open(ARGS.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(results[0]))
            writer.writeheader()
            writer.writerows(results)


if __name__ == "__main__":
    main()
