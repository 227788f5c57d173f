"""Recipe: mnist_wgan, the original Wasserstein GAN (weight clipping).  ``python -m zoo.recipes.mnist_wgan``

The settings of Arjovsky et al. 2017 on the networks of ``mnist_wgangp`` v2, so the two zoo
entries differ only in how the critic is kept Lipschitz (weight clipping to [-0.01, 0.01] after
every critic update against WGAN-GP's gradient penalty) and in the optimiser the papers use:
DCGAN generator (64 base filters) and a layer-normalised DCGAN critic (32 base filters, hidden
Dense(512)), RMSprop(5e-5) for both (the paper: momentum makes clipped training unstable),
n_critic 5, batch 64 per critic update (320 real images per generator update, 187 generator
updates an epoch), a generator EMA (decay 0.999 from update 1,000) and 30 epochs with the rate
falling linearly over the last 8, as ``mnist_wgangp``, seed 0.
"""

import keras

import kgan
from kgan import networks
from zoo import registry
from zoo.recipes import common


DECAY_EPOCHS = 8  # the learning rate falls linearly over the last 8 epochs


def build(seed=0):
    """The recipe's compiled WGAN."""
    keras.utils.set_random_seed(seed)
    critic = networks.dcgan_discriminator((28, 28, 1), base_filters=32, normalization="layer", dense_units=512)
    gan = kgan.WGAN(registry.entry("mnist_wgan").build(), critic, n_critic=5, clip_value=0.01,
                    ema_decay=0.999, ema_start=1000, seed=seed)
    gan.compile(g_optimizer=keras.optimizers.RMSprop(5e-5), d_optimizer=keras.optimizers.RMSprop(5e-5))
    return gan


def main(argv=None):
    args = common.parse_args("mnist_wgan", epochs=30, batch_size=64, argv=argv)  # real images per critic update
    decay = common.LinearDecay(5e-5, start=args.epochs - DECAY_EPOCHS, end=args.epochs - 1)
    common.train_gan("mnist_wgan", build(args.seed), args, callbacks=[decay])


if __name__ == "__main__":
    main()
