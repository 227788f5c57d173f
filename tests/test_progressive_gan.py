"""ProgressiveGAN: layers, schedule, fade-in continuity, transitions, saving, resume, export."""

import math
import warnings

import keras
import numpy as np
import pytest

import kgan
from kgan import latent, networks
from kgan.models import progressive_feed
from kgan.networks import progressive as P
from kgan.networks.progressive_layers import EqualizedConv2D, EqualizedDense, MinibatchStdDev, PixelNorm

LATENT = 4
FILTERS = (8, 8, 4)


def to_numpy(x):
    return keras.ops.convert_to_numpy(x)


def tiny_networks(resolution=16):
    filters = FILTERS[: int(math.log2(resolution)) - 1]
    return (networks.progressive_generator(LATENT, resolution, 3, filters=filters),
            networks.progressive_discriminator(resolution, 3, filters=filters))


def tiny_schedule():
    # 4x4: 4 steps of 8; 8x8: fade 4 steps of 8, stable 2 of 8; 16x16: fade 4 steps of 4, then on.
    return kgan.ProgressiveSchedule(16, stable_images={4: 32, 8: 16, 16: 16}, fade_images={8: 32, 16: 16},
                                    batch_size={4: 8, 8: 8, 16: 4})


def compile_tiny(model):
    adam = dict(learning_rate=1e-3, beta_1=0.0, beta_2=0.99)  # the paper's Adam
    # TensorFlow traces a graph per phase (without XLA, which would compile each one too); JAX jits
    # one as usual, so the retrace on a new phase is what runs.
    jit = False if keras.backend.backend() == "tensorflow" else "auto"
    model.compile(g_optimizer=keras.optimizers.Adam(**adam), d_optimizer=keras.optimizers.Adam(**adam),
                  jit_compile=jit)
    return model


def faces(n=40, resolution=16, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, resolution, resolution, 3)).astype("float32")


# --------------------------------------------------------------------------- layers
def test_pixel_norm_against_hand_computed_values():
    x = np.array([[[[3.0, 4.0], [0.0, 2.0]]]], "float32")  # two pixels of two features
    expected = np.array([[[[3.0, 4.0], [0.0, 2.0]]]]) / np.array([[[[math.sqrt(12.5)], [math.sqrt(2.0)]]]])
    np.testing.assert_allclose(to_numpy(PixelNorm()(x)), expected, rtol=1e-6)


def test_minibatch_stddev_against_hand_computed_values():
    # Batch 4, group 2: sample n is in group n % 2, so groups {0, 2} and {1, 3}. One pixel, two features.
    x = np.array([[1.0, 2.0], [0.0, 0.0], [3.0, 6.0], [4.0, 1.0]], "float32").reshape(4, 1, 1, 2)
    # group {0, 2}: stds |1-3|/2 = 1 and |2-6|/2 = 2 -> 1.5; group {1, 3}: 2 and 0.5 -> 1.25.
    out = to_numpy(MinibatchStdDev(group_size=2)(x))
    assert out.shape == (4, 1, 1, 3)
    np.testing.assert_array_equal(out[..., :2], x)
    np.testing.assert_allclose(out[:, 0, 0, 2], [1.5, 1.25, 1.5, 1.25], rtol=1e-6)
    # One group of all four on a 2x2 map: the statistic is tiled over every pixel.
    y = np.arange(32, dtype="float32").reshape(4, 2, 2, 2)
    std = np.sqrt(((y - y.mean(0)) ** 2).mean(0) + 1e-8).mean()
    np.testing.assert_allclose(to_numpy(MinibatchStdDev(group_size=4)(y))[..., 2], np.full((4, 2, 2), std), rtol=1e-6)


