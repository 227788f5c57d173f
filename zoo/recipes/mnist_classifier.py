"""Recipe: the MNIST evaluation classifier.  ``python -m zoo.recipes.mnist_classifier``

Adam(1e-3), batch 128, 3 epochs on MNIST train, seed 0.
Reports test accuracy on the 10,000 MNIST test digits (target >= 99%).
"""

import keras
import numpy as np

from kgan.datasets import load_npz
from zoo.classifier import mnist_classifier_network
from zoo.recipes import common


def main(argv=None):
    args = common.parse_args("mnist_classifier", epochs=3, argv=argv)
    keras.utils.set_random_seed(args.seed)
    x_train, y_train = load_npz(args.data, "train")
    x_test, y_test = load_npz(args.data, "test")
    network = mnist_classifier_network()
    network.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    seconds = common.fit_resumable(network, x_train, args, y=y_train, batch_size=args.batch_size,
                                   validation_data=(x_test, y_test))

    def quality(shipped):
        logits = shipped.predict(x_test, batch_size=500, verbose=0)
        return {"test_accuracy": float(np.mean(logits.argmax(-1) == y_test))}

    if not args.no_publish:
        common.publish("mnist_classifier", network, quality, seconds)


if __name__ == "__main__":
    main()
