"""Train a conditional GAN on MNIST, then draw a grid of one digit you ask for.

    python examples/train_cgan_mnist.py --data ../shared/data/mnist.npz --epochs 10 --digit 7

Without --data the Keras loader downloads MNIST. --steps limits the batches per epoch (CI
runs every example that way).
"""

import argparse
import os

import kgan  # before Keras: oneDNN kernels on AVX2 CPUs too (README, "oneDNN")
import keras

from kgan import datasets, networks
from kgan.datasets import to_dataset
from kgan.images import save_grid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="local mnist.npz (default: download with keras.datasets)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--steps", type=int, default=None, help="batches per epoch (default: all)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--digit", type=int, default=7, help="the class to draw after training")
    parser.add_argument("--out", default="runs/example_cgan")
    args = parser.parse_args()

    images, labels = datasets.load(args.data or "mnist")  # a local .npz, or the Keras download; int32 labels

    # The conditional builders take the labels as a second input: generator([noise, labels]),
    # discriminator([images, labels]). Labels are plain integers of shape (batch,).
    gan = kgan.ConditionalGAN(
        generator=networks.conditional_dcgan_generator(100, num_classes=10, output_shape=(28, 28, 1), base_filters=32),
        discriminator=networks.conditional_dcgan_discriminator((28, 28, 1), num_classes=10),
        num_classes=10,
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    # A dataset of (images, labels) pairs; fit(x=images, y=labels) works just as well.
    gan.fit(
        to_dataset(images, labels, batch_size=args.batch_size),
        epochs=args.epochs,
        steps_per_epoch=args.steps,
        callbacks=[
            kgan.callbacks.SampleGrid(f"{args.out}/samples"),  # rows cycle through the classes 0..9
            keras.callbacks.ModelCheckpoint(f"{args.out}/cgan.keras"),
        ],
    )

    # One label is repeated for every image; seed fixes the noise, so the grid is reproducible.
    digits = gan.generate(64, labels=[args.digit], seed=0)
    os.makedirs(args.out, exist_ok=True)
    path = save_grid(digits, f"{args.out}/digit_{args.digit}.png")
    print(f"64 samples of the digit {args.digit} in {path} - model in {args.out}/cgan.keras")


if __name__ == "__main__":
    main()
