"""Resident memory across epochs: does training the 64x64 DCGAN leak?

    python bench/memory.py                 # 2048 CelebA faces, 5 epochs, batch 128 (minutes)
    python bench/memory.py --quick         # smoke run: 256 faces, 8 base filters, batch 32, 2 epochs
    python bench/memory.py --backend jax   # the same on another Keras backend

Trains ``kgan.GAN`` on ``dcgan_generator(100, (64, 64, 3))`` / ``dcgan_discriminator((64, 64,
3))`` with a slice of ``../shared/data/celeba64_15722.npz`` (uint8, scaled to [-1, 1]) fed as
kgan's shuffled tf.data pipeline, and prints the process's resident set size (RSS) after
model building and after every epoch, then the growth from the end of epoch 1 to the end
of the last (epoch 1 includes tracing and optimizer state; what comes after it is what a
long run accumulates). RSS comes from psutil where installed, else /proc/self/status.
"""

import argparse
import gc
import os
import pathlib
import sys
import time

DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "celeba64_15722.npz"


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=None, help="training images (default 2048; quick 256)")
    parser.add_argument("--epochs", type=int, default=None, help="epochs (default 5; quick 2)")
    parser.add_argument("--batch-size", type=int, default=None, help="global batch (default 128; quick 32)")
    parser.add_argument("--base-filters", type=int, default=None, help="DCGAN width (default 64; quick 8)")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (figures not meaningful)")
    parser.add_argument("--backend", choices=("tensorflow", "jax", "torch"), default="tensorflow")
    parser.add_argument("--data", default=str(DATA), help="a .npz with uint8 'images' of shape (n, 64, 64, 3)")
    args = parser.parse_args(argv)
    defaults = dict(images=256, epochs=2, batch_size=32, base_filters=8) if args.quick else dict(
        images=2048, epochs=5, batch_size=128, base_filters=64
    )
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be >= 1, got {getattr(args, name)}")
    if args.images < args.batch_size:
        parser.error(f"--images {args.images} is smaller than one batch (--batch-size {args.batch_size})")
    return args


ARGS = parse()
os.environ["KERAS_BACKEND"] = ARGS.backend
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kgan  # noqa: E402
from kgan import datasets, images, networks  # noqa: E402


def rss_mib():
    """Resident set size of this process in MiB."""
    gc.collect()
    try:
        import psutil
    except ImportError:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("cannot read RSS: psutil is not installed and /proc/self/status has no VmRSS")
    return psutil.Process().memory_info().rss / 2**20


class RSSLogger(keras.callbacks.Callback):
    """Prints RSS after every epoch and keeps the figures."""

    def __init__(self):
        super().__init__()
        self.rss, self.start = [], time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.rss.append(rss_mib())
        elapsed, self.start = time.perf_counter() - self.start, time.perf_counter()
        print(f"epoch {epoch + 1}: RSS {self.rss[-1]:8.1f} MiB   ({elapsed:5.1f} s, g_loss {logs['g_loss']:.3f})",
              flush=True)


def load_faces(path, n):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"CelebA file {path!r} not found (expected the project's ../shared/data).")
    with np.load(path) as data:
        faces = data["images"]
        if n > len(faces):
            raise ValueError(f"--images {n} exceeds the {len(faces)} faces in {path!r}.")
        return images.from_uint8(faces[:n])


def main():
    print(f"backend {keras.backend.backend()}, {ARGS.images} images, {ARGS.epochs} epochs, "
          f"batch {ARGS.batch_size}, base filters {ARGS.base_filters}", flush=True)
    print(f"start:        RSS {rss_mib():8.1f} MiB", flush=True)
    faces = load_faces(ARGS.data, ARGS.images)
    dataset = datasets.to_dataset(faces, batch_size=ARGS.batch_size, seed=0)
    print(f"data loaded:  RSS {rss_mib():8.1f} MiB  ({faces.nbytes / 2**20:.1f} MiB of float32 faces)", flush=True)
    keras.utils.set_random_seed(0)
    gan = kgan.GAN(
        networks.dcgan_generator(100, (64, 64, 3), base_filters=ARGS.base_filters),
        networks.dcgan_discriminator((64, 64, 3), base_filters=ARGS.base_filters),
    )
    gan.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    print(f"model built:  RSS {rss_mib():8.1f} MiB  ({gan.count_params():,} parameters)", flush=True)
    logger = RSSLogger()
    gan.fit(dataset, epochs=ARGS.epochs, callbacks=[logger], shuffle=False, verbose=0)  # shuffled by tf.data
    growth = logger.rss[-1] - logger.rss[0]
    epochs = len(logger.rss) - 1
    per_epoch = f" ({growth / epochs:+.1f} MiB/epoch)" if epochs else ""
    print(f"growth epoch 1 -> {len(logger.rss)}: {growth:+.1f} MiB{per_epoch}; after-epoch RSS ranged "
          f"{min(logger.rss):.1f}-{max(logger.rss):.1f} MiB",
          flush=True)


if __name__ == "__main__":
    main()
