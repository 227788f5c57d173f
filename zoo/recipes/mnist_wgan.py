"""Recipe: mnist_wgan, the original Wasserstein GAN (weight clipping).  ``python -m zoo.recipes.mnist_wgan``

The settings of Arjovsky et al. 2017 on the networks of ``mnist_wgangp``, so the two zoo entries
differ only in how the critic is kept Lipschitz: weight clipping to [-0.01, 0.01] after every
critic update against WGAN-GP's gradient penalty. DCGAN generator (32 base filters) and a
layer-normalised DCGAN critic (32 base filters), RMSprop(5e-5) for both (the paper: momentum
makes clipped training unstable), n_critic 5, batch 64 per critic update (320 real images per
generator update, 187 generator updates an epoch), 40 epochs as ``mnist_wgangp``, seed 0.
"""

import keras

import kgan
from kgan import networks
from zoo import registry
from zoo.recipes import common


def build(seed=0):
    keras.utils.set_random_seed(seed)
    critic = networks.dcgan_discriminator((28, 28, 1), base_filters=32, normalization="layer")
    gan = kgan.WGAN(registry.entry("mnist_wgan").build(), critic, n_critic=5, clip_value=0.01, seed=seed)
    gan.compile(g_optimizer=keras.optimizers.RMSprop(5e-5), d_optimizer=keras.optimizers.RMSprop(5e-5))
    return gan


def main(argv=None):
    args = common.parse_args("mnist_wgan", epochs=40, batch_size=64, argv=argv)  # real images per critic update
    common.train_gan("mnist_wgan", build(args.seed), args)


if __name__ == "__main__":
    main()
