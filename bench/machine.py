"""What machine a benchmark ran on, and how fast it multiplies matrices.

``cpu_line()`` names the CPU and its vector extensions (AVX-512 or not moves every figure in
bench/: see DESIGN.md). ``matmul_gflops()`` is the rate of a large float32 matrix product in the
running Keras backend, measured in the benchmark's own process and moment, so that a model's
achieved FLOP/s can be read against what this CPU delivers now (load included) rather than
against a datasheet peak.
"""

import statistics
import time

from zoo.machine import cpu_line  # noqa: F401  (re-exported: bench scripts import it from here)


def matmul_gflops(n=2048, repeats=5):
    """GFLOP/s (2 n^3 per product) of an ``n x n`` float32 matmul in the current Keras backend:
    the median of ``repeats`` timed products after one untimed one, each waited for by reading
    one element back."""
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    a = keras.ops.convert_to_tensor(rng.standard_normal((n, n), dtype="float32"))
    b = keras.ops.convert_to_tensor(rng.standard_normal((n, n), dtype="float32"))
    keras.ops.convert_to_numpy(keras.ops.matmul(a, b)[0, 0])
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        keras.ops.convert_to_numpy(keras.ops.matmul(a, b)[0, 0])
        seconds.append(time.perf_counter() - start)
    return 2 * n**3 / statistics.median(seconds) / 1e9


def tensorflow_kernels():
    """``"oneDNN on"`` or ``"oneDNN off"``: which CPU kernels TensorFlow runs in this process
    (``TF_ENABLE_ONEDNN_OPTS``, read when TensorFlow was imported; kgan/_onednn.py); ``""``
    where TensorFlow is not loaded or does not say."""
    from kgan._onednn import tensorflow_onednn_on

    return {True: "oneDNN on", False: "oneDNN off", None: ""}[tensorflow_onednn_on()]


__all__ = ["cpu_line", "matmul_gflops", "tensorflow_kernels"]
