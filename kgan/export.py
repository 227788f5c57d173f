"""Export a generator as a TensorFlow SavedModel for TF Serving and ``tf.saved_model.load``.

Endpoints (inputs are named; outputs are dicts):
- ``serving_default(noise[, labels]) -> {"images": float32 in [-1, 1]}``
- ``generate_uint8(noise[, labels]) -> {"images": uint8 in [0, 255]}``, ready to write as PNG.
Works from the TensorFlow backend and from JAX (through jax2tf, TensorFlow installed). On
PyTorch, ``format="torch"`` writes a ``torch.export`` program instead (kgan/export_torch.py);
a SavedModel from torch raises ``NotImplementedError`` saying what to do.
``noise`` is float32 ``(batch, latent_dim)``; ``labels`` int32 ``(batch,)`` for conditional
generators. SavedModel is a TensorFlow format: exporting needs TensorFlow installed.
"""

import json
import os
import shutil
import tempfile

import keras
from keras import ops

from kgan.export_torch import export_torch_program

METADATA = "kgan_export.json"
FORMATS = ("tf_saved_model", "torch")


def export_generator(model, path, metadata=None, format="tf_saved_model"):
    """Write the generator of ``model`` (a kgan model or a plain generator) to ``path``.

    For a kgan model that is its sampling generator: ``ema_generator`` when it keeps one
    (pass ``model.generator`` to export the raw, trained network).

    ``format``: ``"tf_saved_model"`` (a folder; tensorflow or jax backend) or ``"torch"`` (a
    ``.pt2`` file for ``torch.export.load``; torch backend).

    The SavedModel is written to a temporary folder beside ``path`` and renamed into place,
    so a failure never leaves a half-written export. An existing ``path`` is replaced only if
    it is an empty folder or an earlier SavedModel, never someone's other files.
    ``metadata`` (a JSON-serialisable dict) is written inside as ``kgan_export.json``.
    Returns ``path``.
    """
    if format not in FORMATS:
        raise ValueError(f"export_generator: format must be one of {FORMATS}, got {format!r}.")
    # The EMA generator when the model keeps one; pass model.generator to export the raw one.
    generator = getattr(model, "sampling_generator", getattr(model, "generator", model))
    if not isinstance(generator, keras.Model) or not generator.built:
        raise ValueError(f"export_generator needs a kgan model or a built keras.Model, got {type(model).__name__}.")
    if format == "torch":
        if metadata is not None:
            raise ValueError('export_generator: metadata is stored in SavedModels only, not with format="torch".')
        return export_torch_program(generator, path)
    if keras.backend.backend() == "torch":
        raise NotImplementedError(
            "TF SavedModel export needs the tensorflow or jax backend. On torch, use "
            'export_generator(model, "generator.pt2", format="torch") (a torch.export program), or save '
            "the model (model.save('run.keras'): .keras files load on every backend) and export it from "
            "a process with KERAS_BACKEND=tensorflow or jax."
        )
    import tensorflow as tf
    conditional = len(generator.inputs) == 2
    latent_dim = generator.inputs[0].shape[-1]
    noise_spec = tf.TensorSpec((None, latent_dim), tf.float32, name="noise")
    label_spec = tf.TensorSpec((None,), tf.int32, name="labels")

    archive = keras.export.ExportArchive()
    archive.track(generator)

    # keras.ops, not tf: on JAX the endpoints are converted with jax2tf.
    def images(noise, labels=None):
        inputs = [noise, labels] if conditional else noise
        return ops.cast(generator(inputs, training=False), "float32")

    def to_uint8(x):
        return ops.cast(ops.round(ops.clip((x + 1.0) * 127.5, 0.0, 255.0)), "uint8")

    if conditional:
        archive.add_endpoint("serving_default", lambda noise, labels: {"images": images(noise, labels)},
                             input_signature=[noise_spec, label_spec])
        archive.add_endpoint("generate_uint8", lambda noise, labels: {"images": to_uint8(images(noise, labels))},
                             input_signature=[noise_spec, label_spec])
    else:
        archive.add_endpoint("serving_default", lambda noise: {"images": images(noise)},
                             input_signature=[noise_spec])
        archive.add_endpoint("generate_uint8", lambda noise: {"images": to_uint8(images(noise))},
                             input_signature=[noise_spec])

    path = os.path.abspath(os.fspath(path))
    if _occupied(path):
        raise ValueError(f"{path!r} exists and is not a SavedModel: export to a new or empty folder.")
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".export-", dir=parent)
    try:
        target = os.path.join(staging, "model")
        archive.write_out(target, verbose=False)
        if metadata is not None:
            with open(os.path.join(target, METADATA), "w") as f:
                json.dump(metadata, f)
        _swap_into_place(target, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return path


def _occupied(path):
    if not os.path.exists(path):
        return False
    if not os.path.isdir(path):
        return True
    return bool(os.listdir(path)) and not os.path.exists(os.path.join(path, "saved_model.pb"))


def _swap_into_place(source, path):
    if not os.path.exists(path):
        os.rename(source, path)
        return
    old = path + ".old-export"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(path, old)
    os.rename(source, path)
    shutil.rmtree(old, ignore_errors=True)
