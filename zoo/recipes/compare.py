"""GAN against VAE on MNIST and on faces (issue 21).  ``python -m zoo.recipes.compare``

Measures every trained model of the comparison on the same seeded samples (``--n`` of them; noise
from ``np.random.default_rng(0)``, drawn as ``kgan.evaluate`` draws it, so every figure describes
the samples FD saw) and writes:

- ``zoo/compare.json``: the figures, from which the README section is rendered again (also by
  ``python -m zoo.recipes.readme``, which keeps the section);
- ``zoo/samples/compare_mnist.png`` and ``compare_faces.png``: real images and each model's
  samples side by side;
- the section of ``zoo/README.md`` between ``<!-- compare:start -->`` and ``<!-- compare:end -->``
  (appended when absent): the tables, the grids and two sentences of conclusion computed from
  the figures.

Figures: MNIST as its recipes measure it (``common.mnist_quality``: FD and KID in the zoo
classifier's 128-d features, IS, mean confidence, class shares against MNIST test), faces likewise
(``common.face_quality``: FD and KID in ``zoo.celeba_features``, MTCNN faces found); for both,
``sharpness`` (mean variance of the 3x3 Laplacian relative to real images: blur lowers it, a VAE's
known weakness) and the near-duplicate share of ``kgan.metrics.ModeMonitor`` (samples whose
nearest other sample lies within the 1 % quantile of real images' nearest-neighbour distances, in
the FD's feature space; the reference images score about 1 % by construction, while four seeded
random draws of ``--n`` of the images the models learnt from give real data's share to compare with:
on faces the two differ, as the file's later faces repeat identities), and the same share in pixel
space (``pixel_features``: block means, at most 16x16 per channel), which a learned feature space
cannot distort: faces that look nothing alike can lie close in ``zoo.celeba_features``. Models without weights are
listed as "not trained yet" with their recipe; weights that no longer load into the registry's
builder are skipped with the reason. ``--only mnist|faces`` keeps the other dataset's stored figures;
``--models NAME ...`` measures those models again and keeps the others' stored rows wherever their
weights are unchanged (each row holds its weights' sha256), e.g. after one model was retrained.
"""

import argparse
import json
import os
import re

import numpy as np

from zoo import registry
from zoo.machine import cpu_line
from zoo.recipes.readme import _cpu, _train_time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPARE_JSON = os.path.join(HERE, "compare.json")
README = os.path.join(HERE, "README.md")
START, END = "<!-- compare:start -->", "<!-- compare:end -->"

MODELS = {
    "mnist": ("mnist_gan", "mnist_dcgan", "mnist_wgangp", "mnist_wgan", "mnist_infogan", "mnist_vae"),
    "faces": ("celeba_dcgan", "celeba_progan", "celeba_vae"),
}
DEFAULT_N = {"mnist": 10000, "faces": 5000}  # as the zoo's recipes measure
GRID = {"mnist": (6, 6), "faces": (2, 4)}  # rows x columns per model in the PNGs (faces: < 300 KB with 4 blocks)
REAL = {"mnist": "MNIST test digits", "faces": "CelebA faces"}
TRAINING = {"mnist": "MNIST training digits", "faces": "all training faces"}  # what the models learnt from
NAME = {"mnist": "MNIST", "faces": "faces"}  # the dataset as the conclusion names it
TRAINING_DRAWS = 4  # random draws of the training images whose near-duplicate shares stand for real data
LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R BT.601, as PIL's convert("L")


# ------------------------------------------------------------------ figures
def grayscale(images):
    """(n, h, w, 1) or (n, h, w, 3) images -> (n, h, w) float64 (BT.601 luma for RGB)."""
    x = np.asarray(images, dtype=np.float64)
    if x.ndim != 4 or x.shape[-1] not in (1, 3):
        raise ValueError(f"Expected images of shape (n, h, w, 1) or (n, h, w, 3); got shape {x.shape}.")
    return x[..., 0] if x.shape[-1] == 1 else x @ LUMA


