"""Recipe: the MNIST evaluation classifier.  ``python -m zoo.recipes.mnist_classifier``

Adam(1e-3), batch 128, 4 epochs on MNIST train with random shifts of up to 2 pixels, seed 0.
Reports test accuracy on the 10,000 MNIST test digits (target >= 99%).
"""

import time

import keras
import numpy as np

from kgan.datasets import load_npz
from zoo.classifier import mnist_classifier_network
from zoo.recipes import common


def main():
    args = common.parse_args("mnist_classifier", epochs=4)
    keras.utils.set_random_seed(args.seed)
    x_train, y_train = load_npz(args.data, "train")
    x_test, y_test = load_npz(args.data, "test")
    network = mnist_classifier_network()
    augmented = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.RandomTranslation(0.07, 0.07, seed=args.seed), network]
    )
    augmented.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    start = time.time()
    common.fit_resumable(augmented, x_train, args, y=y_train, batch_size=args.batch_size,
                         validation_data=(x_test, y_test))
    seconds = time.time() - start

    def quality(shipped):
        logits = shipped.predict(x_test, batch_size=500, verbose=0)
        return {"test_accuracy": float(np.mean(logits.argmax(-1) == y_test))}

    if not args.no_publish:
        common.publish("mnist_classifier", network, quality, seconds)


if __name__ == "__main__":
    main()
