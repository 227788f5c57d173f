"""VAE (Kingma & Welling 2014): the ELBO's terms, learning, saving, export and the CLI, early errors."""

import json
import math

import keras
import numpy as np
import pytest
from keras import ops

import kgan
import kgan.cli
from kgan import images, latent, networks
from kgan.models.vae import kl_divergence, reconstruction_nll
from tests import factories as f
from tests import toy


def mlp_pair(shape, latent_dim=2, hidden=32):
    """A small MLP encoder ([z_mean, z_log_var]) and decoder (linear output) for samples of ``shape``."""
    x = keras.Input(shape)
    h = keras.layers.Dense(hidden, activation="relu")(keras.layers.Flatten()(x))
    encoder = keras.Model(x, [keras.layers.Dense(latent_dim)(h), keras.layers.Dense(latent_dim)(h)])
    z = keras.Input((latent_dim,))
    out = keras.layers.Dense(math.prod(shape), activation="tanh")(keras.layers.Dense(hidden, activation="relu")(z))
    return encoder, keras.Model(z, keras.layers.Reshape(shape)(out))


def linear_pair(mean_kernel, mean_bias, log_var_kernel, log_var_bias, kernel, bias):
    """Encoder x -> [x A + a, x B + b] and decoder z -> z W + c, with the given weights."""
    constant = keras.initializers.Constant
    x = keras.Input((2,))
    z_mean = keras.layers.Dense(2, kernel_initializer=constant(mean_kernel), bias_initializer=constant(mean_bias))(x)
    z_log_var = keras.layers.Dense(2, kernel_initializer=constant(log_var_kernel),
                                   bias_initializer=constant(log_var_bias))(x)
    z = keras.Input((2,))
    out = keras.layers.Dense(2, kernel_initializer=constant(kernel), bias_initializer=constant(bias))(z)
    return keras.Model(x, [z_mean, z_log_var]), keras.Model(z, out)


def make(compile=True, **kwargs):
    """A tiny VAE on the factories' 4x4x1 images."""
    encoder, decoder = mlp_pair(f.IMAGE_SHAPE, latent_dim=3, hidden=16)
    model = kgan.VAE(encoder, decoder, **kwargs)
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
    return model


# --------------------------------------------------------------------------- the ELBO's terms


def test_reconstruction_terms_against_hand_computed_values():
    x = np.array([[[-1.0, 0.0], [0.5, 1.0]]], "float32")  # one 2x2 "image" in [-1, 1]
    decoded = np.array([[[-0.5, 0.2], [0.5, 0.9]]], "float32")
    target, p = (x + 1) / 2, (decoded + 1) / 2
    bernoulli = -np.sum(target * np.log(p) + (1 - target) * np.log(1 - p))
    gaussian = np.sum(0.5 * (x - decoded) ** 2) + 4 * 0.5 * np.log(2 * np.pi)
    l1 = np.sum(np.abs(x - decoded)) + 4 * np.log(2)
    for kind, expected in (("bernoulli", bernoulli), ("gaussian", gaussian), ("l1", l1)):
        got = ops.convert_to_numpy(reconstruction_nll(x, decoded, kind))
        assert got.shape == (1,) and got[0] == pytest.approx(expected, rel=1e-5), kind


def test_kl_divergence_against_hand_computed_values():
    z_mean = np.array([[0.0, 0.0], [1.0, -2.0]], "float32")
    z_log_var = np.array([[0.0, 0.0], [np.log(0.5), np.log(3.0)]], "float32")
    expected = [0.0, 0.5 * ((1 + 0.5 - 1 - np.log(0.5)) + (4 + 3 - 1 - np.log(3.0)))]
    np.testing.assert_allclose(ops.convert_to_numpy(kl_divergence(z_mean, z_log_var)), expected, rtol=1e-5, atol=1e-7)


