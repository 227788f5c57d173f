"""Tests for kgan.metrics: FD, KID, IS, evaluate() and the FD callback (all fast, CPU)."""

import types
import warnings

import keras
import numpy as np
import pytest
import scipy.linalg

from kgan import metrics
from kgan.metrics import (
    FrechetDistance,
    FrechetDistanceCallback,
    FrechetStatistics,
    InceptionScore,
    KernelDistance,
    compute_statistics,
    evaluate,
    frechet_distance,
    polynomial_mmd2,
    sqrtm_psd,
    trace_sqrt_product,
)
from kgan.metrics.statistics import MomentAccumulator


def identity(x):
    """A plain-callable feature extractor: the "images" are already (batch, d) features."""
    return x


def flatten(x):
    return np.reshape(x, (len(x), -1))


def random_spd(rng, d, rank=None):
    a = rng.normal(size=(d, rank or d))
    s = a @ a.T / d
    return s if rank else s + 0.5 * np.eye(d)


def closed_form_fd(mu1, s1, mu2, s2):
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * covmean))


def flatten_model(shape):
    inputs = keras.Input(shape)
    return keras.Model(inputs, keras.layers.Flatten()(inputs))


# ---------------------------------------------------------------------------------------------
# statistics: matrix square root, moments, closed form


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sqrtm_psd_matches_scipy(seed):
    s = random_spd(np.random.default_rng(seed), 12)
    root = sqrtm_psd(s)
    np.testing.assert_allclose(root, scipy.linalg.sqrtm(s).real, atol=1e-10)
    np.testing.assert_allclose(root @ root, s, atol=1e-10)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trace_sqrt_product_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    s1, s2 = random_spd(rng, 10), random_spd(rng, 10)
    expected = np.trace(scipy.linalg.sqrtm(s1 @ s2)).real
    assert trace_sqrt_product(s1, s2) == pytest.approx(expected, rel=1e-10)


def test_trace_sqrt_product_rank_deficient_is_real_and_finite():
    rng = np.random.default_rng(0)
    s1, s2 = random_spd(rng, 10, rank=4), random_spd(rng, 10, rank=6)
    value = trace_sqrt_product(s1, s2)
    assert isinstance(value, float) and np.isfinite(value)
    # scipy may return tiny imaginary parts here; the real part is the answer.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = np.trace(scipy.linalg.sqrtm(s1 @ s2)).real
    assert value == pytest.approx(expected, rel=1e-6, abs=1e-8)


def test_moment_accumulator_is_exact_with_large_offset_and_uneven_batches():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 5)) * [1, 2, 3, 4, 5] + 1e6
    acc = MomentAccumulator()
    for part in np.split(x, [1, 7, 400, 401]):
        acc.update(part)
    stats = acc.statistics()
    assert stats.n == 1000
    np.testing.assert_allclose(stats.mu, x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(stats.sigma, np.cov(x, rowvar=False), rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# FrechetDistance


def test_fd_of_a_set_with_itself_is_zero():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 8)) @ rng.normal(size=(8, 8)) + 3.0
    fd = FrechetDistance(identity, value_range=None)
    fd.update_state(real=x, fake=x)
    scale = np.trace(np.cov(x, rowvar=False))
    assert 0.0 <= fd.result() < 1e-6 * scale


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_fd_of_gaussian_samples_matches_closed_form(seed):
    rng = np.random.default_rng(seed)
    d, n = 3, 200_000
    mu1 = rng.normal(size=d)
    mu2 = mu1 + 1.5  # a clear distance, so sampling noise stays well under 1%
    s1, s2 = random_spd(rng, d), random_spd(rng, d)
    fd = FrechetDistance(identity, batch_size=50_000, value_range=None)  # plain callable
    fd.update_state(real=rng.multivariate_normal(mu1, s1, size=n))
    fd.update_state(fake=rng.multivariate_normal(mu2, s2, size=n))
    assert fd.result() == pytest.approx(closed_form_fd(mu1, s1, mu2, s2), rel=0.01)


def test_fd_keras_model_extractor_and_tensor_inputs_agree_with_callable():
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, size=(300, 4, 4, 1)).astype("float32")
    fake = np.tanh(rng.normal(0.3, 0.5, size=(300, 4, 4, 1))).astype("float32")
    by_model = FrechetDistance(flatten_model((4, 4, 1)), batch_size=64)
    to_tensor = keras.ops.convert_to_tensor
    by_model.update_state(real=to_tensor(real), fake=to_tensor(fake))
    by_callable = FrechetDistance(flatten)
    by_callable.update_state(real=real, fake=fake)
    assert by_model.result() == pytest.approx(by_callable.result(), rel=1e-6)
    by_callable.reset_state()
    with pytest.raises(ValueError, match="No real images"):
        by_callable.result()