def laplacian_variance(images):
    """Each image's variance of its 3x3 Laplacian ([[0, 1, 0], [1, -4, 1], [0, 1, 0]], valid
    positions only), on grayscale: the usual blur measure, large for edges and fine detail."""
    x = grayscale(images)
    if x.shape[1] < 3 or x.shape[2] < 3:
        raise ValueError(f"The 3x3 Laplacian needs images of at least 3x3 pixels; got shape {np.shape(images)}.")
    laplacian = x[:, :-2, 1:-1] + x[:, 2:, 1:-1] + x[:, 1:-1, :-2] + x[:, 1:-1, 2:] - 4.0 * x[:, 1:-1, 1:-1]
    return laplacian.var(axis=(1, 2))


def sharpness(samples, real):
    """Mean Laplacian variance of ``samples`` over that of ``real`` images (same value scale):
    real-like detail scores 1.0, blurrier samples less."""
    reference = laplacian_variance(real).mean()
    if not reference > 0:
        raise ValueError(f"The real images have no detail (mean Laplacian variance {reference!r}).")
    return float(laplacian_variance(samples).mean() / reference)


def pixel_features(images, size=16):
    """``(n, h, w, c)`` images -> ``(n, d)`` means of square pixel blocks, the smallest integer block
    that leaves at most ``size`` blocks per side (28 -> 14x14, 64 -> 16x16): a feature-free space
    for near-duplicates, in which one pixel's noise cannot separate two copies."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim != 4:
        raise ValueError(f"Expected images of shape (n, h, w, c); got shape {x.shape}.")
    n, h, w, c = x.shape
    block = max(1, -(-max(h, w) // size))
    if h % block or w % block:
        raise ValueError(f"Images of {h}x{w} pixels do not split into {block}x{block} blocks (size={size}).")
    return x.reshape(n, h // block, block, w // block, block, c).mean(axis=(2, 4)).reshape(n, -1)


def duplicate_monitor(real, features, n):
    """A ``ModeMonitor`` whose reference is the first ``n`` real images in ``features``' space:
    it holds the near-duplicate threshold and the real images' own share (``real_figures``)."""
    from kgan.metrics import ModeMonitor

    monitor = ModeMonitor(real, feature_extractor=features, n=n)
    monitor.reference()
    return monitor


def near_duplicate_share(monitor, samples):
    """The share of ``samples`` (exactly ``monitor.n``) with a near-duplicate among the others."""
    return monitor.measure(samples)["mode_duplicates"]


def training_draws(training, n, draws=TRAINING_DRAWS):
    """``draws`` seeded random draws of ``n`` of the ``training`` images each (without replacement
    within a draw): what a generator that matched its training data would look like, to set its
    near-duplicate share beside. The reference's own share is about 1 % by construction, and a
    training file's first images need not stand for the whole: the faces file is sorted by name,
    and its last 38 % (one source, grouped by celebrity) repeat identities."""
    if not 2 <= n <= len(training):
        raise ValueError(f"n={n}: need 2 <= n <= {len(training)}, the training images available.")
    return [np.asarray(training)[np.sort(np.random.default_rng(seed).choice(len(training), n, replace=False))]
            for seed in range(draws)]


def training_figures(monitor, pixel_monitor, training, n, draws=TRAINING_DRAWS):
    """Near-duplicate shares of ``training_draws`` (features and pixels): the mean and the range."""
    figures = {}
    shares = {"": [], "pixel_": []}
    for draw in training_draws(training, n, draws):
        shares[""].append(near_duplicate_share(monitor, draw))
        shares["pixel_"].append(near_duplicate_share(pixel_monitor, draw))
    for prefix, values in shares.items():
        figures[f"training_{prefix}near_duplicates"] = round(float(np.mean(values)), 4)
        figures[f"training_{prefix}near_duplicates_range"] = [round(min(values), 4), round(max(values), 4)]
    return {**figures, "training_draws": draws}


