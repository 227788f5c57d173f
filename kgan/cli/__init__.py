"""The ``kgan`` command (also ``python -m kgan``): train, sample, export, evaluate, zoo list.

Every error is one line on stderr and exit status 2; files are written under a temporary
name and renamed, so a failure leaves nothing half-written.
"""

import argparse
import os
import sys

from kgan.cli.sources import CommandError


def main(argv=None):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args) or 0
    except (CommandError, ValueError, FileNotFoundError, PermissionError, ImportError) as error:
        message = " ".join(str(error).split())  # one line
        print(f"kgan: error: {message}", file=sys.stderr)
        return 2


def _parser():
    from kgan.cli import evaluate, export, sample, train, zoo_list

    parser = argparse.ArgumentParser(prog="kgan", description="GANs for Keras 3: train, sample, export, evaluate.")
    commands = parser.add_subparsers(title="commands")
    for module in (zoo_list, sample, train, export, evaluate):
        module.add_parser(commands)
    return parser


__all__ = ["CommandError", "main"]
