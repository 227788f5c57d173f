"""Regenerate zoo/README.md from the registry and manifest.  ``python -m zoo.recipes.readme``

Every figure in the README is read from ``zoo/weights/manifest.json``, which the recipes
write after measuring the shipped (float16) files, so the page never drifts from the weights.
The GAN-against-VAE section is rendered from ``zoo/compare.json`` (``python -m zoo.recipes.compare``).
"""

import os

from zoo import registry

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

INTRO = """# kgan model zoo

Pretrained generators that load in one line and need no network access:

```python
import zoo, numpy as np
g = zoo.mnist_dcgan()                                   # a plain keras.Model, weights sha256-checked
images = g.predict(np.random.default_rng(0).standard_normal((16, 100)))   # (16, 28, 28, 1) in [-1, 1]
digits = zoo.mnist_cgan().predict([np.random.default_rng(0).standard_normal((10, 100)), np.arange(10)])
```

or from the shell: `kgan sample mnist_cgan --digit 7 --out sevens.png`.

MNIST figures are measured with the zoo's MNIST classifier (`zoo.mnist_classifier()`, its 128-d
`features` layer for Frechet distance, FD, and KID; its logits for class shares, confidence and
inception score), on 10,000 samples against the 10,000 MNIST test digits. For scale, the same
FD between 10,000 real MNIST train digits and the test digits is **{real_fd}**. Face generators are
measured by the share of samples in which an independent face detector finds a face (MTCNN,
`zoo/face_detection.py`: 99 % of real CelebA faces) and by FD in the offline face feature space
`zoo.celeba_features()` (`zoo/face_features.py`; real against real 0.42), which compares
CelebA generators with each other, not with published FIDs (use `kgan.metrics.inception_v3()`
for those), and stops telling good generators apart: samples a person rejects can score as low
as real faces.
Each model's weights are reproduced from scratch by its recipe (`python -m zoo.recipes.NAME`,
resumable: rerun the same command after an interruption).
"""



# A dated measurement, not recomputed: update it with the face models it names.
BY_EYE = ("By eye (2026-12-07; `celeba_dcgan` v3, `celeba_progan` v1): the 8x8 grids of noise seeds 0, 1 and 2 of "
          "both models, shuffled under neutral names, were rated cell by cell by two vision-language-model raters "
          "that did not know which grid was which, rejecting any face a person would not accept on sight "
          "(melted or mismatched eyes, smeared mouth, warped geometry, ghost-like or blotched): 41 and 42 of "
          "`celeba_dcgan`'s 192 faces rejected, 93 and 95 of `celeba_progan`'s. Shuffled with three grids of "
          "real training faces instead, `celeba_dcgan` lost 56 and 73 of 192 and the real faces 0 and 1. "
          "The feature-space FD ranks `celeba_progan` first; by eye `celeba_dcgan` is the better face model. "
          "Rated again with `bench/blind_faces.py` (all three sources in one shuffle, cells shown 2x, two "
          "fresh raters): `celeba_dcgan` 71 and 67 of 192 rejected, `celeba_progan` 125 and 121, real faces "
          "0 and 0 -- stricter counts than before, the same ranking. To rate again: "
          "`python bench/blind_faces.py make OUT celeba_dcgan celeba_progan real`, raters follow "
          "`OUT/judge/RUBRIC.txt`, then `python bench/blind_faces.py tally OUT`.")


