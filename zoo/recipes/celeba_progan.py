"""Recipe (not yet trained): celeba_progan, 64x64 faces grown from 4x4.  ``python -m zoo.recipes.celeba_progan``

Progressive growing (Karras et al. 2018) as the paper trains it -- WGAN-GP (lambda 10) with the
drift term (0.001), pixel norm, minibatch stddev (groups of 4), equalised learning rate,
Adam(1e-3, beta_1=0, beta_2=0.99) for both networks, generator EMA 0.999, mirrored faces -- with
narrow networks and a short schedule for a 2-core CPU:

- widths 128, 128, 64, 32, 16 feature maps at 4, 8, 16, 32, 64 (the paper: 512 ... 256), noise 128;
- images per phase (k = 1,000 real images; every stage above 4x4 fades in, then trains alone):

      4x4: 64k | 8x8: 80k + 80k | 16x16: 112k + 112k | 32x32: 96k + 96k | 64x64: 96k + 128k

  with batch 64 up to 16x16 and 32 at 32x32 and 64x64: 864k images, 20,000 steps. Most images go
  to the cheap resolutions (448k at 16x16 and below, 640k at 32x32 and below), most of the time
  to the last two. Measured on the 2-core machine while other jobs kept its load at 5-8 (a dozen
  or two steps per phase, TensorFlow): about 1.7, 7-13, 17-19, 31-36 and 53-55 s per 1k images at
  4, 8, 16, 32 and 64 with the library's default (no XLA), 1.3, 7-8, 12-17, 22 and 44-57 with
  ``jit_compile=True``; about 6.5 h for the schedule at the first rates. An idle machine will be
  faster, by how much is not measured. The paper gives every phase
  800k images at batch 16 (about 12 M images to 64x64 and beyond).

An epoch is 500 steps (32k images at the first stage's batch); 40 epochs cover the schedule.
Rerunning the same command resumes ``runs/celeba_progan`` mid-stage, at the same fade-in alpha
(BackupAndRestore keeps the image count). Once training is at 64x64 the run dir's
``quality.csv`` logs the FD of the EMA generator in ``zoo.celeba_features`` (2,000 samples)
every 4 epochs. The zoo has no ``celeba_progan`` entry yet: publishing is one step once a run
has ended (a registry entry building ``networks.progressive.generator_at(build_generator(), 64)``
and ``common.publish`` with ``model.sampling_generator``, the same plain network). CelebA is for
non-commercial research only, and so are these weights.
"""

import os

import keras
import numpy as np

import kgan
from kgan import networks
from kgan.datasets import load_npz
from zoo.recipes import common

LATENT = 128
FILTERS = (128, 128, 64, 32, 16)
STEPS_PER_EPOCH = 500
SCHEDULE = dict(
    resolution=64,
    stable_images={4: 64_000, 8: 80_000, 16: 112_000, 32: 96_000, 64: 128_000},
    fade_images={8: 80_000, 16: 112_000, 32: 96_000, 64: 96_000},
    batch_size={4: 64, 8: 64, 16: 64, 32: 32, 64: 32},
)


def build_generator():
    """The progressive generator; ``model.generator_at(64)`` is the plain network that ships."""
    return networks.progressive_generator(LATENT, 64, 3, filters=FILTERS, name="celeba_progan_generator")


def build(seed=0, schedule=None):
    keras.utils.set_random_seed(seed)
    schedule = kgan.ProgressiveSchedule(**(schedule or SCHEDULE))
    gan = kgan.ProgressiveGAN(build_generator(), networks.progressive_discriminator(64, 3, filters=FILTERS),
                              schedule=schedule, loss="wasserstein", gp_weight=10.0, drift_weight=0.001,
                              ema_decay=0.999, seed=seed)
    gan.compile(g_optimizer=common.adam(1e-3, beta_1=0.0, beta_2=0.99),
                d_optimizer=common.adam(1e-3, beta_1=0.0, beta_2=0.99))
    return gan


def epochs_for(schedule, steps_per_epoch=STEPS_PER_EPOCH):
    return -(-schedule.total_steps // steps_per_epoch)


class FinalResolutionCurve(keras.callbacks.Callback):
    """Every ``every`` epochs at the final resolution, FD (2,000 samples) of the sampling generator."""

    def __init__(self, path, faces, every=4):
        super().__init__()
        from zoo.recipes.common import face_quality

        self.path, self.every = path, every
        self.quality = face_quality(faces, n=2000, detect=False)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every or self.model.resolution != self.model.schedule.resolution:
            return
        fd = self.quality(self.model.sampling_generator)["fd"]
        new = not os.path.exists(self.path)
        with open(self.path, "a") as f:
            f.write("epoch,kimg,fd_ema\n" if new else "")
            f.write(f"{epoch + 1},{self.model.images_seen / 1000:.0f},{fd:.4f}\n")
        print(f"[recipe] epoch {epoch + 1}: FD ema {fd:.3f}", flush=True)


def main(argv=None):
    schedule = kgan.ProgressiveSchedule(**SCHEDULE)
    args = common.parse_args("celeba_progan", epochs=epochs_for(schedule), data=common.DEFAULT_CELEBA,
                             batch_size=SCHEDULE["batch_size"][4], argv=argv)
    if args.batch_size != SCHEDULE["batch_size"][4]:
        raise SystemExit(f"celeba_progan takes its batch sizes from its schedule ({SCHEDULE['batch_size']}); "
                         f"got --batch-size {args.batch_size}.")
    args.steps_per_epoch = args.steps_per_epoch or STEPS_PER_EPOCH
    faces, _ = load_npz(args.data)
    reference = faces[:2000].copy()
    faces = np.concatenate([faces, faces[:, :, ::-1]])  # the paper's mirror augmentation
    gan = build(args.seed)
    curve = FinalResolutionCurve(os.path.join(args.run_dir, "quality.csv"), reference)
    common.fit_resumable(gan, faces, args, callbacks=[curve])
    print(f"[recipe] trained to {gan.images_seen:,} images ({gan.resolution}x{gan.resolution}); publishing is the "
          "next step", flush=True)


if __name__ == "__main__":
    main()
