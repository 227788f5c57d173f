import os
import pathlib

import pytest

import kgan  # noqa: F401  (first, before Keras: the suite runs TensorFlow with kgan's oneDNN default, kgan/_onednn.py)

SHARED_DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def mnist_path():
    path = SHARED_DATA / "mnist.npz"
    if not path.exists():
        pytest.skip(f"real MNIST not found at {path} (the project's ../shared/data)")
    return path


@pytest.fixture(scope="session")
def celeba_faces():
    """The 15,722 real CelebA faces, (n, 64, 64, 3) in [-1, 1]; skips without ../shared/data."""
    from kgan.datasets import load_npz

    path = SHARED_DATA / "celeba64_15722.npz"
    if not path.exists():
        pytest.skip(f"CelebA faces not found at {path}")
    return load_npz(path)[0]


@pytest.fixture(autouse=True)
def _seeded():
    import keras

    keras.utils.set_random_seed(1234)
    yield


os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
