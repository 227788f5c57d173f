"""Regenerate zoo/README.md from the registry and manifest.  ``python -m zoo.recipes.readme``

Every figure in the README is read from ``zoo/weights/manifest.json``, which the recipes
write after measuring the shipped (float16) files, so the page never drifts from the weights.
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
FD between 10,000 real MNIST train digits and the test digits is **{real_fd}**. Face figures use the offline face
feature space `zoo.celeba_features()` (see `zoo/face_features.py`); they compare CelebA generators
with each other, not with published FIDs (use `kgan.metrics.inception_v3()` for those).
Each model's weights are reproduced from scratch by its recipe (`python -m zoo.recipes.NAME`,
resumable: rerun the same command after an interruption).
"""


def _fmt(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def render(real_fd):
    manifest = registry.read_manifest()
    lines = [INTRO.format(real_fd=_fmt(real_fd, 2)), "## Generators", "",
             "| name | algorithm | data | output | params | file | FD | KID | confidence | cond. acc. | "
             "min / max class share | train time | licence |",
             "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"]
    for spec in registry.ENTRIES.values():
        if spec.kind != "generator":
            continue
        r = manifest.get(spec.name, {})
        q = r.get("quality") or {}
        shares = q.get("class_shares")
        share_text = f"{min(shares):.3f} / {max(shares):.3f}" if shares else "-"
        size = f"{r['file_size'] / 1e6:.1f} MB" if r.get("file_size") else "not trained"
        minutes = f"{r['train_seconds'] / 60:.0f} min" if r.get("train_seconds") else "-"
        lines.append(
            f"| `{spec.name}` | {spec.algorithm} | {spec.dataset} | {'x'.join(map(str, spec.resolution))} | "
            f"{r.get('parameters', '-')} | {size} | {_fmt(q.get('fd'), 2)} | {_fmt(q.get('kid'), 4)} | "
            f"{_fmt(q.get('mean_confidence'))} | {_fmt(q.get('conditional_accuracy'))} | {share_text} | "
            f"{minutes} | {spec.licence} |"
        )
    lines += ["", "## Evaluation networks", ""]
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
    lines += ["## Recipes", ""]
    for spec in registry.ENTRIES.values():
        lines.append(f"- `{spec.name}`: `{spec.recipe}` (defaults read `../shared/data`; see the module docstring "
                     "for every hyper-parameter)")
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
    real_fd = real_vs_real_fd() if registry.read_manifest().get("mnist_classifier") else None
    with open(os.path.join(HERE, "README.md"), "w") as f:
        f.write(render(real_fd))


if __name__ == "__main__":
    main()
