"""kgan turns TensorFlow's oneDNN kernels on for x86 CPUs where TensorFlow leaves them off (AVX2),
when kgan is imported before TensorFlow, without overriding the user's choice and without changing
what training computes; imported after, it says how to get them."""

import json
import platform
import subprocess
import sys
import textwrap
import warnings

import keras
import numpy as np
import pytest

from kgan._onednn import VARIABLE, X86, default_onednn_on, warn_if_too_late
from tests.test_cli import ENV  # the test environment without TF_* variables

ON_X86 = platform.machine().lower() in X86


def test_sets_the_variable_when_tensorflow_is_not_yet_imported():
    environ = {}
    assert default_onednn_on(environ, modules={}, machine="x86_64") == "set"
    assert environ == {VARIABLE: "1"}


@pytest.mark.parametrize("value", ["0", "1"])
def test_the_users_value_wins(value):
    environ = {VARIABLE: value}
    assert default_onednn_on(environ, modules={}, machine="x86_64") == "user"
    assert environ == {VARIABLE: value}


def test_leaves_the_variable_alone_once_tensorflow_is_imported():
    environ = {}
    assert default_onednn_on(environ, modules={"tensorflow": object()}, machine="AMD64") == "too late"
    assert environ == {}


def test_leaves_other_architectures_to_tensorflow():
    environ = {}
    assert default_onednn_on(environ, modules={}, machine="aarch64") == "not x86"
    assert environ == {}


def test_warns_when_tensorflow_came_first_without_onednn():
    with pytest.warns(UserWarning, match="Import kgan before Keras, or set TF_ENABLE_ONEDNN_OPTS=1"):
        assert warn_if_too_late(backend="tensorflow", onednn_on=False, environ={}) is True


@pytest.mark.parametrize("backend, onednn_on, environ", [
    ("tensorflow", True, {}),  # oneDNN already on (AVX-512 VNNI/BF16 CPUs): nothing to say
    ("jax", False, {}),  # TensorFlow only feeds data: its kernels do not train
    ("tensorflow", False, {VARIABLE: "0"}),  # the user chose
])
def test_says_nothing_when_nothing_is_lost_or_the_user_chose(backend, onednn_on, environ):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_if_too_late(backend=backend, onednn_on=onednn_on, environ=environ) is False


@pytest.mark.skipif(not ON_X86, reason="kgan sets oneDNN on x86 CPUs only")
def test_importing_keras_first_warns_exactly_when_tensorflow_runs_without_onednn():
    code = ("import keras, kgan; from tensorflow.python.util import _pywrap_util_port as p; "
            "print(bool(p.IsMklEnabled()))")
    env = dict(ENV, KERAS_BACKEND="tensorflow")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    onednn_on = result.stdout.strip().splitlines()[-1] == "True"  # TensorFlow's own default on this CPU
    assert ("Import kgan before Keras" in result.stderr) is (not onednn_on), result.stderr[-2000:]


PROBE = textwrap.dedent("""
    import json, sys
    import kgan  # first: before TensorFlow
    import keras, numpy as np
    from tensorflow.python.util import _pywrap_util_port
    keras.utils.set_random_seed(0)
    from kgan import networks
    g = networks.dcgan_generator(8, (28, 28, 1), base_filters=8)
    d = networks.dcgan_discriminator((28, 28, 1), base_filters=8, normalization="layer")
    gan = kgan.GAN(g, d, seed=0)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
    x = np.random.default_rng(0).uniform(-1, 1, (96, 28, 28, 1)).astype("float32")
    history = gan.fit(x, batch_size=32, epochs=2, verbose=0, shuffle=False).history
    images = gan.generator.predict(np.random.default_rng(1).standard_normal((4, 8)), verbose=0)
    print(json.dumps({"onednn": bool(_pywrap_util_port.IsMklEnabled()),
                      "d_loss": history["d_loss"], "g_loss": history["g_loss"],
                      "images": images.ravel().tolist()}))
""")


def _probe(extra_env):
    env = dict(ENV, KERAS_BACKEND="tensorflow", **extra_env)
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="oneDNN is TensorFlow's")
@pytest.mark.skipif(not ON_X86, reason="kgan sets oneDNN on x86 CPUs only")
def test_importing_kgan_first_turns_onednn_on_and_training_computes_the_same():
    default = _probe({})  # no TF_ENABLE_ONEDNN_OPTS: kgan's default
    off = _probe({VARIABLE: "0"})  # the user's choice wins
    assert default["onednn"] is True
    assert off["onednn"] is False
    # Same algorithm, same random draws: only the order of float sums differs.
    for key in ("d_loss", "g_loss", "images"):
        np.testing.assert_allclose(default[key], off[key], rtol=1e-4, atol=1e-5, err_msg=key)
