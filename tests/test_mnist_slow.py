"""Slow: a DCGAN trained on real MNIST measurably improves (run with `pytest -m slow`)."""

import keras
import pytest

import kgan
import zoo
from kgan import networks
from kgan.datasets import load_npz, to_dataset


@pytest.mark.slow
def test_dcgan_on_real_mnist_lowers_frechet_distance(mnist_path):
    x_train, _ = load_npz(mnist_path, "train")
    x_test, _ = load_npz(mnist_path, "test")
    features = zoo.mnist_features()
    gan = kgan.GAN(networks.dcgan_generator(64, (28, 28, 1), base_filters=16),
                   networks.dcgan_discriminator((28, 28, 1), base_filters=32), seed=0)
    gan.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))

    def fd():
        return kgan.evaluate(gan.generator, x_test[:2000], n=2000, feature_extractor=features, seed=0)["fd"]

    before = fd()
    gan.fit(to_dataset(x_train[:19200], batch_size=64, seed=0), epochs=2, verbose=0, shuffle=False)
    after = fd()
    assert after < 0.5 * before, (before, after)
