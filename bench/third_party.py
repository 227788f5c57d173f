"""kgan on other people's networks: three public examples, each against its own training loop.

    python bench/third_party.py                      # TensorFlow, every row
    python bench/third_party.py --backend jax        # or torch
    python bench/third_party.py --quick              # smoke run: batches / 64 (min 2), 1 step x 2 repeats

bench/throughput.py times kgan on kgan's own DCGANs. Here the networks, batch sizes, optimizers
and losses come from public examples (bench/third_party_networks.py cites the sources), and the
baseline is the loop each example writes, on clones of the networks:

- ``keras_dcgan`` (keras.io DCGAN, CelebA 64x64, batch 32). Hand: the example's ``train_step``,
  alternating: one discriminator call on fakes and reals concatenated, targets fake 1 / real 0
  plus 0.05 * U(0, 1) noise, cross-entropy on sigmoid probabilities; then a generator update
  towards target 0. The example calls both networks without ``training=``, so its dropout is
  off. kgan: ``GAN`` (non-saturating cross-entropy on logits, exact targets, dropout on), whose
  discriminator update also makes one call on real and fake together (no batch norm). Same
  FLOPs per step.
- ``keras_wgangp`` (keras.io WGAN-GP, 28x28, batch 512). Hand: the example's ``train_step``: 3
  critic updates, all on the same 512 real images (critic called on fakes, on reals, and on
  interpolates for the penalty; interpolation weights drawn from N(0, 1), as the example draws
  them), then a generator update. kgan: ``WGANGP(n_critic=3, gp_weight=10)``: each critic update
  on its own 512 real images (kgan's batch semantics, DESIGN.md), weights from U(0, 1), real
  and fake in one critic call. Same FLOPs per step; kgan reads 3 batches a step, the example 1.
- ``tf_dcgan`` (TensorFlow DCGAN tutorial, MNIST, batch 256). Hand: the tutorial's
  *simultaneous* update: one forward pass (G, D on real, D on fake) under two tapes, both
  networks stepped with gradients of that pass. kgan: ``GAN``'s *alternating* updates (the
  generator update sees the already updated discriminator, and runs G and D forward again).
  Not the same algorithm and not the same work: 3G + 7D per image by hand against kgan's 4G + 8D.
- ``tf_dcgan_simultaneous``: the same tutorial and loop against kgan's opt-in
  ``GAN(update="simultaneous")``, the tutorial's algorithm: equal work.

The hand loops follow each backend's idiom (keras.io "Writing a training loop from scratch"):
TensorFlow, ``tf.function`` + ``GradientTape`` + ``apply_gradients``; JAX, ``stateless_call``
+ ``jax.value_and_grad`` (``jax.vjp`` for the tutorial's two gradients of one pass) +
``optimizer.stateless_apply`` in one ``jax.jit`` step; PyTorch (Keras's torch backend),
``zero_grad``, ``loss.backward()``, ``optimizer.apply`` under ``torch.no_grad()``. kgan runs
through ``fit`` with its ``compile()`` defaults (XLA as Keras decides: off on CPU-only
TensorFlow, always on JAX, off on torch). Both sides run in one process on the same random
data, after a warm-up, alternating (kgan, hand, hand, kgan, ...) as in throughput.py.

Per row: images/s (real images through the discriminator: batch x critic updates per step, the
same count on both sides), ratio kgan / hand (median, and quartiles of the repeats' paired
ratios), process CPU seconds per step, analytic GFLOP per step (bench/flops.py) and the GFLOP/s
achieved, and the GFLOP/s of a large float32 matmul in the same backend measured before and
after the row (mean), with achieved / matmul in percent. The header names the CPU and its
AVX-512 flags (bench/machine.py). ``--csv PATH`` also writes the table. ``--kgan-jit on|off|measure``
sets kgan's ``compile(jit_compile=...)`` (``measure``: kgan's probe runs in the warm-up, so the
timed steps use its choice); the hand loops stay as their examples write them.
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
                        help="smoke run: batches / 64 (min 2), 1 step x 2 repeats (figures not comparable)")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats per side (default 7; quick 2)")
    parser.add_argument("--steps", type=int, default=None, help="generator steps per repeat (default 2; quick 1)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed steps per side first")
    parser.add_argument("--rows", default="keras_dcgan,keras_wgangp,tf_dcgan,tf_dcgan_simultaneous",
                        help="comma-separated subset")
    parser.add_argument("--csv", default=None, help="also write the table to this CSV file")
    parser.add_argument("--kgan-jit", choices=("default", "on", "off", "measure"), default="default",
                        help="kgan's compile(jit_compile=...): default leaves Keras's rule, on/off forces XLA, "
                             "measure lets kgan time both (its probe runs in the warm-up); the hand loops stay "
                             "as their examples write them")
    return parser.parse_args(argv)


ARGS = parse()
QUICK_BATCH_DIVISOR = 64  # --quick checks the plumbing; the 64x64 keras.io rows cost 1-3 s per image
os.environ["KERAS_BACKEND"] = ARGS.backend
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import kgan  # noqa: E402  (first, as a kgan user imports it: oneDNN on AVX2 too, kgan/_onednn.py)
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import flops  # noqa: E402
import machine  # noqa: E402
from kgan.models import jit_choice  # noqa: E402
from third_party_networks import EXAMPLES  # noqa: E402

# row -> (kgan side, hand side, work per step); the table's legend.
SIDES = {
    "keras_dcgan": ("GAN non-saturating, alternating, D on real+fake in one call",
                    "example's train_step: alternating, one D call on [fake; real], noisy targets, dropout off",
                    "equal"),
    "keras_wgangp": ("WGANGP n_critic=3 gp 10: 3 real batches per step, alpha ~ U(0,1)",
                     "example's train_step: 3 critic updates on one real batch, alpha ~ N(0,1)",
                     "equal"),
    "tf_dcgan": ("GAN non-saturating, alternating updates (4G+8D per image)",
                 "tutorial's train_step: simultaneous update, one forward pass, two tapes (3G+7D)",
                 "NOT equal: hand does less"),
    "tf_dcgan_simultaneous": ("GAN non-saturating, update='simultaneous' (3G+7D per image)",
                              "tutorial's train_step: simultaneous update, one forward pass, two tapes (3G+7D)",
                              "equal"),
}
EXAMPLE_OF_ROW = {"tf_dcgan_simultaneous": "tf_dcgan"}  # rows that reuse another row's example
UPDATE_OF_ROW = {"tf_dcgan_simultaneous": "simultaneous"}  # kgan's GAN(update=...), default alternating


def dataset(example, batch, n_batches):
    """Random images in the example's range, batched and cached, autotuning off (see
    throughput.py: deleting an autotuned iterator can stall a repeat for a second)."""
    low, high = example.data_range
    images = np.random.default_rng(0).uniform(low, high, (batch * n_batches,) + example.image_shape).astype("float32")
    options = tf.data.Options()
    options.autotune.enabled = False
    data = tf.data.Dataset.from_tensor_slices(images).batch(batch, drop_remainder=True).cache().with_options(options)
    for _ in data:  # fill the cache now
        pass
    return data


def build(example, update="alternating"):
    """(kgan model, hand generator, hand discriminator), the hand networks rebuilt from the same
    builders with kgan's initial weights (the keras.io DCGAN's keeps the example's sigmoid)."""
    g, d = example.generator(), example.discriminator(False)
    if example.gp_weight:
        model = kgan.WGANGP(g, d, n_critic=example.d_steps, gp_weight=example.gp_weight, seed=0)
    else:
        model = kgan.GAN(g, d, loss="non_saturating", update=update, seed=0)
    jit = {"default": {}, "on": {"jit_compile": True}, "off": {"jit_compile": False},
           "measure": {"jit_compile": "measure"}}[ARGS.kgan_jit]
    model.compile(g_optimizer=example.optimizer(), d_optimizer=example.optimizer(), **jit)
    g2, d2 = example.generator(), example.discriminator(example.probabilities)
    g2.set_weights(g.get_weights())
    d2.set_weights(d.get_weights())
    return model, g2, d2


