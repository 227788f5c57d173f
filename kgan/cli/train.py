"""``kgan train``: train an algorithm on a dataset into a run folder, resumably.

``--recipe NAME`` instead runs a zoo recipe (``zoo/recipes/NAME.py``, the command that
reproduces a zoo model) into the run folder without publishing, so a command-line user trains
with exactly the zoo's settings; ``--epochs``, ``--batch-size``, ``--dataset``, ``--seed`` and
``--steps-per-epoch`` override the recipe's defaults when given.

RUN_DIR holds ``config.json`` (the command's settings), ``backup/`` (BackupAndRestore state),
``checkpoints/`` (a ``.keras`` file per epoch), ``samples/`` (a grid
per epoch), ``logs/`` (TensorBoard), ``log.csv`` and, when done, ``model.keras``. Running the
same command again after an interruption resumes from the last finished epoch; ``--resume``
also continues a finished run up to a larger ``--epochs``.
"""

import json
import os

from kgan.cli.sources import CommandError, check_writable

ALGORITHMS = ("gan", "dcgan", "cgan", "wgangp")
SETTINGS = ("algorithm", "dataset", "batch_size", "latent_dim", "seed", "image_size", "ema_decay", "augment",
            "jit_compile")


def add_parser(commands):
    train = commands.add_parser("train", help="train a GAN on a dataset (resumable)")
    what = train.add_mutually_exclusive_group(required=True)
    what.add_argument("--algorithm", choices=ALGORITHMS,
                      help="gan: MLP GAN; dcgan: DCGAN; cgan: conditional DCGAN; wgangp: WGAN-GP with DCGAN nets")
    what.add_argument("--recipe", help="a zoo recipe, e.g. mnist_dcgan (see `kgan zoo list`): the zoo's own settings")
    train.add_argument("--dataset", help="mnist, fashion_mnist, celeba, a .npz file or an image folder "
                       "(required with --algorithm; a local .npz with --recipe, default the recipe's)")
    train.add_argument("--epochs", type=int, help="required with --algorithm; default the recipe's")
    train.add_argument("--batch-size", type=int, default=None,
                       help="images per discriminator (critic) update; WGAN-GP takes n_critic of them per step "
                       "(default 64, or the recipe's)")
    train.add_argument("--out", required=True, help="run folder")
    train.add_argument("--resume", action="store_true", help="continue a finished run up to --epochs")
    train.add_argument("--latent-dim", type=int, default=100,
                       help="noise size (default 100); the gan and wgangp presets, and dcgan below 64 pixels, read 10 "
                       "mixture pieces from it, so it must be above 10 there")
    train.add_argument("--image-size", type=int, default=None, help="side for image folders (default 64)")
    train.add_argument("--steps-per-epoch", type=int, default=None, help="limit batches per epoch")
    train.add_argument("--seed", type=int, default=None,
                       help="default 0; with --recipe, the seed of the recipe's shipped run")
    train.add_argument("--ema-decay", type=float, default=None,
                       help="keep an EMA of the generator (e.g. 0.999); samples and exports use it")
    train.add_argument("--augment", default=None,
                       help="augment what the discriminator sees: a DiffAugment policy such as "
                       "color,translation,cutout, or ada")
    train.add_argument("--jit-compile", choices=("auto", "on", "off", "measure"), default=None,
                       help="XLA: auto (Keras's rule, the default: off on CPU-only TensorFlow), on, off, or "
                       "measure (time the first steps both ways, keep the faster; a resumed run keeps the choice)")
    train.set_defaults(run=run)


