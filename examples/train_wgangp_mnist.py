"""Train a WGAN-GP (Gulrajani et al. 2017) on MNIST with plain Keras `fit`.

    python examples/train_wgangp_mnist.py --data ../shared/data/mnist.npz --epochs 10

Without --data the Keras loader downloads MNIST. --steps limits the batches per epoch (CI
runs every example that way).
"""

import argparse

import kgan  # before Keras: oneDNN kernels on AVX2 CPUs too (README, "oneDNN")
import keras

from kgan import datasets, networks
from kgan.datasets import to_dataset


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="local mnist.npz (default: download with keras.datasets)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--steps", type=int, default=None, help="batches per epoch (default: all)")
    parser.add_argument("--critic-batch", type=int, default=64, help="images per critic update")
    parser.add_argument("--out", default="runs/example_wgangp")
    args = parser.parse_args()

    images, _ = datasets.load(args.data or "mnist")  # a local .npz, or the Keras download

    # The critic must not use BatchNormalization: the gradient penalty is computed per sample,
    # and batch statistics would couple the samples. Layer normalisation is the usual choice.
    n_critic = 5
    gan = kgan.WGANGP(
        generator=networks.dcgan_generator(latent_dim=100, output_shape=(28, 28, 1), base_filters=32),
        discriminator=networks.dcgan_discriminator((28, 28, 1), base_filters=32, normalization="layer"),
        n_critic=n_critic,
        gp_weight=10.0,
    )
    # The paper's Adam settings (beta_2=0.9), for both networks.
    gan.compile(
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
    )
    # Each critic update sees its own batch of critic_batch images; a step is n_critic critic
    # updates and one generator update.
    gan.fit(
        to_dataset(images, batch_size=args.critic_batch),
        epochs=args.epochs,
        steps_per_epoch=args.steps,
        callbacks=[
            kgan.callbacks.SampleGrid(f"{args.out}/samples"),
            keras.callbacks.CSVLogger(f"{args.out}/log.csv"),  # d_loss, g_loss, loss, wasserstein, gp
            keras.callbacks.TerminateOnNaN(),  # reads `loss`, which kgan logs (d_loss + g_loss)
            keras.callbacks.ModelCheckpoint(f"{args.out}/wgangp.keras"),
        ],
    )
    print("samples in", f"{args.out}/samples", "- model in", f"{args.out}/wgangp.keras")


if __name__ == "__main__":
    main()
