"""Recipe: celeba_features, the offline face feature space.  ``python -m zoo.recipes.celeba_features``

Rotation prediction (4 classes) on the 15,722 CelebA faces, the last 1,000 held out,
random horizontal flips, Adam(1e-3), batch 64, 8 epochs, seed 0. Reports held-out accuracy.
"""

import keras
import numpy as np

from kgan.datasets import load_npz
from zoo.face_features import face_features_network, rotate
from zoo.recipes import common


class RotatedFaces(keras.utils.PyDataset):
    """Each epoch shows every face once, under a random flip and rotation; the label is the rotation."""

    def __init__(self, faces, batch_size, seed, **kwargs):
        super().__init__(**kwargs)
        self.faces, self.batch_size, self.seed, self.epoch = faces, batch_size, seed, 0
        self.on_epoch_end()

    def __len__(self):
        return len(self.faces) // self.batch_size

    def on_epoch_end(self):
        rng = np.random.default_rng((self.seed, self.epoch))
        self.order = rng.permutation(len(self.faces))
        self.turns = rng.integers(0, 4, len(self.faces))
        self.flips = rng.random(len(self.faces)) < 0.5
        self.epoch += 1

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        faces = self.faces[rows]
        faces = np.where(self.flips[rows, None, None, None], faces[:, :, ::-1], faces)
        return rotate(faces, self.turns[rows]), self.turns[rows].astype("int32")


def main(argv=None):
    args = common.parse_args("celeba_features", epochs=8, data=common.DEFAULT_CELEBA, batch_size=64, argv=argv)
    keras.utils.set_random_seed(args.seed)
    faces, _ = load_npz(args.data)
    train, held_out = faces[:-1000], faces[-1000:]
    network = face_features_network()
    network.compile(optimizer=keras.optimizers.Adam(1e-3),
                    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    seconds = common.fit_resumable(network, RotatedFaces(train, args.batch_size, args.seed), args)
    turns = np.arange(len(held_out)) % 4

    def quality(shipped):
        logits = shipped.predict(rotate(held_out, turns), batch_size=250, verbose=0)
        return {"held_out_rotation_accuracy": float(np.mean(logits.argmax(-1) == turns))}

    if not args.no_publish:
        common.publish("celeba_features", network, quality, seconds)


if __name__ == "__main__":
    main()
