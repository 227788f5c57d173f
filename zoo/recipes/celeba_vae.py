"""Recipe (not yet trained): celeba_vae, 64x64 faces.  ``python -m zoo.recipes.celeba_vae``

A convolutional VAE (Kingma & Welling 2014) on the 15,722 CelebA faces: ``vae_encoder`` (stride-2
convolutions of 32, 64, 128 and 256 filters, then ``z_mean`` and ``z_log_var``) and
``vae_decoder`` (the DCGAN generator body, 32 base filters) with a 128-dimensional latent space,
a unit-variance Gaussian likelihood on images in [-1, 1] (``reconstruction="gaussian"``: half the
squared error summed over the 12,288 values, which weighs reconstruction against the KL about as
the common PyTorch CelebA VAEs do) and ``beta=1``, Adam(5e-4), batch 64, random horizontal flips,
30 epochs, seed 0. Expect blurry but face-like samples: the VAE's known trade against GANs.
Quality is measured as for ``celeba_dcgan`` (FD and KID in ``zoo.celeba_features``, MTCNN face
detection rate). The decoder ships (the registry entry ``celeba_vae`` builds it with
``build_decoder``). CelebA is for
non-commercial research only, and so are these weights.
"""

import keras

import kgan
from kgan import networks
from kgan.datasets import load_npz, to_dataset
from zoo.recipes import common
from zoo.recipes.common import face_quality

LATENT = 128


def build_decoder(name="celeba_vae_decoder"):
    """The shipped network: z (batch, 128) -> images (batch, 64, 64, 3)."""
    return networks.vae_decoder(LATENT, (64, 64, 3), base_filters=32, name=name)


def build(seed=0, **compile_kwargs):
    """The recipe's compiled VAE."""
    keras.utils.set_random_seed(seed)
    encoder = networks.vae_encoder((64, 64, 3), LATENT, base_filters=32)
    vae = kgan.VAE(encoder, build_decoder(), beta=1.0, reconstruction="gaussian", seed=seed)
    vae.compile(optimizer=keras.optimizers.Adam(5e-4), **compile_kwargs)
    return vae


def main(argv=None):
    args = common.parse_args("celeba_vae", epochs=30, data=common.DEFAULT_CELEBA, batch_size=64, argv=argv)
    faces, _ = load_npz(args.data)
    vae = build(args.seed)
    flip = keras.layers.RandomFlip("horizontal", seed=args.seed)
    dataset = to_dataset(faces, batch_size=args.batch_size, seed=args.seed).map(lambda x: flip(x, training=True))
    seconds = common.fit_resumable(vae, dataset, args)
    if not args.no_publish:
        common.publish("celeba_vae", vae.sampling_generator, face_quality(faces), seconds, build=build_decoder,
                       run_dir=args.run_dir)


if __name__ == "__main__":
    main()
