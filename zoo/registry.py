"""The zoo's registry: architectures in code, measured figures in ``weights/manifest.json``.

Each entry names a generator architecture (a ``kgan.networks`` builder), the algorithm and
data it was trained with, and the recipe that reproduces its weights. The recipe writes the
weights file, its sha256 and the measured quality into the manifest, so the figures shown to
users are always the ones measured on the shipped file.
"""

import dataclasses
import json
import os

from zoo.weights_io import WEIGHTS_DIR, load_verified

MANIFEST = os.path.join(WEIGHTS_DIR, "manifest.json")
MNIST_LICENCE = "MNIST: CC BY-SA 3.0 (Yann LeCun and Corinna Cortes); weights: Apache-2.0"
CELEBA_LICENCE = "CelebA: non-commercial research purposes only (MMLAB, CUHK); weights likewise"


@dataclasses.dataclass(frozen=True)
class Entry:
    name: str
    algorithm: str
    dataset: str
    resolution: tuple
    build: callable
    licence: str
    recipe: str
    conditional: bool = False
    kind: str = "generator"

    @property
    def weights_file(self):
        return f"{self.name}.weights.h5"


def _networks():
    """kgan.networks, imported when a model is built (listing the zoo needs no Keras)."""
    from kgan import networks

    return networks


def _recipe(name):
    """A recipe module, for architectures defined next to the recipe that trains them."""
    import importlib

    return importlib.import_module(f"zoo.recipes.{name}")


def _mnist_classifier():
    from zoo.classifier import mnist_classifier_network

    return mnist_classifier_network()


def _celeba_features():
    from zoo.face_features import face_features_network

    return face_features_network()


ENTRIES = {
    e.name: e
    for e in [
        Entry("mnist_gan", "GAN (MLP, Goodfellow et al. 2014; 10-piece mixture latent, minibatch discrimination, EMA; "
                           "mode-seeking fine-tune)",
              "MNIST train", (28, 28, 1),
              lambda: _networks().mlp_generator(100, (28, 28, 1), batch_norm=True, mixture_components=10,
                                                name="mnist_gan_generator"),
              MNIST_LICENCE, "python -m zoo.recipes.mnist_gan"),
        Entry("mnist_dcgan", "GAN (DCGAN, Radford et al. 2015; 10-piece mixture latent, EMA; mode-seeking fine-tune)",
              "MNIST train", (28, 28, 1),
              lambda: _networks().dcgan_generator(100, (28, 28, 1), base_filters=64, mixture_components=10,
                                                  name="mnist_dcgan_generator"),
              MNIST_LICENCE, "python -m zoo.recipes.mnist_dcgan"),
        Entry("mnist_cgan", "ConditionalGAN (DCGAN networks, projection discriminator, EMA)", "MNIST train with labels", (28, 28, 1),
              lambda: _networks().conditional_dcgan_generator(100, 10, (28, 28, 1), base_filters=32, name="mnist_cgan_generator"),
              MNIST_LICENCE, "python -m zoo.recipes.mnist_cgan", conditional=True),
        Entry("mnist_wgangp", "WGANGP (DCGAN networks, unnormalised critic, 10-piece mixture latent, EMA)", "MNIST train",
              (28, 28, 1),
              lambda: _networks().dcgan_generator(100, (28, 28, 1), base_filters=64, mixture_components=10,
                                                  name="mnist_wgangp_generator"),
              MNIST_LICENCE, "python -m zoo.recipes.mnist_wgangp"),
        Entry("mnist_wgan", "WGAN (weight clipping; DCGAN networks, unnormalised critic, EMA)", "MNIST train",
              (28, 28, 1),
              lambda: _networks().dcgan_generator(100, (28, 28, 1), base_filters=64, name="mnist_wgan_generator"),
              MNIST_LICENCE, "python -m zoo.recipes.mnist_wgan"),
        Entry("mnist_infogan",
              "InfoGAN (10-way code + 2 continuous codes read from the noise; mode-seeking fine-tune)", "MNIST train",
              (28, 28, 1), lambda: _recipe("mnist_infogan").build_generator(), MNIST_LICENCE,
              "python -m zoo.recipes.mnist_infogan"),
        Entry("mnist_vae", "VAE (Kingma & Welling 2014; convolutional, 16-d latent; the decoder ships)", "MNIST train",
              (28, 28, 1), lambda: _recipe("mnist_vae").build_decoder(), MNIST_LICENCE, "python -m zoo.recipes.mnist_vae"),
        Entry("celeba_dcgan", "GAN (DCGAN, Radford et al. 2015; resize-convolution generator, EMA)",
              "CelebA, 15,722 aligned faces", (64, 64, 3), lambda: _recipe("celeba_dcgan").build_generator(),
              CELEBA_LICENCE, "python -m zoo.recipes.celeba_dcgan"),
        Entry("celeba_progan", "ProgressiveGAN (Karras et al. 2018; WGAN-GP, pixel norm, minibatch stddev, "
              "equalised learning rate, EMA)", "CelebA, 15,722 aligned faces", (64, 64, 3),
              lambda: _recipe("celeba_progan").build_plain_generator(), CELEBA_LICENCE,
              "python -m zoo.recipes.celeba_progan"),
        Entry("celeba_vae", "VAE (Kingma & Welling 2014; convolutional, 128-d latent; the decoder ships)",
              "CelebA, 15,722 aligned faces", (64, 64, 3), lambda: _recipe("celeba_vae").build_decoder(),
              CELEBA_LICENCE, "python -m zoo.recipes.celeba_vae"),
        Entry("mnist_classifier", "classifier (evaluation feature space)", "MNIST train", (28, 28, 1),
              _mnist_classifier, MNIST_LICENCE, "python -m zoo.recipes.mnist_classifier", kind="classifier"),
        Entry("celeba_features", "rotation-prediction CNN (face feature space)", "CelebA, 15,722 aligned faces",
              (64, 64, 3), _celeba_features, CELEBA_LICENCE, "python -m zoo.recipes.celeba_features",
              kind="feature_extractor"),
    ]
}


def read_manifest(path=MANIFEST):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def entry(name):
    if name not in ENTRIES:
        raise ValueError(f"Unknown zoo model {name!r}; valid names: {', '.join(ENTRIES)}.")
    return ENTRIES[name]


def load(name, pretrained=True):
    """Build the model ``name``; with ``pretrained=True`` load its sha256-checked weights."""
    spec = entry(name)
    model = spec.build()
    if pretrained:
        record = read_manifest().get(name)
        if record is None:
            raise FileNotFoundError(
                f"No pretrained weights are recorded for {name!r} in {MANIFEST}; "
                f"train them with `{spec.recipe}`, or pass pretrained=False."
            )
        load_verified(model, spec.weights_file, record["sha256"])
    return model


def list_models():
    """The registry as a list of dicts: name, algorithm, dataset, resolution, parameters,
    file size, sha256, measured quality (None until trained) and licence."""
    manifest = read_manifest()
    rows = []
    for spec in ENTRIES.values():
        record = manifest.get(spec.name, {})
        rows.append({
            "name": spec.name,
            "kind": spec.kind,
            "algorithm": spec.algorithm,
            "dataset": spec.dataset,
            "resolution": "x".join(str(s) for s in spec.resolution),
            "conditional": spec.conditional,
            "parameters": record.get("parameters"),
            "file_size": record.get("file_size"),
            "sha256": record.get("sha256"),
            "quality": record.get("quality"),
            "licence": spec.licence,
            "recipe": spec.recipe,
        })
    return rows
