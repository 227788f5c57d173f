"""Shipped weight files: sha256-checked loading and compact float16 storage."""

import hashlib
import os
import tempfile

import h5py
import numpy as np

WEIGHTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_path(filename, expected_sha256, directory=WEIGHTS_DIR):
    """Path of a shipped weights file whose sha256 matches; otherwise raise, loading nothing."""
    path = os.path.join(directory, filename)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"Weights file {path} is missing (expected sha256 {expected_sha256}); reinstall kgan "
            "or rebuild it with the recipe in zoo/recipes/."
        )
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise ValueError(
            f"Weights file {path} has sha256 {actual}, expected {expected_sha256}: the file is "
            "truncated or altered. Nothing was loaded; reinstall kgan or rebuild it with its recipe."
        )
    return path


def load_verified(model, filename, expected_sha256, directory=WEIGHTS_DIR):
    """Load a shipped file into ``model`` after checking its sha256."""
    model.load_weights(verified_path(filename, expected_sha256, directory))
    return model


def save_float16(model, path):
    """Save ``model``'s weights as a ``.weights.h5`` with float32 arrays stored as float16.

    Written to a temporary file and renamed, so a failure never leaves a broken file.
    Keras casts the arrays back to each variable's dtype on loading.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, staging = tempfile.mkstemp(suffix=".weights.h5", dir=directory)
    os.close(fd)
    try:
        model.save_weights(staging, overwrite=True)
        with h5py.File(staging, "r+") as f:
            if "optimizer" in f:  # a compiled model's optimizer state is not part of a release
                del f["optimizer"]
            _halve(f)
        compact = staging + ".compact.weights.h5"
        _repack(staging, compact)
        os.replace(compact, path)
    finally:
        for leftover in (staging, staging + ".compact.weights.h5"):
            if os.path.exists(leftover):
                os.remove(leftover)
    return path


def _halve(group):
    for key in list(group.keys()):
        item = group[key]
        if isinstance(item, h5py.Group):
            _halve(item)
        elif item.dtype == np.float32:
            data, attrs = item[()], dict(item.attrs)
            del group[key]
            new = group.create_dataset(key, data=data.astype(np.float16))
            for k, v in attrs.items():
                new.attrs[k] = v


def _repack(source, target):
    """Copy into a fresh file: h5py does not reclaim the space of deleted datasets."""
    with h5py.File(source, "r") as src, h5py.File(target, "w") as dst:
        for k, v in src.attrs.items():
            dst.attrs[k] = v
        for key in src.keys():
            src.copy(src[key], dst, name=key)
