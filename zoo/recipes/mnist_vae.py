"""Recipe (not yet trained): mnist_vae.  ``python -m zoo.recipes.mnist_vae``

A convolutional VAE (Kingma & Welling 2014) on MNIST: ``vae_encoder`` (stride-2 convolutions of
32 and 64 filters, then ``z_mean`` and ``z_log_var``) and ``vae_decoder`` (the DCGAN generator
body, 32 base filters) with a 16-dimensional latent space, the paper's Bernoulli likelihood
(``reconstruction="bernoulli"``) and the plain ELBO (``beta=1``), Adam(1e-3), batch 128,
30 epochs, seed 0. The decoder is what ships: ``z ~ N(0, I)`` (16 values) -> images in [-1, 1],
a plain ``keras.Model`` like every zoo generator, so FD and the class shares are measured in the
zoo classifier's space exactly as for the GANs. The registry entry ``mnist_vae`` builds it with
``build_decoder``.
"""

import keras

import kgan
from kgan import networks
from zoo.recipes import common

LATENT = 16


def build_decoder(name="mnist_vae_decoder"):
    """The shipped network: z (batch, 16) -> images (batch, 28, 28, 1)."""
    return networks.vae_decoder(LATENT, (28, 28, 1), base_filters=32, name=name)


def build(seed=0, **compile_kwargs):
    """The recipe's compiled VAE."""
    keras.utils.set_random_seed(seed)
    encoder = networks.vae_encoder((28, 28, 1), LATENT, base_filters=32)
    vae = kgan.VAE(encoder, build_decoder(), beta=1.0, reconstruction="bernoulli", seed=seed)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3), **compile_kwargs)
    return vae


def main(argv=None):
    args = common.parse_args("mnist_vae", epochs=30, batch_size=128, argv=argv)
    common.train_gan("mnist_vae", build(args.seed), args)  # fits, logs FD per epoch, publishes the decoder


if __name__ == "__main__":
    main()
