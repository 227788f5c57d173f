"""The ``kgan`` command (also ``python -m kgan``): train, sample, export, evaluate, zoo list.

Every error is one line on stderr and exit status 2; files are written under a temporary
name and renamed, so a failure leaves nothing half-written. The command prints only its own
words: Keras and TensorFlow are imported only by subcommands that need them (``kgan --help``
and ``kgan zoo list`` never do), and native start-up chatter is held back (``kgan.cli.quiet``)
unless ``--verbose`` is given.
"""

import argparse
import contextlib
import os
import sys

from kgan.cli.sources import CommandError

# Handled errors: one ``kgan: error:`` line, exit status 2.
_USER_ERRORS = (CommandError, ValueError, FileNotFoundError, PermissionError, ImportError)


class _Parser(argparse.ArgumentParser):
    """Argument errors as one ``kgan: error:`` line (argparse's usage block is dropped)."""

    def error(self, message):
        self.exit(2, f"kgan: error: {' '.join(message.split())} (see `{self.prog} --help`)\n")


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    verbose = getattr(args, "verbose", False)
    if not verbose:
        # TensorFlow's Python-side C++ log level; the absl lines it misses are held below.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from kgan.cli.quiet import native_stderr_held

    with contextlib.nullcontext(None) if verbose else native_stderr_held() as replay:
        try:
            if getattr(args, "needs_backend", True):
                _import_backend()
            return args.run(args) or 0
        except _USER_ERRORS as error:
            message = " ".join(str(error).split())  # one line
            print(f"kgan: error: {message}", file=sys.stderr)
            return 2
        except Exception:
            if replay is not None:
                replay()  # an unexpected failure: show what the native libraries said
            raise


def _import_backend():
    """Import Keras, its backend and kgan's registered classes (inside the quiet zone)."""
    try:
        import keras  # noqa: F401  (initialises the backend: TensorFlow by default)

        import kgan.models  # noqa: F401  (registers kgan's classes for .keras loading)
    except ImportError as error:
        raise CommandError(
            f"cannot import Keras and its backend ({type(error).__name__}: {error}); "
            'install kgan with `pip install -e ".[cpu]"`, or run with --verbose for details'
        ) from None


def _parser():
    from kgan.cli import demo, evaluate, export, sample, train, zoo_list

    parser = _Parser(prog="kgan", description="GANs for Keras 3: train, sample, export, evaluate.")
    parser.add_argument("--verbose", action="store_true",
                        help="show TensorFlow's own start-up and log output")
    commands = parser.add_subparsers(title="commands")
    for module in (zoo_list, sample, train, export, evaluate, demo):
        module.add_parser(commands)
    for subparser in commands.choices.values():  # `kgan sample ... --verbose` works too
        subparser.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                               help="show TensorFlow's own start-up and log output")
    return parser


__all__ = ["CommandError", "main"]
