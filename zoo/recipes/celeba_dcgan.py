"""Recipe: celeba_dcgan, 64x64 faces.  ``python -m zoo.recipes.celeba_dcgan``

DCGAN networks at 64x64x3 (24 base filters in both, kernel 4), non-saturating loss, Adam(2e-4,
beta_1=0.5) for both networks, one-sided label smoothing 0.1,
batch 64, random horizontal flips, 8 epochs over the 15,722
CelebA faces, seed 0. Quality is measured in the zoo's offline face feature space
(``zoo.celeba_features``, see zoo/face_features.py): FD and KID of 5,000 samples against the
faces. CelebA is for non-commercial research only, and so are these weights.
"""

import keras

import kgan
from kgan import networks
from kgan.datasets import load_npz, to_dataset
from zoo import registry
from zoo.recipes import common


def face_quality(faces, n=5000, detect=True):
    """FD and KID in ``zoo.celeba_features`` and (``detect``) the MTCNN face detection rate.

    The detection rate is measured on the same ``n`` samples (seeded noise), see
    ``zoo/face_detection.py``; FD alone no longer ranks good face generators.
    """
    import zoo
    from zoo.face_detection import detection_rate

    features = zoo.celeba_features()

    def quality(generator):
        figures = kgan.evaluate(generator, faces[:n], n=n, feature_extractor=features, seed=0)
        extra = {}
        if detect:
            samples = generator.predict(kgan.latent.sample(n, generator.inputs[0].shape[-1], seed=0), verbose=0)
            extra = {"face_detection_rate": round(detection_rate(keras.ops.convert_to_numpy(samples)), 4),
                     "face_detector": "MTCNN (mtcnn 1.x), confidence >= 0.9 at 128x128"}
        return {
            **extra,
            "fd": round(figures["fd"], 4),
            "kid": round(figures["kid"], 5),
            "kid_std": round(figures["kid_std"], 5),
            "feature_space": f"zoo.celeba_features (256-d rotation-prediction CNN), {n} samples vs {n} CelebA faces",
        }

    return quality


def main(argv=None):
    args = common.parse_args("celeba_dcgan", epochs=8, data=common.DEFAULT_CELEBA, batch_size=64, argv=argv)
    keras.utils.set_random_seed(args.seed)
    faces, _ = load_npz(args.data)
    flip = keras.layers.RandomFlip("horizontal", seed=args.seed)
    dataset = to_dataset(faces, batch_size=args.batch_size, seed=args.seed).map(lambda x: flip(x, training=True))
    gan = kgan.GAN(registry.entry("celeba_dcgan").build(),
                   networks.dcgan_discriminator((64, 64, 3), base_filters=24), loss="non_saturating",
                   label_smoothing=0.1, seed=args.seed)
    gan.compile(g_optimizer=common.adam(2e-4), d_optimizer=common.adam(2e-4))
    seconds = common.fit_resumable(gan, dataset, args)
    if not args.no_publish:
        common.publish("celeba_dcgan", gan.sampling_generator, face_quality(faces), seconds)


if __name__ == "__main__":
    main()
