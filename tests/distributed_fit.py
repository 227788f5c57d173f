"""Train tiny GANs on one device and under a distribution; print how far apart they end up.

    python tests/distributed_fit.py mirrored [KIND ...]       # tf MirroredStrategy, 2 logical CPUs
    python tests/distributed_fit.py data_parallel [KIND ...]  # JAX DataParallel, 2 host CPUs
    TF_CONFIG=... python tests/distributed_fit.py multi_worker [KIND ...]  # one worker of two

Device setup (logical CPUs, XLA host devices, TF_CONFIG) must happen before TensorFlow or
JAX starts, so each scenario runs in a fresh process; ``tests/test_distribution.py`` runs it
and reads the JSON line this prints (one entry per kind).

Both runs start from the same weights and seed state and see the same global batches. The
settings keep the update independent of how a batch is split: SGD (Adam would hide a
wrongly scaled gradient), one discriminator step per batch, no BatchNorm, no dropout. The
WGAN-GP critic is an MLP, so its penalty depends on the interpolation weights: they must be
drawn per replica like the noise for the runs to agree.

Two more kinds, run when named: ``wgangp_n2`` and ``wgan_n2`` make two critic updates per
generator update, each on its own global batch of BATCH real images
(``kgan.models.critic_batches``), so every replica must get its share of both batches for the
runs to agree; ``wgan_n2`` also clips the critic's weights after each update (assignments
inside the replicated step).
"""

import contextlib
import json
import os
import sys

SCENARIO = sys.argv[1] if len(sys.argv) > 1 else "mirrored"
KINDS = sys.argv[2:] or ["gan", "cgan", "wgangp"]
SCENARIOS = {"mirrored": "tensorflow", "multi_worker": "tensorflow", "data_parallel": "jax"}
if SCENARIO not in SCENARIOS:
    raise SystemExit(f"unknown scenario {SCENARIO!r}; expected one of {sorted(SCENARIOS)}")
os.environ["KERAS_BACKEND"] = SCENARIOS[SCENARIO]
if SCENARIO == "data_parallel":
    os.environ["XLA_FLAGS"] = os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=2"
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

IMAGE_SHAPE, LATENT, CLASSES, N, BATCH, EPOCHS = (4, 4, 1), 3, 3, 64, 16, 2


def strategy_or_distribution():
    """The scenario's distribution (created first: TF wants its devices fixed before use)."""
    if SCENARIO == "mirrored":
        import tensorflow as tf

        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    if SCENARIO == "multi_worker":
        import tensorflow as tf

        return tf.distribute.MultiWorkerMirroredStrategy()
    import keras

    return keras.distribution.DataParallel()


DISTRIBUTION = strategy_or_distribution()

import keras  # noqa: E402

import kgan  # noqa: E402
from kgan import networks  # noqa: E402


def build(kind):
    keras.utils.set_random_seed(0)
    if kind == "cgan":
        g = networks.conditional_mlp_generator(LATENT, CLASSES, IMAGE_SHAPE, hidden_units=(16,), embedding_dim=2)
        d = networks.conditional_mlp_discriminator(
            IMAGE_SHAPE, CLASSES, hidden_units=(16,), embedding_dim=2, dropout=0.0
        )
        model = kgan.ConditionalGAN(g, d, num_classes=CLASSES, seed=3)
    elif kind in ("wgangp", "wgangp_n2"):
        g = networks.mlp_generator(LATENT, IMAGE_SHAPE, hidden_units=(16,))
        d = networks.mlp_discriminator(IMAGE_SHAPE, hidden_units=(16,), dropout=0.0)
        model = kgan.WGANGP(g, d, n_critic=1 if kind == "wgangp" else 2, seed=3)
    elif kind == "wgan_n2":
        g = networks.mlp_generator(LATENT, IMAGE_SHAPE, hidden_units=(16,))
        d = networks.mlp_discriminator(IMAGE_SHAPE, hidden_units=(16,), dropout=0.0)
        model = kgan.WGAN(g, d, n_critic=2, clip_value=0.05, seed=3)
    else:
        g = networks.mlp_generator(LATENT, IMAGE_SHAPE, hidden_units=(16,))
        d = networks.mlp_discriminator(IMAGE_SHAPE, hidden_units=(16,), dropout=0.0)
        model = kgan.GAN(g, d, seed=3)
    # Without XLA on one device too: under tf.distribute Keras (and kgan) leave XLA off, and
    # XLA's stateless random ops draw other numbers from the same seed than TensorFlow's kernels.
    model.compile(g_optimizer=keras.optimizers.SGD(0.1), d_optimizer=keras.optimizers.SGD(0.1), jit_compile=False)
    return model


def data(kind):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (N,) + IMAGE_SHAPE).astype("float32")
    return {"x": x, "y": rng.integers(0, CLASSES, N).astype("int32")} if kind == "cgan" else {"x": x}


def network_variables(model):
    return model.generator.weights + model.discriminator.weights


def weights(model):
    return [keras.ops.convert_to_numpy(v) for v in network_variables(model)]


@contextlib.contextmanager
def distributed(on):
    """Build and train under the scenario's distribution (or, with ``on=False``, without)."""
    if not on:
        yield
    elif SCENARIO == "data_parallel":
        keras.distribution.set_distribution(DISTRIBUTION)
        try:
            yield
        finally:
            keras.distribution.set_distribution(None)
    else:
        with DISTRIBUTION.scope():
            yield


BATCH_SHARDING = []


def spy_on_batch_sharding(model):
    """Record how the jitted step's batch is laid out over the devices."""
    import jax

    step = model.adversarial_step

    def spied(data):
        jax.debug.inspect_array_sharding(data, callback=lambda s: BATCH_SHARDING.append(str(s)))
        return step(data)

    model.adversarial_step = spied


def fit(kind, initial, on):
    with distributed(on):
        model = build(kind)
        if on and SCENARIO == "data_parallel":
            spy_on_batch_sharding(model)
        for variable, value in zip(network_variables(model), initial):
            variable.assign(value)
        history = model.fit(**data(kind), batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    return model, history.history


def compare(kind):
    BATCH_SHARDING.clear()
    initial = weights(build(kind))
    single, single_logs = fit(kind, initial, on=False)
    model, logs = fit(kind, initial, on=True)
    a, b = weights(single), weights(model)
    return {
        "replicas": replicas(),
        "weight_diff": max(float(np.abs(x - y).max()) for x, y in zip(a, b)),
        "moved": max(float(np.abs(x - y).max()) for x, y in zip(a, initial)),
        "loss_diff": max(abs(u - v) for name in single_logs for u, v in zip(single_logs[name], logs[name])),
        "logs": {name: [single_logs[name], logs[name]] for name in single_logs},
        "g_iterations": [int(keras.ops.convert_to_numpy(m.g_optimizer.iterations)) for m in (single, model)],
        "seed_state": [keras.ops.convert_to_numpy(m.seed_generator.state).tolist() for m in (single, model)],
        "batch_sharding": BATCH_SHARDING[-1] if BATCH_SHARDING else None,
    }


def replicas():
    if SCENARIO == "data_parallel":
        return len(DISTRIBUTION.device_mesh.devices.flatten())
    return DISTRIBUTION.num_replicas_in_sync


if __name__ == "__main__":
    print("RESULT " + json.dumps({kind: compare(kind) for kind in KINDS}), flush=True)