def samples_of(generator, n, seed=0):
    """``n`` samples of an unconditional generator, noise drawn exactly as ``kgan.evaluate``'s."""
    from kgan.metrics.evaluate import generate_images, latent_size

    rng = np.random.default_rng(seed)
    return np.concatenate([images for images, _ in generate_images(generator, n, latent_size(generator), rng)])


# ------------------------------------------------------------------ models
def family(name):
    return "VAE" if name.endswith("_vae") else "GAN"


def _load_failure(error):
    """Why trained weights did not load, in one line (for Keras's shape mismatch: which
    variable, and its shape in the builder and in the file)."""
    text = str(error).strip()
    first = text.splitlines()[0][:160] if text else type(error).__name__
    if isinstance(error, FileNotFoundError):
        return f"the weights file is missing ({first})"
    if "sha256" in first:
        return f"the weights file fails its sha256 check ({first})"
    shapes = re.search(r"variable\.shape=(\([^)]*\)), Received: value\.shape=(\([^)]*\))", text)
    variable = re.search(r"Target variable: <Variable path=([^,>\s]+)", text)
    if shapes:
        first = f"{variable.group(1) if variable else 'a variable'}: builder {shapes.group(1)}, file {shapes.group(2)}"
    return f"the weights do not match the registry's builder, e.g. a new version is training ({first})"


def load_row(name, manifest, load=registry.load):
    """``(row, generator)``: a trained, loadable model's generator, else ``None`` and a row saying
    "not trained yet" (no registry entry or no weights; with the recipe) or "skipped" (why)."""
    spec = registry.ENTRIES.get(name)
    row = {"name": name, "family": family(name),
           "recipe": spec.recipe if spec else f"python -m zoo.recipes.{name}"}
    if spec is None or not manifest.get(name, {}).get("sha256"):
        return {**row, "status": "not trained yet"}, None
    try:
        generator = load(name)
    except (ValueError, FileNotFoundError) as error:
        return {**row, "status": "skipped", "reason": _load_failure(error)}, None
    return {**row, "status": "measured"}, generator


def measure(dataset, real, n, quality, features, manifest=None, load=registry.load, grid_path=None, keep=None,
            training=None):
    """Rows of figures for ``MODELS[dataset]`` against the first ``n`` of ``real``; writes the
    side-by-side grid to ``grid_path`` when a model was measured.

    ``training``: the images the models learnt from; the near-duplicate shares of random draws of
    ``n`` of them (``training_figures``) are what real data has, to hold the samples' against.

    ``keep``: earlier rows (``{name: row}``, measured on the same ``n``) whose figures stand
    where the row's ``sha256`` is the manifest's (the same weights); any other model is measured.
    A kept model is still sampled, for the grid."""
    if dataset not in MODELS:
        raise ValueError(f"Unknown dataset {dataset!r}; valid: {', '.join(MODELS)}.")
    if not 2 <= n <= len(real):
        raise ValueError(f"n={n} for {dataset}: need 2 <= n <= {len(real)}, the real images available.")
    manifest = registry.read_manifest() if manifest is None else manifest
    monitor = duplicate_monitor(real, features, n)
    pixel_monitor = duplicate_monitor(real, pixel_features, n)
    reference = np.asarray(real[:n])
    rows, blocks = [], [("real", reference)]
    for name in MODELS[dataset]:
        row, generator = load_row(name, manifest, load)
        if generator is not None:
            sha256 = manifest[name]["sha256"]
            kept = (keep or {}).get(name, {})
            samples = samples_of(generator, n)
            if kept.get("sha256") == sha256 and kept.get("figures"):
                print(f"[compare] {name}: same weights as the stored row, its figures kept", flush=True)
                figures = kept["figures"]
            else:
                print(f"[compare] {name}: {n:,} samples", flush=True)
                figures = dict(quality(generator))
                figures["sharpness"] = round(sharpness(samples, reference), 4)
                figures["near_duplicates"] = round(near_duplicate_share(monitor, samples), 4)
                figures["pixel_near_duplicates"] = round(near_duplicate_share(pixel_monitor, samples), 4)
            row.update(figures=figures, parameters=int(generator.count_params()), sha256=sha256,
                       train_time=_train_time(manifest.get(name, {})))
            blocks.append((name, samples))
        else:
            print(f"[compare] {name}: {row['status']}{': ' + row['reason'] if 'reason' in row else ''}", flush=True)
        rows.append(row)
    result = {"n": n, "machine": cpu_line(), "cores": os.cpu_count(), "rows": rows,
              "real_near_duplicates": round(monitor.real_figures["mode_duplicates"], 4),
              "real_pixel_near_duplicates": round(pixel_monitor.real_figures["mode_duplicates"], 4)}
    if training is not None:
        result.update(training_figures(monitor, pixel_monitor, training, n))
    if grid_path and len(blocks) > 1:
        write_grid(blocks, grid_path, *GRID[dataset])
        result["grid"] = os.path.relpath(grid_path, HERE)
    return result


