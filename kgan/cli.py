"""The ``kgan`` command: ``kgan zoo list`` and ``kgan sample``.

Errors are one line on stderr with a non-zero exit status; files are written under a
temporary name and renamed, so a failure leaves nothing half-written.
"""

import argparse
import os
import sys


class CommandError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        return args.run(args) or 0
    except (CommandError, ValueError, FileNotFoundError, PermissionError) as error:
        print(f"kgan: error: {error}", file=sys.stderr)
        return 2


def _parser():
    parser = argparse.ArgumentParser(prog="kgan", description="GANs for Keras 3: train, sample and export.")
    commands = parser.add_subparsers(title="commands")

    zoo_parser = commands.add_parser("zoo", help="the pretrained model zoo")
    zoo_commands = zoo_parser.add_subparsers(title="zoo commands")
    zoo_commands.add_parser("list", help="list the zoo's models").set_defaults(run=_zoo_list)

    sample = commands.add_parser("sample", help="write samples of a zoo model to PNG")
    sample.add_argument("model", help="zoo model name (see `kgan zoo list`)")
    sample.add_argument("--n", type=int, default=64, help="number of images (default 64)")
    sample.add_argument("--out", required=True, help="PNG file (grid) or folder (--separate)")
    sample.add_argument("--seed", type=int, default=0, help="noise seed: same seed, same picture")
    group = sample.add_mutually_exclusive_group()
    group.add_argument("--labels", help="comma-separated classes for a conditional model, e.g. 0,1,2")
    group.add_argument("--digit", type=int, help="one class for every image of a conditional model")
    layout = sample.add_mutually_exclusive_group()
    layout.add_argument("--grid", dest="separate", action="store_false", help="one PNG grid (default)")
    layout.add_argument("--separate", dest="separate", action="store_true", help="one PNG per image")
    sample.set_defaults(run=_sample, separate=False)
    return parser


def _zoo_list(args):
    import zoo

    rows = [r for r in zoo.list_models()]
    header = ("name", "algorithm", "data", "size", "quality", "licence")
    table = [header]
    for r in rows:
        size = f"{r['file_size'] / 1e6:.1f} MB" if r["file_size"] else "not trained"
        table.append((r["name"], r["algorithm"], r["dataset"], size, _quality_text(r["quality"]), r["licence"]))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def _quality_text(quality):
    if not quality:
        return "-"
    keys = ("fd", "conditional_accuracy", "mean_confidence", "test_accuracy", "held_out_rotation_accuracy", "kid")
    return ", ".join(f"{k}={quality[k]:.4g}" for k in keys if isinstance(quality.get(k), (int, float)))


def _sample(args):
    import numpy as np

    import kgan
    import zoo

    if args.n < 1:
        raise CommandError(f"--n must be >= 1, got {args.n}")
    spec = zoo.registry.entry(args.model)
    if spec.kind != "generator":
        raise CommandError(f"{args.model!r} is a {spec.kind}, not a generator")
    generator = zoo.load(args.model)
    labels = _parse_labels(args, spec.conditional, args.n)
    noise = np.random.default_rng(args.seed).standard_normal((args.n, generator.inputs[0].shape[-1]))
    inputs = [noise.astype("float32"), labels] if spec.conditional else noise.astype("float32")
    images = np.asarray(generator.predict(inputs, verbose=0, batch_size=256))
    if args.separate:
        os.makedirs(args.out, exist_ok=True)
        for i, image in enumerate(images):
            kgan.images.save_image(kgan.images.to_uint8(image), os.path.join(args.out, f"{i:05d}.png"))
    else:
        kgan.images.save_grid(images, args.out)
    print(f"wrote {args.n} samples of {args.model} to {args.out}")


def _parse_labels(args, conditional, n):
    import numpy as np

    given = args.labels is not None or args.digit is not None
    if not conditional:
        if given:
            raise CommandError(f"{args.model!r} is not conditional: --labels/--digit do not apply")
        return None
    if args.digit is not None:
        values = [args.digit]
    elif args.labels is not None:
        try:
            values = [int(v) for v in args.labels.split(",") if v.strip()]
        except ValueError:
            raise CommandError(f"--labels must be comma-separated integers, got {args.labels!r}") from None
    else:
        values = list(range(10))
    bad = [v for v in values if not 0 <= v < 10]
    if bad:
        raise CommandError(f"label {bad[0]} is outside the model's classes [0, 10)")
    return np.resize(np.array(values, "int32"), n)


if __name__ == "__main__":
    sys.exit(main())