def test_reference_statistics_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    real = rng.uniform(-1, 1, size=(200, 6))
    fake = rng.uniform(-0.5, 1, size=(150, 6))
    fd = FrechetDistance(identity, batch_size=32)
    fd.update_state(real=real[:70])
    fd.update_state(real=real[70:], fake=fake)
    direct = fd.result()
    path = str(tmp_path / "real_stats.npz")
    fd.save_reference(path)

    loaded = FrechetStatistics.load(path)
    np.testing.assert_array_equal(loaded.mu, fd.real_statistics().mu)
    np.testing.assert_array_equal(loaded.sigma, fd.real_statistics().sigma)
    assert loaded.n == 200
    stats = compute_statistics(real, identity, batch_size=32)  # other batching: rounding only
    np.testing.assert_allclose(stats.mu, loaded.mu, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(stats.sigma, loaded.sigma, rtol=1e-12, atol=1e-15)

    for reference in (path, loaded):
        reused = FrechetDistance(identity, batch_size=32, reference=reference)
        reused.update_state(fake=fake)
        assert reused.result() == direct
        with pytest.raises(ValueError, match="reference"):
            reused.update_state(real=real)
    other = FrechetDistance(identity)
    other.load_reference(path)
    other.update_state(fake=fake)
    assert other.result() == direct


def test_fd_rejects_image_shape_mismatch_naming_both_shapes():
    fd = FrechetDistance(flatten)
    fd.update_state(real=np.zeros((4, 8, 8, 1)))
    both = r"real images have shape \(8, 8, 1\), fake images have shape \(8, 8, 3\)"
    with pytest.raises(ValueError, match=both):
        fd.update_state(fake=np.zeros((4, 8, 8, 3)))
    with pytest.raises(ValueError, match=r"Real images have shape \(6, 6, 1\).*\(8, 8, 1\)"):
        fd.update_state(real=np.zeros((4, 6, 6, 1)))


def test_fd_rejects_out_of_range_images_naming_min_and_max():
    fd = FrechetDistance(flatten)
    with pytest.raises(ValueError, match=r"min=-1\.5, max=0\.5"):
        fd.update_state(real=np.array([[-1.5, 0.5], [0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"max=255.*127\.5"):
        fd.update_state(fake=np.full((2, 3), 255, dtype=np.uint8))
    fd.update_state(real=np.array([[-1.0005, 1.0005], [0.0, 0.0]]))  # within tolerance 1e-3


def test_fd_needs_two_samples_and_warns_when_rank_deficient():
    rng = np.random.default_rng(0)
    fd = FrechetDistance(identity, value_range=None)
    fd.update_state(real=rng.normal(size=(1, 4)), fake=rng.normal(size=(50, 4)))
    with pytest.raises(ValueError, match="2"):
        fd.result()
    fd.reset_state()
    fd.update_state(real=rng.normal(size=(5, 16)), fake=rng.normal(size=(50, 16)))
    with pytest.warns(UserWarning, match=r"real statistics come from 5 samples of 16-dim"):
        value = fd.result()
    assert np.isfinite(value)


def test_fd_never_returns_nan():
    fd = FrechetDistance(identity, value_range=None)
    with pytest.raises(ValueError, match="NaN"):
        fd.update_state(real=np.array([[0.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(ValueError, match="overflow"):
        fd.update_state(real=np.full((3, 2), 1e200) * [[1], [2], [3]])
    huge = FrechetStatistics(mu=[1e200, 0.0], sigma=np.eye(2), n=10)
    with pytest.raises(ValueError, match="not finite"):
        frechet_distance(huge, FrechetStatistics(mu=[-1e200, 0.0], sigma=np.eye(2), n=10))
    with pytest.raises(ValueError, match="dimension"):
        frechet_distance(FrechetStatistics.from_features(np.eye(3)),
                         FrechetStatistics.from_features(np.eye(4)))


def test_fd_rejects_bad_extractors():
    with pytest.raises(ValueError, match="feature_extractor"):
        FrechetDistance(None)
    fd = FrechetDistance(lambda x: x)  # returns images, not (batch, d) features
    with pytest.raises(ValueError, match=r"\(batch, d\)"):
        fd.update_state(real=np.zeros((2, 4, 4, 1)))


# ---------------------------------------------------------------------------------------------
# KernelDistance


def naive_mmd2(x, y):
    d = x.shape[1]
    k = lambda a, b: (a @ b / d + 1) ** 3  # noqa: E731
    m, n = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(n)) / (m * n)
    return xx + yy - 2 * xy


def test_polynomial_mmd2_matches_naive_sum():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(6, 3)), rng.normal(1, 1, size=(7, 3))
    assert polynomial_mmd2(x, y) == pytest.approx(naive_mmd2(x, y), rel=1e-12)


def test_kid_with_whole_sets_as_subsets_is_the_full_estimate():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 5)), rng.normal(0.5, 1, size=(40, 5))
    kid = KernelDistance(identity, subset_size=40, num_subsets=3, value_range=None)
    kid.update_state(real=x[:15])
    kid.update_state(real=x[15:], fake=y)
    result = kid.result()
    assert set(result) == {"kid", "kid_std"}
    assert result["kid"] == pytest.approx(polynomial_mmd2(x, y), rel=1e-10)
    assert result["kid_std"] == pytest.approx(0.0, abs=1e-10)
    assert kid.result() == result  # seeded: repeatable


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_kid_is_zero_for_one_distribution_and_positive_for_shifted(seed):
    rng = np.random.default_rng(seed)
    d, n = 16, 400
    real = rng.normal(size=(n, d))
    same = KernelDistance(identity, subset_size=200, num_subsets=20, seed=seed, value_range=None)
    same.update_state(real=real, fake=rng.normal(size=(n, d)))
    r = same.result()
    assert abs(r["kid"]) < 3 * r["kid_std"]
    shifted = KernelDistance(identity, subset_size=200, num_subsets=20, seed=seed,
                             value_range=None)
    shifted.update_state(real=real, fake=rng.normal(0.5, 1, size=(n, d)))
    s = shifted.result()
    assert s["kid"] > 3 * s["kid_std"] and s["kid"] > 10 * abs(r["kid"])


def test_kid_small_samples_warn_or_raise():
    rng = np.random.default_rng(0)
    kid = KernelDistance(identity, subset_size=100, num_subsets=5, value_range=None)
    kid.update_state(real=rng.normal(size=(30, 4)), fake=rng.normal(size=(20, 4)))
    with pytest.warns(UserWarning, match="subsets of 20"):
        assert np.isfinite(kid.result()["kid"])
    kid.reset_state()
    kid.update_state(real=rng.normal(size=(30, 4)), fake=rng.normal(size=(1, 4)))
    with pytest.raises(ValueError, match="at least 2"):
        kid.result()


def test_kid_rejects_shape_mismatch_and_out_of_range():
    kid = KernelDistance(flatten, subset_size=10)
    kid.update_state(real=np.zeros((4, 8, 8, 1)))
    with pytest.raises(ValueError, match=r"\(8, 8, 1\).*\(8, 8, 3\)"):
        kid.update_state(fake=np.zeros((4, 8, 8, 3)))
    with pytest.raises(ValueError, match=r"min=0, max=3"):
        kid.update_state(fake=np.full((4, 8, 8, 1), 3.0) * np.arange(4)[:, None, None, None] / 3)


# ---------------------------------------------------------------------------------------------
# InceptionScore


def test_is_of_confident_uniform_predictions_is_num_classes():
    k, n = 10, 1000
    one_hot = np.eye(k)[np.arange(n) % k]  # every split holds every class equally often
    logits = InceptionScore(lambda x: x, from_logits=True, splits=10)
    logits.update_predictions(60.0 * one_hot)
    assert logits.result()["is"] == pytest.approx(k, rel=1e-9)
    probs = InceptionScore(lambda x: x, from_logits=False, splits=10)
    probs.update_predictions(one_hot[:500])
    probs.update_predictions(one_hot[500:])
    assert probs.result() == pytest.approx({"is": k, "is_std": 0.0}, abs=1e-9)


def test_is_of_a_single_class_is_one():
    score = InceptionScore(lambda x: x, from_logits=False, splits=5)
    score.update_predictions(np.eye(7)[np.full(100, 3)])
    assert score.result() == pytest.approx({"is": 1.0, "is_std": 0.0}, abs=1e-12)


def test_is_with_a_keras_classifier_returning_logits():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4, 4, 1))
    classifier = keras.Model(inputs, keras.layers.Dense(5)(keras.layers.Flatten()(inputs)))
    score = InceptionScore(classifier, splits=4, batch_size=16)
    images = np.random.default_rng(0).uniform(-1, 1, size=(40, 4, 4, 1))
    score.update_state(images)
    result = score.result()
    assert 1.0 <= result["is"] <= 5.0 and result["is_std"] >= 0
    assert score.probabilities().shape == (40, 5)


def test_is_bad_inputs():
    score = InceptionScore(lambda x: x, from_logits=False, splits=2)
    with pytest.raises(ValueError, match="from_logits=True"):
        score.update_predictions(np.array([[3.0, -1.0], [0.5, 2.0]]))
    score = InceptionScore(lambda x: x, from_logits=True, splits=10)
    with pytest.warns(UserWarning, match="from_logits=False"):
        score.update_predictions(np.full((4, 2), 0.5))
    with pytest.raises(ValueError, match="at least 10 samples"):
        score.result()
    with pytest.raises(ValueError, match=r"min=-2"):
        score.update_state(np.full((3, 2), -2.0))


# ---------------------------------------------------------------------------------------------
# extractors


def test_inception_v3_plumbing_without_weights():
    # weights=None: no download possible here, and shapes/plumbing are what is tested.
    # InceptionV3 is heavy on CPU, hence a batch of 2.
    model = metrics.inception_v3(input_shape=(28, 28, 1), weights=None)
    images = np.random.default_rng(0).uniform(-1, 1, size=(2, 28, 28, 1)).astype("float32")
    assert model.predict_on_batch(images).shape == (2, 2048)
    with pytest.raises(ValueError, match="1 or 3 channels"):
        metrics.inception_v3(input_shape=(28, 28, 2), weights=None)


# ---------------------------------------------------------------------------------------------
# evaluate()


def tiny_generator(latent_dim=4):
    noise = keras.Input((latent_dim,))
    x = keras.layers.Dense(16, activation="tanh")(noise)
    return keras.Model(noise, keras.layers.Reshape((4, 4, 1))(x))


def conditional_generator(num_classes, label_shape, mapping):
    """[noise, label] -> 2 * one_hot(mapping[label]) - 1, shaped (num_classes, 1, 1)."""
    noise = keras.Input((2,))
    label = keras.Input(label_shape, dtype="int32")
    table = 2.0 * np.eye(num_classes)[mapping] - 1.0
    embedded = keras.layers.Embedding(
        num_classes, num_classes, embeddings_initializer=keras.initializers.Constant(table)
    )(label)
    embedded = keras.layers.Reshape((num_classes,))(embedded)
    ignored = keras.layers.Dense(num_classes, kernel_initializer="zeros", use_bias=False)(noise)
    out = keras.layers.Reshape((num_classes, 1, 1))(keras.layers.Add()([embedded, ignored]))
    return keras.Model([noise, label], out)


def read_class(images):
    """A known classifier for conditional_generator's images: logits = 10 * pixels."""
    return 10.0 * np.reshape(images, (len(images), -1))


def test_evaluate_unconditional_returns_finite_numbers():
    keras.utils.set_random_seed(0)
    generator = tiny_generator()
    inputs = keras.Input((4, 4, 1))
    classifier = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(inputs)))
    real = np.random.default_rng(0).uniform(-1, 1, size=(300, 4, 4, 1)).astype("float32")
    result = evaluate(generator, real, n=200, feature_extractor=flatten_model((4, 4, 1)),
                      classifier=classifier, batch_size=64, kid_num_subsets=10)
    for key in ("fd", "kid", "kid_std", "is", "is_std", "mean_confidence"):
        assert np.isfinite(result[key]), key
    assert result["n_real"] == 200 and result["n_fake"] == 200
    assert len(result["class_shares"]) == 3 and sum(result["class_shares"]) == pytest.approx(1)
    assert 1 / 3 <= result["mean_confidence"] <= 1
    assert "conditional_accuracy" not in result

    # The same real data as uint8 or as a tf.data pipeline of (images, labels) gives the same.
    import tensorflow as tf

    as_uint8 = np.round((real + 1) * 127.5).astype(np.uint8)
    as_float = as_uint8 / 127.5 - 1
    dataset = tf.data.Dataset.from_tensor_slices((as_float.astype("float32"),
                                                  np.zeros(300))).batch(50)
    common = dict(n=200, feature_extractor=flatten, batch_size=64, kid_num_subsets=10)
    from_uint8 = evaluate(generator, as_uint8, **common)
    from_dataset = evaluate(generator, dataset, **common)
    assert from_uint8["fd"] == pytest.approx(from_dataset["fd"], rel=1e-5)
    assert from_uint8["kid"] == pytest.approx(from_dataset["kid"], rel=1e-4)


