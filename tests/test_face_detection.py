"""The zoo's face detection rate (MTCNN) on real faces, degraded faces and noise.

MTCNN is a TensorFlow network, so these run in the TensorFlow suite only; they skip without
../shared/data.
"""

import keras
import numpy as np
import pytest


pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="MTCNN runs on TensorFlow")


@pytest.fixture(scope="module")
def faces(celeba_faces):
    return celeba_faces[np.random.default_rng(0).choice(len(celeba_faces), 200, replace=False)]


def test_real_faces_are_found_and_noise_and_scrambled_faces_are_not(faces):
    from zoo.face_detection import detection_rate

    assert detection_rate(faces) >= 0.95
    assert detection_rate(np.random.default_rng(0).uniform(-1, 1, faces.shape).astype("float32")) == 0.0
    # The same pixels with the face's layout destroyed: 8x8 tiles shuffled within each image.
    tiles = faces.reshape(-1, 8, 8, 8, 8, 3).transpose(0, 1, 3, 2, 4, 5).reshape(-1, 64, 8, 8, 3)
    order = np.random.default_rng(1).permutation(64)
    scrambled = tiles[:, order].reshape(-1, 8, 8, 8, 8, 3).transpose(0, 1, 3, 2, 4, 5).reshape(faces.shape)
    assert detection_rate(scrambled) <= 0.1


def test_face_found_is_per_image_and_rejects_bad_input(faces):
    from zoo.face_detection import face_found

    mixed = np.concatenate([faces[:3], np.zeros((2, 64, 64, 3), "float32")])
    found = face_found(mixed, batch_size=2)  # batches of 2 and a last batch of 1
    assert found.shape == (5,) and found.dtype == bool
    assert not found[3:].any()
    with pytest.raises(ValueError, match="threshold"):
        face_found(faces[:1], threshold=1.5)
    with pytest.raises(ValueError, match=r"\(2, 64, 64\)"):
        face_found(np.zeros((2, 64, 64), "float32"))