# ------------------------------------------------------------------ grid
def write_grid(blocks, path, rows, cols, gap=8, label_height=14):
    """``[(label, images), ...]`` as labelled ``rows`` x ``cols`` grids (the first images of
    each) side by side in one PNG, written with ``kgan.images.save_image``."""
    from PIL import Image, ImageDraw

    from kgan.images import make_grid, save_image

    grids = [make_grid(images[: rows * cols], nrow=cols) for _, images in blocks]
    height = label_height + max(g.shape[0] for g in grids)
    width = sum(g.shape[1] for g in grids) + gap * (len(grids) - 1)
    channels = grids[0].shape[-1]
    canvas = np.full((height, width, channels), 255, np.uint8)
    left = 0
    for grid in grids:
        canvas[label_height : label_height + grid.shape[0], left : left + grid.shape[1]] = grid
        left += grid.shape[1] + gap
    image = Image.fromarray(canvas[..., 0] if channels == 1 else canvas)
    draw, left = ImageDraw.Draw(image), 0
    for (label, _), grid in zip(blocks, grids):
        draw.text((left + 2, 1), label, fill=0 if channels == 1 else (0, 0, 0))
        left += grid.shape[1] + gap
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return save_image(np.asarray(image), path)


# ------------------------------------------------------------------ text
def _num(value, digits):
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(value):
    return "-" if value is None else f"{100 * value:.1f} %"


def _span(values, fmt):
    low, high = min(values), max(values)
    return fmt(low) if fmt(low) == fmt(high) else f"{fmt(low)}-{fmt(high)}"


def _pct_span(values):
    """Shares as one percentage or a range with one unit: "1.6 %", "1.6-2.0 %"."""
    return _span([100 * value for value in values], lambda p: f"{p:.1f}") + " %"


COLUMNS = {  # (heading, figure -> text), after model and family
    "mnist": [("FD", lambda f: _num(f.get("fd"), 2)), ("KID", lambda f: _num(f.get("kid"), 3)),
              ("IS", lambda f: _num(f.get("is"), 2)), ("confidence", lambda f: _num(f.get("mean_confidence"), 3)),
              ("min / max class share", lambda f: f"{min(f['class_shares']):.3f} / {max(f['class_shares']):.3f}"
               if f.get("class_shares") else "-")],
    "faces": [("faces found (MTCNN)", lambda f: _pct(f.get("face_detection_rate"))),
              ("FD", lambda f: _num(f.get("fd"), 2)), ("KID", lambda f: _num(f.get("kid"), 3))],
}


