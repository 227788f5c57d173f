"""Small real learning tasks for tests: the 8-mode Gaussian ring."""

import numpy as np

MODES = 8


def ring_centres(radius=2.0):
    angles = 2 * np.pi * np.arange(MODES) / MODES
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1).astype("float32")


def ring(n, seed=0, radius=2.0, std=0.02):
    """``n`` points from 8 Gaussians on a circle, with their mode index."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, MODES, n)
    points = ring_centres(radius)[labels] + rng.normal(0, std, (n, 2))
    return points.astype("float32"), labels.astype("int32")


def nearest_mode(points, radius=2.0):
    """Index of each point's nearest mode and its distance to it."""
    d = np.linalg.norm(points[:, None, :] - ring_centres(radius)[None], axis=-1)
    return d.argmin(axis=1), d.min(axis=1)


def modes_covered(points, radius=2.0, max_distance=0.3, min_share=0.02):
    """How many modes receive at least ``min_share`` of the points within ``max_distance``."""
    mode, distance = nearest_mode(points, radius)
    close = mode[distance < max_distance]
    counts = np.bincount(close, minlength=MODES)
    return int((counts >= min_share * len(points)).sum())


def ring_networks(hidden=128):
    """The WGAN papers' ring networks: a ReLU MLP generator (2-d noise) and a LeakyReLU(0.2)
    MLP critic, two hidden layers of ``hidden`` units each."""
    import keras

    from kgan import networks

    noise = keras.Input((2,))
    h = keras.layers.Dense(hidden, activation="relu")(noise)
    h = keras.layers.Dense(hidden, activation="relu")(h)
    generator = keras.Model(noise, keras.layers.Dense(2)(h))
    critic = networks.mlp_discriminator(input_shape=(2,), hidden_units=(hidden, hidden), dropout=0.0)
    return generator, critic
