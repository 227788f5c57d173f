"""Noise rows where one program sees the whole batch: JAX's jitted step (also under
``keras.distribution``) and torch."""


def replica_rows(draw, n):
    return draw(n)