@pytest.mark.parametrize("layer, x, fan_in", [
    (EqualizedDense(3, gain=2.0), np.ones((2, 5), "float32"), 5),
    (EqualizedConv2D(3, 3, gain=2.0), np.ones((2, 4, 4, 5), "float32"), 3 * 3 * 5),
])
def test_equalized_learning_rate_scales_weights_at_run_time_by_the_he_constant(layer, x, fan_in):
    layer(x)
    he = 2.0 / math.sqrt(fan_in)
    assert layer.runtime_scale == pytest.approx(he)
    assert np.std(to_numpy(layer.kernel)) == pytest.approx(1.0, abs=0.35)  # N(0, 1) storage
    for w in (layer.kernel, layer.bias):
        w.assign(np.ones(w.shape, "float32"))
    # All-ones input and kernel: a centre pixel or a dense unit sums fan_in products, times he, plus bias 1.
    out = to_numpy(layer(x))
    centre = out[:, 2, 2] if out.ndim == 4 else out
    np.testing.assert_allclose(centre, np.full(centre.shape, fan_in * he + 1.0), rtol=1e-5)


def test_without_equalized_learning_rate_the_he_constant_goes_into_the_initial_weights():
    keras.utils.set_random_seed(0)
    layer = EqualizedConv2D(64, 3, equalized=False)
    layer(np.zeros((1, 4, 4, 32), "float32"))
    he = math.sqrt(2.0) / math.sqrt(3 * 3 * 32)
    assert layer.runtime_scale == 1.0
    assert np.std(to_numpy(layer.kernel)) == pytest.approx(he, rel=0.05)
    clone = EqualizedConv2D.from_config(layer.get_config())
    assert (clone.filters, clone.kernel_size, clone.equalized) == (64, 3, False)
    assert clone.gain == pytest.approx(math.sqrt(2))


def layer_types(network):
    return {type(layer) for layer in network._flatten_layers(include_self=False, recursive=True)}


def test_layer_options_default_to_the_paper_and_can_be_turned_off():
    g, d = tiny_networks(8)
    assert PixelNorm in layer_types(g) and MinibatchStdDev in layer_types(d) and P.minibatch_group_size(d) == 4
    equalized = [layer for net in (g, d) for layer in net._flatten_layers() if isinstance(layer, EqualizedConv2D)]
    assert equalized and all(layer.equalized for layer in equalized)
    g = networks.progressive_generator(LATENT, 8, 3, filters=4, pixel_norm=False, equalized_lr=False)
    d = networks.progressive_discriminator(8, 3, filters=4, minibatch_std=False, equalized_lr=False)
    assert PixelNorm not in layer_types(g) and MinibatchStdDev not in layer_types(d)
    assert P.minibatch_group_size(d) is None
    assert all(not layer.equalized for net in (g, d) for layer in net._flatten_layers()
               if isinstance(layer, (EqualizedConv2D, EqualizedDense)))
    # Without minibatch groups any batch size will do.
    kgan.ProgressiveGAN(g, d, schedule=kgan.ProgressiveSchedule(8, stable_images=6, fade_images=6, batch_size=3))


def test_mode_seeking_is_refused_by_name():
    """Its generator update is its own and adds no mode-seeking term: the option fails early."""
    g, d = tiny_networks(8)
    with pytest.raises(ValueError, match=r"ProgressiveGAN makes its own generator update and takes no mode_seeking "
                                         r"\(got 0.1\)"):
        kgan.ProgressiveGAN(g, d, schedule=kgan.ProgressiveSchedule(8, batch_size=8), mode_seeking=0.1)


# --------------------------------------------------------------------------- schedule
def test_schedule_phases_and_alpha():
    s = tiny_schedule()
    assert [(p.resolution, p.fading, p.start, p.length, p.batch_size) for p in s.phases] == [
        (4, False, 0, 32, 8), (8, True, 32, 32, 8), (8, False, 64, 16, 8), (16, True, 80, 16, 4),
        (16, False, 96, None, 4)]
    assert s.total_images == 112 and s.total_steps == 4 + 4 + 2 + 4 + 4
    assert s.phase_at(10_000).resolution == 16  # training goes on at the final resolution
    assert [s.phase_at(n).alpha(n) for n in (0, 32, 40, 56, 64, 84)] == [1.0, 0.0, 0.25, 0.75, 1.0, 0.25]
    for n in (0, 32, 48, 63, 64, 84, 200):
        stage, alpha = s.state_at(keras.ops.convert_to_tensor(n, "int32"))
        assert int(to_numpy(stage)) == s.phase_at(n).stage
        assert float(to_numpy(alpha)) == pytest.approx(s.phase_at(n).alpha(n), abs=1e-7)
    assert kgan.ProgressiveSchedule.from_config(s.get_config()) == s


