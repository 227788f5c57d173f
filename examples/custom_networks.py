"""Your own generator and discriminator: any functional Keras models with the right shapes.

    python examples/custom_networks.py --data ../shared/data/mnist.npz --epochs 3

The contract every kgan algorithm relies on:
- generator: noise (batch, latent_dim) -> images (batch, H, W, C) in [-1, 1] (end in tanh);
- discriminator / critic: images -> raw logits (batch, 1), no sigmoid (the losses take logits).
The same pair of architectures is trained here as a GAN (hinge loss) and as a WGAN-GP.
"""

import argparse

import kgan  # before Keras: oneDNN kernels on AVX2 CPUs too (README, "oneDNN")
import keras
from keras import layers

from kgan import datasets
from kgan.datasets import to_dataset

LATENT = 64


def generator(name):
    """A small upsampling generator: 7x7 -> 14x14 -> 28x28."""
    noise = keras.Input((LATENT,), name="noise")
    x = layers.Dense(7 * 7 * 64)(noise)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.UpSampling2D()(x)
    x = layers.Conv2D(32, 3, padding="same")(x)
    x = layers.LeakyReLU(0.2)(layers.BatchNormalization()(x))
    x = layers.UpSampling2D()(x)
    images = layers.Conv2D(1, 3, padding="same", activation="tanh")(x)  # [-1, 1]
    return keras.Model(noise, images, name=name)


def discriminator(name, normalization):
    """Strided convolutions to one logit. `normalization` is a layer factory or None.

    A WGAN-GP critic takes no BatchNormalization (its gradient penalty is per sample).
    """
    images = keras.Input((28, 28, 1), name="images")
    x = layers.LeakyReLU(0.2)(layers.Conv2D(32, 4, strides=2, padding="same")(images))
    x = layers.Conv2D(64, 4, strides=2, padding="same")(x)
    if normalization:
        x = normalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    logits = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(images, logits, name=name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="local mnist.npz (default: download with keras.datasets)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=None, help="batches per epoch (default: all)")
    parser.add_argument("--batch-size", type=int, default=64, help="images per update of either network")
    parser.add_argument("--out", default="runs/example_custom")
    args = parser.parse_args()

    images, _ = datasets.load(args.data or "mnist")  # a local .npz, or the Keras download

    gan = kgan.GAN(generator("g_gan"), discriminator("d_gan", layers.BatchNormalization), loss="hinge")
    critic = discriminator("critic", lambda: layers.LayerNormalization(axis=[1, 2, 3]))
    wgan = kgan.WGANGP(generator("g_wgan"), critic, n_critic=5)

    # batch_size is the critic's batch: WGAN-GP takes n_critic of them per generator update.
    for name, model, batch, beta_2 in (("gan", gan, args.batch_size, 0.999),
                                       ("wgangp", wgan, args.batch_size, 0.9)):
        model.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=beta_2),
                      d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=beta_2))
        model.fit(to_dataset(images, batch_size=batch), epochs=args.epochs, steps_per_epoch=args.steps,
                  callbacks=[kgan.callbacks.SampleGrid(f"{args.out}/{name}_samples")])
        # Stock Keras layers only, so the .keras round trip needs nothing registered.
        model.save(f"{args.out}/{name}.keras")
        print(f"{name}: samples in {args.out}/{name}_samples, model in {args.out}/{name}.keras")


if __name__ == "__main__":
    main()
