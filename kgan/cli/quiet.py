"""Keep native start-up chatter (TensorFlow's absl and oneDNN lines) off the user's terminal.

TensorFlow 2.21 logs through absl before absl is initialised: those lines go straight to the
process's file descriptor 2 and ignore ``TF_CPP_MIN_LOG_LEVEL`` (on CPUs with AVX-512 the
oneDNN notice appears at every import). Python cannot filter what a C++ library writes to
fd 2, so while a command runs fd 2 points at a temporary file and Python's ``sys.stderr`` at
a duplicate of the real stderr: kgan's own messages, Python warnings and tracebacks reach
the user; native chatter does not, unless the command fails unexpectedly (then it is
replayed before the traceback) or the user asks with ``--verbose``.
"""

import contextlib
import os
import sys
import tempfile


@contextlib.contextmanager
def native_stderr_held():
    """Send fd 2 to a temporary file for the duration; yields ``replay()``, which copies
    what was held to the real stderr."""
    sys.stderr.flush()
    held = tempfile.TemporaryFile()
    real = os.dup(2)
    python_stderr = sys.stderr
    os.dup2(held.fileno(), 2)
    # Re-point Python's stderr only where it writes to fd 2 (not where e.g. pytest's capsys
    # replaced it with an in-memory stream, which the redirection does not touch).
    if _writes_to_fd2(python_stderr):
        sys.stderr = os.fdopen(os.dup(real), "w", buffering=1, errors="backslashreplace")

    def replay():
        sys.stderr.flush()
        held.flush()
        held.seek(0)
        os.write(real, held.read())

    try:
        yield replay
    finally:
        if sys.stderr is not python_stderr:
            sys.stderr.flush()
            sys.stderr.close()
            sys.stderr = python_stderr
        os.dup2(real, 2)
        os.close(real)
        held.close()


def _writes_to_fd2(stream):
    try:
        return stream.fileno() == 2
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return False


__all__ = ["native_stderr_held"]