def table(dataset, result):
    """The dataset's markdown table: one row per model, measured or not, and the real images."""
    columns = COLUMNS[dataset] + [("sharpness (real = 1)", lambda f: _num(f.get("sharpness"), 2)),
                                  ("near-duplicates", lambda f: _pct(f.get("near_duplicates"))),
                                  ("near-duplicates (pixels)", lambda f: _pct(f.get("pixel_near_duplicates")))]
    headings = ["model", "family"] + [h for h, _ in columns] + ["params", "train time"]
    lines = ["| " + " | ".join(headings) + " |", "| --- | --- |" + " ---: |" * (len(headings) - 2)]
    for row in result["rows"]:
        if row["status"] == "measured":
            cells = [fmt(row["figures"]) for _, fmt in columns] + [f"{row['parameters']:,}", row["train_time"]]
        else:
            why = row.get("reason", f"`{row['recipe']}`")
            cells = [f"{row['status']}: {why}"] + ["-"] * (len(columns) + 1)
        lines.append(f"| `{row['name']}` | {row['family']} | " + " | ".join(cells) + " |")
    real = {"sharpness": 1.0, "near_duplicates": result["real_near_duplicates"],
            "pixel_near_duplicates": result.get("real_pixel_near_duplicates")}
    cells = [fmt(real) for _, fmt in columns] + ["-", "-"]
    lines.append(f"| real ({REAL[dataset]}, the reference) | - | " + " | ".join(cells) + " |")
    if "training_near_duplicates" in result:
        cells = ["-"] * (len(COLUMNS[dataset]) + 1)  # only the near-duplicate columns
        cells += [_training_share(result, ""), _training_share(result, "pixel_"), "-", "-"]
        lines.append(f"| real ({TRAINING[dataset]}: {result['training_draws']} random draws) | - | "
                     + " | ".join(cells) + " |")
    return lines


def _training_share(result, prefix):
    """The training draws' near-duplicate share as a table cell: the mean, the range in brackets."""
    key = f"training_{prefix}near_duplicates"
    return f"{_pct(result[key])} ({_pct_span(result[key + '_range'])})"


def conclusion(dataset, result):
    """Two sentences drawn from the figures: which family has the lower FD, and how sharp and
    how repetitive the VAE's samples are against the GANs' and real data; or why there is
    nothing to compare yet."""
    rows = result["rows"]
    measured = [r for r in rows if r["status"] == "measured"]
    vaes = [r for r in measured if r["family"] == "VAE"]
    gans = [r for r in measured if r["family"] == "GAN"]
    what = REAL[dataset].split()[-1]  # "digits", "faces"
    if not vaes or not gans:
        missing = "VAE" if not vaes else "GAN"
        recipes = ", ".join(f"`{r['recipe']}`" for r in rows if r["family"] == missing and r["status"] != "measured")
        return (f"Nothing to compare on {NAME[dataset]} yet: no {missing} of the comparison is trained and loadable"
                + (f" ({recipes})." if recipes else "."))
    vae, best = min(vaes, key=lambda r: r["figures"]["fd"]), min(gans, key=lambda r: r["figures"]["fd"])
    v, g = vae["figures"], best["figures"]
    beating = sum(r["figures"]["fd"] < v["fd"] for r in gans)
    if v["fd"] < g["fd"]:
        first = (f"The VAE reaches the lower FD on {NAME[dataset]}: `{vae['name']}` {v['fd']:.2f} against {g['fd']:.2f} "
                 f"for the best GAN, `{best['name']}` (KID {v['kid']:.3f} against {g['kid']:.3f}).")
    else:
        first = (f"The GANs reach the lower FD on {NAME[dataset]}: the best, `{best['name']}`, {g['fd']:.2f} against "
                 f"{v['fd']:.2f} for `{vae['name']}` (KID {g['kid']:.3f} against {v['kid']:.3f}), and "
                 f"{beating} of {len(gans)} GANs beat the VAE.")
    sharp = [r["figures"]["sharpness"] for r in gans]
    if v["sharpness"] < min(sharp):
        relation = "blurrier than every GAN's"
    elif v["sharpness"] > max(sharp):
        relation = "sharper than every GAN's"
    else:
        relation = "within the GANs' range"
    duplicates = [r["figures"]["near_duplicates"] for r in gans]
    second = (f"The VAE's samples have {v['sharpness']:.2f} times the Laplacian variance of real {what} "
              f"({relation}, {_span(sharp, lambda s: f'{s:.2f}')}), and {_pct(v['near_duplicates'])} of them are "
              f"near-duplicates against {_pct_span(duplicates)} for the GANs and "
              f"{_real_share(result, what)}.")
    return f"{first} {second}"