# ---------------------------------------------------------------- TensorFlow loops
def tf_step(example, g, d, g_opt, d_opt):
    latent, name = example.latent_dim, example.name

    def apply(opt, tape, loss, net):
        opt.apply_gradients(zip(tape.gradient(loss, net.trainable_weights), net.trainable_weights))

    if name == "keras_dcgan":
        bce = keras.losses.BinaryCrossentropy()

        @tf.function
        def step(real):
            n = tf.shape(real)[0]
            combined = tf.concat([g(tf.random.normal((n, latent))), real], axis=0)
            labels = tf.concat([tf.ones((n, 1)), tf.zeros((n, 1))], axis=0)
            labels += 0.05 * tf.random.uniform(tf.shape(labels))
            with tf.GradientTape() as tape:
                d_loss = bce(labels, d(combined))
            apply(d_opt, tape, d_loss, d)
            with tf.GradientTape() as tape:
                g_loss = bce(tf.zeros((n, 1)), d(g(tf.random.normal((n, latent)))))
            apply(g_opt, tape, g_loss, g)
            return d_loss, g_loss

    elif name == "keras_wgangp":

        @tf.function
        def step(real):
            n = tf.shape(real)[0]
            for _ in range(example.d_steps):
                with tf.GradientTape() as tape:
                    fake = g(tf.random.normal((n, latent)), training=True)
                    fake_logits, real_logits = d(fake, training=True), d(real, training=True)
                    alpha = tf.random.normal((n, 1, 1, 1))
                    interpolated = real + alpha * (fake - real)
                    with tf.GradientTape() as gp_tape:
                        gp_tape.watch(interpolated)
                        pred = d(interpolated, training=True)
                    grads = gp_tape.gradient(pred, interpolated)
                    gp = tf.reduce_mean((tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3])) - 1.0) ** 2)
                    d_loss = tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits) + example.gp_weight * gp
                apply(d_opt, tape, d_loss, d)
            with tf.GradientTape() as tape:
                g_loss = -tf.reduce_mean(d(g(tf.random.normal((n, latent)), training=True), training=True))
            apply(g_opt, tape, g_loss, g)
            return d_loss, g_loss

    else:  # tf_dcgan: simultaneous
        bce = keras.losses.BinaryCrossentropy(from_logits=True)

        @tf.function
        def step(real):
            with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
                fake = g(tf.random.normal((tf.shape(real)[0], latent)), training=True)
                real_out, fake_out = d(real, training=True), d(fake, training=True)
                g_loss = bce(tf.ones_like(fake_out), fake_out)
                d_loss = bce(tf.ones_like(real_out), real_out) + bce(tf.zeros_like(fake_out), fake_out)
            g_grads = g_tape.gradient(g_loss, g.trainable_variables)
            d_grads = d_tape.gradient(d_loss, d.trainable_variables)
            g_opt.apply_gradients(zip(g_grads, g.trainable_variables))
            d_opt.apply_gradients(zip(d_grads, d.trainable_variables))
            return d_loss, g_loss

    return step


