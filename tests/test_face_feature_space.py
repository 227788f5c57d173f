"""The zoo's offline face feature space on real CelebA faces (skipped without ../shared/data)."""

import numpy as np
import pytest

import kgan
import zoo

pytestmark = pytest.mark.skipif(
    not zoo.registry.read_manifest().get("celeba_features"), reason="celeba_features weights not trained yet"
)


@pytest.fixture(scope="module")
def faces(celeba_faces):
    return celeba_faces[:2000], celeba_faces[-2000:]


def fd(features, real, fake):
    metric = kgan.metrics.FrechetDistance(features)
    metric.update_state(real=real, fake=fake)
    return metric.result()


def test_face_distance_orders_real_degraded_and_noise(faces):
    first, last = faces
    features = zoo.celeba_features()
    assert features.output_shape == (None, 256)
    real = fd(features, first, last)
    # Degraded faces: 4x4 block averages, the blur of an undertrained generator.
    blurred = first.reshape(-1, 16, 4, 16, 4, 3).mean(axis=(2, 4)).repeat(4, axis=1).repeat(4, axis=2)
    degraded = fd(features, last, blurred.astype("float32"))
    noise = fd(features, last, np.random.default_rng(0).uniform(-1, 1, last.shape).astype("float32"))
    assert real < degraded < noise, (real, degraded, noise)
    assert real < 0.25 * degraded, (real, degraded)
