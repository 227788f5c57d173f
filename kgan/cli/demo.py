"""``kgan demo``: the zoo's generators in a local web page (Gradio, on 127.0.0.1, offline).

Needs the ``demo`` extra (``pip install -e ".[demo]"``). Runs until Ctrl+C or SIGTERM, then
closes the server and exits with status 0.
"""

import importlib.util
import shutil
import signal
import threading

from kgan.cli.sources import CommandError

HOST = "127.0.0.1"  # local only: the page is not meant to be served to a network


def add_parser(commands):
    demo = commands.add_parser("demo", help="explore the zoo's generators in a local web page")
    demo.add_argument("--port", type=int, default=7860, help="port on 127.0.0.1 (default 7860)")
    demo.add_argument("--model", default=None, help="generator shown first (default: the first in `kgan zoo list`)")
    # Keras is imported in run(), after the cheap check that Gradio is installed.
    demo.set_defaults(run=run, needs_backend=False)


def run(args):
    if not _gradio_installed():
        raise CommandError('the demo needs Gradio: install it with `pip install -e ".[demo]"`')
    if not 1 <= args.port <= 65535:
        raise CommandError(f"--port must be in 1-65535, got {args.port}")
    names = [row["name"] for row in _generators()]
    if args.model is not None and args.model not in names:
        raise CommandError(f"--model {args.model!r} is not a zoo generator; choose one of: {', '.join(names)}")
    from kgan.cli import _import_backend

    _import_backend()
    import kgan.demo

    explorer = _explorer()
    try:
        _serve(kgan.demo.build_page(explorer, args.model), args.port)
    finally:
        shutil.rmtree(explorer.folder, ignore_errors=True)  # the PNGs offered for download
    print("kgan demo: stopped", flush=True)


def _serve(page, port):
    """Serve ``page`` until SIGINT or SIGTERM."""
    from kgan.demo.page import CSS

    try:
        page.launch(server_name=HOST, server_port=port, share=False, quiet=True, prevent_thread_lock=True,
                    ssr_mode=False, footer_links=[], mcp_server=False, css=CSS)
    except OSError:  # Gradio's message suggests its own environment variable: say it our way
        raise CommandError(f"cannot serve on {HOST}:{port}: the port is in use or not allowed; "
                           "choose another with --port") from None
    stop = _stop_on_signals()  # installed once serving: a failed start leaves the caller's handlers alone
    print(f"kgan demo: serving on http://{HOST}:{port} (Ctrl+C to stop)", flush=True)
    try:
        while not stop.wait(0.5):  # a timed wait: the signal handlers run promptly
            pass
    finally:
        page.close(verbose=False)


def _gradio_installed():
    return importlib.util.find_spec("gradio") is not None


def _generators():
    """The zoo's trained generators, as ``zoo.list_models()`` rows (no Keras needed); a
    registry entry whose recipe has not published weights yet is left off the menu."""
    import zoo

    return [row for row in zoo.list_models() if row["kind"] == "generator" and row["sha256"]]


def _explorer(folder=None):
    """The menu: every zoo generator, loaded (with its sha256-checked weights) when first shown;
    grids for download are written to ``folder`` (default: a new temporary folder)."""
    import zoo
    from kgan.demo.explorer import Choice, Explorer

    choices = []
    for row in _generators():
        note = f"{row['algorithm']}, trained on {row['dataset']} ({row['resolution']}). {row['licence']}."
        choices.append(Choice(row["name"], lambda name=row["name"]: zoo.load(name),
                              num_classes=10 if row["conditional"] else None, note=note))
    return Explorer(choices, folder)


def _stop_on_signals():
    """An event set by SIGINT or SIGTERM (in place of KeyboardInterrupt / sudden death)."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop
