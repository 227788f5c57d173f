"""``kgan export``: a generator as a TF SavedModel, and ``--check`` to verify one."""

import json
import os

import numpy as np

from kgan.cli.sources import CommandError, check_writable, load_source


def add_parser(commands):
    export = commands.add_parser(
        "export", help="write a generator as a TF SavedModel (serving_default: noise[, labels] -> images)"
    )
    export.add_argument("model", nargs="?", help="zoo name or kgan .keras file")
    export.add_argument("out", nargs="?", help="SavedModel folder to write")
    export.add_argument("--check", metavar="OUT_DIR", help="reload OUT_DIR and compare it with its source")
    export.set_defaults(run=run)


def run(args):
    if args.check:
        return check(args.check)
    if not args.model or not args.out:
        raise CommandError("usage: kgan export NAME_OR_FILE OUT_DIR, or kgan export --check OUT_DIR")
    import kgan

    check_writable(os.path.dirname(os.path.abspath(args.out)), args.out)
    source = load_source(args.model, allow_saved_model=False)
    # A file is recorded by absolute path, so `--check` works from any folder.
    origin = os.path.abspath(args.model) if os.path.exists(args.model) else args.model
    metadata = {"source": origin, "latent_dim": source.latent_dim, "num_classes": source.num_classes}
    kgan.export_generator(source.model, args.out, metadata=metadata)
    print(f"exported {source.description} to {args.out}")
    print("  serving_default(noise: float32 [batch, %d]%s) -> {images: float32 in [-1, 1]}"
          % (source.latent_dim, ", labels: int32 [batch]" if source.conditional else ""))
    print("  generate_uint8(same inputs) -> {images: uint8 in [0, 255]}")
    return check(args.out)


def check(path):
    """Reload ``path`` with tf.saved_model.load and compare it with the model it came from."""
    from kgan.export import METADATA as INFO

    info_path = os.path.join(path, INFO)
    if not os.path.exists(info_path):
        raise CommandError(f"{path!r} is not a kgan export (no {INFO})")
    with open(info_path) as f:
        info = json.load(f)
    exported = load_source(path)
    original = load_source(info["source"], allow_saved_model=False)
    noise = original.noise(16, seed=0)
    labels = original.labels(None, 16)
    difference = float(np.abs(exported.generate(noise, labels) - original.generate(noise, labels)).max())
    if not difference < 1e-5:
        raise CommandError(f"{path!r} differs from {info['source']!r}: max abs difference {difference:.3g}")
    print(f"check passed: {path} reproduces {info['source']} (max abs difference {difference:.2g})")