def run(args):
    if args.recipe:
        return run_recipe(args)
    if args.dataset is None or args.epochs is None:
        raise CommandError("--algorithm needs --dataset and --epochs")
    args.batch_size = 64 if args.batch_size is None else args.batch_size
    args.seed = 0 if args.seed is None else args.seed
    if args.epochs < 1 or args.batch_size < 1:
        raise CommandError(f"--epochs and --batch-size must be >= 1, got {args.epochs} and {args.batch_size}")
    check_writable(os.path.abspath(args.out), args.out)
    final = os.path.join(args.out, "model.keras")
    if os.path.exists(final) and not args.resume:
        raise CommandError(f"{args.out!r} already holds a finished run; pass --resume to train it further")

    import keras

    import kgan
    from kgan import datasets
    from kgan.cli import build

    images, labels = datasets.load(args.dataset, image_size=args.image_size)
    if args.algorithm == "cgan" and labels is None:
        raise CommandError(f"--algorithm cgan needs labelled data; {args.dataset!r} has no labels")
    _check_config(args)  # only once the data is known to be good: a failed start writes nothing
    keras.utils.set_random_seed(args.seed)
    initial_epoch = 0
    if os.path.exists(final):  # --resume of a finished run
        model = keras.saving.load_model(final)
        initial_epoch = _epochs_done(args.out)
        if initial_epoch >= args.epochs:
            raise CommandError(f"{args.out!r} has already trained {initial_epoch} epochs; raise --epochs")
    else:
        model = build.model(args.algorithm, images.shape[1:], labels, args.latent_dim, args.seed,
                            ema_decay=args.ema_decay, augment=args.augment, jit_compile=args.jit_compile)
    # --batch-size images per discriminator update: kgan groups n_critic batches per step itself.
    data = datasets.to_dataset(images, labels if args.algorithm == "cgan" else None, batch_size=args.batch_size,
                               seed=args.seed)
    callbacks = [
        keras.callbacks.BackupAndRestore(os.path.join(args.out, "backup")),
        keras.callbacks.CSVLogger(os.path.join(args.out, "log.csv"), append=True),
        keras.callbacks.TensorBoard(os.path.join(args.out, "logs")),
        keras.callbacks.ModelCheckpoint(os.path.join(args.out, "checkpoints", "epoch_{epoch:04d}.keras"),
                                        save_freq="epoch"),
        kgan.callbacks.SampleGrid(os.path.join(args.out, "samples")),
    ]
    model.fit(data, epochs=args.epochs, initial_epoch=initial_epoch, steps_per_epoch=args.steps_per_epoch,
              callbacks=callbacks, verbose=1, shuffle=False)  # the dataset shuffles itself
    staging = os.path.join(args.out, ".model.keras.tmp.keras")
    model.save(staging)
    os.replace(staging, final)
    print(f"trained {args.algorithm} on {args.dataset} for {args.epochs} epochs: {final}")


def recipe_names():
    """The modules of ``zoo.recipes`` that train something (not its shared helpers)."""
    import pkgutil

    import zoo.recipes

    return sorted(m.name for m in pkgutil.iter_modules(zoo.recipes.__path__) if m.name not in RECIPE_HELPERS)


RECIPE_HELPERS = {"common", "readme", "compare"}


def run_recipe(args):
    names = recipe_names()
    if args.recipe not in names:
        raise CommandError(f"unknown recipe {args.recipe!r}; the zoo's recipes are {', '.join(names)}")
    for option in ("epochs", "batch_size", "steps_per_epoch"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise CommandError(f"--{option.replace('_', '-')} must be >= 1, got {value}")
    if (args.resume or args.ema_decay is not None or args.augment or args.image_size or args.latent_dim != 100
            or args.jit_compile is not None):
        raise CommandError("--recipe uses the recipe's own settings; --resume, --ema-decay, --augment, "
                           "--image-size, --latent-dim and --jit-compile go with --algorithm (rerun the same "
                           "--recipe command to resume)")
    if args.dataset is not None and not os.path.isfile(args.dataset):
        raise CommandError(f"--recipe reads a local .npz; {args.dataset!r} is not a file")
    check_writable(os.path.abspath(args.out), args.out)
    import importlib

    recipe = importlib.import_module(f"zoo.recipes.{args.recipe}")
    final = os.path.join(args.out, getattr(recipe, "FINAL_MODEL", "model.keras"))  # after every phase
    if os.path.exists(final):
        raise CommandError(f"{args.out!r} already holds a finished run of a recipe; use another --out")
    argv = ["--run-dir", args.out, "--no-publish"]
    for flag, value in (("--data", args.dataset), ("--epochs", args.epochs), ("--batch-size", args.batch_size),
                        ("--steps-per-epoch", args.steps_per_epoch), ("--seed", args.seed)):
        argv += [flag, str(value)] if value is not None else []
    try:
        recipe.main(argv)
    except FileNotFoundError as error:
        raise CommandError(f"recipe {args.recipe} cannot read its data ({error}); pass --dataset with the path "
                           "of a local .npz (see the recipe's docstring)") from error
    print(f"trained recipe {args.recipe}: {final}")


def _check_config(args):
    """The run folder remembers its settings; a resumed command must use the same ones."""
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "config.json")
    current = {k: getattr(args, k) for k in SETTINGS}
    if os.path.exists(path):
        with open(path) as f:
            saved = json.load(f)
        changed = {k: (saved.get(k), v) for k, v in current.items() if saved.get(k) != v}
        if changed:
            detail = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in changed.items())
            raise CommandError(f"{args.out!r} was started with other settings ({detail}); use another --out")
        return
    with open(path + ".tmp", "w") as f:
        json.dump(current, f, indent=2)
    os.replace(path + ".tmp", path)


def _epochs_done(run_dir):
    import csv

    with open(os.path.join(run_dir, "log.csv")) as f:
        return max(int(row["epoch"]) for row in csv.DictReader(f)) + 1

