"""What a trained MNIST InfoGAN's codes mean, measured with the zoo's classifier.

- ``code_digit_agreement``: every value of the categorical code is paired with one digit so
  that as many samples as possible agree (the Hungarian algorithm on the 10x10 table of code
  value against the classifier's digit); the share of samples whose pair agrees is the
  unsupervised accuracy the InfoGAN paper reports (about 95 % on MNIST).
- ``traversal``: a grid of rows ``c1 = 0..9`` and columns of one continuous code from -2 to 2,
  the rest of the input fixed per row, as in the paper's figures.
- ``code_effects``: what each continuous code controls, as the correlation over many samples
  of the code's value with two measured properties of the digit: its slant (the ink's
  second-moment shear ``mu11 / mu02``, positive for strokes leaning right as they rise) and
  its ink (mean brightness, which grows with stroke width).

The shipped generator is ``noise -> CodePrior -> generator of [noise, codes]``; these
functions drive the inner generator with codes set by hand.
"""

import numpy as np

import kgan


def inner_generator(shipped):
    """The generator of ``[noise, codes]`` inside a shipped noise-to-image InfoGAN network."""
    return shipped.layers[-1]


def code_inputs(noise_dim, categorical, continuous, n, seed, c1=None, continuous_values=None):
    """``n`` generator inputs: standard normal noise, ``c1`` one-hot (drawn uniformly unless
    given), continuous codes uniform on (-1, 1) unless ``continuous_values`` (n, continuous)."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((n, noise_dim)).astype("float32")
    c1 = rng.integers(0, categorical, n) if c1 is None else np.broadcast_to(c1, (n,))
    codes = rng.uniform(-1, 1, (n, continuous)) if continuous_values is None else continuous_values
    return np.concatenate([noise, np.eye(categorical, dtype="float32")[c1], np.asarray(codes, "float32")], axis=1), c1


def code_digit_agreement(generator, classifier, noise_dim, categorical=10, continuous=2, n=10000, seed=0):
    """(agreement share, the code value -> digit mapping, the 10x10 count table)."""
    from scipy.optimize import linear_sum_assignment

    inputs, c1 = code_inputs(noise_dim, categorical, continuous, n, seed)
    digits = classifier.predict(generator.predict(inputs, verbose=0), verbose=0).argmax(-1)
    table = np.zeros((categorical, 10), int)
    np.add.at(table, (c1, digits), 1)
    rows, cols = linear_sum_assignment(-table)
    return float(table[rows, cols].sum() / n), {int(r): int(c) for r, c in zip(rows, cols)}, table


def traversal(generator, noise_dim, code, categorical=10, continuous=2, columns=9, seed=0, path=None):
    """Rows c1 = 0..categorical-1, columns continuous code ``code`` (0-based) from -2 to 2;
    the noise and the other continuous codes are fixed per row. Returns the images (and
    writes a PNG grid to ``path``)."""
    rng = np.random.default_rng(seed)
    rows = []
    for value in range(categorical):
        fixed = np.repeat(rng.uniform(-1, 1, (1, continuous)), columns, axis=0)
        fixed[:, code] = np.linspace(-2, 2, columns)
        inputs, _ = code_inputs(noise_dim, categorical, continuous, 1, rng.integers(1 << 31), c1=value,
                                continuous_values=fixed[:1])
        inputs = np.repeat(inputs, columns, axis=0)
        inputs[:, noise_dim + categorical:] = fixed
        rows.append(generator.predict(inputs, verbose=0))
    images = np.concatenate(rows, axis=0)
    if path:
        kgan.images.save_grid(images, path, nrow=columns)
    return images


def slant_and_ink(images):
    """Per image: the shear ``mu11 / mu02`` of the ink (x to the right, y up) and the mean ink."""
    ink = (np.asarray(images)[..., 0] + 1.0) / 2.0  # (n, h, w) in [0, 1]
    h, w = ink.shape[1:]
    ys, xs = np.mgrid[0:h, 0:w]
    ys = (h - 1) - ys  # up is positive
    mass = ink.sum(axis=(1, 2)) + 1e-8
    mx = (ink * xs).sum(axis=(1, 2)) / mass
    my = (ink * ys).sum(axis=(1, 2)) / mass
    dx, dy = xs[None] - mx[:, None, None], ys[None] - my[:, None, None]
    mu11 = (ink * dx * dy).sum(axis=(1, 2)) / mass
    mu02 = (ink * dy * dy).sum(axis=(1, 2)) / mass
    return mu11 / (mu02 + 1e-8), ink.mean(axis=(1, 2))


def code_effects(generator, noise_dim, categorical=10, continuous=2, n=5000, seed=0):
    """For each continuous code: Pearson correlation of its value (uniform on (-2, 2), the rest
    of the input drawn) with the digit's slant and with its ink."""
    rng = np.random.default_rng(seed)
    effects = []
    for code in range(continuous):
        values = rng.uniform(-1, 1, (n, continuous))
        values[:, code] = rng.uniform(-2, 2, n)
        inputs, _ = code_inputs(noise_dim, categorical, continuous, n, seed + 1 + code, continuous_values=values)
        slant, ink = slant_and_ink(generator.predict(inputs, verbose=0))
        effects.append({"slant": round(float(np.corrcoef(values[:, code], slant)[0, 1]), 3),
                        "ink": round(float(np.corrcoef(values[:, code], ink)[0, 1]), 3)})
    return effects


__all__ = ["code_digit_agreement", "code_effects", "inner_generator", "slant_and_ink", "traversal"]