# ---------------------------------------------------------------- JAX loops
def jax_step(example, g, d, g_opt, d_opt):
    import jax
    import jax.numpy as jnp

    latent, name, ones, zeros = example.latent_dim, example.name, jnp.ones, jnp.zeros
    g_opt.build(g.trainable_variables)
    d_opt.build(d.trainable_variables)

    def values(variables):
        return [v.value for v in variables]

    state = ((values(g.trainable_variables), values(g.non_trainable_variables), values(g_opt.variables)),
             (values(d.trainable_variables), values(d.non_trainable_variables), values(d_opt.variables)),
             jax.random.key(0))

    if name == "keras_dcgan":
        bce = keras.losses.BinaryCrossentropy()

        def d_loss_fn(d_tv, d_ntv, images, labels):
            predictions, d_ntv = d.stateless_call(d_tv, d_ntv, images)
            return bce(labels, predictions), d_ntv

        def g_loss_fn(g_tv, g_ntv, d_tv, d_ntv, noise):
            images, g_ntv = g.stateless_call(g_tv, g_ntv, noise)
            predictions, d_ntv = d.stateless_call(d_tv, d_ntv, images)
            return bce(zeros((noise.shape[0], 1)), predictions), (g_ntv, d_ntv)

        d_grad, g_grad = jax.value_and_grad(d_loss_fn, has_aux=True), jax.value_and_grad(g_loss_fn, has_aux=True)

        @jax.jit
        def step(state, real):
            (g_tv, g_ntv, g_ov), (d_tv, d_ntv, d_ov), key = state
            key, k1, k2, k3 = jax.random.split(key, 4)
            n = real.shape[0]
            fake, g_ntv = g.stateless_call(g_tv, g_ntv, jax.random.normal(k1, (n, latent)))
            labels = jnp.concatenate([ones((n, 1)), zeros((n, 1))]) + 0.05 * jax.random.uniform(k2, (2 * n, 1))
            combined = jnp.concatenate([fake, real])
            (d_loss, d_ntv), grads = d_grad(d_tv, d_ntv, combined, labels)
            d_tv, d_ov = d_opt.stateless_apply(d_ov, grads, d_tv)
            noise = jax.random.normal(k3, (n, latent))
            (g_loss, (g_ntv, d_ntv)), grads = g_grad(g_tv, g_ntv, d_tv, d_ntv, noise)
            g_tv, g_ov = g_opt.stateless_apply(g_ov, grads, g_tv)
            return (d_loss, g_loss), ((g_tv, g_ntv, g_ov), (d_tv, d_ntv, d_ov), key)

    elif name == "keras_wgangp":

        def critic_loss(d_tv, d_ntv, real, fake, alpha):
            fake_logits, d_ntv = d.stateless_call(d_tv, d_ntv, fake, training=True)
            real_logits, d_ntv = d.stateless_call(d_tv, d_ntv, real, training=True)

            def critic_sum(images, ntv):
                pred, ntv = d.stateless_call(d_tv, ntv, images, training=True)
                return jnp.sum(pred), ntv

            grads, d_ntv = jax.grad(critic_sum, has_aux=True)(real + alpha * (fake - real), d_ntv)
            gp = jnp.mean((jnp.sqrt(jnp.sum(jnp.square(grads), axis=(1, 2, 3))) - 1.0) ** 2)
            return jnp.mean(fake_logits) - jnp.mean(real_logits) + example.gp_weight * gp, d_ntv

        def g_loss_fn(g_tv, g_ntv, d_tv, d_ntv, noise):
            fake, g_ntv = g.stateless_call(g_tv, g_ntv, noise, training=True)
            logits, d_ntv = d.stateless_call(d_tv, d_ntv, fake, training=True)
            return -jnp.mean(logits), (g_ntv, d_ntv)

        d_grad, g_grad = jax.value_and_grad(critic_loss, has_aux=True), jax.value_and_grad(g_loss_fn, has_aux=True)

        @jax.jit
        def step(state, real):
            (g_tv, g_ntv, g_ov), (d_tv, d_ntv, d_ov), key = state
            n = real.shape[0]
            for _ in range(example.d_steps):
                key, k1, k2 = jax.random.split(key, 3)
                fake, g_ntv = g.stateless_call(g_tv, g_ntv, jax.random.normal(k1, (n, latent)), training=True)
                alpha = jax.random.normal(k2, (n, 1, 1, 1))
                (d_loss, d_ntv), grads = d_grad(d_tv, d_ntv, real, fake, alpha)
                d_tv, d_ov = d_opt.stateless_apply(d_ov, grads, d_tv)
            key, k3 = jax.random.split(key)
            noise = jax.random.normal(k3, (n, latent))
            (g_loss, (g_ntv, d_ntv)), grads = g_grad(g_tv, g_ntv, d_tv, d_ntv, noise)
            g_tv, g_ov = g_opt.stateless_apply(g_ov, grads, g_tv)
            return (d_loss, g_loss), ((g_tv, g_ntv, g_ov), (d_tv, d_ntv, d_ov), key)

    else:  # tf_dcgan: simultaneous, both gradients from one forward pass (jax.vjp)
        bce = keras.losses.BinaryCrossentropy(from_logits=True)

        @jax.jit
        def step(state, real):
            (g_tv, g_ntv, g_ov), (d_tv, d_ntv, d_ov), key = state
            key, k1 = jax.random.split(key)
            noise = jax.random.normal(k1, (real.shape[0], latent))

            def both_losses(g_tv, d_tv):
                fake, new_g = g.stateless_call(g_tv, g_ntv, noise, training=True)
                real_out, new_d = d.stateless_call(d_tv, d_ntv, real, training=True)
                fake_out, new_d = d.stateless_call(d_tv, new_d, fake, training=True)
                g_loss = bce(ones(fake_out.shape), fake_out)
                d_loss = bce(ones(real_out.shape), real_out) + bce(zeros(fake_out.shape), fake_out)
                return (g_loss, d_loss), (new_g, new_d)

            (g_loss, d_loss), vjp, (g_ntv, d_ntv) = jax.vjp(both_losses, g_tv, d_tv, has_aux=True)
            g_grads = vjp((jnp.float32(1), jnp.float32(0)))[0]
            d_grads = vjp((jnp.float32(0), jnp.float32(1)))[1]
            g_tv, g_ov = g_opt.stateless_apply(g_ov, g_grads, g_tv)
            d_tv, d_ov = d_opt.stateless_apply(d_ov, d_grads, d_tv)
            return (d_loss, g_loss), ((g_tv, g_ntv, g_ov), (d_tv, d_ntv, d_ov), key)

    def stateful(real):
        nonlocal state
        out, state = step(state, real.numpy())
        return out

    return stateful


