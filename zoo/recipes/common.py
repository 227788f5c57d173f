"""What every recipe shares: arguments, resumable training, publishing weights and figures."""

import argparse
import functools
import json
import os
import time

import keras
import numpy as np

import kgan
from zoo import registry
from zoo.machine import cpu_line
from zoo.weights_io import WEIGHTS_DIR, save_float16, sha256_of

SAMPLES_DIR = os.path.join(os.path.dirname(WEIGHTS_DIR), "samples")
DEFAULT_MNIST = os.path.join("..", "shared", "data", "mnist.npz")
DEFAULT_CELEBA = os.path.join("..", "shared", "data", "celeba64_15722.npz")


def parse_args(name, epochs, data=DEFAULT_MNIST, batch_size=128, argv=None, seed=0):
    """The recipe's options; ``argv`` (default ``sys.argv[1:]``) lets ``kgan train --recipe`` call it;
    ``seed`` is the seed of the shipped run, so the bare command reproduces the shipped file."""
    parser = argparse.ArgumentParser(description=f"Reproduce the zoo's {name} weights (resumable).")
    parser.add_argument("--data", default=data, help="local .npz with the training data")
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch-size", type=int, default=batch_size)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--run-dir", default=os.path.join("runs", name), help="checkpoints, logs and samples")
    parser.add_argument("--no-publish", action="store_true", help="train only; do not write into zoo/")
    parser.add_argument("--steps-per-epoch", type=int, default=None, help="limit batches per epoch (smoke runs)")
    return parser.parse_args(argv)


class EpochClock(keras.callbacks.Callback):
    """Wall-clock and process CPU seconds of every finished epoch, kept in JSON files that
    survive resumes (``epoch_seconds.json``, ``epoch_cpu_seconds.json``). CPU seconds (both
    cores' worth) measure the work even when other jobs share the machine."""

    def __init__(self, path):
        super().__init__()
        self.path, self.cpu_path = path, os.path.join(os.path.dirname(path), "epoch_cpu_seconds.json")
        self.seconds, self.cpu_seconds = _read_json(self.path), _read_json(self.cpu_path)

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._cpu_start = time.time(), time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds[str(epoch)] = round(time.time() - self._start, 1)
        self.cpu_seconds[str(epoch)] = round(time.process_time() - self._cpu_start, 1)
        _write_json(self.path, self.seconds)
        _write_json(self.cpu_path, self.cpu_seconds)

    @property
    def total(self):
        return sum(self.seconds.values())


