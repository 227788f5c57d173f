"""Recipe: mnist_gan, the original MLP GAN.  ``python -m zoo.recipes.mnist_gan``

Non-saturating loss, one-sided label smoothing 0.1, Adam(2e-4, beta_1=0.5) for both networks,
batch 64, 20 epochs, seed 0; MLPs 100-256-512-1024-784 (tanh) and 784-1024-512-256-1 with dropout 0.3:
FD 29.4, mean confidence 0.912, class shares 7.8-13.0% (1,176 s on 2 CPU cores). Twelve epochs gave
FD 48.9 with digit 1 at 14.1%; the learning curve (runs/mnist_gan/quality.csv, 2,000 samples) was
still falling fast there (52 after 11 epochs, 29 after 20) while the discriminator loss still rose.
"""

import keras

import kgan
from kgan import networks
from zoo import registry
from zoo.recipes import common


def build(seed=0):
    """The recipe's compiled GAN (``kgan train --algorithm gan`` builds the same on 28x28x1)."""
    keras.utils.set_random_seed(seed)
    gan = kgan.GAN(registry.entry("mnist_gan").build(), networks.mlp_discriminator((28, 28, 1)),
                   loss="non_saturating", label_smoothing=0.1, seed=seed)
    gan.compile(g_optimizer=common.adam(2e-4), d_optimizer=common.adam(2e-4))
    return gan


def main(argv=None):
    args = common.parse_args("mnist_gan", epochs=20, batch_size=64, argv=argv)
    common.train_gan("mnist_gan", build(args.seed), args)


if __name__ == "__main__":
    main()
