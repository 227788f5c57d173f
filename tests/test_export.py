"""SavedModel export of generators reproduces the in-memory model."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import kgan
from kgan import networks
from tests import factories as f


needs_savedmodel = pytest.mark.skipif(keras.backend.backend() == "torch", reason="SavedModel export needs tensorflow or jax")


@needs_savedmodel
def test_dcgan_export_matches_in_memory(tmp_path):
    g = networks.dcgan_generator(latent_dim=16, output_shape=(28, 28, 1), base_filters=8)
    d = networks.dcgan_discriminator((28, 28, 1), base_filters=8)
    gan = kgan.GAN(g, d)
    path = kgan.export_generator(gan, tmp_path / "export")
    loaded = tf.saved_model.load(path)
    noise = np.random.default_rng(0).standard_normal((5, 16)).astype("float32")
    out = loaded.signatures["serving_default"](noise=tf.constant(noise))["images"].numpy()
    assert np.abs(out - keras.ops.convert_to_numpy(g(noise, training=False))).max() < 1e-5
    as_uint8 = loaded.generate_uint8(tf.constant(noise))["images"].numpy()
    assert as_uint8.dtype == np.uint8
    np.testing.assert_array_equal(as_uint8, kgan.images.to_uint8(out))


@needs_savedmodel
def test_conditional_export_takes_labels(tmp_path):
    model = f.make("cgan")
    loaded = tf.saved_model.load(kgan.export_generator(model, tmp_path / "c"))
    noise = np.random.default_rng(1).standard_normal((3, f.LATENT)).astype("float32")
    labels = np.array([0, 1, 2], "int32")
    out = loaded.signatures["serving_default"](noise=tf.constant(noise), labels=tf.constant(labels))["images"]
    expected = keras.ops.convert_to_numpy(model.generator([noise, labels], training=False))
    assert np.abs(out.numpy() - expected).max() < 1e-5


@pytest.mark.skipif(keras.backend.backend() != "torch", reason="torch backend only")
def test_torch_backend_says_how_to_export(tmp_path):
    with pytest.raises(NotImplementedError, match="format=\"torch\""):
        kgan.export_generator(f.make("gan"), tmp_path / "e")
    assert not (tmp_path / "e").exists()


@needs_savedmodel
def test_failed_export_leaves_previous_export_intact(tmp_path, monkeypatch):
    model = f.make("gan")
    path = kgan.export_generator(model, tmp_path / "e")
    before = sorted(p.name for p in (tmp_path / "e").iterdir())

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tf.saved_model, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        kgan.export_generator(model, path)
    assert sorted(p.name for p in (tmp_path / "e").iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e"]  # no staging folder left


@needs_savedmodel
def test_export_never_replaces_other_files(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"precious")
    with pytest.raises(ValueError, match="not a SavedModel"):
        kgan.export_generator(f.make("gan"), folder)
    assert (folder / "holiday.jpg").read_bytes() == b"precious"


@pytest.mark.skipif(keras.backend.backend() != "torch", reason="torch backend only")
@pytest.mark.parametrize("kind", ["gan", "cgan"])
def test_torch_program_export_matches_in_memory(kind, tmp_path):
    import torch

    model = f.make(kind)
    path = kgan.export_generator(model, tmp_path / "g.pt2", format="torch")
    program = torch.export.load(path).module()
    for n in (2, 5):  # the batch dimension is dynamic
        noise = np.random.default_rng(n).standard_normal((n, f.LATENT)).astype("float32")
        labels = np.arange(n, dtype="int32") % f.CLASSES
        inputs = [noise, labels] if kind == "cgan" else noise
        expected = keras.ops.convert_to_numpy(model.generator(inputs, training=False))
        args = [torch.from_numpy(noise), torch.from_numpy(labels)] if kind == "cgan" else torch.from_numpy(noise)
        out = program(args).detach().numpy()
        assert out.shape == (n,) + f.IMAGE_SHAPE
        assert np.abs(out - expected).max() < 1e-5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.pt2"]  # no staging files left


def test_torch_format_is_refused_elsewhere_and_for_bad_paths(tmp_path):
    model = f.make("gan")
    if keras.backend.backend() != "torch":
        with pytest.raises(ValueError, match="KERAS_BACKEND=torch"):
            kgan.export_generator(model, tmp_path / "g.pt2", format="torch")
    else:
        with pytest.raises(ValueError, match=r"\.pt2"):
            kgan.export_generator(model, tmp_path / "g.keras", format="torch")
    with pytest.raises(ValueError, match="format must be one of"):
        kgan.export_generator(model, tmp_path / "g", format="onnx")
    assert list(tmp_path.iterdir()) == []