def _read_json(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _write_json(path, value):
    with open(path + ".tmp", "w") as f:
        json.dump(value, f)
    os.replace(path + ".tmp", path)


def learning_curve(run_dir, csv_name="quality.csv", first_epoch=0):
    """The run's quality log against training time: a list of dicts, one per logged epoch,
    with ``minutes`` (wall-clock training minutes up to that epoch's end, from
    ``epoch_seconds.json``) and the CSV's columns. ``first_epoch``: the number the CSV gives
    the first epoch (QualityLog counts from 0, FaceCurve from 1)."""
    import csv

    seconds = _read_json(os.path.join(run_dir, "epoch_seconds.json"))
    path = os.path.join(run_dir, csv_name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        rows = list(csv.DictReader(f))
    curve = []
    for row in rows:
        done = int(row["epoch"]) - first_epoch  # 0-based index of the epoch just finished
        minutes = sum(v for k, v in seconds.items() if int(k) <= done) / 60
        curve.append({"minutes": round(minutes, 1), **{k: float(v) for k, v in row.items() if k != "epoch"},
                      "epoch": done + 1})
    return curve


class QualityLog(keras.callbacks.Callback):
    """After every epoch, ``quality(generator)``'s figures appended to a CSV in the run dir.

    A cheap learning curve (FD, mean confidence, smallest and largest class share, and for a
    conditional model the asked-for digit's rate) that shows whether a recipe's epoch count is
    past the point of diminishing returns. A resumed run keeps the columns its file started with.
    """

    COLUMNS = ("fd", "mean_confidence", "min_share", "max_share")

    def __init__(self, path, quality):
        super().__init__()
        self.path, self.quality = path, quality

    def on_epoch_end(self, epoch, logs=None):
        q = self.quality(getattr(self.model, "sampling_generator", self.model.generator))  # the EMA one, if any
        values = {"fd": f"{q['fd']:.3f}", "mean_confidence": f"{q['mean_confidence']:.4f}",
                  "min_share": f"{min(q['class_shares']):.4f}", "max_share": f"{max(q['class_shares']):.4f}"}
        if "conditional_accuracy" in q:
            values["conditional_accuracy"] = f"{q['conditional_accuracy']:.4f}"
        if os.path.exists(self.path):
            with open(self.path) as f:
                columns = f.readline().strip().split(",")[1:]
        else:
            columns = [c for c in (*self.COLUMNS, "conditional_accuracy") if c in values]
            with open(self.path, "w") as f:
                f.write(",".join(["epoch", *columns]) + "\n")
        with open(self.path, "a") as f:
            f.write(",".join([str(epoch), *(values.get(c, "") for c in columns)]) + "\n")


class LinearDecay(keras.callbacks.Callback):
    """Both optimizers' learning rate: ``rate`` before epoch ``start`` (0-based), then down in a
    straight line, epoch by epoch, to ``rate / (end - start + 1)`` in the last epoch ``end``
    (e.g. start 40, end 49: epochs 41-50 run at 1.0, 0.9, ..., 0.1 times ``rate``). ``rate`` is
    one rate for both optimizers or a pair ``(generator_rate, discriminator_rate)``. Set at
    every epoch's start from the epoch number alone, so a resumed run follows the same schedule."""

    def __init__(self, rate, start, end):
        super().__init__()
        rates = tuple(rate) if isinstance(rate, (tuple, list)) else (rate, rate)
        if len(rates) != 2:
            raise ValueError(f"LinearDecay: rate must be a number or a (generator, discriminator) pair, got {rate!r}.")
        self.rates, self.start, self.end = tuple(float(r) for r in rates), int(start), int(end)

    def factor_at(self, epoch):
        if epoch < self.start:
            return 1.0
        return max(0, self.end + 1 - epoch) / (self.end + 1 - self.start)

    def on_epoch_begin(self, epoch, logs=None):
        factor = self.factor_at(epoch)
        for optimizer, rate in zip((self.model.g_optimizer, self.model.d_optimizer), self.rates):
            optimizer.learning_rate = rate * factor


def fit_resumable(model, data, args, callbacks=(), **fit_kwargs):
    """``fit`` with BackupAndRestore under the run dir: rerunning the command resumes it.

    When training ends, the whole model is saved as ``model.keras`` in the run dir. Rerunning
    the command after that (e.g. a ``--no-publish`` run, to publish it) loads that file into
    ``model`` instead of training again: ``BackupAndRestore`` removes its backup when ``fit``
    ends, so ``fit`` would start over from scratch.

    Returns the training seconds of all epochs, summed over every session of the run.
    """
    os.makedirs(args.run_dir, exist_ok=True)
    clock = EpochClock(os.path.join(args.run_dir, "epoch_seconds.json"))
    finished = os.path.join(args.run_dir, "model.keras")
    if os.path.exists(finished) and not os.path.exists(os.path.join(args.run_dir, "backup")):
        model.load_weights(finished)
        print(f"[recipe] {args.run_dir} has finished training ({clock.total:.0f} s): loaded {finished} "
              "instead of training again; use a new --run-dir to retrain", flush=True)
        return clock.total
    callbacks = [
        clock,
        keras.callbacks.BackupAndRestore(os.path.join(args.run_dir, "backup")),
        keras.callbacks.CSVLogger(os.path.join(args.run_dir, "log.csv"), append=True),
        *callbacks,
    ]
    if hasattr(model, "generate"):
        callbacks.append(kgan.callbacks.SampleGrid(os.path.join(args.run_dir, "samples"), n=64))
    start = time.time()
    if hasattr(data, "element_spec"):
        fit_kwargs.setdefault("shuffle", False)  # tf.data pipelines shuffle themselves
    model.fit(data, epochs=args.epochs, callbacks=callbacks, verbose=2,
              steps_per_epoch=getattr(args, "steps_per_epoch", None), **fit_kwargs)
    staging = os.path.join(args.run_dir, ".model.keras.tmp.keras")
    model.save(staging)  # the whole trained model (EMA included), for kgan sample / evaluate / export
    os.replace(staging, os.path.join(args.run_dir, "model.keras"))
    print(f"[recipe] fit ran {time.time() - start:.0f} s this session, per-epoch measurements included; "
          f"training epochs {clock.total:.0f} s over all sessions", flush=True)
    return clock.total


def publish(name, network, quality, seconds=None, build=None, curve=None, notes=None, run_dir=None):
    """Write the float16 weights, a sample grid, and the manifest record for ``name``.

    ``build``: the architecture to reload the file into (default the registry's builder; a
    recipe that changes the architecture passes its own and switches the registry entry in
    the same commit). ``curve``: the learning curve (``learning_curve``) to store;
    ``notes``: a dict of other facts for the record (e.g. which generator was chosen);
    ``run_dir``: where the run's per-epoch CPU seconds are (a list: summed over the folders),
    recorded when there.
    """
    spec = registry.entry(name)
    path = os.path.join(WEIGHTS_DIR, spec.weights_file)
    save_float16(network, path)
    shipped = (build or spec.build)()  # measure what ships: reload the float16 file
    shipped.load_weights(path)
    record = {
        "sha256": sha256_of(path),
        "file_size": os.path.getsize(path),
        "parameters": int(shipped.count_params()),
        "quality": quality(shipped) if callable(quality) else quality,
        "recipe": spec.recipe,
    }
    if seconds is not None:
        record["train_seconds"] = round(seconds)
        record["machine"] = cpu_line()
        run_dirs = [run_dir] if isinstance(run_dir, str) else run_dir or []
        cpu = sum(sum(_read_json(os.path.join(d, "epoch_cpu_seconds.json")).values()) for d in run_dirs)
        if cpu:
            record["train_cpu_seconds"] = round(cpu)
    if curve:
        record["curve"] = curve
    if notes:
        record.update(notes)
    if spec.kind == "generator":
        write_samples(name, shipped, spec.conditional)
    manifest = registry.read_manifest()
    manifest[name] = record
    staging = registry.MANIFEST + ".tmp"
    with open(staging, "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(staging, registry.MANIFEST)
    print(f"[recipe] published {name}: {json.dumps(record)}", flush=True)
    return record


def write_samples(name, generator, conditional, n=64, seed=0):
    noise = np.random.default_rng(seed).standard_normal((n, generator.inputs[0].shape[-1])).astype("float32")
    # Conditional: one digit per column (0..7; 0..9 does not fit 8 columns).
    inputs = [noise, np.tile(np.arange(8), n // 8 + 1)[:n]] if conditional else noise
    images = keras.ops.convert_to_numpy(generator.predict(inputs, verbose=0))
    os.makedirs(SAMPLES_DIR, exist_ok=True)
    kgan.images.save_grid(images, os.path.join(SAMPLES_DIR, f"{name}.png"), nrow=8)


def mnist_quality(data_path, conditional=False, n=10000):
    """Figures in the shipped MNIST classifier's space, ``n`` samples against MNIST test.

    Returns ``quality(generator, n=n)``; the classifier and test set load once for every call.
    """
    import zoo
    from kgan.datasets import load_npz

    x_test, _ = load_npz(data_path, "test")
    classifier = zoo.mnist_classifier()
    features = zoo.feature_extractor(classifier)

    def quality(generator, n=n):
        figures = kgan.evaluate(generator, x_test, n=n, feature_extractor=features, classifier=classifier,
                                num_classes=10 if conditional else None, seed=0)
        keep = ("fd", "kid", "kid_std", "is", "is_std", "mean_confidence", "conditional_accuracy", "class_shares")
        out = {k: figures[k] for k in keep if k in figures}
        out["class_shares"] = [round(float(s), 4) for s in out["class_shares"]]
        out["feature_space"] = f"zoo.mnist_classifier features (128-d), {n:,} samples vs MNIST test"
        return {k: round(v, 5) if isinstance(v, float) else v for k, v in out.items()}

    return quality


def face_quality(faces, n=5000, detect=True):
    """FD and KID in ``zoo.celeba_features`` and (``detect``) the MTCNN face detection rate.

    The detection rate is measured on the same ``n`` samples (seeded noise), see
    ``zoo/face_detection.py``; FD alone no longer ranks good face generators.
    """
    import zoo
    from zoo.face_detection import detection_rate

    features = zoo.celeba_features()

    def quality(generator):
        figures = kgan.evaluate(generator, faces[:n], n=n, feature_extractor=features, seed=0)
        extra = {}
        if detect:
            samples = generator.predict(kgan.latent.sample(n, generator.inputs[0].shape[-1], seed=0), verbose=0)
            extra = {"face_detection_rate": round(detection_rate(keras.ops.convert_to_numpy(samples)), 4),
                     "face_detector": "MTCNN (mtcnn 1.x), confidence >= 0.9 at 128x128"}
        return {
            **extra,
            "fd": round(figures["fd"], 4),
            "kid": round(figures["kid"], 5),
            "kid_std": round(figures["kid_std"], 5),
            "feature_space": f"zoo.celeba_features (256-d rotation-prediction CNN), {n} samples vs {n} CelebA faces",
        }

    return quality


def adam(lr, beta_1=0.5, beta_2=0.999):
    return keras.optimizers.Adam(lr, beta_1=beta_1, beta_2=beta_2)


def train_gan(name, model, args, labels=False, fit_batch=None, callbacks=(), ship=None, finetune=None,
              extra_quality=None):
    """Seeded, resumable training of a zoo GAN on MNIST, then publish with measured figures
    (of the better of the EMA and the raw generator when the model keeps an EMA, or of the one
    ``ship`` names, ``"ema"`` or ``"raw"``, where the recipe's docstring measured why).

    ``finetune``: ``(make, epochs)`` for a second phase after the first: ``make(path)`` returns
    the model to go on with (its own settings, the weights of the first phase's finished
    ``model.keras`` at ``path``), trained ``epochs`` more in ``RUN_DIR/finetune`` (resumable too);
    what it ends with is published, and the manifest's ``curve`` stays the first phase's (the
    second's is its ``finetune_curve``). ``extra_quality``: ``extra(shipped)`` returns more figures
    for the record of the published network (e.g. what InfoGAN's codes mean)."""
    from kgan.datasets import load_npz, to_dataset

    x, y = load_npz(args.data, "train")
    dataset = to_dataset(x, y if labels else None, batch_size=fit_batch or args.batch_size, seed=args.seed)
    measure = mnist_quality(args.data, conditional=labels)
    curve = QualityLog(os.path.join(args.run_dir, "quality.csv"), functools.partial(measure, n=2000))
    seconds = fit_resumable(model, dataset, args, callbacks=[*callbacks, curve])
    notes, run_dirs = {}, [args.run_dir]
    if finetune is not None:
        make, epochs = finetune
        phase = argparse.Namespace(**{**vars(args), "run_dir": os.path.join(args.run_dir, "finetune"),
                                      "epochs": epochs})
        model = make(os.path.join(args.run_dir, "model.keras"))
        tail = QualityLog(os.path.join(phase.run_dir, "quality.csv"), functools.partial(measure, n=2000))
        seconds += fit_resumable(model, dataset, phase, callbacks=[tail])
        notes["finetune_curve"] = learning_curve(phase.run_dir)
        run_dirs.append(phase.run_dir)
    if not args.no_publish:
        best, network, measured = better_generator(model, measure, mnist_rank, prefer=ship)
        if len(measured) > 1:
            notes.update(generator=best, candidates=measured)
        quality = measure if extra_quality is None else (lambda shipped: dict(measure(shipped),
                                                                               **extra_quality(shipped)))
        publish(name, network, quality, seconds, curve=learning_curve(args.run_dir), run_dir=run_dirs,
                notes=notes or None)


def continue_from(path, gan, rates):
    """``gan`` (compiled, other settings) holding the finished run at ``path`` (a ``.keras``
    file: networks, EMA, optimizers' moments), its two optimizers set to ``rates`` (generator,
    discriminator): a ``train_gan`` second phase."""
    gan.load_weights(path)
    for optimizer, rate in zip((gan.g_optimizer, gan.d_optimizer), rates):
        optimizer.learning_rate.assign(rate)
    return gan


def mnist_rank(figures):
    """Higher is better: the asked-for digit's rate first (conditional models), then low FD."""
    return figures.get("conditional_accuracy", 0.0), -figures["fd"]


def better_generator(model, quality, rank, prefer=None):
    """``(which, network, figures)``: the EMA (``"ema"``) or the raw (``"raw"``) generator,
    whichever ``rank(quality(network))`` puts higher, or ``prefer`` where given (both are
    measured either way, for the record); without an EMA, ``sampling_generator`` alone (a VAE
    has no ``generator``), not measured: there is nothing to choose, and ``publish`` measures
    what ships (``figures`` is then empty). The average's batch-norm statistics are the raw
    network's, so it is not always the better."""
    candidates = {"raw": model.sampling_generator}  # a VAE's decoder, or a GAN's generator
    if getattr(model, "ema_generator", None) is not None:
        candidates = {"ema": model.sampling_generator, "raw": model.generator}
    if prefer is not None and prefer not in candidates:
        raise ValueError(f"prefer={prefer!r}: this model's generators are {sorted(candidates)}")
    if len(candidates) == 1:
        return "raw", candidates["raw"], {}
    measured = {which: quality(network) for which, network in candidates.items()}
    best = prefer or max(measured, key=lambda which: rank(measured[which]))
    print(f"[recipe] candidates: {measured}; shipping the {best} generator", flush=True)
    return best, candidates[best], measured