def _fmt(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _pct(value):
    return "-" if value is None else f"{100 * value:.1f} %"


def _train_time(record):
    """Wall minutes, with CPU minutes (both cores' worth) where the recipe recorded them."""
    if not record.get("train_seconds"):
        return "-"
    text = f"{record['train_seconds'] / 60:.0f} min"
    if record.get("train_cpu_seconds"):
        text += f" ({record['train_cpu_seconds'] / 60:.0f} CPU-min)"
    return text


def _cpu(record):
    machine = record.get("machine")
    if not machine:
        return "-"
    return machine.split(",")[0].replace("(R)", "") + (", AVX-512" if "AVX-512" in machine else ", AVX2")


def _generators(face):
    return [s for s in registry.ENTRIES.values() if s.kind == "generator" and ("celeba" in s.name) == face]


def _mnist_table(manifest):
    lines = ["| name | algorithm | params | file | FD | KID | IS | confidence | cond. acc. | min / max class share "
             "| train time | CPU |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"]
    for spec in _generators(face=False):
        r = manifest.get(spec.name, {})
        q = r.get("quality") or {}
        shares = q.get("class_shares")
        share_text = f"{min(shares):.3f} / {max(shares):.3f}" if shares else "-"
        size = f"{r['file_size'] / 1e6:.1f} MB" if r.get("file_size") else "not trained"
        lines.append(
            f"| `{spec.name}` | {spec.algorithm} | {r.get('parameters', '-')} | {size} | {_fmt(q.get('fd'), 2)} | "
            f"{_fmt(q.get('kid'), 4)} | {_fmt(q.get('is'), 2)} | {_fmt(q.get('mean_confidence'))} | "
            f"{_fmt(q.get('conditional_accuracy'))} | {share_text} | {_train_time(r)} | {_cpu(r)} |")
    return lines


def _face_table(manifest):
    lines = ["| name | algorithm | params | file | faces found (MTCNN) | FD | KID | train time | CPU |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for spec in _generators(face=True):
        r = manifest.get(spec.name, {})
        q = r.get("quality") or {}
        size = f"{r['file_size'] / 1e6:.1f} MB" if r.get("file_size") else "not trained"
        lines.append(
            f"| `{spec.name}` | {spec.algorithm} | {r.get('parameters', '-')} | {size} | "
            f"{_pct(q.get('face_detection_rate'))} | {_fmt(q.get('fd'), 2)} | {_fmt(q.get('kid'), 4)} | "
            f"{_train_time(r)} | {_cpu(r)} |")
    return lines


def _code_lines(name, quality):
    """An InfoGAN's codes: agreement of the categorical code with the digits, what each
    continuous code controls (correlations with slant and ink), and the traversal grids."""
    if "code_digit_agreement" not in quality:
        return []
    mapping = ", ".join(f"{k}->{v}" for k, v in sorted(quality["code_to_digit"].items(), key=lambda kv: int(kv[0])))
    lines = [f"Categorical code `c1` against the classifier's digit: {100 * quality['code_digit_agreement']:.1f} % "
             f"of 10,000 samples agree under the best one-to-one pairing (code->digit: {mapping}).", ""]
    for code, effect in quality.get("continuous_code_effects", {}).items():
        lines += [f"Traversal of `{code}` from -2 to 2 (rows: `c1` = 0..9); correlation of `{code}` with the digit's "
                  f"slant {effect['slant']:+.2f}, with its ink (stroke width) {effect['ink']:+.2f}:", "",
                  f"![{name} {code}](samples/{name}_{code}.png)", ""]
    return lines


def _phase_series(curve, column):
    """Split a progressive run's curve into its phases, in order: ``16x16``, ``32x32 fade-in``, ``32x32`` ..."""
    series = []
    for row in curve:
        size = int(row["resolution"])
        label = f"{size}x{size}" + (" fade-in" if row["alpha"] < 1.0 else "")
        if not series or series[-1][0] != label:
            series.append((label, [], []))
        series[-1][1].append(row["minutes"])
        series[-1][2].append(row[column])
    return series


def draw_curve(name, curve, folder):
    """``curves/NAME.png``: every FD column of the stored learning curve against minutes."""
    from zoo.plotting import fd_plot

    columns = [k for k in curve[0] if k.startswith("fd")]
    title, legend = f"{name}: FD of 2,000 samples during training", "upper right"
    if "resolution" in curve[0]:  # a progressive run: one line per phase (a stage's fade-in, then its stable part)
        series = _phase_series(curve, columns[0])
        title, legend = f"{name}: FD of 2,000 EMA samples, each stage enlarged to the final size", "lower left"
    else:
        series = [(k.replace("fd_", "") if len(columns) > 1 else None, [row["minutes"] for row in curve if k in row],
                   [row[k] for row in curve if k in row]) for k in columns]
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.png")
    fd_plot(series, path, title, xlabel="training time (wall minutes)", legend=legend)
    found = [k for k in curve[-1] if k.startswith("found")]
    if found:  # face models: the share of samples without a face the detector finds, log scale
        misses = [(k.replace("found_", ""), [row["minutes"] for row in curve if k in row],
                   [1.0 - row[k] for row in curve if k in row]) for k in found]
        fd_plot(misses, os.path.join(folder, f"{name}_faces.png"), f"{name}: share of 500 samples where MTCNN "
                "finds no face", levels=(0.01,), xlabel="training time (wall minutes)", ylabel="no face (log)")
    return path


def render(real_fd, draw_curves=True):
    manifest = registry.read_manifest()
    lines = [INTRO.format(real_fd=_fmt(real_fd, 2)), "## MNIST generators", ""] + _mnist_table(manifest)
    lines += ["", "## Face generators", "",
              "Faces found: the share of 5,000 samples in which the MTCNN face detector (`zoo/face_detection.py`, "
              "trained on other data) finds a face with confidence >= 0.9; it finds one in 99 % of real CelebA "
              "faces.", ""] + _face_table(manifest) + ["", BY_EYE]
    lines += ["", "Train time: the recipe's wall-clock training time (and, where recorded, its process CPU time) "
              "on the CPU named, 2 cores; machines were shared with other jobs, so CPU minutes are the better "
              "measure of the work.", "", "## Evaluation networks", ""]
    for spec in registry.ENTRIES.values():
        if spec.kind == "generator":
            continue
        r = manifest.get(spec.name, {})
        q = ", ".join(f"{k} {v}" for k, v in (r.get("quality") or {}).items()) or "not trained"
        lines.append(f"- `{spec.name}`: {spec.algorithm}, {spec.dataset}; {q}; recipe `{spec.recipe}`; {spec.licence}.")
    lines += ["", "## Samples (8x8, seed 0; `mnist_cgan` columns are digits 0-7)", ""]
    for spec in registry.ENTRIES.values():
        if spec.kind == "generator" and os.path.exists(os.path.join(HERE, "samples", f"{spec.name}.png")):
            note = " — CelebA: non-commercial research use only" if "celeba" in spec.name else ""
            lines += [f"### `{spec.name}`{note}", "", f"![{spec.name}](samples/{spec.name}.png)", ""]
            lines += _code_lines(spec.name, manifest.get(spec.name, {}).get("quality") or {})
            curve = manifest.get(spec.name, {}).get("curve")
            if curve and draw_curves:
                draw_curve(spec.name, curve, os.path.join(HERE, "curves"))
            if curve:
                lines += [f"Learning curve: ![{spec.name} learning curve](curves/{spec.name}.png)", ""]
                if any(k.startswith("found") for k in curve[-1]):
                    lines += [f"Samples without a detected face during training (real faces: 1 %): "
                              f"![{spec.name} faces found](curves/{spec.name}_faces.png)", ""]
    lines += ["## Recipes and licences", ""]
    for spec in registry.ENTRIES.values():
        lines.append(f"- `{spec.name}`: `{spec.recipe}` (defaults read `../shared/data`; see the module docstring "
                     f"for every hyper-parameter). {spec.licence}.")
    return "\n".join(lines) + "\n"


def real_vs_real_fd(data=os.path.join("..", "shared", "data", "mnist.npz")):
    import kgan
    import zoo
    from kgan.datasets import load_npz

    x_train, _ = load_npz(data, "train")
    x_test, _ = load_npz(data, "test")
    fd = kgan.metrics.FrechetDistance(zoo.mnist_features())
    fd.update_state(real=x_test, fake=x_train[:10000])
    return fd.result()


def main():
    from zoo.recipes.compare import with_section  # GAN against VAE, rendered again from zoo/compare.json

    real_fd = real_vs_real_fd() if registry.read_manifest().get("mnist_classifier") else None
    with open(os.path.join(HERE, "README.md"), "w") as f:
        f.write(with_section(render(real_fd)))


if __name__ == "__main__":
    main()
