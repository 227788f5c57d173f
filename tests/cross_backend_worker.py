"""Subprocess half of test_cross_backend.py: runs on the backend named by KERAS_BACKEND.

    python -m tests.cross_backend_worker save DIR   # train briefly, write DIR/<backend>_<kind>.keras
    python -m tests.cross_backend_worker load DIR   # load every .keras in DIR, write its samples
"""

import json
import pathlib
import sys

import keras
import numpy as np

import kgan
from kgan import networks

KINDS = ("gan", "cgan", "wgangp")
SHAPE, LATENT, CLASSES = (28, 28, 1), 16, 10


def build(kind):
    """Small DCGAN models: convolutions, transposed convolutions, BatchNorm, embeddings."""
    if kind == "cgan":
        g = networks.conditional_dcgan_generator(LATENT, CLASSES, SHAPE, base_filters=8)
        d = networks.conditional_dcgan_discriminator(SHAPE, CLASSES, base_filters=8)
        model = kgan.ConditionalGAN(g, d, num_classes=CLASSES, seed=3)
    else:
        g = networks.dcgan_generator(LATENT, SHAPE, base_filters=8)
        if kind == "wgangp":
            model = kgan.WGANGP(g, networks.dcgan_discriminator(SHAPE, base_filters=8, normalization="layer"),
                                n_critic=2, seed=3)
        else:
            model = kgan.GAN(g, networks.dcgan_discriminator(SHAPE, base_filters=8), seed=3)
    model.compile(g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
                  d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    return model


def samples(model):
    labels = np.arange(16) % CLASSES if isinstance(model, kgan.ConditionalGAN) else None
    return np.asarray(model.generate(16, labels=labels, seed=7))


def save(folder):
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (64,) + SHAPE).astype("float32")
    labels = rng.integers(0, CLASSES, 64).astype("int32")
    for kind in KINDS:
        keras.utils.set_random_seed(0)
        model = build(kind)
        # 16 real images per discriminator update: 4 steps, or 2 with WGAN-GP's n_critic=2.
        model.fit(images, labels if kind == "cgan" else None, batch_size=16, epochs=1, verbose=0, shuffle=False)
        stem = folder / f"{keras.backend.backend()}_{kind}"
        model.save(f"{stem}.keras")
        np.save(f"{stem}.npy", samples(model))


def load(folder):
    report = {}
    for path in sorted(folder.glob("*.keras")):
        model = keras.saving.load_model(path)
        expected = np.load(path.with_suffix(".npy"))
        report[path.stem] = {
            "max_abs_diff": float(np.max(np.abs(samples(model) - expected))),
            "g_iterations": int(keras.ops.convert_to_numpy(model.g_optimizer.iterations)),
            "d_iterations": int(keras.ops.convert_to_numpy(model.d_optimizer.iterations)),
        }
    (folder / f"loaded_on_{keras.backend.backend()}.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    {"save": save, "load": load}[sys.argv[1]](pathlib.Path(sys.argv[2]))
