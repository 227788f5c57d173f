"""Train a DCGAN on MNIST with plain Keras `fit`.

    python examples/train_dcgan_mnist.py --data ../shared/data/mnist.npz --epochs 5

Without --data the real Keras loader downloads MNIST. --steps limits the batches per epoch
(CI runs every example this way).
"""

import argparse

import kgan  # before Keras: oneDNN kernels on AVX2 CPUs too (README, "oneDNN")
import keras

from kgan import datasets, networks
from kgan.datasets import to_dataset


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="local mnist.npz (default: download with keras.datasets)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=None, help="batches per epoch (default: all)")
    parser.add_argument("--out", default="runs/example_dcgan")
    args = parser.parse_args()

    images, _ = datasets.load(args.data or "mnist")  # a local .npz, or the Keras download

    # Any generator/discriminator pair fits any algorithm; these are the DCGAN builders.
    gan = kgan.GAN(
        generator=networks.dcgan_generator(latent_dim=100, output_shape=(28, 28, 1), base_filters=32),
        discriminator=networks.dcgan_discriminator((28, 28, 1)),
        loss="non_saturating",
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    gan.fit(
        to_dataset(images, batch_size=64),
        epochs=args.epochs,
        steps_per_epoch=args.steps,
        callbacks=[
            kgan.callbacks.SampleGrid(f"{args.out}/samples"),   # a PNG grid per epoch
            keras.callbacks.ModelCheckpoint(f"{args.out}/gan.keras"),
        ],
    )
    print("samples in", f"{args.out}/samples", "- model in", f"{args.out}/gan.keras")


if __name__ == "__main__":
    main()
