"""``kgan evaluate``: FD, KID, IS and class figures of a generator's samples against real data."""

import json

from kgan.cli.sources import CommandError, load_source


def add_parser(commands):
    evaluate = commands.add_parser("evaluate", help="measure a generator's samples against real data")
    evaluate.add_argument("model", help="zoo name or kgan .keras file")
    evaluate.add_argument("--data", required=True, help="real images: mnist, fashion_mnist, .npz or folder")
    evaluate.add_argument("--n", type=int, default=10000, help="samples and real images (default 10000)")
    evaluate.add_argument("--split", default="test", help="split of a .npz with x_SPLIT keys (default test)")
    evaluate.add_argument("--features", choices=("auto", "inception"), default="auto",
                          help="auto: the zoo's MNIST classifier (28x28x1) or face features (64x64x3); "
                          "inception: InceptionV3 (downloads ImageNet weights)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(run=run)


def run(args):
    import kgan
    from kgan import datasets

    source = load_source(args.model, allow_saved_model=False)
    real = _real_images(args, datasets)
    shape = tuple(real.shape[1:])
    extractor, classifier, space = _feature_space(args.features, shape)
    figures = kgan.evaluate(source.model, real, n=args.n, feature_extractor=extractor, classifier=classifier,
                            num_classes=source.num_classes, latent_dim=source.latent_dim, seed=0)
    figures["feature_space"] = space
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{source.description}: {args.n} samples vs {figures['n_real']} real images, features: {space}")
    for key, value in figures.items():
        if key not in ("feature_space", "class_shares"):
            print(f"  {key:22s} {value:.6g}" if isinstance(value, float) else f"  {key:22s} {value}")
    if "class_shares" in figures:
        print("  class_shares           " + " ".join(f"{s:.3f}" for s in figures["class_shares"]))


def _real_images(args, datasets):
    if args.data.endswith(".npz"):
        images, _ = datasets.load_npz(args.data, args.split)
    else:
        images, _ = datasets.load(args.data)
    if len(images) < 2:
        raise CommandError(f"{args.data!r} holds {len(images)} images; need at least 2")
    return images


def _feature_space(choice, shape):
    import zoo

    if choice == "inception":
        import kgan

        return kgan.metrics.inception_v3(input_shape=shape), None, "InceptionV3 pool3 (2048-d, ImageNet)"
    if shape == (28, 28, 1):
        classifier = zoo.mnist_classifier()
        return zoo.feature_extractor(classifier), classifier, "zoo.mnist_classifier features (128-d)"
    if shape == (64, 64, 3):
        return zoo.celeba_features(), None, "zoo.celeba_features (256-d)"
    raise CommandError(f"no offline feature space for images of shape {shape}; pass --features inception")

