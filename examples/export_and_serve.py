"""Export a generator as a TF SavedModel, then serve it with nothing but TensorFlow.

    python examples/export_and_serve.py --model mnist_dcgan
    python examples/export_and_serve.py --model runs/example_dcgan/gan.keras --n 16

--model is a zoo name or a kgan .keras file (saved by ModelCheckpoint or `kgan train`). The
SavedModel has two endpoints: `serving_default(noise[, labels]) -> {"images": float in [-1, 1]}`
and `generate_uint8(...) -> {"images": uint8}`; TF Serving loads the same folder.
"""

import argparse
import os

import numpy as np
from PIL import Image


def export(model, folder, untrained=False):
    """The training side: kgan and Keras."""
    import keras

    import kgan

    if model.endswith(".keras"):
        source = keras.saving.load_model(model)  # a kgan GAN: export_generator takes its generator
    else:
        import zoo

        source = zoo.load(model, pretrained=not untrained)  # a plain keras.Model generator
    return kgan.export_generator(source, folder)


def serve(folder, n, seed, out):
    """The serving side: only TensorFlow and the SavedModel folder."""
    import tensorflow as tf

    served = tf.saved_model.load(folder)
    inputs = served.signatures["serving_default"].structured_input_signature[1]  # {name: TensorSpec}
    latent_dim = inputs["noise"].shape[-1]
    noise = tf.random.stateless_normal((n, latent_dim), seed=[seed, 0])
    if "labels" in inputs:  # a conditional generator: one class per image
        images = served.generate_uint8(noise, tf.range(n, dtype=tf.int32) % 10)["images"]
    else:
        images = served.generate_uint8(noise)["images"]
    os.makedirs(out, exist_ok=True)
    for i, image in enumerate(images.numpy()):  # uint8 (h, w, c), ready for any image library
        Image.fromarray(np.squeeze(image, -1) if image.shape[-1] == 1 else image).save(f"{out}/{i:03d}.png")
    return len(images)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="mnist_dcgan", help="zoo name or kgan .keras file")
    parser.add_argument("--n", type=int, default=8, help="images to serve")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--untrained", action="store_true", help="zoo model with random weights (smoke test)")
    parser.add_argument("--out", default="runs/example_export")
    args = parser.parse_args()

    folder = export(args.model, f"{args.out}/savedmodel", args.untrained)
    count = serve(folder, args.n, args.seed, f"{args.out}/served")
    print(f"exported {args.model} to {folder}; served {count} PNGs into {args.out}/served")


if __name__ == "__main__":
    main()