def test_schedule_accepts_ints_sequences_and_dicts():
    a = kgan.ProgressiveSchedule(8, stable_images=16, fade_images=16, batch_size=8)
    b = kgan.ProgressiveSchedule(8, stable_images=[16, 16], fade_images=[16], batch_size={"4": 8, "8": 8})
    assert a == b and a.get_config()["batch_size"] == [8, 8]
    assert kgan.ProgressiveSchedule().get_config() == {  # the paper's: 800k images a phase, batch 16
        "resolution": 64, "stable_images": [800_000] * 5, "fade_images": [800_000] * 4, "batch_size": [16] * 5}


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("make", [
    lambda: kgan.ProgressiveSchedule(resolution=48),
    lambda: networks.progressive_generator(LATENT, 48),
    lambda: networks.progressive_discriminator(48),
    lambda: kgan.ProgressiveSchedule(resolution=2),
])
def test_non_power_of_two_resolution_raises_naming_it(make):
    with pytest.raises(ValueError, match=r"power of two.*got (48|2)"):
        make()


def test_phase_that_is_not_a_whole_number_of_batches_raises():
    with pytest.raises(ValueError, match=r"fade_images\[8\]=20 is not a multiple of batch_size\[8\]=8.*16 or 24"):
        kgan.ProgressiveSchedule(8, stable_images=16, fade_images=20, batch_size=8)


def test_schedule_not_matching_the_networks_or_the_data_raises_before_training():
    g, d = tiny_networks(16)
    with pytest.raises(ValueError, match="final resolution is 16x16 but the schedule's is 32x32"):
        kgan.ProgressiveGAN(g, d, schedule=kgan.ProgressiveSchedule(32, batch_size=8))
    with pytest.raises(ValueError, match="minibatch stddev groups 4 samples.*batch size"):
        kgan.ProgressiveGAN(g, d, schedule=kgan.ProgressiveSchedule(16, stable_images=12, fade_images=12, batch_size=6))
    mlp = networks.mlp_generator(LATENT, (16, 16, 3), hidden_units=(8,))
    for schedule in (tiny_schedule(), None):
        with pytest.raises(ValueError, match="not a progressive generator.*progressive_generator"):
            kgan.ProgressiveGAN(mlp, d, schedule=schedule)
    model = compile_tiny(kgan.ProgressiveGAN(g, d, schedule=tiny_schedule()))
    with pytest.raises(ValueError, match=r"images have shape \(32, 32, 3\).*end at 16x16"):
        model.fit(faces(8, resolution=32), epochs=1)
    with pytest.raises(ValueError, match="batch_size.*come from the schedule"):
        model.fit(faces(8), batch_size=8, epochs=1)
    assert model.images_seen == 0 and int(model.g_optimizer.iterations) == 0