# ---------------------------------------------------------------- PyTorch loops (Keras's torch backend)
def torch_step(example, g, d, g_opt, d_opt):
    import torch

    latent, name = example.latent_dim, example.name

    def backward_and_apply(loss, net, opt):
        net.zero_grad()
        loss.backward()
        weights = net.trainable_weights
        with torch.no_grad():
            opt.apply([v.value.grad for v in weights], weights)

    if name == "keras_dcgan":

        def bce(target, p):  # Keras's torch BCE rejects the example's targets above 1: the formula it has on TF
            p = p.clamp(keras.config.epsilon(), 1 - keras.config.epsilon())
            return -(target * p.log() + (1 - target) * (1 - p).log()).mean()

        def step(real):
            n = real.shape[0]
            with torch.no_grad():  # the example generates these outside its tape
                fake = g(torch.randn(n, latent))
            labels = torch.cat([torch.ones(n, 1), torch.zeros(n, 1)]) + 0.05 * torch.rand(2 * n, 1)
            d_loss = bce(labels, d(torch.cat([fake, real])))
            backward_and_apply(d_loss, d, d_opt)
            g_loss = bce(torch.zeros(n, 1), d(g(torch.randn(n, latent))))
            backward_and_apply(g_loss, g, g_opt)
            return d_loss.detach(), g_loss.detach()

    elif name == "keras_wgangp":

        def step(real):
            n = real.shape[0]
            for _ in range(example.d_steps):
                with torch.no_grad():  # the example's tape never differentiates the generator here
                    fake = g(torch.randn(n, latent), training=True)
                fake_logits, real_logits = d(fake, training=True), d(real, training=True)
                interpolated = (real + torch.randn(n, 1, 1, 1) * (fake - real)).requires_grad_(True)
                (grads,) = torch.autograd.grad(d(interpolated, training=True).sum(), interpolated, create_graph=True)
                gp = ((grads.square().sum(dim=(1, 2, 3)).sqrt() - 1.0) ** 2).mean()
                d_loss = fake_logits.mean() - real_logits.mean() + example.gp_weight * gp
                backward_and_apply(d_loss, d, d_opt)
            g_loss = -d(g(torch.randn(n, latent), training=True), training=True).mean()
            backward_and_apply(g_loss, g, g_opt)
            return d_loss.detach(), g_loss.detach()

    else:  # tf_dcgan: simultaneous; each loss backward to its own network's weights only
        bce = keras.losses.BinaryCrossentropy(from_logits=True)

        def step(real):
            fake = g(torch.randn(real.shape[0], latent), training=True)
            real_out, fake_out = d(real, training=True), d(fake, training=True)
            g_loss = bce(torch.ones_like(fake_out), fake_out)
            d_loss = bce(torch.ones_like(real_out), real_out) + bce(torch.zeros_like(fake_out), fake_out)
            g.zero_grad()
            d.zero_grad()
            g_loss.backward(inputs=[v.value for v in g.trainable_weights], retain_graph=True)
            d_loss.backward(inputs=[v.value for v in d.trainable_weights])
            with torch.no_grad():
                g_opt.apply([v.value.grad for v in g.trainable_weights], g.trainable_weights)
                d_opt.apply([v.value.grad for v in d.trainable_weights], d.trainable_weights)
            return d_loss.detach(), g_loss.detach()

    def from_tf(real):
        return step(torch.from_numpy(real.numpy()))

    return from_tf


