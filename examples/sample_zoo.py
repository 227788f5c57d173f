"""Load a pretrained generator from the zoo and write a grid of its samples. Works offline:
the weights ship with the package.

    python examples/sample_zoo.py --model mnist_dcgan --n 64
    python examples/sample_zoo.py --model mnist_cgan --digit 3

`python -m kgan zoo list` shows the models. The same --seed gives the same picture as
`kgan sample MODEL --seed S` (both draw the noise with numpy's default_rng(seed)).
"""

import argparse
import os

import numpy as np

import zoo
from kgan.images import save_grid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="mnist_dcgan", help="a zoo generator (see `kgan zoo list`)")
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--digit", type=int, default=None, help="class to draw (conditional models)")
    parser.add_argument("--untrained", action="store_true",
                        help="random weights instead of the shipped ones (a smoke test of the architecture)")
    parser.add_argument("--out", default=None, help="PNG file (default runs/example_zoo/MODEL.png)")
    args = parser.parse_args()

    # A plain keras.Model: noise (batch, 100) -> images in [-1, 1]; weights are sha256-checked.
    generator = zoo.load(args.model, pretrained=not args.untrained)
    conditional = len(generator.inputs) == 2  # [noise, labels]
    latent_dim = generator.inputs[0].shape[-1]

    noise = np.random.default_rng(args.seed).standard_normal((args.n, latent_dim)).astype("float32")
    inputs = noise
    if conditional:
        labels = np.arange(args.n) % 10 if args.digit is None else np.full(args.n, args.digit)
        inputs = [noise, labels.astype("int32")]
    images = generator.predict(inputs, verbose=0)

    out = args.out or f"runs/example_zoo/{args.model}.png"
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    save_grid(images, out)  # float [-1, 1] -> uint8 PNG grid
    print(f"{args.n} samples of {args.model} in {out}")


if __name__ == "__main__":
    main()