# --------------------------------------------------------------------------- fade-in continuity
@pytest.mark.parametrize("resolution", [8, 16])
def test_fade_in_is_continuous_in_generator_and_discriminator(resolution):
    g, d = tiny_networks(16)
    noise = np.random.default_rng(0).standard_normal((4, LATENT)).astype("float32")
    previous = to_numpy(P.upscale(P.generator_images(g, noise, resolution // 2), 2))
    new = to_numpy(P.generator_images(g, noise, resolution))
    np.testing.assert_allclose(to_numpy(P.generator_images(g, noise, resolution, alpha=0.0)), previous, atol=1e-6)
    np.testing.assert_allclose(to_numpy(P.generator_images(g, noise, resolution, alpha=1.0)), new, atol=1e-6)
    halfway = to_numpy(P.generator_images(g, noise, resolution, alpha=0.5))
    np.testing.assert_allclose(halfway, (previous + new) / 2, atol=1e-5)
    assert np.abs(previous - new).max() > 1e-3  # the two stages do differ

    images = faces(4, resolution)
    previous = to_numpy(P.discriminator_logits(d, P.downscale(images, 2)))
    new = to_numpy(P.discriminator_logits(d, images))
    np.testing.assert_allclose(to_numpy(P.discriminator_logits(d, images, alpha=0.0)), previous, atol=1e-5)
    np.testing.assert_allclose(to_numpy(P.discriminator_logits(d, images, alpha=1.0)), new, atol=1e-5)
    assert np.abs(previous - new).max() > 1e-4
    # The whole discriminator scores the image at every resolution with the same blocks.
    whole = d(faces(4, 16))
    np.testing.assert_allclose(to_numpy(whole[2]), to_numpy(P.discriminator_logits(d, P.downscale(faces(4, 16), 4))),
                               atol=1e-5)


# --------------------------------------------------------------------------- one training run, many checks
class Recorder(keras.callbacks.Callback):
    """Per step: the logged resolution, alpha and image count; per epoch: state, samples, weights."""

    def __init__(self, save_at, path):
        super().__init__()
        self.steps, self.epochs, self.save_at, self.path = [], [], save_at, path

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append((int(logs["resolution"]), round(float(logs["alpha"]), 6), round(float(logs["kimg"]) * 1000)))

    def on_epoch_end(self, epoch, logs=None):
        m = self.model
        noise = latent.sample(3, LATENT, seed=0)
        self.epochs.append({
            "state": (m.images_seen, m.stage, m.alpha, m.resolution),
            "samples": m.generate(3, seed=0),
            "views": {r: to_numpy(m.generator_at(r)(noise)) for r in (4, 8, 16)},
            "weights": {layer.name: [to_numpy(w).copy() for w in layer.weights]
                        for net in (m.generator, m.discriminator) for layer in net.layers if layer.weights},
        })
        if m.images_seen == self.save_at:
            m.save(self.path)
            self.saved = {"samples": m.generate(3, seed=0), "iterations": int(m.g_optimizer.iterations)}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    keras.utils.set_random_seed(0)
    g, d = tiny_networks(16)
    model = compile_tiny(kgan.ProgressiveGAN(g, d, schedule=tiny_schedule(), seed=3, ema_decay=0.9,
                                             augment="translation"))
    initial = {layer.name: [to_numpy(w).copy() for w in layer.weights]
               for net in (model.generator, model.discriminator) for layer in net.layers if layer.weights}
    recorder = Recorder(save_at=88, path=str(tmp_path_factory.mktemp("progan") / "mid_fade.keras"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(faces(), epochs=5, steps_per_epoch=4, callbacks=[recorder], verbose=0)
    recorder.warnings = [str(w.message) for w in caught]
    return model, recorder, history, initial


def test_stage_transitions_happen_at_the_scheduled_image_counts(trained):
    model, recorder, history, _ = trained
    expected = (
        [(4, 1.0, 8 * i) for i in (1, 2, 3, 4)]
        + [(8, a, 32 + 8 * i) for i, a in zip((1, 2, 3, 4), (0.0, 0.25, 0.5, 0.75))]
        + [(8, 1.0, 72), (8, 1.0, 80)]
        + [(16, a, 80 + 4 * i) for i, a in zip((1, 2, 3, 4), (0.0, 0.25, 0.5, 0.75))]
        + [(16, 1.0, 96 + 4 * i) for i in (1, 2, 3, 4, 5, 6)]
    )
    assert recorder.steps == expected
    # State after each epoch: the next step's stage and alpha.
    assert [e["state"] for e in recorder.epochs] == [
        (32, 1, 0.0, 8), (64, 1, 1.0, 8), (88, 2, 0.5, 16), (104, 2, 1.0, 16), (120, 2, 1.0, 16)]
    assert int(model.g_optimizer.iterations) == int(model.d_optimizer.iterations) == 20
    assert history.history["resolution"] == [4.0, 8.0, 16.0, 16.0, 16.0]
    assert all(np.isfinite(v).all() for v in history.history.values())
    # Unused blocks get zero gradients, not none: no optimizer warning about them on any backend.
    assert not [w for w in recorder.warnings if "Gradients do not exist" in w]


def test_blocks_are_trained_from_their_stage_on_only(trained):
    _, recorder, _, initial = trained

    def changed(epoch, name):
        now = recorder.epochs[epoch]["weights"][name]
        return any(np.abs(a - b).max() > 0 for a, b in zip(now, initial[name]))

    for name in ("g_block_4x4", "g_to_rgb_4x4", "d_block_4x4", "d_from_rgb_4x4"):
        assert changed(0, name)
    for name in ("g_block_8x8", "g_to_rgb_8x8", "d_block_8x8", "d_from_rgb_8x8", "g_block_16x16", "d_block_16x16"):
        assert not changed(0, name), name
    assert changed(1, "g_block_8x8") and changed(1, "d_from_rgb_8x8")
    assert not changed(1, "g_block_16x16") and not changed(1, "d_from_rgb_16x16")
    assert changed(2, "g_block_16x16") and changed(2, "d_block_16x16")


def test_grown_generator_starts_as_the_previous_stage_upsampled(trained):
    _, recorder, _, _ = trained
    first, second = recorder.epochs[0], recorder.epochs[1]  # next steps: 8x8 at alpha 0, then at alpha 1
    np.testing.assert_allclose(first["samples"], np.repeat(np.repeat(first["views"][4], 4, 1), 4, 2), atol=1e-6)
    np.testing.assert_allclose(second["samples"], np.repeat(np.repeat(second["views"][8], 2, 1), 2, 2), atol=1e-6)
    np.testing.assert_allclose(recorder.epochs[-1]["samples"], recorder.epochs[-1]["views"][16], atol=1e-6)


def test_ema_and_augmentation_options(trained):
    model, _, _, _ = trained
    raw = model.generator_at(16, use_ema=False)
    assert model.sampling_generator is model.generator_at(16) is not raw
    noise = latent.sample(4, LATENT, seed=1)
    assert np.abs(to_numpy(model.sampling_generator(noise)) - to_numpy(raw(noise))).max() > 1e-4
    np.testing.assert_allclose(model.generate(4, seed=1, use_ema=False), to_numpy(raw(noise)), atol=1e-6)
    assert model.get_config()["augment"] == "translation"


def test_keras_file_keeps_stage_alpha_and_images_mid_fade(trained):
    model, recorder, _, _ = trained
    loaded = keras.saving.load_model(recorder.path)
    assert type(loaded) is kgan.ProgressiveGAN and loaded.compiled
    assert loaded.schedule == model.schedule and loaded.ema_generator is not None
    assert (loaded.images_seen, loaded.stage, loaded.alpha, loaded.phase.fading) == (88, 2, 0.5, True)
    assert loaded.data_seed == model.data_seed and int(loaded.g_optimizer.iterations) == recorder.saved["iterations"]
    np.testing.assert_allclose(loaded.generate(3, seed=0), recorder.saved["samples"], atol=1e-6)


def test_real_images_are_pooled_to_the_stage_and_blended_while_it_fades_in(trained):
    model, recorder, _, _ = trained
    loaded = keras.saving.load_model(recorder.path)  # fading in 16x16 at alpha 0.5
    x = faces(2)

    def blend(images, alpha):  # by hand: half-resolution box means repeated, mixed with the images
        n, h, w, c = images.shape
        low = images.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4)).repeat(2, 1).repeat(2, 2)
        return (1 - alpha) * low + alpha * images

    np.testing.assert_allclose(to_numpy(loaded.real_images(x)), blend(x, 0.5), atol=1e-6)
    loaded.enter_phase(40)  # the 8x8 fade-in (alpha stays the variable's 0.5)
    pooled = x.reshape(2, 8, 2, 8, 2, 3).mean(axis=(2, 4))
    np.testing.assert_allclose(to_numpy(loaded.real_images(x)), blend(pooled, 0.5), atol=1e-6)
    loaded.enter_phase(70)  # 8x8, stable: pooled only
    np.testing.assert_allclose(to_numpy(loaded.real_images(x)), pooled, atol=1e-6)


def test_generator_at_is_a_plain_keras_model(trained, tmp_path):
    model, _, _, _ = trained
    noise = latent.sample(5, LATENT, seed=2)
    for resolution in (4, 8, 16):
        view = model.generator_at(resolution)
        assert view.output.shape == (None, resolution, resolution, 3) and len(view.outputs) == 1
        out = to_numpy(view(noise))
        assert np.abs(out).max() <= 1.0
        view.save(tmp_path / f"g{resolution}.keras")
        np.testing.assert_allclose(to_numpy(keras.saving.load_model(tmp_path / f"g{resolution}.keras")(noise)), out,
                                   atol=1e-6)


def test_export_round_trip(trained, tmp_path):
    model, _, _, _ = trained
    noise = latent.sample(5, LATENT, seed=3)
    expected = to_numpy(model.sampling_generator(noise))
    if keras.backend.backend() == "torch":
        import torch

        program = torch.export.load(kgan.export_generator(model, tmp_path / "g.pt2", format="torch")).module()
        out = program(torch.from_numpy(noise)).detach().numpy()
    else:
        import tensorflow as tf

        loaded = tf.saved_model.load(kgan.export_generator(model, tmp_path / "export"))
        out = loaded.signatures["serving_default"](noise=tf.constant(noise))["images"].numpy()
    assert out.shape == (5, 16, 16, 3)
    np.testing.assert_allclose(out, expected, atol=1e-5)


# --------------------------------------------------------------------------- data stream
def test_stream_order_is_a_function_of_the_images_seen():
    stream = progressive_feed.ImageStream(faces(10, 4), kgan.ProgressiveSchedule(4, stable_images=8, batch_size=4))
    stream.restart(0, seed=7)
    whole = np.concatenate([stream.rows(0, 10), stream.rows(10, 10)])
    assert sorted(whole[:10]) == list(range(10)) and sorted(whole[10:]) == list(range(10))
    assert list(whole[:10]) != list(whole[10:])  # each pass has its own order
    np.testing.assert_array_equal(stream.rows(7, 6), whole[7:13])  # across a pass boundary
    batches = stream.batches()
    np.testing.assert_array_equal(next(batches), stream.images[whole[:4]])
    stream.restart(8, seed=7)
    np.testing.assert_array_equal(next(stream.batches()), stream.images[whole[8:12]])


def test_a_dataset_is_read_into_memory():
    import tensorflow as tf

    images = faces(10)
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(4)
    np.testing.assert_array_equal(progressive_feed.as_images(dataset, 16, 3), images)
    np.testing.assert_array_equal(progressive_feed.as_images(dataset.unbatch().map(lambda x: (x, 0)), 16, 3), images)
    with pytest.raises(ValueError, match="from_uint8"):
        progressive_feed.as_images((images * 100).astype("uint8"), 16, 3)


# --------------------------------------------------------------------------- resume (TensorFlow)
class Interrupt(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            raise KeyboardInterrupt("simulated interruption")


class StateAtStart(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.state = (self.model.images_seen, self.model.stage, self.model.alpha, self.model.phase.key)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="resume is checked on TensorFlow")
def test_backup_and_restore_resumes_mid_fade_in_and_continues_identically(tmp_path):
    # 8x8 run: 4x4 for 2 steps of 8, fade-in over 4 steps, 2 stable steps; epochs of 2 steps.
    schedule = kgan.ProgressiveSchedule(8, stable_images=16, fade_images=32, batch_size=8)

    def run(callbacks, seed):
        keras.utils.set_random_seed(seed)  # a resumed process would not share the old RNG state
        g, d = tiny_networks(8)
        model = compile_tiny(kgan.ProgressiveGAN(g, d, schedule=schedule, seed=5))
        model.fit(faces(20, 8), epochs=4, steps_per_epoch=2, callbacks=callbacks, verbose=0)
        return model

    reference = run([], seed=1)
    backup = str(tmp_path / "backup")
    with pytest.raises(KeyboardInterrupt):
        run([keras.callbacks.BackupAndRestore(backup), Interrupt()], seed=1)
    state = StateAtStart()
    resumed = run([keras.callbacks.BackupAndRestore(backup), state], seed=99)
    assert state.state == (32, 1, 0.5, (1, True))  # the middle of the fade-in, exactly
    assert (resumed.images_seen, resumed.stage, resumed.alpha) == (64, 1, 1.0)
    assert int(resumed.g_optimizer.iterations) == int(reference.g_optimizer.iterations) == 8
    for a, b in zip(reference.get_weights(), resumed.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
