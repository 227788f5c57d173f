"""Blind by-eye rating of face generators: shuffled 8x8 grids for raters, then the tally.

FD and a face detector no longer rank good face generators (``zoo/recipes/celeba_dcgan.py``): a
generator can find a face in 99 % of samples and still draw melted eyes. What the zoo's goal asks
for is faces a person accepts on sight, so the zoo's face models are compared by raters counting
rejected cells in grids they cannot attribute:

    python bench/blind_faces.py make runs/blind celeba_dcgan runs/x/model.keras:ema real
    (raters read runs/blind/judge/RUBRIC.txt and write runs/blind/rater1.txt, rater2.txt, ...)
    python bench/blind_faces.py tally runs/blind

``make`` writes, for every source, the 8x8 grids of the noise seeds 0, 1 and 2 (``--seeds``; the
same noise for every generator) as ``judge/grid1.png`` ... in an order drawn from the operating
system's randomness (``--shuffle-seed`` fixes it, for tests), cells upscaled 2x; which grid is
which goes to ``key.json`` beside ``judge/``, which raters must not open. A source is a zoo
generator's name (``celeba_dcgan``, ``celeba_progan``), a saved GAN (``path/model.keras:ema`` or
``:raw``) or ``real`` (seeded draws of the training faces, ``--data``). A rater's file holds one
line per grid, ``gridN: rejected K: (row, col) ...``; ``tally`` sums K per source and rater.
Raters' counts differ by up to about 11 a grid and with the company a grid keeps, so compare
sources rated together only.
"""

import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

import kgan  # noqa: E402  (before keras: picks the backend)
import keras  # noqa: E402
from kgan.cli.sources import CommandError, load_source  # noqa: E402
from kgan.images import save_grid  # noqa: E402
from zoo.recipes.common import DEFAULT_CELEBA  # noqa: E402

CELLS = 64  # an 8x8 grid
RUBRIC = """Rate each grid cell by cell (rows and columns 1-8 from the top left). Reject a cell when a
person would not accept it as a face on sight: melted or mismatched eyes, a smeared mouth or nose,
warped geometry, a ghost-like or half-formed face, colour blotches, no face at all. Accept blur,
glasses, hats, turned heads and unusual lighting. Right after each grid, append one line to your
file: "gridN: rejected K: (r,c) (r,c) ...". Do not open any file outside this folder.
"""
LINE = re.compile(r"\s*grid(\d+)\s*:\s*rejected\s+(\d+)", re.IGNORECASE)


def source_images(source, seeds, data):
    """(len(seeds) * 64, 64, 64, 3) images in [-1, 1] of one source, grid by grid."""
    if source == "real":
        from kgan.datasets import load_npz

        faces, _ = load_npz(data)
        return np.concatenate([faces[np.random.default_rng(seed).choice(len(faces), CELLS, replace=False)]
                               for seed in seeds])
    generator = _generator(source)
    noise = np.concatenate([kgan.latent.sample(CELLS, generator.inputs[0].shape[-1], seed=seed) for seed in seeds])
    return keras.ops.convert_to_numpy(generator.predict(noise, verbose=0))


def _generator(source):
    """The network a source names, loaded and checked by the CLI's ``load_source`` (zoo names and
    kgan ``.keras`` files); ``path:raw`` is a saved GAN's raw generator instead of its average."""
    path, which = source, "ema"
    if ":" in source:
        path, which = source.rsplit(":", 1)
        if which not in ("ema", "raw"):
            raise ValueError(f"Source {source!r}: a saved model is named path:ema or path:raw, not :{which}.")
    try:
        loaded = load_source(path, allow_saved_model=False)
    except CommandError as error:
        from zoo import registry

        generators = ", ".join(name for name, spec in registry.ENTRIES.items() if spec.kind == "generator")
        raise ValueError(f"Source {source!r}: expected a zoo generator ({generators}), path/model.keras[:ema|:raw] "
                         f"or 'real'; {str(error).rstrip('.')}.") from None
    if which == "raw":
        if loaded.trained is None or getattr(loaded.trained, "generator", None) is None:
            raise ValueError(f"Source {source!r}: only a saved GAN's .keras file has a raw generator.")
        return loaded.trained.generator
    return loaded.model


