"""The growth schedule of a progressive GAN: how many images each stage trains on, and its batch.

Training counts real images shown to the discriminator (as the paper does). Stage 0 trains
the 4x4 networks for ``stable_images[4]`` images. Every later stage first fades its new block
in over ``fade_images[r]`` images -- alpha rises linearly from 0 to 1, alpha of a step being
``(images before it - start of the fade) / fade_images[r]`` -- then trains it alone for
``stable_images[r]`` images. Each stage has its own batch size. After the last scheduled
phase training goes on at the final resolution. Stages change between steps, so every phase
must be a whole number of its stage's batches; then each transition happens at exactly the
scheduled image count.
"""

import numbers
from typing import NamedTuple, Optional

import keras
from keras import ops

from kgan.networks.progressive import check_resolution, resolutions_up_to


class Phase(NamedTuple):
    """One phase of the schedule: a stage fading in or training stably."""

    stage: int  # 0 for 4x4
    resolution: int
    fading: bool
    start: int  # images seen when it begins
    length: Optional[int]  # images; None for the open-ended last phase
    batch_size: int

    @property
    def key(self):
        """What a compiled train step depends on: the stage and whether it fades in."""
        return self.stage, self.fading

    def alpha(self, images):
        """Fade-in weight of a step that begins after ``images`` images (Python float)."""
        if not self.fading:
            return 1.0
        return min(1.0, max(0.0, (images - self.start) / self.length))

    def alpha_tensor(self, images):
        """``alpha`` of an integer tensor, in ``keras.ops`` (float32)."""
        if not self.fading:
            return ops.convert_to_tensor(1.0, "float32")
        elapsed = ops.cast(ops.cast(images, "int32") - self.start, "float32")
        return ops.clip(elapsed / float(self.length), 0.0, 1.0)


@keras.saving.register_keras_serializable(package="kgan")
class ProgressiveSchedule:
    """Images per phase and batch size per stage, from 4x4 up to ``resolution``.

    Args:
        resolution: final image side, a power of two >= 4.
        stable_images: images each stage trains without fade-in (the last stage's value is what
            ``total_images`` counts; training may go on beyond it). An int for every stage, a
            sequence (one per resolution from 4x4 up) or a dict by resolution.
        fade_images: images over which each stage above 4x4 fades in; an int, a sequence (one
            per resolution from 8x8 up) or a dict by resolution. 0 switches abruptly.
        batch_size: real images per step in each stage; an int, a sequence or a dict.

    The defaults follow the paper (800k images per phase, batch 16). Each phase must be a
    multiple of its stage's batch size.
    """

    def __init__(self, resolution=64, stable_images=800_000, fade_images=800_000, batch_size=16):
        self.resolution = check_resolution(resolution, fn="ProgressiveSchedule")
        self.resolutions = resolutions_up_to(self.resolution)
        self.batch_size = _per_resolution(batch_size, "batch_size", self.resolutions, minimum=1)
        self.stable_images = _per_resolution(stable_images, "stable_images", self.resolutions, minimum=0)
        self.fade_images = _per_resolution(fade_images, "fade_images", self.resolutions[1:], minimum=0)
        self.phases = self._phases()

    def _phases(self):
        phases, start = [], 0
        for stage, r in enumerate(self.resolutions):
            batch = self.batch_size[r]
            for fading, name in ((True, "fade_images"), (False, "stable_images")):
                table = self.fade_images if fading else self.stable_images
                if fading and stage == 0:
                    continue
                length = table[r]
                if length % batch:
                    lower, higher = length - length % batch, length - length % batch + batch
                    raise ValueError(
                        f"ProgressiveSchedule: {name}[{r}]={length} is not a multiple of batch_size[{r}]={batch}: "
                        f"stages change between steps, so each phase is a whole number of batches "
                        f"(e.g. {lower or higher} or {higher})."
                    )
                if length or (r == self.resolution and not fading):
                    phases.append(Phase(stage, r, fading, start, length, batch))
                start += length
        last = phases[-1]
        phases[-1] = last._replace(length=None)  # training goes on at the final resolution
        self.total_images = start
        return tuple(phases)

    @property
    def total_steps(self):
        """Training steps (generator updates) over all scheduled images."""
        steps = sum(p.length // p.batch_size for p in self.phases[:-1])
        return steps + self.stable_images[self.resolution] // self.batch_size[self.resolution]

    def phase_at(self, images):
        """The phase of a step that begins after ``images`` images."""
        images = int(images)
        if images < 0:
            raise ValueError(f"images must be >= 0, got {images}.")
        return [p for p in self.phases if p.start <= images][-1]

    def state_at(self, images):
        """``(stage, alpha)`` of a step beginning after ``images`` (an integer tensor), in
        ``keras.ops``: int32 and float32 scalars."""
        images = ops.cast(images, "int32")
        starts = ops.convert_to_tensor([p.start for p in self.phases], "int32")
        index = ops.sum(ops.cast(ops.greater_equal(images, starts), "int32")) - 1
        take = lambda values, dtype: ops.take(ops.convert_to_tensor(values, dtype), index)  # noqa: E731
        start = take([p.start for p in self.phases], "int32")
        length = take([max(1, p.length or 1) for p in self.phases], "float32")
        fading = take([p.fading for p in self.phases], "bool")
        ramp = ops.clip(ops.cast(images - start, "float32") / length, 0.0, 1.0)
        return take([p.stage for p in self.phases], "int32"), ops.where(fading, ramp, 1.0)

    def get_config(self):
        return {
            "resolution": self.resolution,
            "stable_images": [self.stable_images[r] for r in self.resolutions],
            "fade_images": [self.fade_images[r] for r in self.resolutions[1:]],
            "batch_size": [self.batch_size[r] for r in self.resolutions],
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, ProgressiveSchedule) and self.get_config() == other.get_config()

    def __repr__(self):
        config = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"ProgressiveSchedule({config})"


def _per_resolution(value, name, resolutions, minimum):
    """An int, a sequence aligned with ``resolutions`` or a dict by resolution -> {r: int}."""
    if isinstance(value, dict):
        table = {int(r): v for r, v in value.items()}
        missing = [r for r in resolutions if r not in table]
        if missing:
            raise ValueError(f"ProgressiveSchedule: {name} has no value for resolution(s) {missing}; got {value!r}.")
    elif isinstance(value, (list, tuple)):
        if len(value) != len(resolutions):
            raise ValueError(f"ProgressiveSchedule: {name} needs one value per resolution {resolutions}, "
                             f"got {len(value)}: {value!r}.")
        table = dict(zip(resolutions, value))
    else:
        table = {r: value for r in resolutions}
    for r in resolutions:
        v = table[r]
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < minimum:
            raise ValueError(f"ProgressiveSchedule: {name}[{r}] must be an integer >= {minimum}, got {v!r}.")
    return {r: int(table[r]) for r in resolutions}


__all__ = ["Phase", "ProgressiveSchedule"]