A = np.array([[0.5, -0.2], [0.1, 0.3]], "float32")
a = np.array([0.1, -0.3], "float32")
B = np.array([[0.4, 0.0], [-0.3, 0.2]], "float32")
b = np.array([-1.0, -0.5], "float32")
W = np.array([[1.2, 0.3], [-0.4, 0.8]], "float32")
c = np.array([0.05, -0.1], "float32")


def test_evaluate_reports_the_elbo_of_a_linear_vae():
    # Three points, 4,000 copies each: the reparameterised noise averages out, so the reported
    # reconstruction term approaches its expectation over q(z|x), computed here by hand:
    # E ||x - (mu + sigma eps) W - c||^2 = ||x - mu W - c||^2 + sum_k sigma_k^2 ||W_k||^2.
    points = np.array([[0.5, -0.5], [-0.8, 0.2], [0.0, 0.9]], "float32")
    x = np.repeat(points, 4000, axis=0)
    model = kgan.VAE(*linear_pair(A, a, B, b, W, c), beta=0.5, reconstruction="gaussian", seed=0)
    model.compile(optimizer="adam")
    got = model.evaluate(x, batch_size=len(x), verbose=0, return_dict=True)
    mu, log_var = points @ A + a, points @ B + b
    var = np.exp(log_var)
    kl = np.mean(0.5 * np.sum(mu**2 + var - 1 - log_var, axis=1))
    squared = np.sum((points - mu @ W - c) ** 2, axis=1) + var @ np.sum(W**2, axis=1)
    reconstruction = np.mean(0.5 * squared + np.log(2 * np.pi))  # two values a sample: 2 * log(2 pi) / 2
    assert got["kl"] == pytest.approx(kl, rel=1e-5)
    assert got["reconstruction"] == pytest.approx(reconstruction, rel=0.01)
    assert got["loss"] == pytest.approx(got["reconstruction"] + 0.5 * got["kl"], rel=1e-5)


def test_call_samples_z_with_the_reparameterisation_trick():
    # With an identity decoder the reconstruction is z itself: z = mu + sigma * eps per sample.
    model = kgan.VAE(*linear_pair(A, a, B, b, np.eye(2), np.zeros(2)), reconstruction="gaussian", seed=1)
    x = np.repeat(np.array([[0.5, -0.5]], "float32"), 20000, axis=0)
    out = model(x)
    z = ops.convert_to_numpy(out["reconstruction"])
    mu, sigma = x[0] @ A + a, np.exp(0.5 * (x[0] @ B + b))
    np.testing.assert_allclose(ops.convert_to_numpy(out["z_mean"])[0], mu, rtol=1e-5)
    np.testing.assert_allclose(z.mean(0), mu, atol=0.02)
    np.testing.assert_allclose(z.std(0), sigma, rtol=0.03)
    assert abs(np.corrcoef(z.T)[0, 1]) < 0.03  # independent noise per latent dimension


# --------------------------------------------------------------------------- learning


def test_a_vae_learns_the_ring():
    # beta=0.1: with the full KL weight a unit-variance Gaussian likelihood makes encoding the ring's
    # position barely worth its cost (KL 0.8 nats, squared error only halved). Measured on seeds
    # 0-5, TensorFlow and JAX: squared error 2.2-3.5 -> 0.12-0.14, KL 2.6, reconstructions from
    # z_mean within 0.002-0.014 (squared) of their points.
    keras.utils.set_random_seed(0)
    encoder, decoder = mlp_pair((2,), latent_dim=2, hidden=64)
    decoder = keras.Model(decoder.input, keras.layers.Rescaling(3.0)(decoder.output))  # the ring lies within +-2.1
    model = kgan.VAE(encoder, decoder, beta=0.1, reconstruction="gaussian", seed=0)
    model.compile(optimizer=keras.optimizers.Adam(3e-3))
    x, _ = toy.ring(4096, seed=0)
    history = model.fit(x, batch_size=128, epochs=15, verbose=0).history
    assert set(history) == {"loss", "reconstruction", "kl"}
    squared_error = [2 * (r - np.log(2 * np.pi)) for r in history["reconstruction"]]  # ||x - x_hat||^2
    assert squared_error[-1] < 0.2 * squared_error[0]
    assert np.isfinite(history["kl"]).all() and 1 < history["kl"][-1] < 10  # the code carries information
    z_mean, _ = model.encode(x[:512])
    reconstructed = model.decode(z_mean)
    assert np.mean(np.sum((reconstructed - x[:512]) ** 2, axis=1)) < 0.1  # neighbouring modes are 1.5 apart


