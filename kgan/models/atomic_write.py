"""Checkpoint writes that never destroy the last good file.

Keras writes ``.keras`` and ``.weights.h5`` files in place: a failure midway (disk full, an
error in some ``save_own_variables``, the process killed) leaves a truncated file where the
last good checkpoint was, and ``ModelCheckpoint``/``BackupAndRestore`` write to the same path
every epoch. kgan models write to a hidden temporary file beside the target instead and move
it onto the target with ``os.replace`` (atomic on POSIX and Windows) only once the write has
succeeded and reached the disk; on failure the temporary file is removed and the error
propagates.
"""

import contextlib
import os
import secrets

from keras.src.utils import io_utils

# Endings Keras accepts for a single-file write, longest first (".weights.h5" before ".h5").
MODEL_SUFFIXES = (".keras", ".hdf5", ".h5")
WEIGHTS_SUFFIXES = (".weights.h5",)


def write_atomically(filepath, overwrite, suffixes, write):
    """Run ``write(temporary_path)``, then move the result onto ``filepath``; return True.

    Returns False, touching nothing, where this does not apply: a file object, a remote or
    ``hf://`` path, a directory, a missing parent directory or a name without one of
    ``suffixes`` (the caller then lets Keras write, or raise its own error naming the path).
    The temporary name (``.NAME.tmp-XXXXXXXX.SUFFIX``) keeps the suffix, so Keras still
    recognises the format; a process killed mid-write leaves only that hidden file behind.
    """
    if not isinstance(filepath, (str, os.PathLike)):
        return False
    path = os.fspath(filepath)
    suffix = next((s for s in suffixes if path.endswith(s)), None)
    directory, name = os.path.split(os.path.abspath(path))
    if suffix is None or "://" in path or os.path.isdir(path) or not os.path.isdir(directory):
        return False
    if not overwrite and os.path.exists(path) and not io_utils.ask_to_proceed_with_overwrite(path):
        return True
    temporary = os.path.join(directory, f".{name[: -len(suffix)]}.tmp-{secrets.token_hex(4)}{suffix}")
    try:
        write(temporary)
        _sync(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    _sync_directory(directory)
    return True


def _sync(path):
    """Flush the file's data to disk, so the rename never exposes an empty file after a crash."""
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _sync_directory(directory):
    """Persist the rename itself (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
