"""Recipe (in training): celeba_dcgan v2, 64x64 faces.  ``python -m zoo.recipes.celeba_dcgan_v2``

What the CelebA ablation (bench/README.md, "Ablation") pointed to: today's recipe (DCGAN, 24 base
filters, batch-norm discriminator, non-saturating loss, label smoothing 0.1, Adam 2e-4 / 0.5,
batch 64, horizontal flips) keeps improving long past its 8 epochs -- FD in zoo.celeba_features
(2,000 samples) 32, 10.5, 5.6, 2.7 after 754, 1,520, 2,271 and 3,025 steps -- so v2 trains it for
60 epochs (14,700 steps) and adds
- resize-convolution upsampling in the generator (nearest UpSampling2D + 3x3 Conv2D): the
  transposed convolutions' checkerboard is what the judges saw in today's grid; on MNIST it led
  the ablation early (FD 61.6 against 75.7 after 3 CPU-minutes);
- a generator EMA (decay 0.999 from step 1,000), which costs nothing per step. With a
  batch-norm generator the average's moving statistics are copied from the raw generator, so
  ``runs/celeba_dcgan_v2/quality.csv`` logs the FD of both, raw and average, every 2 epochs,
  and the one that ships is the better of the two.

The registry's ``celeba_dcgan`` entry still builds the v1 (transposed-convolution) generator that
matches the shipped weights, so this recipe only trains (resumably: rerunning the same command
continues ``runs/celeba_dcgan_v2``). Publishing v2 is one step once the run has ended: switch that
entry to ``build_generator()`` here and call ``common.publish`` with the better generator.
CelebA is for non-commercial research only, and so are these weights.
"""

import os

import keras

import kgan
from kgan import networks
from kgan.datasets import load_npz, to_dataset
from zoo.recipes import common
from zoo.recipes.celeba_dcgan import face_quality


DECAY_EPOCHS = 10  # the learning rate falls linearly over the last 10 epochs


def build_generator():
    return networks.dcgan_generator(100, (64, 64, 3), base_filters=24, upsampling="resize",
                                    name="celeba_dcgan_generator")


def build(seed=0):
    keras.utils.set_random_seed(seed)
    gan = kgan.GAN(build_generator(), networks.dcgan_discriminator((64, 64, 3), base_filters=24),
                   loss="non_saturating", label_smoothing=0.1, ema_decay=0.999, ema_start=1000, seed=seed)
    gan.compile(g_optimizer=common.adam(2e-4), d_optimizer=common.adam(2e-4))
    return gan


class FaceCurve(keras.callbacks.Callback):
    """Every ``every`` epochs, FD (2,000 samples) and the MTCNN face detection rate (500 samples)
    of the EMA and of the raw generator, appended to ``quality.csv`` and ``faces_found.csv``."""

    def __init__(self, run_dir, faces, every=2):
        super().__init__()
        self.run_dir, self.every = run_dir, every
        self.quality = face_quality(faces, n=2000, detect=False)
        self.noise = kgan.latent.sample(500, 100, seed=0)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        from zoo.face_detection import detection_rate

        networks_ = (self.model.sampling_generator, self.model.generator)
        fd = [self.quality(g)["fd"] for g in networks_]
        found = [detection_rate(keras.ops.convert_to_numpy(g.predict(self.noise, verbose=0))) for g in networks_]
        append(os.path.join(self.run_dir, "quality.csv"), "epoch,fd_ema,fd_raw", f"{epoch + 1},{fd[0]:.4f},{fd[1]:.4f}")
        append(os.path.join(self.run_dir, "faces_found.csv"), "epoch,found_ema,found_raw",
               f"{epoch + 1},{found[0]:.3f},{found[1]:.3f}")
        print(f"[recipe] epoch {epoch + 1}: FD ema {fd[0]:.3f}, raw {fd[1]:.3f}; faces found ema "
              f"{found[0]:.1%}, raw {found[1]:.1%}", flush=True)


def append(path, header, row):
    new = not os.path.exists(path)
    with open(path, "a") as f:
        f.write(f"{header}\n" if new else "")
        f.write(row + "\n")


def main(argv=None):
    args = common.parse_args("celeba_dcgan_v2", epochs=50, data=common.DEFAULT_CELEBA, batch_size=64, argv=argv)
    faces, _ = load_npz(args.data)
    flip = keras.layers.RandomFlip("horizontal", seed=args.seed)
    dataset = to_dataset(faces, batch_size=args.batch_size, seed=args.seed).map(lambda x: flip(x, training=True))
    gan = build(args.seed)
    decay = common.LinearDecay(2e-4, start=args.epochs - DECAY_EPOCHS, end=args.epochs - 1)
    seconds = common.fit_resumable(gan, dataset, args, callbacks=[decay, FaceCurve(args.run_dir, faces)])
    if not args.no_publish:
        publish(gan, faces, seconds, args.run_dir)


def publish(gan, faces, seconds, run_dir):
    """Ship the better of the EMA and the raw generator (face detection rate on 5,000 samples,
    then FD) as the zoo's ``celeba_dcgan``."""
    quality = face_quality(faces)
    best, network, measured = common.better_generator(
        gan, quality, lambda figures: (figures["face_detection_rate"], -figures["fd"]))
    curve = [dict(row, **found) for row, found in zip(
        common.learning_curve(run_dir, "quality.csv", first_epoch=1), _found_by_epoch(run_dir))]
    common.publish("celeba_dcgan", network, quality, seconds, build=build_generator, curve=curve, run_dir=run_dir,
                   notes={"generator": best, "candidates": measured})


def _found_by_epoch(run_dir):
    """faces_found.csv's rows (logged from epoch 14 on) aligned to quality.csv's epochs."""
    found = {int(row["epoch"]) - 1: row for row in common.learning_curve(run_dir, "faces_found.csv", first_epoch=1)}
    return [{k: v for k, v in found.get(row["epoch"] - 1, {}).items() if k.startswith("found")}
            for row in common.learning_curve(run_dir, "quality.csv", first_epoch=1)]


if __name__ == "__main__":
    main()
