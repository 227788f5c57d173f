"""Export a generator as a PyTorch ``ExportedProgram`` (``.pt2``) from the torch backend.

The program takes ``noise`` ``(batch, latent_dim)`` float32 — or ``[noise, labels]`` for
conditional generators, labels int ``(batch,)`` — and returns images in [-1, 1]; the batch
size is dynamic. Load it with ``torch.export.load(path).module()``; no Keras needed.
"""

import os
import tempfile

import keras

MAX_BATCH = 1 << 16


def export_torch_program(generator, path):
    """Write ``generator`` to the ``.pt2`` file ``path`` (via a temporary file); return ``path``."""
    if keras.backend.backend() != "torch":
        raise ValueError(
            f'format="torch" needs KERAS_BACKEND=torch (this process runs {keras.backend.backend()!r}); '
            'use format="tf_saved_model" here.'
        )
    import torch

    path = os.path.abspath(os.fspath(path))
    if not path.endswith(".pt2"):
        raise ValueError(f'format="torch" writes a .pt2 file; got path {path!r}.')
    if os.path.isdir(path):
        raise ValueError(f"{path!r} is a folder; give a .pt2 file name.")
    batch = torch.export.Dim("batch", min=1, max=MAX_BATCH)
    if len(generator.inputs) == 2:  # forward(*args) receives ([noise, labels],)
        dynamic_shapes = [([{0: batch}, {0: batch}],)]
    else:
        dynamic_shapes = ({0: batch},)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".export-", suffix=".pt2", dir=parent)
    os.close(handle)
    try:
        generator.export(staging, format="torch", dynamic_shapes=dynamic_shapes, verbose=False)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            os.remove(staging)
    return path
