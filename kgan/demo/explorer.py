"""What the demo page computes, without the page: sample grids and interpolation strips of
a menu of generators, every input checked. Importable and testable without Gradio.

The menu is handed in (``Choice`` objects with a loader), so this module knows nothing of
the zoo: ``kgan demo`` builds the menu from ``zoo.list_models()``.

Conditioning: a conditional generator takes ``[noise, labels]`` (``_labels``, ``_generate``).
A model with InfoGAN codes would add its fields to ``Choice`` (how many categories, how many
continuous codes), its inputs in ``_generate`` and its controls in ``page.py``.
"""

import dataclasses
import hashlib
import numbers
import os
import tempfile
import threading

import numpy as np

from kgan import images, latent

MAX_GRID = 256  # images in one grid: well under a second here, still readable on a page
MAX_STEPS = 32  # images in one interpolation strip
MAX_SEED = 2**32 - 1


class DemoError(ValueError):
    """Input the page cannot serve; its message is shown in the page as it is."""


@dataclasses.dataclass(frozen=True)
class Choice:
    """One generator in the menu: ``load()`` returns a Keras generator, noise -> images in
    [-1, 1] (or ``[noise, labels] -> images`` when ``num_classes`` is set)."""

    name: str
    load: object
    num_classes: int | None = None
    note: str = ""  # shown under the menu: data, licence

    @property
    def conditional(self):
        return self.num_classes is not None


@dataclasses.dataclass
class _Loaded:
    model: object
    latent_dim: int


class Explorer:
    """Grids and strips for the generators in ``choices`` (loaded on first use, then kept)."""

    def __init__(self, choices, folder=None):
        self.choices = {c.name: c for c in choices}
        if not self.choices:
            raise ValueError("Explorer needs at least one generator to choose from.")
        self._loaded = {}
        self._lock = threading.Lock()
        self.folder = folder or tempfile.mkdtemp(prefix="kgan-demo-")

    @property
    def names(self):
        return list(self.choices)

    def choice(self, name):
        if name not in self.choices:
            raise DemoError(f"unknown model {name!r}; choose one of: {', '.join(self.choices)}")
        return self.choices[name]

    def generator(self, name):
        """The loaded generator ``name``; a model that fails to load raises DemoError."""
        choice = self.choice(name)
        with self._lock:  # one load at a time; a failed load is tried again next time
            if name not in self._loaded:
                try:
                    model = choice.load()
                    latent_dim = int(model.inputs[0].shape[-1])
                except Exception as error:
                    raise DemoError(f"model {name!r} could not be loaded ({type(error).__name__}: {error})") from None
                self._loaded[name] = _Loaded(model, latent_dim)
            return self._loaded[name]

    def grid(self, name, seed, n, digit=None, psi=1.0):
        """``n`` samples for ``seed`` as one uint8 grid image (H, W, C). A conditional model
        draws ``digit`` for every image, or (``None``) its classes in turn."""
        n = _integer(n, "grid size", 1, MAX_GRID)
        seed = _integer(seed, "seed", 0, MAX_SEED)
        choice, g = self.choice(name), self.generator(name)
        labels = _labels(choice, digit, np.arange(n))
        noise = _truncated(latent.sample(n, g.latent_dim, seed), psi)
        return images.make_grid(self._generate(g, noise, labels))

    def strip(self, name, seed_a, seed_b, steps, method="slerp", digit=None, psi=1.0):
        """``steps`` samples along the path from seed ``seed_a``'s noise to ``seed_b``'s, in one
        row; a conditional model with ``digit=None`` gets one row per class, on the same path."""
        steps = _integer(steps, "steps", 2, MAX_STEPS)
        seed_a = _integer(seed_a, "first seed", 0, MAX_SEED)
        seed_b = _integer(seed_b, "second seed", 0, MAX_SEED)
        if method not in latent.METHODS:
            raise DemoError(f"interpolation must be one of {', '.join(latent.METHODS)}, got {method!r}")
        choice, g = self.choice(name), self.generator(name)
        z0, z1 = latent.sample(1, g.latent_dim, seed_a)[0], latent.sample(1, g.latent_dim, seed_b)[0]
        try:
            path = latent.interpolate(z0, z1, steps, method=method)
        except ValueError as error:
            raise DemoError(str(error)) from None
        rows = choice.num_classes if choice.conditional and digit is None else 1
        labels = _labels(choice, digit, np.repeat(np.arange(rows), steps))
        noise = _truncated(np.tile(path, (rows, 1)), psi)
        return images.make_grid(self._generate(g, noise, labels), nrow=steps)

    def save_png(self, grid, stem="kgan-grid"):
        """Write a grid to this explorer's folder as PNG (named by its content); return the path."""
        digest = hashlib.sha256(np.ascontiguousarray(grid).tobytes()).hexdigest()[:16]
        return images.save_image(grid, os.path.join(self.folder, f"{stem}-{digest}.png"))

    @staticmethod
    def _generate(g, noise, labels):
        """Images in [-1, 1] from the generator's inputs: noise, and for a conditional model
        its labels. (InfoGAN's categorical and continuous codes would join the inputs here.)"""
        import keras

        out = g.model(noise if labels is None else [noise, labels], training=False)
        return keras.ops.convert_to_numpy(out).astype("float32")


def _labels(choice, digit, default):
    """A conditional model's labels: ``digit`` for every image, or ``default`` (classes
    counted modulo the model's). Other models take none and ignore ``digit``."""
    if not choice.conditional:
        return None
    if digit is None:
        return (default % choice.num_classes).astype("int32")
    digit = _integer(digit, "digit", 0, choice.num_classes - 1)
    return np.full(len(default), digit, "int32")


def _integer(value, what, low, high):
    """``value`` as an int in [low, high]; whole floats (what number boxes send) count."""
    if value is None:
        raise DemoError(f"{what} is empty; enter a whole number from {low} to {high}")
    whole = isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real) and float(value).is_integer())
    if whole and not isinstance(value, bool) and low <= value <= high:
        return int(value)
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    raise DemoError(f"{what} must be a whole number from {low} to {high}, got {shown}")


def _truncated(noise, psi):
    try:
        return latent.truncate(noise, psi)
    except ValueError:
        raise DemoError(f"truncation must be a number >= 0 (1 = none), got {psi!r}") from None