@pytest.mark.parametrize("label_shape", [(), (1,)])
def test_evaluate_conditional_accuracy_of_a_known_generator(label_shape):
    k = 4
    mapping = np.array([1, 1, 2, 3])  # asked for class 0 it draws a 1; else what is asked
    generator = conditional_generator(k, label_shape, mapping)
    real = 2.0 * np.eye(k)[np.arange(200) % k].reshape(200, k, 1, 1) - 1.0
    common = dict(feature_extractor=flatten, classifier=read_class, batch_size=64,
                  kid_num_subsets=5, kid_subset_size=100)
    labels = np.arange(100) % k
    result = evaluate(generator, real, n=100, labels=labels, num_classes=k, **common)
    assert result["conditional_accuracy"] == pytest.approx(0.75)
    assert result["class_shares"] == pytest.approx([0.0, 0.5, 0.25, 0.25])
    assert result["mean_confidence"] > 0.99

    drawn = evaluate(generator, real, n=400, num_classes=k, **common)
    assert drawn["class_shares"][0] == 0.0
    assert drawn["conditional_accuracy"] == pytest.approx(1 - drawn["class_shares"][1] / 2,
                                                          abs=0.1)
    assert 0.6 < drawn["conditional_accuracy"] < 0.9


def test_evaluate_bad_arguments():
    generator = tiny_generator()
    real = np.zeros((10, 4, 4, 1))
    with pytest.raises(ValueError, match="feature_extractor"):
        evaluate(generator, real, n=10)
    with pytest.raises(ValueError, match="single"):
        evaluate(generator, real, n=10, feature_extractor=flatten, labels=np.zeros(10))
    with pytest.raises(ValueError, match=r"\(2, 2, 1\).*\(4, 4, 1\)"):
        evaluate(generator, np.zeros((10, 2, 2, 1)), n=10, feature_extractor=flatten)
    conditional = conditional_generator(4, (1,), np.arange(4))
    with pytest.raises(ValueError, match="num_classes"):
        evaluate(conditional, real, n=10, feature_extractor=flatten)
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        evaluate(conditional, real, n=10, feature_extractor=flatten, num_classes=4,
                 labels=np.arange(10))


