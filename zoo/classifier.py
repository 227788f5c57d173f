"""The MNIST classifier that defines kgan's MNIST feature space (as TF-GAN's MNIST metrics do).

Its 128-d penultimate layer, named ``features``, is the space of every MNIST Frechet distance
the zoo reports ("Frechet classifier distance"); its logits give class shares, confidence and
the inception score. Inputs are images in [-1, 1], shape (28, 28, 1).
"""

import keras


def mnist_classifier_network():
    """A small CNN (conv 32-64-128), a 128-d ``features`` layer, 10 logits."""
    images = keras.Input((28, 28, 1), name="images")
    x = keras.layers.Conv2D(32, 3, activation="relu", padding="same", name="conv_1")(images)
    x = keras.layers.MaxPooling2D(name="pool_1")(x)
    x = keras.layers.Conv2D(64, 3, activation="relu", padding="same", name="conv_2")(x)
    x = keras.layers.MaxPooling2D(name="pool_2")(x)
    x = keras.layers.Conv2D(128, 3, activation="relu", padding="same", name="conv_3")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dropout(0.3)(x)
    features = keras.layers.Dense(128, activation="relu", name="features")(x)
    x = keras.layers.Dropout(0.3)(features)
    logits = keras.layers.Dense(10, name="logits")(x)
    return keras.Model(images, logits, name="mnist_classifier")


def feature_extractor(network):
    """A network's ``features`` layer as a model: images -> (batch, d)."""
    return keras.Model(network.inputs, network.get_layer("features").output, name=f"{network.name}_features")