# ---------------------------------------------------------------- timing
def kgan_runner(model):
    def run(data):
        model.fit(data, epochs=1, verbose=0, shuffle=False)

    return run


def hand_runner(step):
    def run(data):
        for batch in data:
            out = step(batch)
        float(out[0])  # wait for the last step

    return run


def timed(run, data):
    wall, cpu = time.perf_counter(), time.process_time()
    run(data)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(row, batch, steps, repeats, warmup, matmul_n):
    example, update = EXAMPLES[EXAMPLE_OF_ROW.get(row, row)], UPDATE_OF_ROW.get(row, "alternating")
    k = example.d_steps
    data = dataset(example, batch, steps * k)  # kgan reads k batches a step, the examples 1
    model, g2, d2 = build(example, update)
    loop = {"tensorflow": tf_step, "jax": jax_step, "torch": torch_step}[ARGS.backend]
    runners = {"kgan": (kgan_runner(model), data),
               "hand": (hand_runner(loop(example, g2, d2, example.optimizer(), example.optimizer())), data.take(steps))}
    for name, (run, side_data) in runners.items():  # warm-up: trace, compile, build optimizer state
        steps_here = max(warmup, jit_choice.PROBE_CALLS) if name == "kgan" and ARGS.kgan_jit == "measure" else warmup
        run(side_data.repeat().take(steps_here * (k if name == "kgan" else 1)))
    matmul = [machine.matmul_gflops(matmul_n)]
    wall, cpu = {"kgan": [], "hand": []}, {"kgan": [], "hand": []}
    for i in range(repeats):  # kgan, hand, hand, kgan, ...: load drifts hit both alike
        for side in ("kgan", "hand") if i % 2 == 0 else ("hand", "kgan"):
            w, c = timed(*runners[side])
            wall[side].append(w)
            cpu[side].append(c)
    matmul.append(machine.matmul_gflops(matmul_n))
    images = batch * k * steps
    g, d = model.generator, model.discriminator
    if example.gp_weight:
        kgan_flops = hand_flops = flops.wgangp_step_flops(g, d, batch * k, k)
    else:
        simultaneous_flops = flops.simultaneous_step_flops(g, d, batch)
        kgan_flops = simultaneous_flops if update == "simultaneous" else flops.gan_step_flops(g, d, batch)
        hand_flops = simultaneous_flops if example.simultaneous else kgan_flops
    pairs = sorted(h / q for h, q in zip(wall["hand"], wall["kgan"]))
    quartiles = statistics.quantiles(pairs, n=4) if len(pairs) > 1 else [pairs[0]] * 3
    r = {"row": row, "backend": ARGS.backend, "batch": batch, "images_per_step": batch * k,
         "steps": steps, "repeats": repeats, "kgan_side": SIDES[row][0], "hand_side": SIDES[row][1],
         "work": SIDES[row][2],
         "kgan_img_s": images / statistics.median(wall["kgan"]), "hand_img_s": images / statistics.median(wall["hand"]),
         "ratio": statistics.median(wall["hand"]) / statistics.median(wall["kgan"]),
         "ratio_q1": quartiles[0], "ratio_q3": quartiles[2],
         "kgan_cpu_s": statistics.median(cpu["kgan"]) / steps, "hand_cpu_s": statistics.median(cpu["hand"]) / steps,
         "kgan_gflop_per_step": kgan_flops / 1e9, "hand_gflop_per_step": hand_flops / 1e9,
         "matmul_gflop_s": statistics.mean(matmul)}
    for side, step_flops in (("kgan", kgan_flops), ("hand", hand_flops)):
        r[f"{side}_gflop_s"] = step_flops * steps / statistics.median(wall[side]) / 1e9
        r[f"{side}_pct_matmul"] = 100 * r[f"{side}_gflop_s"] / r["matmul_gflop_s"]
    return r


