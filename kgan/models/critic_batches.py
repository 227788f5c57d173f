"""Critic batches: every discriminator update of a training step sees its own real batch.

``batch_size`` (or a dataset's batch) is the number of real images in *each* discriminator
(critic) update, as in Algorithm 1 of Gulrajani et al. 2017, keras.io, mimicry and StudioGAN.
A model that makes ``k`` discriminator updates per generator update (``n_critic``,
``d_steps``) therefore consumes ``k`` batches per training step: ``group`` turns ``fit``'s
data into a ``tf.data.Dataset`` whose elements hold ``k * batch_size`` rows, and ``take``
gives the step its ``i``-th batch back. One element is one ``fit`` step, so Keras's epochs,
progress bar, ``steps_per_epoch``, logs and callbacks count generator updates, and an epoch
is one pass of the data through the discriminator: ``N // (batch_size * k)`` steps.

The ``k`` batches are interleaved, not laid end to end: row ``r`` of an element belongs to
batch ``r % k``. A data-parallel split of the rows into contiguous blocks (``tf.distribute``
replicas, JAX ``DataParallel`` devices) then gives every device an equal share of every
batch, so each discriminator update still sees the whole global batch, exactly as on one
device, and regrouping the rows inside the step needs no communication between devices.

With ``k == 1`` nothing changes: ``fit`` gets the data as Keras users know it (a last,
partial batch included). With ``k > 1`` a step needs ``k`` full batches: what is left over
at the end of an epoch (fewer than ``k`` full batches, or a short last batch) is not used
that epoch; NumPy data is reshuffled every epoch (``shuffle=True``), so other images are
left over each time.
"""

from keras import ops
from keras.src.trainers.data_adapters import array_data_adapter, get_data_adapter, is_tf_dataset
from keras.src.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter

DEFAULT_BATCH_SIZE = 32  # Keras's default for arrays


def fit_arguments(k, arguments):
    """``keras.Model.fit``'s arguments (a dict by name) with the data grouped by ``group``."""
    arguments = dict(arguments)
    x, y, weights = arguments.get("x"), arguments.pop("y", None), arguments.pop("sample_weight", None)
    arrays = array_data_adapter.can_convert_arrays((x, y, weights))
    arguments["x"] = group(k, x, y, batch_size=arguments.pop("batch_size", None),
                           shuffle=arguments.get("shuffle", True), sample_weight=weights,
                           class_weight=arguments.pop("class_weight", None),
                           steps_per_epoch=arguments.get("steps_per_epoch"))
    if arrays:
        arguments["shuffle"] = False  # shuffled already, as Keras would have
    return arguments


def group(k, x, y=None, batch_size=None, shuffle=True, sample_weight=None, class_weight=None,
          steps_per_epoch=None):
    """``fit``'s data as a ``tf.data.Dataset`` of ``k`` interleaved batches per element.

    NumPy arrays (and other array-likes) are shuffled as Keras shuffles them and cut into
    elements of ``k * batch_size`` rows; a dataset (or PyDataset, generator, DataLoader)
    already yields batches: ``k`` consecutive batches of the size of its first make one
    element, and batches of another size (a partial last batch) are skipped.
    """
    import tensorflow as tf

    if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
        x, y = x  # fit(x=(images, labels))
    if array_data_adapter.can_convert_arrays((x, y, sample_weight)):
        return _group_arrays(tf, k, x, y, batch_size, shuffle, sample_weight, class_weight, steps_per_epoch)
    if batch_size is not None:
        raise ValueError(
            f"fit() got batch_size={batch_size!r} with data that is already batched "
            f"({type(x).__name__}): its own batch size is the number of real images in each "
            "discriminator update. Leave batch_size=None."
        )
    if isinstance(x, tf.data.Dataset):
        # Not get_data_adapter: under a multi-process JAX distribution it would shard the
        # dataset here, and Keras shards what fit() is given once more.
        dataset = TFDatasetAdapter(x, class_weight=class_weight).get_tf_dataset()
    elif is_tf_dataset(x):
        raise ValueError(
            f"With {k} discriminator updates per generator update, give fit() the tf.data.Dataset "
            f"itself, not a distributed one: kgan groups its batches {k} at a time, then Keras "
            "distributes the groups."
        )
    else:  # PyDataset, Python generator, torch DataLoader, grain
        dataset = get_data_adapter(x, y, sample_weight=sample_weight, shuffle=shuffle,
                                   class_weight=class_weight).get_tf_dataset()
    return _group_batches(tf, k, dataset)


