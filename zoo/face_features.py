"""An offline feature space for 64x64 faces: a rotation-prediction network trained on CelebA.

InceptionV3 needs ImageNet weights that cannot be downloaded here, so faces are compared in
the 256-d penultimate layer (``features``) of a small CNN trained to tell which of four
rotations (0, 90, 180, 270 degrees) was applied to a CelebA face (self-supervised, as in
Gidaris et al. 2018). To answer, the network must learn where eyes, mouth, hair and chin are,
so its features respond to face structure rather than to raw pixels. Use it for *relative*
comparisons of CelebA generators; published-comparable FID needs ``kgan.metrics.inception_v3``.
"""

import keras
import numpy as np


def face_features_network():
    """Images (64, 64, 3) in [-1, 1] -> 4 rotation logits; layer ``features`` is 256-d."""
    images = keras.Input((64, 64, 3), name="images")
    x = images
    for i, filters in enumerate((32, 64, 128, 256)):
        x = keras.layers.Conv2D(filters, 3, strides=2, padding="same", use_bias=False, name=f"conv_{i}")(x)
        x = keras.layers.BatchNormalization(name=f"bn_{i}")(x)
        x = keras.layers.ReLU(name=f"relu_{i}")(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    features = keras.layers.Dense(256, activation="relu", name="features")(x)
    logits = keras.layers.Dense(4, name="rotation_logits")(features)
    return keras.Model(images, logits, name="celeba_features")


def rotate(images, turns):
    """Rotate each image by ``turns[i]`` quarter turns (NumPy, NHWC)."""
    return np.stack([np.rot90(image, k, axes=(0, 1)) for image, k in zip(images, turns)])
