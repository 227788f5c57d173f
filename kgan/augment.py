"""Differentiable augmentation of everything the discriminator sees (DiffAugment and ADA).

With little data a discriminator memorises the training images and the generator's signal
collapses. Augmenting *every* image the discriminator sees -- real and fake, in both the
discriminator and the generator update, with one family of differentiable transforms -- keeps
it from memorising without leaking the augmentations into the samples (Zhao et al. 2020,
"Differentiable Augmentation"; Karras et al. 2020, "Training GANs with Limited Data").

- ``DiffAugment("color,translation,cutout")``: every transform of the policy on every image,
  as DiffAugment: brightness (+U(-0.5, 0.5)), saturation (x U(0, 2)), contrast (x U(0.5, 1.5)),
  translation by up to 1/8 of the side (zero fill), cutout of a square of half the side.
  Names: ``color`` (= brightness, saturation, contrast), ``translation``, ``cutout`` and the
  three colour transforms alone. As in the paper, colour results are not clipped to [-1, 1]
  (clipping would cut the gradient of saturated pixels).
- ``AdaptiveAugment()`` (``augment="ada"``): the same transforms, each applied to an image with
  probability ``p``; every ``interval`` discriminator updates ``p`` moves by
  ``sign(r_t - target) * images / speed`` where ``r_t = E[sign(D(real))]`` is how confidently
  the discriminator calls the real images real (ADA's overfitting heuristic, target 0.6).

Everything is ``keras.ops`` with the model's seed generator, so it means the same on every
backend, is differentiable, and a resumed run draws the same augmentations.
"""

import keras
from keras import ops

COLOR = ("brightness", "saturation", "contrast")
TRANSFORMS = COLOR + ("translation", "cutout")
GROUPS = {"color": COLOR}


def parse_policy(policy):
    """``"color,translation,cutout"`` -> the transform names, in the canonical order."""
    names = [n.strip() for n in str(policy).split(",") if n.strip()]
    valid = f"valid names: {', '.join(('ada', 'color') + TRANSFORMS)} (comma-separated), a callable or a Keras layer"
    if not names:
        raise ValueError(f"An augmentation policy names at least one transform; got {policy!r}; {valid}.")
    chosen = set()
    for name in names:
        if name in GROUPS:
            chosen.update(GROUPS[name])
        elif name in TRANSFORMS:
            chosen.add(name)
        else:
            raise ValueError(f"Unknown augmentation {name!r} in {policy!r}; {valid}.")
    return tuple(t for t in TRANSFORMS if t in chosen)


# ------------------------------------------------------------------ transforms (images in [-1, 1])
def _uniform(x, seed, *shape):
    return keras.random.uniform((ops.shape(x)[0],) + shape, seed=seed, dtype=x.dtype)


def brightness(x, seed):
    return x + (_uniform(x, seed, 1, 1, 1) - 0.5)


def saturation(x, seed):
    mean = ops.mean(x, axis=-1, keepdims=True)
    return (x - mean) * (_uniform(x, seed, 1, 1, 1) * 2.0) + mean


def contrast(x, seed):
    mean = ops.mean(x, axis=(1, 2, 3), keepdims=True)
    return (x - mean) * (_uniform(x, seed, 1, 1, 1) + 0.5) + mean


def _shift_matrix(size, shift, dtype):
    """(batch, size, size) one-hot rows: row i picks source i + shift (none when outside)."""
    rows = ops.arange(size)[None, :, None] + ops.cast(shift, "int32")[:, None, None]
    return ops.cast(ops.equal(rows, ops.arange(size)[None, None, :]), dtype)


def translation(x, seed, ratio=0.125):
    """Integer shifts in [-s, s] per image and axis, s = round(ratio * side); zero fill."""
    height, width = x.shape[1], x.shape[2]
    sy, sx = int(height * ratio + 0.5), int(width * ratio + 0.5)
    ty = ops.floor(_uniform(x, seed) * (2 * sy + 1)) - sy
    tx = ops.floor(_uniform(x, seed) * (2 * sx + 1)) - sx
    x = ops.einsum("bij,bjwc->biwc", _shift_matrix(height, ty, x.dtype), x)
    return ops.einsum("bkl,bilc->bikc", _shift_matrix(width, tx, x.dtype), x)


def _band(size, cut, seed, x):
    """(batch, size): 1 inside a band of width ``cut`` at a random offset (clipped to the image)."""
    offset = ops.floor(_uniform(x, seed) * (size + 1 - cut % 2)) - cut // 2
    index = ops.cast(ops.arange(size), x.dtype)[None, :]
    return ops.cast(ops.logical_and(index >= offset[:, None], index < offset[:, None] + cut), x.dtype)


def cutout(x, seed, ratio=0.5):
    """Zero a square of ``ratio`` times the side at a random position per image."""
    height, width = x.shape[1], x.shape[2]
    rows = _band(height, int(height * ratio + 0.5), seed, x)
    cols = _band(width, int(width * ratio + 0.5), seed, x)
    return x * (1.0 - rows[:, :, None, None] * cols[:, None, :, None])


_FUNCTIONS = {"brightness": brightness, "saturation": saturation, "contrast": contrast,
              "translation": translation, "cutout": cutout}