def main():
    steps = ARGS.steps or (1 if ARGS.quick else 2)
    repeats = ARGS.repeats or (2 if ARGS.quick else 7)
    versions = f"keras={keras.__version__} tensorflow={tf.__version__}"
    if ARGS.backend == "jax":
        import jax

        versions += f" jax={jax.__version__}"
    elif ARGS.backend == "torch":
        import torch

        versions += f" torch={torch.__version__}"
    print(f"backend={ARGS.backend} steps/repeat={steps} repeats={repeats} warmup={ARGS.warmup} "
          f"kgan jit_compile={ARGS.kgan_jit} {versions}"
          + (" QUICK: batches / 64, figures not comparable" if ARGS.quick else ""))
    print(f"CPU: {machine.cpu_line()}; TensorFlow kernels: {machine.tensorflow_kernels() or 'n/a'}")
    names = ARGS.rows.split(",")
    for name in names:
        kgan_side, hand_side, work = SIDES[name]
        source = EXAMPLES[EXAMPLE_OF_ROW.get(name, name)].source
        print(f"- {name} ({source}): kgan = {kgan_side}; hand = {hand_side}; work per step: {work}")
    print("| row | batch | img/step | kgan img/s | hand img/s | ratio (pair IQR) | CPU s/step kgan / hand "
          "| GFLOP/step kgan / hand | GFLOP/s kgan / hand | matmul GFLOP/s | % of matmul kgan / hand | work |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|", flush=True)
    results = []
    for name in names:
        example = EXAMPLES[EXAMPLE_OF_ROW.get(name, name)]
        batch = max(example.batch // QUICK_BATCH_DIVISOR, 2) if ARGS.quick else example.batch
        r = measure(name, batch, steps, repeats, ARGS.warmup, 1024 if ARGS.quick else 2048)
        results.append(r)
        print(f"| {name} | {batch} | {r['images_per_step']} | {r['kgan_img_s']:.1f} | {r['hand_img_s']:.1f} "
              f"| {r['ratio']:.3f} ({r['ratio_q1']:.2f}-{r['ratio_q3']:.2f}) "
              f"| {r['kgan_cpu_s']:.3f} / {r['hand_cpu_s']:.3f} "
              f"| {r['kgan_gflop_per_step']:.2f} / {r['hand_gflop_per_step']:.2f} "
              f"| {r['kgan_gflop_s']:.1f} / {r['hand_gflop_s']:.1f} | {r['matmul_gflop_s']:.1f} "
              f"| {r['kgan_pct_matmul']:.0f} / {r['hand_pct_matmul']:.0f} | {r['work']} |", flush=True)
    if ARGS.csv:
        with open(ARGS.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(results[0]))
            writer.writeheader()
            writer.writerows(results)


if __name__ == "__main__":
    main()
