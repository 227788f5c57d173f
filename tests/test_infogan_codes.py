"""The zoo's measures of what an InfoGAN's codes mean (zoo/infogan_codes.py)."""

import numpy as np
import pytest

import zoo
from zoo import infogan_codes


def line_image(lean, width):
    """A 28x28 stroke from bottom to top, shifted right by ``lean`` pixels over its height."""
    image = -np.ones((28, 28, 1), "float32")
    for row in range(4, 24):
        centre = 14 + lean * (0.5 - (row - 4) / 19)  # row 4 is the top: leaning right as it rises
        image[row, int(round(centre - width / 2)):int(round(centre + width / 2)) + 1, 0] = 1.0
    return image


def test_slant_is_positive_for_strokes_leaning_right_and_ink_grows_with_width():
    slant, ink = infogan_codes.slant_and_ink(np.stack([line_image(-6, 2), line_image(0, 2), line_image(6, 2),
                                                       line_image(0, 5)]))
    assert slant[0] < -0.1 and abs(slant[1]) < 0.02 and slant[2] > 0.1
    assert ink[3] > 1.5 * ink[1]


class DigitsByCode:
    """A stand-in generator: code value k draws real test digits of class (k + 3) % 10."""

    def __init__(self, images, labels, noise_dim):
        self.by_digit = {d: images[labels == d] for d in range(10)}
        self.noise_dim = noise_dim

    def predict(self, inputs, verbose=0):
        codes = inputs[:, self.noise_dim:self.noise_dim + 10].argmax(-1)
        rng = np.random.default_rng(0)
        return np.stack([self.by_digit[(k + 3) % 10][rng.integers(len(self.by_digit[(k + 3) % 10]))] for k in codes])


@pytest.mark.skipif(not zoo.registry.read_manifest().get("mnist_classifier"), reason="classifier not trained")
def test_agreement_finds_the_code_to_digit_pairing(mnist_path):
    from kgan.datasets import load_npz

    images, labels = load_npz(mnist_path, "test")
    generator = DigitsByCode(images, labels, noise_dim=5)
    agreement, mapping, table = infogan_codes.code_digit_agreement(generator, zoo.mnist_classifier(), 5, n=500)
    assert mapping == {k: (k + 3) % 10 for k in range(10)}
    assert agreement >= 0.97 and table.sum() == 500  # the classifier's own error on real digits
    shuffled = DigitsByCode(images, np.random.default_rng(1).permutation(labels), noise_dim=5)
    assert infogan_codes.code_digit_agreement(shuffled, zoo.mnist_classifier(), 5, n=500)[0] < 0.3


class Recorder:
    """A stand-in generator that returns blank images and keeps the inputs it was given."""

    def __init__(self):
        self.inputs = []

    def predict(self, inputs, verbose=0):
        self.inputs.append(inputs)
        return -np.ones((len(inputs), 28, 28, 1), "float32")


def test_traversal_varies_one_code_along_each_row(tmp_path):
    recorder = Recorder()
    images = infogan_codes.traversal(recorder, 4, code=1, columns=5, path=str(tmp_path / "t.png"))
    assert images.shape == (50, 28, 28, 1) and (tmp_path / "t.png").exists()
    for row, inputs in enumerate(recorder.inputs):
        assert (inputs[:, 4:14].argmax(-1) == row).all()  # c1 is the row
        np.testing.assert_allclose(inputs[:, 15], np.linspace(-2, 2, 5))  # the traversed code
        assert np.ptp(inputs[:, :4], axis=0).max() == 0 and np.ptp(inputs[:, 14]) == 0  # the rest fixed
