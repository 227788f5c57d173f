"""TensorFlow: gradient tapes, nested for the input gradient of a penalty."""

import tensorflow as tf


def attach_optimizers(model):
    """Nothing to do: ``tf.function`` sees both optimizers' variables directly."""


def train_step(model, step, data):
    return step(data)


def minimize(optimizer, variables, loss_fn):
    if not variables:  # a frozen network: report its loss, update nothing
        return loss_fn()
    with tf.GradientTape() as tape:
        loss, aux = loss_fn()
        # Under tf.distribute each replica's loss is a mean over its own slice and the
        # optimizer sums gradients over replicas: divide so the update is the global mean.
        scaled = optimizer.scale_loss(loss / tf.distribute.get_strategy().num_replicas_in_sync)
    gradients = tape.gradient(scaled, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss, aux


def input_gradient(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(fn(x))
    return tape.gradient(total, x)
