"""Bad input fails early with a clear error, before any training step and without writing."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests import factories as f


def assert_untrained(model):
    assert int(model.g_optimizer.iterations) == 0 and int(model.d_optimizer.iterations) == 0


def test_images_of_the_wrong_shape():
    model = f.make("gan")
    with pytest.raises(ValueError, match=r"\(5, 5, 1\).*generator produces \(4, 4, 1\)"):
        model.fit(np.zeros((8, 5, 5, 1), "float32"), batch_size=4, verbose=0)
    assert_untrained(model)


def test_uint8_images_are_refused():
    model = f.make("gan")
    with pytest.raises(ValueError, match="from_uint8"):
        model.fit(np.zeros((8, 4, 4, 1), "uint8"), batch_size=4, verbose=0)


def test_conditional_data_without_labels():
    model = f.make("cgan")
    with pytest.raises(ValueError, match="no labels"):
        model.fit(f.images(8), batch_size=4, verbose=0)
    assert_untrained(model)


@pytest.mark.parametrize("bad", [-1, 3, 17])
def test_labels_outside_the_classes(bad):
    model = f.make("cgan")
    labels = f.labels(8)
    labels[5] = bad
    with pytest.raises(ValueError, match=f"Label {bad} is outside \\[0, 3\\)"):
        model.fit(f.images(8), labels, batch_size=4, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((f.images(8), labels)).batch(8)
    with pytest.raises(ValueError, match=f"Label {bad} is outside"):
        model.fit(dataset, verbose=0)
    assert_untrained(model)


def test_non_integer_labels():
    model = f.make("cgan")
    with pytest.raises(ValueError, match="integers.*float"):
        model.fit(f.images(8), f.labels(8).astype("float32") + 0.5, batch_size=4, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((f.images(8), np.full(8, 0.5, "float32"))).batch(4)
    with pytest.raises(ValueError, match="integers.*float"):
        model.fit(dataset, verbose=0)
    assert_untrained(model)


def test_fit_before_compile():
    model = f.make("gan", compile=False)
    with pytest.raises(ValueError, match=r"compile\(g_optimizer=..., d_optimizer=...\) before fit"):
        model.fit(f.images(8), verbose=0)


@pytest.mark.parametrize("missing", ["g_optimizer", "d_optimizer"])
def test_compile_without_an_optimizer(missing):
    model = f.make("wgangp", compile=False)
    kwargs = f.optimizers()
    del kwargs[missing]
    with pytest.raises(ValueError, match=f"missing: {missing}"):
        model.compile(**kwargs)


def test_compile_rejects_single_optimizer_and_shared_instances():
    model = f.make("gan", compile=False)
    with pytest.raises(ValueError, match="g_optimizer= and d_optimizer="):
        model.compile(optimizer="adam", **f.optimizers())
    shared = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="same object"):
        model.compile(g_optimizer=shared, d_optimizer=shared)


def test_bad_constructor_arguments():
    g, d = f.make("gan", compile=False).generator, f.make("gan", compile=False).discriminator
    import kgan

    with pytest.raises(ValueError, match="Unknown loss 'wgan'"):
        kgan.GAN(g, d, loss="wgan")
    with pytest.raises(ValueError, match="d_steps must be an integer >= 1, got 0"):
        kgan.GAN(g, d, d_steps=0)
    for bad in (-1.0, float("nan")):
        with pytest.raises(ValueError, match=f"r1_weight must be >= 0, got {bad}"):
            kgan.GAN(g, d, r1_weight=bad)
    with pytest.raises(ValueError, match="n_critic must be"):
        kgan.WGANGP(g, d, n_critic=0)
    with pytest.raises(ValueError, match="conditional generator must take two inputs"):
        kgan.ConditionalGAN(g, d, num_classes=3)
    with pytest.raises(ValueError, match="generator must be a keras.Model"):
        kgan.GAN("not a model", d)


def test_terminate_on_nan_keeps_the_last_good_checkpoint(tmp_path):
    clean = f.images(32)
    poisoned = np.full_like(clean, np.nan)
    # Epoch 1 sees clean batches, epoch 2 NaN ones.
    dataset = tf.data.Dataset.from_tensor_slices(np.concatenate([clean, poisoned])).batch(8).repeat()
    model = f.make("gan")
    path = str(tmp_path / "ckpt-{epoch:02d}.keras")
    history = model.fit(
        dataset,
        steps_per_epoch=4,
        epochs=5,
        verbose=0,
        callbacks=[keras.callbacks.TerminateOnNaN(), keras.callbacks.ModelCheckpoint(path)],
    )
    assert len(history.history["loss"]) == 2  # stopped during the second epoch
    assert int(model.g_optimizer.iterations) == 5  # at the first NaN batch
    good = keras.saving.load_model(str(tmp_path / "ckpt-01.keras"))
    assert all(np.isfinite(w).all() for w in f.all_weights(good))
    assert np.isfinite(good.generate(4, seed=0)).all()
