"""Recipe: mnist_dcgan.  ``python -m zoo.recipes.mnist_dcgan``

DCGAN networks of equal width (generator and discriminator 32 base filters, kernel 4), non-saturating
loss with one-sided label smoothing 0.1, Adam(2e-4, beta_1=0.5) for both networks, batch 64, 8 epochs,
seed 0. (A discriminator twice the generator's width overpowered it: FD 62.7 after 5 epochs.)
"""

import keras

import kgan
from kgan import networks
from zoo import registry
from zoo.recipes import common


def main():
    args = common.parse_args("mnist_dcgan", epochs=8, batch_size=64)
    keras.utils.set_random_seed(args.seed)
    gan = kgan.GAN(registry.entry("mnist_dcgan").build(), networks.dcgan_discriminator((28, 28, 1), base_filters=32),
                   loss="non_saturating", label_smoothing=0.1, seed=args.seed)
    gan.compile(g_optimizer=common.adam(2e-4), d_optimizer=common.adam(2e-4))
    common.train_gan("mnist_dcgan", gan, args)


if __name__ == "__main__":
    main()