def _real_share(result, what):
    """Real data's near-duplicate share for the conclusion: the training draws' where measured."""
    if "training_near_duplicates" not in result:
        return f"{_pct(result['real_near_duplicates'])} for real {what}"
    return f"{_training_share(result, '')} for random draws of the training {what}"


def render_section(results):
    """The README section (without markers) from ``results`` (``{"mnist": ..., "faces": ...}``)."""
    lines = ["## GAN against VAE", "",
             "Written by `python -m zoo.recipes.compare` (issue 21). Every trained model is measured on the same "
             "seeded samples (noise from `np.random.default_rng(0)`). Sharpness: the mean variance of the 3x3 "
             "Laplacian of each grayscale sample, relative to the same for real images (real = 1; blur lowers it, "
             "pixel noise raises it). "
             "Near-duplicates: the share of samples whose nearest other sample, in the FD's feature space, lies "
             "within the 1 % quantile of the real images' nearest-neighbour distances (`kgan.metrics.ModeMonitor`; "
             "the reference scores about 1 % by construction; random draws of the images the models learnt from, "
             "the real data a generator should match, are listed too); near-duplicates (pixels): the same in the means of "
             "square pixel blocks (at most 16x16 per channel), a space no learned network distorts. Params: the generator's (a VAE's decoder's). Train "
             "time: the recipe's, from the manifest.", ""]
    for dataset, title in (("mnist", "MNIST"), ("faces", "Faces (CelebA 64x64; non-commercial research use only)")):
        result = results.get(dataset)
        if not result:
            continue
        space = "the zoo classifier's 128-d features" if dataset == "mnist" else "`zoo.celeba_features`"
        lines += [f"### {title}", "",
                  f"{result['n']:,} samples per model against the first {result['n']:,} {REAL[dataset]}, FD and KID "
                  f"in {space}; measured on {_cpu(result)}, {result['cores']} cores.", ""]
        lines += table(dataset, result) + [""]
        if result.get("grid"):
            rows, cols = GRID[dataset]
            lines += [f"Real images and the first {rows * cols} samples of each model:", "",
                      f"![{dataset}: real and samples side by side]({result['grid']})", ""]
        lines += [conclusion(dataset, result), ""]
    return "\n".join(lines).rstrip("\n")


def replace_section(text, body):
    """``text`` with the part between START and END (markers kept) replaced by ``body``, or with
    the marked section appended when ``text`` has none; everything else is kept as it was."""
    starts, ends = text.count(START), text.count(END)
    block = f"{START}\n{body.strip()}\n{END}"
    if starts == ends == 0:
        return (text.rstrip("\n") + "\n\n" if text.strip() else "") + block + "\n"
    start, end = text.find(START), text.find(END)
    if starts != 1 or ends != 1 or end < start:
        raise ValueError(f"Expected one {START!r} before one {END!r}; found {starts} and {ends}"
                         + (", the end marker first." if end < start else "."))
    return text[:start] + block + text[end + len(END):]


def read_results(path=None):
    """The stored figures (``COMPARE_JSON`` by default), ``{}`` before the first run."""
    path = path or COMPARE_JSON
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def with_section(text, path=None):
    """``text`` (a README) with the comparison section rendered from ``path`` (default
    ``COMPARE_JSON``), if it exists; ``python -m zoo.recipes.readme`` calls it so that
    regenerating the README keeps the section."""
    results = read_results(path or COMPARE_JSON)
    return replace_section(text, render_section(results)) if results else text


