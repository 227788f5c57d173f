"""The shipped MNIST classifier as a feature space, on real MNIST (skipped without ../shared/data)."""

import numpy as np
import pytest

import kgan
import zoo
from kgan.datasets import load_npz

pytestmark = pytest.mark.skipif(
    not zoo.registry.read_manifest().get("mnist_classifier"), reason="mnist_classifier weights not trained yet"
)


@pytest.fixture(scope="module")
def mnist(request):
    from tests.conftest import SHARED_DATA

    path = SHARED_DATA / "mnist.npz"
    if not path.exists():
        pytest.skip(f"real MNIST not found at {path}")
    return load_npz(path, "train"), load_npz(path, "test")


@pytest.fixture(scope="module")
def classifier():
    return zoo.mnist_classifier()


def test_classifier_accuracy_is_at_least_99_percent(mnist, classifier):
    _, (x_test, y_test) = mnist
    predictions = classifier.predict(x_test, batch_size=500, verbose=0).argmax(-1)
    assert np.mean(predictions == y_test) >= 0.99


def test_frechet_distance_separates_real_from_noise(mnist, classifier):
    (x_train, _), (x_test, _) = mnist
    features = zoo.feature_extractor(classifier)
    fd = kgan.metrics.FrechetDistance(features)
    fd.update_state(real=x_train[:10000], fake=x_test)
    real_vs_real = fd.result()
    noise = np.random.default_rng(0).uniform(-1, 1, x_test.shape).astype("float32")
    fd_noise = kgan.metrics.FrechetDistance(features)
    fd_noise.update_state(real=x_test, fake=noise)
    real_vs_noise = fd_noise.result()
    assert real_vs_real < 0.02 * real_vs_noise, (real_vs_real, real_vs_noise)


def test_class_shares_of_real_digits_match_label_counts(mnist, classifier):
    _, (x_test, y_test) = mnist
    shares = np.bincount(classifier.predict(x_test, batch_size=500, verbose=0).argmax(-1), minlength=10) / len(y_test)
    expected = np.bincount(y_test, minlength=10) / len(y_test)
    np.testing.assert_allclose(shares, expected, atol=0.01)