def make(out, sources, seeds=(0, 1, 2), scale=2, data=DEFAULT_CELEBA, shuffle_seed=None):
    """Write the shuffled grids under ``out/judge`` and their key to ``out/key.json``; returns the key."""
    if not sources or len(set(sources)) != len(sources):
        raise ValueError(f"Each source once, got {list(sources)}.")
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"Each noise seed once, got {list(seeds)}.")
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a positive integer (cells shown scale x scale times), got {scale!r}.")
    judge = os.path.join(out, "judge")
    if os.path.exists(judge):
        raise FileExistsError(f"{judge} exists: rate a new folder, or raters would mix two shuffles.")
    grids = []
    for source in sources:
        images = source_images(source, seeds, data)
        images = images.repeat(scale, axis=1).repeat(scale, axis=2)
        grids += [(source, seed, images[i * CELLS:(i + 1) * CELLS]) for i, seed in enumerate(seeds)]
    order = list(range(len(grids)))
    (random.Random(shuffle_seed) if shuffle_seed is not None else random.SystemRandom()).shuffle(order)
    os.makedirs(judge)
    key = {}
    for n, i in enumerate(order, 1):
        source, seed, images = grids[i]
        save_grid(images, os.path.join(judge, f"grid{n}.png"), nrow=8)
        key[f"grid{n}"] = {"source": source, "seed": seed}
    with open(os.path.join(judge, "RUBRIC.txt"), "w") as f:
        f.write(RUBRIC)
    with open(os.path.join(out, "key.json"), "w") as f:
        json.dump({"sources": list(sources), "grids": key}, f, indent=1)
    return key


def read_rater(path, grids):
    """{grid: rejected} from a rater's file; the first line of a grid counts."""
    rejected = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            match = LINE.match(line)
            if not match:
                continue
            grid, count = f"grid{match.group(1)}", int(match.group(2))
            if grid not in grids:
                raise ValueError(f"{path}:{number}: {grid} is not one of the {len(grids)} grids rated.")
            if count > CELLS:
                raise ValueError(f"{path}:{number}: {count} rejected of a grid of {CELLS} cells.")
            rejected.setdefault(grid, count)
    return rejected


def tally(out):
    """{rater file: {source: rejected cells}}, over the grids each rater finished (missing ones warned)."""
    with open(os.path.join(out, "key.json")) as f:
        key = json.load(f)
    raters = sorted(name for name in os.listdir(out) if re.fullmatch(r"rater\w*\.txt", name))
    if not raters:
        raise FileNotFoundError(f"No rater*.txt in {out}: nothing to tally.")
    result = {}
    for name in raters:
        rejected = read_rater(os.path.join(out, name), key["grids"])
        missing = sorted(set(key["grids"]) - set(rejected), key=lambda g: int(g[4:]))
        if missing:
            print(f"warning: {name} has no line for {', '.join(missing)}", file=sys.stderr)
        counts = {source: 0 for source in key["sources"]}
        for grid, count in rejected.items():
            counts[key["grids"][grid]["source"]] += count
        result[name] = counts
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grids = commands.add_parser("make", help="write the shuffled grids and their key")
    grids.add_argument("out")
    grids.add_argument("sources", nargs="+")
    grids.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    grids.add_argument("--scale", type=int, default=2)
    grids.add_argument("--data", default=DEFAULT_CELEBA, help="the faces 'real' draws from (.npz)")
    grids.add_argument("--shuffle-seed", type=int, default=None)
    count = commands.add_parser("tally", help="rejected cells per source and rater")
    count.add_argument("out")
    args = parser.parse_args(argv)
    if args.command == "make":
        key = make(args.out, args.sources, args.seeds, args.scale, args.data, args.shuffle_seed)
        print(f"{len(key)} grids in {os.path.join(args.out, 'judge')}; key in {os.path.join(args.out, 'key.json')}")
        return
    result = tally(args.out)
    sources = next(iter(result.values()))
    print("| rater | " + " | ".join(sources) + " |")
    print("|---|" + "--:|" * len(sources))
    for name, counts in result.items():
        print(f"| {name} | " + " | ".join(str(counts[s]) for s in sources) + " |")


if __name__ == "__main__":
    main()
