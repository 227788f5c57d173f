"""``compile(jit_compile="measure")``: XLA on or off, chosen by timing the first training steps.

XLA's effect on a CPU depends on the network and on the CPU: on one machine it slows a network
that it speeds up on another (bench/README.md). With ``jit_compile="measure"`` on TensorFlow,
the first training steps alternate between a train function compiled with XLA and one without
(``off, on`` to trace and compile, untimed, then up to ``PAIRS`` timed ``off, on`` pairs; a
pair in which XLA takes ``SLOWER`` times as long ends the probe at once). Then the faster one
trains from there on: XLA only when its median step is at least ``MARGIN`` faster, otherwise
Keras's own CPU default (off), so noise does not flip the choice. The probe's steps
are ordinary training steps on the run's own batches; nothing is trained twice or skipped.

The choice is recorded: ``model.jit_compile`` becomes it, ``model.jit_compile_measurement``
keeps the medians, and it is saved with the model's own variables (``.keras`` files,
``save_weights``, ``BackupAndRestore`` checkpoints), so later ``fit`` calls and resumed runs use
it without measuring again. A fresh run measures afresh and may choose differently where the two
are close, and XLA's random ops draw other numbers from the same seed than TensorFlow's
kernels: to repeat a run exactly, compile with the recorded ``jit_compile=True`` or ``False``.

On JAX (always compiled with XLA) and torch (eager), ``"measure"`` is Keras's ``"auto"``.
"""

import statistics
import time

import numpy as np
from keras.src.utils import io_utils

from kgan import backend

MEASURE = "measure"
PAIRS = 3  # timed (off, on) pairs after the untimed first call of each
PROBE_CALLS = 2 * (PAIRS + 1)  # train-function calls (steps) the probe takes at most
MARGIN = 0.05  # XLA must be this much faster (median step) to be chosen
SLOWER = 1.5  # a timed pair with XLA this many times slower ends the probe at once (XLA off)
KEY = "jit_compile_choice"  # in the model's own variables: 0 off, 1 on (absent: not measured)


def resolve(model, kwargs):
    """``kwargs`` for ``keras.Model.compile``: ``"measure"`` becomes ``False`` (the probe builds
    both functions) where the backend can measure, else Keras's ``"auto"``; unknown values raise."""
    jit = kwargs.get("jit_compile", "auto")
    if not (isinstance(jit, bool) or jit in ("auto", MEASURE)):
        raise ValueError(f"jit_compile must be True, False, 'auto' or '{MEASURE}'; got {jit!r}.")
    model.measures_jit_compile = jit == MEASURE and backend.train_function_with_jit is not None
    if jit == MEASURE:
        kwargs = dict(kwargs, jit_compile=False if model.measures_jit_compile else "auto")
    return kwargs


class MeasuresJitCompile:
    """Mixin for a ``keras.Model`` compiled through ``resolve``: the probing train function,
    and the recorded choice saved with the model's own variables."""

    measures_jit_compile = False
    jit_compile_choice = None  # True / False once measured (or loaded)
    jit_compile_measurement = None  # {"off": s/step, "on": s/step} medians of the probe

    def make_train_function(self, force=False):
        if not self.measures_jit_compile or self.run_eagerly:
            return super().make_train_function(force)
        if self.train_function is not None and not force:
            return self.train_function
        self.train_function = _ProbingTrainFunction(self)
        return self.train_function

    def keep_recorded_jit_compile(self):
        """After ``compile``: a model that measured before (or loaded a choice) keeps it."""
        if self.measures_jit_compile and self.jit_compile_choice is not None:
            self.jit_compile = self.jit_compile_choice

    def record_jit_compile_choice(self, choice, measurement=None):
        """Train with XLA (``choice`` True) or without from now on, and save it with the weights."""
        self.jit_compile_choice = bool(choice)
        self.jit_compile_measurement = measurement
        self.jit_compile = self.jit_compile_choice

    def save_own_variables(self, store):
        super().save_own_variables(store)
        if self.jit_compile_choice is not None:
            store[KEY] = np.array(int(self.jit_compile_choice), dtype="int8")

    def load_own_variables(self, store):
        if KEY in store.keys():
            choice = bool(np.asarray(store[KEY]))
            if self.measures_jit_compile:  # an explicit jit_compile= wins over a recorded choice
                self.record_jit_compile_choice(choice)
            else:
                self.jit_compile_choice = choice  # kept, so saving again keeps it
        super().load_own_variables({k: store[k] for k in store.keys() if k != KEY})


class _ProbingTrainFunction:
    """Keras's train function, either way: alternates while probing, then the chosen one."""

    def __init__(self, model):
        self.model = model
        self.functions = {}
        self.schedule = [False, True] * (PROBE_CALLS // 2)
        self.seconds = {False: [], True: []}
        self.calls = 0

    def function(self, jit):
        if jit not in self.functions:
            self.functions[jit] = backend.train_function_with_jit(self.model, jit)
        return self.functions[jit]

    def __call__(self, iterator):
        choice = self.model.jit_compile_choice
        if choice is not None:
            return self.function(choice)(iterator)
        jit = self.schedule[self.calls]
        start = time.perf_counter()
        logs = backend.wait_for(self.function(jit)(iterator))
        if self.calls >= 2:  # the first call of each traces (and compiles)
            self.seconds[jit].append(time.perf_counter() - start)
        self.calls += 1
        if self.calls == len(self.schedule) or (jit and self.seconds[True] and self._xla_far_slower()):
            self._decide()
        return logs

    def _xla_far_slower(self):
        """The last pair already shows XLA ``SLOWER`` times as slow: no need to run it again."""
        return self.seconds[True][-1] > SLOWER * self.seconds[False][-1]

    def _decide(self):
        off, on = (statistics.median(self.seconds[jit]) for jit in (False, True))
        choice = on < (1 - MARGIN) * off
        self.model.record_jit_compile_choice(choice, {"off": off, "on": on})
        io_utils.print_msg(
            f"{type(self.model).__name__}: jit_compile='{MEASURE}' chose XLA {'on' if choice else 'off'} "
            f"({on:.4f} s a step with it, {off:.4f} s without; median of {len(self.seconds[True])} "
            f"timed steps each).")


__all__ = ["MEASURE", "PROBE_CALLS", "MeasuresJitCompile", "resolve"]