def _group_arrays(tf, k, x, y, batch_size, shuffle, sample_weight, class_weight, steps_per_epoch):
    n = int(min(int(a.shape[0]) for a in _leaves((x, y, sample_weight))))
    if batch_size is None:
        batch_size = max(1, n // (steps_per_epoch * k)) if steps_per_epoch else DEFAULT_BATCH_SIZE
    batch_size = int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}.")
    steps = n // (k * batch_size)
    if steps < 1:
        raise ValueError(
            f"fit() got {n} images, fewer than one training step needs: {k} discriminator updates of "
            f"batch_size={batch_size} real images each ({k * batch_size}). Lower batch_size (at most "
            f"{n // k}) or give more data."
        )
    adapter = array_data_adapter.ArrayDataAdapter(
        x, y, sample_weight=sample_weight, class_weight=class_weight, batch_size=k * batch_size, shuffle=shuffle
    )
    # The adapter's dataset yields the shuffled rows in elements of k * batch_size, the short
    # remainder last: take() drops it, so every epoch has `steps` full steps.
    dataset = adapter.get_tf_dataset().take(steps)
    return dataset.apply(tf.data.experimental.assert_cardinality(steps))


def _group_batches(tf, k, dataset):
    sizes = {s.shape[0] if s.shape.rank else None for s in tf.nest.flatten(dataset.element_spec)}
    static = sizes.pop() if len(sizes) == 1 else None
    if static is None:
        # Unknown batch size (e.g. .batch(n) without drop_remainder): keep the batches the
        # size of the first one, so that a short last batch does not end up in a group.
        def keep_first_size(first, *element):
            size = tf.shape(tf.nest.flatten(element)[0])[0]
            first = tf.where(first < 0, size, first)
            return first, (tf.equal(size, first), element)

        def kept(keep, element):
            return keep

        def element_of(keep, element):
            return _unwrap(element)

        dataset = dataset.scan(tf.constant(-1), keep_first_size).filter(kept).map(element_of)

    def interleave(*element):
        # (k, batch, ...) -> (batch, k, ...) -> (batch * k, ...): row r is batch r % k's.
        def one(t):
            t = tf.convert_to_tensor(t)
            perm = [1, 0] + list(range(2, t.shape.rank))
            t = tf.transpose(t, perm)
            shape = tf.concat([[-1], tf.shape(t)[2:]], axis=0)
            out = tf.reshape(t, shape)
            return tf.ensure_shape(out, [None if static is None else static * k] + t.shape[2:].as_list())

        return tf.nest.map_structure(one, _unwrap(element))

    return dataset.batch(k, drop_remainder=True).map(interleave, num_parallel_calls=tf.data.AUTOTUNE)


def _unwrap(element):
    return element[0] if isinstance(element, tuple) and len(element) == 1 else element


def _leaves(structure):
    if isinstance(structure, (tuple, list)):
        return [leaf for item in structure for leaf in _leaves(item)]
    if isinstance(structure, dict):
        return [leaf for item in structure.values() for leaf in _leaves(item)]
    return [] if structure is None else [structure]


def take(tensor, i, k):
    """The ``i``-th of the ``k`` batches interleaved in a step's rows (``None`` stays ``None``).

    Rows ``i, i + k, i + 2k, ...``. Should a device hold a number of rows that ``k`` does not
    divide (a global batch the replicas cannot split evenly), its last few rows are unused.
    """
    if tensor is None or k == 1:
        return tensor
    rows = tensor.shape[0]
    if rows is None or rows % k:
        rows = ops.shape(tensor)[0]
        tensor = tensor[: (rows // k) * k]
    return ops.reshape(tensor, (-1, k) + tuple(tensor.shape[1:]))[:, i]


__all__ = ["fit_arguments", "group", "take"]
