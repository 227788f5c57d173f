"""``kgan sample``: PNG samples from a zoo model, a .keras file or a SavedModel."""

import os
import shutil
import tempfile

from kgan.cli.sources import CommandError, check_writable, load_source


def add_parser(commands):
    sample = commands.add_parser("sample", help="write samples of a generator to PNG")
    sample.add_argument("model", help="zoo name (see `kgan zoo list`), .keras file or SavedModel folder")
    sample.add_argument("--n", type=int, default=64, help="number of images (default 64)")
    sample.add_argument("--out", required=True, help="PNG file (grid) or folder (--separate)")
    sample.add_argument("--seed", type=int, default=0, help="noise seed: same seed, same picture")
    group = sample.add_mutually_exclusive_group()
    group.add_argument("--labels", help="comma-separated classes for a conditional model, e.g. 0,1,2")
    group.add_argument("--digit", type=int, help="one class for every image of a conditional model")
    layout = sample.add_mutually_exclusive_group()
    layout.add_argument("--grid", dest="separate", action="store_false", help="one PNG grid (default)")
    layout.add_argument("--separate", dest="separate", action="store_true", help="one PNG per image")
    sample.set_defaults(run=run, separate=False)


def run(args):
    from kgan import images

    if args.n < 1:
        raise CommandError(f"--n must be >= 1, got {args.n}")
    if not args.separate and not args.out.lower().endswith(".png"):
        raise CommandError(f"--out must be a .png file for a grid, got {args.out!r}")
    target = os.path.abspath(args.out)
    check_writable(target if args.separate else os.path.dirname(target), args.out)
    source = load_source(args.model)
    labels = source.labels(_parse_labels(args), args.n)
    samples = source.generate(source.noise(args.n, args.seed), labels)
    if args.separate:
        _write_separate(samples, args.out)
    else:
        images.save_grid(samples, args.out)
    print(f"wrote {args.n} samples of {source.description} to {args.out}")


def _parse_labels(args):
    if args.digit is not None:
        return [args.digit]
    if args.labels is None:
        return None
    try:
        return [int(v) for v in args.labels.split(",") if v.strip()]
    except ValueError:
        raise CommandError(f"--labels must be comma-separated integers, got {args.labels!r}") from None


def _write_separate(samples, folder):
    from kgan import images

    parent = os.path.dirname(os.path.abspath(folder))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".samples-", dir=parent)
    try:
        for i, image in enumerate(samples):
            images.save_image(images.to_uint8(image), os.path.join(staging, f"{i:05d}.png"))
        if os.path.exists(folder):
            for name in os.listdir(staging):
                os.replace(os.path.join(staging, name), os.path.join(folder, name))
        else:
            os.rename(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
