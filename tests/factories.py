"""Small, fast models and data for tests of the training algorithms."""

import keras
import numpy as np

import kgan
from kgan import networks

IMAGE_SHAPE = (4, 4, 1)
LATENT = 3
CLASSES = 3


def images(n=64, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n,) + IMAGE_SHAPE).astype("float32")


def labels(n=64, seed=0):
    return np.random.default_rng(seed).integers(0, CLASSES, n).astype("int32")


def optimizers():
    return {"g_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5), "d_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5)}


def make(kind, compile=True, **kwargs):
    """A tiny compiled model of ``kind`` ('gan', 'cgan' or 'wgangp') on 4x4x1 images."""
    if kind == "cgan":
        g = networks.conditional_mlp_generator(LATENT, CLASSES, IMAGE_SHAPE, hidden_units=(16,), embedding_dim=2)
        d = networks.conditional_mlp_discriminator(IMAGE_SHAPE, CLASSES, hidden_units=(16,), embedding_dim=2, dropout=0.0)
        model = kgan.ConditionalGAN(g, d, num_classes=CLASSES, **kwargs)
    else:
        g = networks.mlp_generator(LATENT, IMAGE_SHAPE, hidden_units=(16,), batch_norm=True)
        d = networks.mlp_discriminator(IMAGE_SHAPE, hidden_units=(16,), dropout=0.0)
        model = kgan.WGANGP(g, d, **kwargs) if kind == "wgangp" else kgan.GAN(g, d, **kwargs)
    if compile:
        model.compile(**optimizers())
    return model


def data(kind, n=64, seed=0):
    """``fit`` keyword arguments for ``kind``."""
    if kind == "cgan":
        return {"x": images(n, seed), "y": labels(n, seed)}
    return {"x": images(n, seed)}


def all_weights(model):
    return [keras.ops.convert_to_numpy(v) for v in model.variables]


def optimizer_state(model):
    return [keras.ops.convert_to_numpy(v) for opt in (model.g_optimizer, model.d_optimizer) for v in opt.variables]


def numpy(x):
    return keras.ops.convert_to_numpy(x)


def linear_pair(latent=LATENT):
    """``G(z) = z W`` onto 4x4x1 images and ``D(x) = x . v + b``: gradients in closed form."""
    g = keras.Sequential([keras.Input((latent,)), keras.layers.Dense(16, use_bias=False), keras.layers.Reshape((4, 4, 1))])
    d = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    return g, d


def training_calls(model, x, n):
    """`n` calls of `model` with training=True: one SpectralNormalization power iteration (and
    kernel renormalisation) each.

    Called eagerly on JAX, SpectralNormalization's `ops.cond` compiles a new `lax.cond` per
    layer per call (~0.15 s); with jit disabled it is a plain branch (inside `fit`'s jitted
    step it is compiled once). The computation is the same either way.
    """
    import contextlib

    fast = contextlib.nullcontext()
    if keras.backend.backend() == "jax":
        import jax

        fast = jax.disable_jit()
    with fast:
        for _ in range(n):
            model(x, training=True)


def largest_singular_value(kernel):
    """Largest singular value of a kernel seen as a (fan_in, out_channels) matrix: the spectral
    norm SpectralNormalization bounds."""
    kernel = keras.ops.convert_to_numpy(kernel)
    return np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