@pytest.mark.parametrize("shape, latent_dim", [((28, 28, 1), 8), ((64, 64, 3), 16)])
def test_builders_fit_each_other_and_train(shape, latent_dim):
    encoder = networks.vae_encoder(shape, latent_dim, base_filters=4)
    decoder = networks.vae_decoder(latent_dim, shape, base_filters=4)
    assert [tuple(o.shape) for o in encoder.outputs] == [(None, latent_dim)] * 2
    assert decoder.output_shape == (None,) + shape
    model = kgan.VAE(encoder, decoder)
    model.compile(optimizer="adam")
    x = np.random.default_rng(0).uniform(-1, 1, (8,) + shape).astype("float32")
    history = model.fit(x, batch_size=4, epochs=1, verbose=0).history
    assert all(np.isfinite(v).all() for v in history.values()) and int(model.optimizer.iterations) == 2
    samples = model.generate(3, seed=0)
    assert samples.shape == (3,) + shape and np.abs(samples).max() <= 1


def test_validation_data_and_labelled_datasets():
    import tensorflow as tf

    model = make()
    data = tf.data.Dataset.from_tensor_slices((f.images(64), f.labels(64))).batch(16)  # labels are ignored
    history = model.fit(data, validation_data=f.images(32, seed=1), epochs=1, verbose=0).history
    assert {"val_loss", "val_reconstruction", "val_kl"} <= set(history)


# --------------------------------------------------------------------------- saving, export, CLI


def test_keras_file_round_trip_continues_training_exactly(tmp_path):
    model = make(beta=2.0, reconstruction="l1", seed=3)
    model.fit(f.images(64), batch_size=16, epochs=1, verbose=0, shuffle=False)
    config = model.get_config()
    assert (config["beta"], config["reconstruction"], config["seed"]) == (2.0, "l1", 3)
    path = str(tmp_path / "vae.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is kgan.VAE and loaded.compiled
    assert (loaded.beta, loaded.reconstruction, loaded.seed, loaded.latent_dim) == (2.0, "l1", 3, 3)
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations) == 4
    for mine, theirs in zip(model.encode(f.images(8)), loaded.encode(f.images(8))):
        np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(model.generate(5, seed=1), loaded.generate(5, seed=1))
    model.fit(f.images(64), batch_size=16, epochs=1, verbose=0, shuffle=False)
    loaded.fit(f.images(64), batch_size=16, epochs=1, verbose=0, shuffle=False)
    for mine, theirs in zip(f.all_weights(model), f.all_weights(loaded)):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)


def test_export_reproduces_the_decoder(tmp_path):
    model = make()
    model.fit(f.images(64), batch_size=16, epochs=1, verbose=0)
    z = latent.sample(6, model.latent_dim, seed=2)
    if keras.backend.backend() == "torch":
        import torch

        program = torch.export.load(kgan.export_generator(model, str(tmp_path / "d.pt2"), format="torch")).module()
        out = program(torch.from_numpy(z)).detach().cpu().numpy()
    else:
        import tensorflow as tf

        loaded = tf.saved_model.load(kgan.export_generator(model, tmp_path / "export"))
        out = loaded.signatures["serving_default"](noise=tf.constant(z))["images"].numpy()
    np.testing.assert_allclose(out, model.decode(z), atol=1e-5)
    np.testing.assert_allclose(model.decode(z), model.generate(6, seed=2), atol=1e-6)


