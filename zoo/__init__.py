"""kgan's model zoo: pretrained generators (and the MNIST evaluation classifier).

``zoo.mnist_dcgan(pretrained=True)`` returns a plain ``keras.Model`` generator; weights ship
with the package and are sha256-checked before loading. ``zoo.list_models()`` shows the
registry with each model's measured quality; ``zoo/README.md`` shows samples.
"""

import kgan  # noqa: F401  (registers kgan's classes; lazy under the `kgan` command, so `zoo list` needs no Keras)
from zoo.registry import ENTRIES, list_models, load


def feature_extractor(network):
    """``network``'s ``features`` layer as a model (images -> feature vectors); see
    ``zoo.classifier.feature_extractor``. Imported on use: listing the zoo needs no Keras."""
    from zoo import classifier

    return classifier.feature_extractor(network)


def mnist_gan(pretrained=True):
    """MLP GAN on MNIST: noise (100) -> 28x28x1 images in [-1, 1]."""
    return load("mnist_gan", pretrained)


def mnist_dcgan(pretrained=True):
    """DCGAN on MNIST: noise (100) -> 28x28x1 images in [-1, 1]."""
    return load("mnist_dcgan", pretrained)


def mnist_cgan(pretrained=True):
    """Conditional DCGAN on MNIST: [noise (100), digit labels] -> 28x28x1 images."""
    return load("mnist_cgan", pretrained)


def mnist_wgangp(pretrained=True):
    """WGAN-GP on MNIST: noise (100) -> 28x28x1 images in [-1, 1]."""
    return load("mnist_wgangp", pretrained)


def mnist_wgan(pretrained=True):
    """Wasserstein GAN (weight clipping) on MNIST: noise (100) -> 28x28x1 images in [-1, 1]."""
    return load("mnist_wgan", pretrained)


def mnist_infogan(pretrained=True):
    """InfoGAN on MNIST: noise (74) -> 28x28x1 images; the noise's blocks carry the codes
    (see zoo/recipes/mnist_infogan.py)."""
    return load("mnist_infogan", pretrained)


def celeba_dcgan(pretrained=True):
    """DCGAN on CelebA faces: noise (100) -> 64x64x3 images. Non-commercial research use only."""
    return load("celeba_dcgan", pretrained)


def mnist_classifier(pretrained=True):
    """MNIST classifier (logits; ``features`` layer 128-d) defining the MNIST feature space."""
    return load("mnist_classifier", pretrained)


def mnist_features(pretrained=True):
    """The MNIST classifier's 128-d feature space, images in [-1, 1] -> (batch, 128)."""
    return feature_extractor(mnist_classifier(pretrained))


def celeba_features(pretrained=True):
    """The offline face feature space: images (64, 64, 3) in [-1, 1] -> (batch, 256)."""
    return feature_extractor(load("celeba_features", pretrained))


__all__ = [
    "ENTRIES", "celeba_dcgan", "celeba_features", "feature_extractor", "list_models", "load", "mnist_cgan", "mnist_classifier",
    "mnist_dcgan", "mnist_features", "mnist_gan", "mnist_infogan", "mnist_wgan", "mnist_wgangp",
]
