import os
import pathlib

import pytest

SHARED_DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def mnist_path():
    path = SHARED_DATA / "mnist.npz"
    if not path.exists():
        pytest.skip(f"real MNIST not found at {path} (the project's ../shared/data)")
    return path


@pytest.fixture(autouse=True)
def _seeded():
    import keras

    keras.utils.set_random_seed(1234)
    yield


os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