@pytest.mark.filterwarnings("ignore:The (real|fake) statistics come from 20 samples")
def test_kgan_sample_and_evaluate_read_a_saved_vae(tmp_path, capsys):
    model = kgan.VAE(networks.vae_encoder((28, 28, 1), 4, base_filters=4), networks.vae_decoder(4, (28, 28, 1), 4))
    model.compile(optimizer="adam")
    model.save(tmp_path / "vae.keras")
    grid = tmp_path / "grid.png"
    assert kgan.cli.main(["sample", str(tmp_path / "vae.keras"), "--n", "4", "--seed", "3", "--out", str(grid)]) == 0
    from PIL import Image

    expected = images.make_grid(model.generate(4, seed=3))[..., 0]
    assert np.abs(np.asarray(Image.open(grid)).astype(int) - expected.astype(int)).max() <= 1
    real = np.random.default_rng(0).integers(0, 256, (40, 28, 28), dtype=np.uint8)
    np.savez(tmp_path / "tiny.npz", x_train=real)
    capsys.readouterr()
    assert kgan.cli.main(["evaluate", str(tmp_path / "vae.keras"), "--data", str(tmp_path / "tiny.npz"),
                          "--split", "train", "--n", "20", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert np.isfinite(figures["fd"]) and figures["feature_space"].startswith("zoo.mnist_classifier")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("beta", [-0.5, float("nan"), "1", None])
def test_bad_beta_raises_naming_the_value(beta):
    with pytest.raises(ValueError, match=f"beta must be a finite number >= 0.*got {beta!r}"):
        make(compile=False, beta=beta)


@pytest.mark.parametrize("name", ["mse", "Bernoulli", None])
def test_unknown_reconstruction_raises_naming_the_value(name):
    with pytest.raises(ValueError,
                       match=rf"reconstruction must be one of \('bernoulli', 'gaussian', 'l1'\), got {name!r}"):
        make(compile=False, reconstruction=name)


def test_data_that_does_not_fit_the_decoder_raises_before_training():
    import tensorflow as tf

    model = make()
    wrong = np.zeros((16, 5, 5, 1), "float32")
    with pytest.raises(ValueError, match=r"shape \(5, 5, 1\) per sample but the decoder produces \(4, 4, 1\)"):
        model.fit(wrong, batch_size=8, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"shape \(5, 5, 1\) per sample but the decoder produces \(4, 4, 1\)"):
        model.fit(tf.data.Dataset.from_tensor_slices(wrong).batch(8), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="got dtype uint8"):
        model.fit(np.zeros((16, 4, 4, 1), "uint8"), batch_size=8, epochs=1, verbose=0)
    assert int(model.optimizer.iterations) == 0


def test_encoder_and_decoder_that_do_not_fit_raise_naming_both():
    encoder, _ = mlp_pair(f.IMAGE_SHAPE, latent_dim=3)
    _, other_latent = mlp_pair(f.IMAGE_SHAPE, latent_dim=5)
    with pytest.raises(ValueError, match=r"take z of shape \(batch, 3\).*takes \[\(None, 5\)\]"):
        kgan.VAE(encoder, other_latent)
    _, other_images = mlp_pair((5, 5, 1), latent_dim=3)
    with pytest.raises(ValueError,
                       match=r"decoder produces images of shape \(5, 5, 1\) but the encoder reads \(4, 4, 1\)"):
        kgan.VAE(encoder, other_images)
    x = keras.Input(f.IMAGE_SHAPE)
    one_output = keras.Model(x, keras.layers.Dense(3)(keras.layers.Flatten()(x)))
    with pytest.raises(ValueError, match=r"\[z_mean, z_log_var\].*returns shapes \[\(None, 3\)\]"):
        kgan.VAE(one_output, other_images)


def test_compile_refuses_a_loss():
    with pytest.raises(ValueError, match="got loss=: the VAE's loss is the negative ELBO"):
        make(compile=False).compile(optimizer="adam", loss="mse")
