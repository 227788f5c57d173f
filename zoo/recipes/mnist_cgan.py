"""Recipe: mnist_cgan, a conditional DCGAN.  ``python -m zoo.recipes.mnist_cgan``

Conditional DCGAN networks (generator 32 base filters, discriminator 64, label embedding 50), non-saturating loss, Adam(2e-4, beta_1=0.5)
for both networks, batch 64, 5 epochs, seed 0.
"""

import keras

import kgan
from kgan import networks
from zoo import registry
from zoo.recipes import common


def build(seed=0):
    """The recipe's compiled model (``kgan train --algorithm cgan`` builds the same on MNIST)."""
    keras.utils.set_random_seed(seed)
    gan = kgan.ConditionalGAN(registry.entry("mnist_cgan").build(),
                              networks.conditional_dcgan_discriminator((28, 28, 1), 10),
                              num_classes=10, loss="non_saturating", seed=seed)
    gan.compile(g_optimizer=common.adam(2e-4), d_optimizer=common.adam(2e-4))
    return gan


def main(argv=None):
    args = common.parse_args("mnist_cgan", epochs=5, batch_size=64, argv=argv)
    common.train_gan("mnist_cgan", build(args.seed), args, labels=True)


if __name__ == "__main__":
    main()