# ---------------------------------------------------------------------------------------------
# FrechetDistanceCallback


class ToyGAN(keras.Model):
    """Stands in for a kgan model: owns `generator` and `latent_dim`; fit regresses images."""

    def __init__(self, generator, latent_dim):
        super().__init__()
        self.generator = generator
        self.latent_dim = latent_dim

    def call(self, noise):
        return self.generator(noise)


def test_callback_logs_fd_for_model_checkpoint(tmp_path):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    real = np.tanh(rng.normal(0.5, 0.3, size=(256, 4, 4, 1))).astype("float32")
    model = ToyGAN(tiny_generator(), latent_dim=4)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    callback = FrechetDistanceCallback(real, flatten, every=1, n=128, batch_size=64)
    path = str(tmp_path / "best.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="fd", mode="min",
                                                 save_best_only=True, save_weights_only=True)
    history = model.fit(rng.normal(size=(256, 4)).astype("float32"), real, epochs=3,
                        batch_size=64, verbose=0, callbacks=[callback, checkpoint])
    fds = history.history["fd"]
    assert len(fds) == 3 and all(np.isfinite(fds))
    assert fds[-1] < fds[0]  # fitting the real images lowers FD
    assert (tmp_path / "best.weights.h5").exists()
    assert callback.reference().n == 128  # computed once, from the first n real images


def test_callback_every_and_conditional_model_with_reference():
    k = 4
    real = 2.0 * np.eye(k)[np.arange(100) % k].reshape(100, k, 1, 1) - 1.0
    stats = compute_statistics(real, flatten)
    callback = FrechetDistanceCallback(stats, flatten, every=2, n=100, batch_size=32)
    toy = types.SimpleNamespace(generator=conditional_generator(k, (1,), np.arange(k)),
                                latent_dim=2, num_classes=k)
    callback.set_model(toy)
    logs = {}
    callback.on_epoch_end(0, logs)
    assert "fd" not in logs
    callback.on_epoch_end(1, logs)
    # Uniformly drawn labels against a balanced real set: close to 0 but not exactly.
    assert 0.0 <= logs["fd"] < 0.1
