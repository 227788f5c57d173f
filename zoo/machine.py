"""Which CPU a figure was measured on: the model, its cores, and whether it has AVX-512.

Timings, XLA's and oneDNN's behaviour all change with the CPU (DESIGN.md), so the zoo's
manifest and bench's tables name it next to every figure.
"""

import os


def cpu_line():
    """``"<model name>, <n> cores, AVX-512 (<flags>)"`` or ``"..., AVX2 only"`` from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo") as f:
            lines = f.read().splitlines()
    except OSError:
        return f"unknown CPU, {os.cpu_count()} cores"
    model = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("model name")), "?")
    flags = next((l.split(":", 1)[1].split() for l in lines if l.startswith("flags")), [])
    avx512 = sorted(f for f in flags if f.startswith("avx512"))
    vectors = f"AVX-512 ({','.join(avx512)})" if avx512 else ("AVX2 only" if "avx2" in flags else "no AVX2")
    return f"{model}, {os.cpu_count()} cores, {vectors}"


__all__ = ["cpu_line"]
