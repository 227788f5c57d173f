"""Recipe: mnist_wgan, the original Wasserstein GAN (weight clipping).  ``python -m zoo.recipes.mnist_wgan``

The settings of Arjovsky et al. 2017 on the networks of ``mnist_wgangp`` v2, so the two zoo
entries differ only in how the critic is kept Lipschitz (weight clipping to [-0.01, 0.01] after
every critic update against WGAN-GP's gradient penalty) and in the optimiser the papers use:
DCGAN generator (64 base filters) and an unnormalised DCGAN critic (32 base filters, hidden
Dense(512)), RMSprop(5e-5) for both (the paper: momentum makes clipped training unstable),
n_critic 5, batch 64 per critic update (320 real images per generator update, 187 generator
updates an epoch), a generator EMA (decay 0.999 from update 1,000) and 40 epochs with the rate
falling linearly over the last 8, seed 0.

Why no normalisation in the critic: clipping reaches every trainable weight, a layer norm's
scale included, so each normalised layer multiplies its output by at most 0.01. With the
layer-normalised critic the Wasserstein estimate stayed at 0.08-0.09 and the generator drew one
blob: 2,000-sample FD 475, 471, 470, 470 after epochs 1-4, 99.8-100 % of samples in one class
(2026-12-01, seed 0). Unnormalised, the estimate starts at 3.9 and FD falls from the first
epoch: 469, 446, 391 after epochs 1-3.

Trained 2026-12-01 (2,786 s wall / 2,924 CPU-s on the 2-core AVX-512 Xeon, beside trial runs
for half of it): the raw generator ships (FD 121.6 against the EMA's 129.1), FD 121.6, KID 10.5,
IS 4.89, mean confidence 0.776, class shares 4.0-18.1 % on 10,000 samples: digit-like strokes,
many of them no digit. The 2,000-sample curve was still falling when it stopped: 469 (epoch 1),
281 (5), 217 (11), 172 (20), 153 (26), 141 (31), 116 (40), while the Wasserstein estimate fell
from 3.9 to 0.03. Weight clipping at the paper's rate learns slowly: the paper trains for
100,000+ generator updates, this recipe for 7,480. ``mnist_wgangp`` trained the same networks
up to its v5 (v6 doubles the critic's width); ``build_critic`` keeps this recipe's.
"""

import keras

import kgan
from kgan import networks
from zoo import registry
from zoo.recipes import common


DECAY_EPOCHS = 8  # the learning rate falls linearly over the last 8 epochs


def build_critic():
    """The unnormalised DCGAN critic of ``mnist_wgangp`` v2-v5 (32 base filters, hidden Dense(512))."""
    return networks.dcgan_discriminator((28, 28, 1), base_filters=32, normalization=None, dense_units=512)


def build(seed=0):
    """The recipe's compiled WGAN."""
    keras.utils.set_random_seed(seed)
    critic = build_critic()  # built before the generator, as when the weights were trained
    gan = kgan.WGAN(registry.entry("mnist_wgan").build(), critic, n_critic=5, clip_value=0.01,
                    ema_decay=0.999, ema_start=1000, seed=seed)
    gan.compile(g_optimizer=keras.optimizers.RMSprop(5e-5), d_optimizer=keras.optimizers.RMSprop(5e-5))
    return gan


def main(argv=None):
    args = common.parse_args("mnist_wgan", epochs=40, batch_size=64, argv=argv)  # real images per critic update
    decay = common.LinearDecay(5e-5, start=args.epochs - DECAY_EPOCHS, end=args.epochs - 1)
    common.train_gan("mnist_wgan", build(args.seed), args, callbacks=[decay])


if __name__ == "__main__":
    main()