def apply_policy(images, transforms, seed, probability=None):
    """Apply each transform in turn; with ``probability``, each image takes each transform
    with that probability (ADA), otherwise always (DiffAugment)."""
    x = images
    for name in transforms:
        y = _FUNCTIONS[name](x, seed)
        if probability is not None:
            chosen = _uniform(x, seed, 1, 1, 1) < ops.cast(probability, x.dtype)
            y = ops.where(chosen, y, x)
        x = y
    return x


# ------------------------------------------------------------------ layers a model holds
@keras.saving.register_keras_serializable(package="kgan")
class DiffAugment(keras.layers.Layer):
    """DiffAugment: ``policy`` applied to every image, e.g. ``"color,translation,cutout"``."""

    adaptive = False

    def __init__(self, policy="color,translation,cutout", **kwargs):
        super().__init__(**kwargs)
        self.transforms = parse_policy(policy)
        self.policy = ",".join(self.transforms)
        self.built = True  # no weights of its own; fit must not build it on a data batch

    def call(self, images, seed_generator=None):
        return apply_policy(images, self.transforms, seed_generator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "policy": self.policy}


@keras.saving.register_keras_serializable(package="kgan")
class AdaptiveAugment(DiffAugment):
    """ADA: the policy's transforms, each applied with a probability ``p`` tuned in training.

    Args:
        policy: the transforms (as ``DiffAugment``).
        target: the wanted ``E[sign(D(real))]``; above it the discriminator is overfitting and
            ``p`` rises, below it ``p`` falls (0.6 in the paper).
        interval: discriminator updates between adjustments (4 in the paper).
        speed: real images over which ``p`` can move from 0 to 1 (500k in the paper, sized
            for millions of images; 100k suits a CPU budget of a few epochs).
        initial_p: the starting probability.

    The sign statistic assumes logits whose sign means real/fake (non-saturating, minimax,
    hinge losses); a Wasserstein critic's outputs have no such zero.
    """

    adaptive = True

    def __init__(self, policy="color,translation,cutout", target=0.6, interval=4, speed=100_000,
                 initial_p=0.0, **kwargs):
        super().__init__(policy, **kwargs)
        if not 0.0 <= target <= 1.0:
            raise ValueError(f"target must be in [0, 1], got {target!r}.")
        if int(interval) != interval or interval < 1:
            raise ValueError(f"interval must be an integer >= 1, got {interval!r}.")
        if not speed > 0:
            raise ValueError(f"speed must be > 0 (images), got {speed!r}.")
        if not 0.0 <= initial_p <= 1.0:
            raise ValueError(f"initial_p must be in [0, 1], got {initial_p!r}.")
        self.target, self.interval, self.speed = float(target), int(interval), float(speed)
        self.initial_p = float(initial_p)
        self.p = self.add_weight(shape=(), initializer=keras.initializers.Constant(self.initial_p),
                                 trainable=False, name="p")
        self.sign_sum = self.add_weight(shape=(), initializer="zeros", trainable=False, name="sign_sum")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps")
        self.built = True

    def call(self, images, seed_generator=None):
        return apply_policy(images, self.transforms, seed_generator, probability=self.p)

    def update(self, real_logits):
        """Record one discriminator update's real logits; every ``interval`` updates adjust p."""
        real_logits = ops.cast(real_logits, "float32")
        p = ops.convert_to_tensor(self.p)
        sign_sum = ops.convert_to_tensor(self.sign_sum) + ops.mean(ops.sign(real_logits))
        steps = ops.convert_to_tensor(self.steps) + 1.0
        due = steps >= self.interval
        r_t = sign_sum / steps
        images = ops.cast(ops.shape(real_logits)[0], "float32") * self.interval
        moved = ops.clip(p + ops.sign(r_t - self.target) * images / self.speed, 0.0, 1.0)
        self.p.assign(ops.where(due, moved, p))
        self.sign_sum.assign(ops.where(due, 0.0, sign_sum))
        self.steps.assign(ops.where(due, 0.0, steps))

    def get_config(self):
        return {**super().get_config(), "target": self.target, "interval": self.interval,
                "speed": self.speed, "initial_p": self.initial_p}


def get(augment):
    """The model's augmentation from its ``augment=`` argument: None, a policy string,
    ``"ada"``, a kgan augmentation layer, any other Keras layer or a callable."""
    if augment is None:
        return None
    if isinstance(augment, str):
        if augment.strip().lower() in ("", "none"):
            return None
        if augment.strip().lower() == "ada":
            return AdaptiveAugment()
        return DiffAugment(augment)
    if isinstance(augment, dict):  # a serialized layer, from get_config
        return keras.saving.deserialize_keras_object(augment)
    if callable(augment):
        return augment
    raise ValueError(f"augment must be None, a policy such as 'color,translation,cutout', 'ada', a Keras "
                     f"layer or a callable; got {augment!r}.")


def apply(augmentation, images, seed_generator):
    """Augment a batch the discriminator is about to see."""
    if isinstance(augmentation, DiffAugment):
        return augmentation(images, seed_generator=seed_generator)
    if isinstance(augmentation, keras.layers.Layer):
        return augmentation(images, training=True)
    return augmentation(images)


def serialize(augmentation):
    """``augment`` for ``get_config``: the policy string, or the serialized layer/function."""
    if augmentation is None:
        return None
    if type(augmentation) is DiffAugment:
        return augmentation.policy
    return keras.saving.serialize_keras_object(augmentation)


__all__ = ["AdaptiveAugment", "DiffAugment", "apply", "apply_policy", "brightness", "contrast", "cutout", "get",
           "parse_policy", "saturation", "serialize", "translation"]