def _write_text(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


# ------------------------------------------------------------------ command
def parse_args(argv=None):
    from zoo.recipes.common import DEFAULT_CELEBA, DEFAULT_MNIST

    parser = argparse.ArgumentParser(description="GAN against VAE: measure the zoo's models, write zoo/README.md's "
                                                 "comparison section.")
    parser.add_argument("--n", type=int, default=None,
                        help=f"samples per model (default {DEFAULT_N['mnist']:,} MNIST, {DEFAULT_N['faces']:,} faces)")
    parser.add_argument("--only", choices=sorted(MODELS), default=None, help="measure one dataset, keep the other's")
    parser.add_argument("--models", nargs="+", default=None, metavar="NAME",
                        help="measure these models again and keep the stored figures of the others wherever "
                             "their weights are unchanged (same sha256); a model whose weights changed, or a "
                             "row stored without its sha256, is measured too")
    parser.add_argument("--no-readme", action="store_true", help="write compare.json and the grids only")
    parser.add_argument("--mnist-data", default=DEFAULT_MNIST)
    parser.add_argument("--faces-data", default=DEFAULT_CELEBA)
    return parser.parse_args(argv)


def measure_mnist(n, data_path, keep=None):
    import zoo
    from kgan.datasets import load_npz
    from zoo.recipes.common import SAMPLES_DIR, mnist_quality

    real, _ = load_npz(data_path, "test")
    quality = mnist_quality(data_path, n=n)
    training, _ = load_npz(data_path, "train")
    return measure("mnist", real, n, lambda g: quality(g, n=n), zoo.mnist_features(),
                   grid_path=os.path.join(SAMPLES_DIR, "compare_mnist.png"), keep=keep, training=training)


def measure_faces(n, data_path, keep=None):
    import zoo
    from kgan.datasets import load_npz
    from zoo.recipes.common import SAMPLES_DIR, face_quality

    faces, _ = load_npz(data_path)
    return measure("faces", faces, n, face_quality(faces, n=n), zoo.celeba_features(),
                   grid_path=os.path.join(SAMPLES_DIR, "compare_faces.png"), keep=keep, training=faces)


def plan(args, results):
    """``[(dataset, n, keep)]``: what ``main`` measures. ``keep`` holds the stored rows that
    ``--models`` lets stand (those of other models, measured on the same ``n``); without
    ``--models`` every model is measured."""
    datasets = [args.only] if args.only else list(MODELS)
    if args.models:
        unknown = sorted(set(args.models) - {name for d in datasets for name in MODELS[d]})
        if unknown:
            raise SystemExit(f"--models {' '.join(unknown)}: not compared on {' or '.join(datasets)}; the models "
                             f"are {', '.join(name for d in datasets for name in MODELS[d])}.")
        datasets = [d for d in datasets if set(MODELS[d]) & set(args.models)]
    steps = []
    for dataset in datasets:
        n = args.n or DEFAULT_N[dataset]
        stored = results.get(dataset, {})
        keep = {}
        if args.models and stored.get("n") == n:
            keep = {row["name"]: row for row in stored.get("rows", []) if row["name"] not in args.models}
        steps.append((dataset, n, keep))
    return steps


def main(argv=None):
    args = parse_args(argv)
    results = read_results()
    measures = {"mnist": lambda n, keep: measure_mnist(n, args.mnist_data, keep),
                "faces": lambda n, keep: measure_faces(n, args.faces_data, keep)}
    for dataset, n, keep in plan(args, results):
        results[dataset] = measures[dataset](n, keep)
    _write_text(COMPARE_JSON, json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"[compare] wrote {COMPARE_JSON}", flush=True)
    if not args.no_readme:
        with open(README) as f:
            _write_text(README, with_section(f.read()))
        print(f"[compare] wrote the comparison section of {README}", flush=True)
    for dataset in results:
        print(conclusion(dataset, results[dataset]), flush=True)


if __name__ == "__main__":
    main()
