"""TensorFlow: gradient tapes, nested for the input gradient of a penalty."""

import tensorflow as tf


def attach_optimizers(model):
    """Nothing to do: ``tf.function`` sees both optimizers' variables directly."""


def train_step(model, step, data):
    # Every op of the step waits for the data. Without XLA, TensorFlow runs a graph's ops as
    # their inputs are ready, so when the iterator is exhausted (a dataset of unknown length)
    # the step's data-independent state updates -- the optimizers' iteration counters, the
    # noise seed, the EMA counter -- would still run once, a phantom step after the last one.
    with tf.control_dependencies([t for t in tf.nest.flatten(data) if tf.is_tensor(t)]):
        logs = step(data)
    if _multi_worker(tf.distribute.get_strategy()):
        # Keras 3.15 reduces multi-worker logs with strategy.reduce("MEAN", v, axis=0), which
        # rejects scalars (tensorflow/tensorflow#72388); a length-1 axis reduces to the scalar.
        # The trackers already hold the global mean, so every replica reports the same value.
        logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
    return logs


def _multi_worker(strategy):
    """The condition under which Keras's trainer takes its multi-worker reduction path."""
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and strategy.extended._in_multi_worker_mode()


def minimize_each(updates, loss_fn):
    # Under tf.distribute each replica's loss is a mean over its own slice and the optimizer
    # sums gradients over replicas: divide so the update is the global mean.
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    with tf.GradientTape(persistent=len(updates) > 1) as tape:
        losses, aux = loss_fn()
        scaled = [optimizer.scale_loss(loss / replicas) for (optimizer, _), loss in zip(updates, losses)]
    # Every gradient is taken before any optimizer moves a weight.
    gradients = [tape.gradient(s, list(variables)) if variables else [] for s, (_, variables) in zip(scaled, updates)]
    del tape
    for (optimizer, variables), grads in zip(updates, gradients):
        if variables:
            optimizer.apply_gradients(zip(grads, variables))
    return tuple(losses), aux


def replica_rows(draw, n):
    """This replica's ``n`` rows of ``draw(n * replicas)``, one draw shared by all replicas.

    Under ``tf.distribute`` every replica runs the step on its slice of the global batch
    with the same (mirrored) seed state, so ``draw(n)`` would hand each replica the *same*
    noise. Drawing for the global batch and keeping this replica's rows gives every replica
    different noise and makes the step equal to a one-device step on the global batch.
    """
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    context = tf.distribute.get_replica_context()
    if replicas == 1 or context is None:
        return draw(n)
    start = tf.cast(context.replica_id_in_sync_group, tf.int32) * tf.cast(n, tf.int32)
    return draw(n * replicas)[start : start + n]


def value_and_input_gradient(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        outputs = fn(x)
        total = tf.reduce_sum(outputs)
    return outputs, tape.gradient(total, x)


def train_function_with_jit(model, jit_compile):
    """Keras's train function for ``model``, compiled with XLA or not whatever the model's own
    setting (for ``jit_compile="measure"``, kgan.models.jit_choice)."""
    setting = model.jit_compile
    model.jit_compile = jit_compile
    try:
        return model._make_function(model.train_step)
    finally:
        model.jit_compile = setting


def wait_for(outputs):
    """``outputs`` once computed (a train function's logs), so that a timer around the call
    measures the step."""
    for value in tf.nest.flatten(outputs):
        if tf.is_tensor(value):
            value.numpy()
    return outputs
