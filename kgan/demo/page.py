"""The Gradio page over an ``Explorer``: pick a generator, a grid of samples for a seed (with
a digit for a conditional model and a truncation control), an interpolation strip between two
seeds, the grid as a PNG download. Every handler turns bad input into a message in the page.

Gradio is kept offline: its analytics, Hugging Face telemetry and hub calls are switched off
before it is imported, and nothing here makes share links.
"""

import os

os.environ.update({"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"})

import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import gradio as gr  # noqa: E402

from kgan.demo.explorer import MAX_GRID, MAX_SEED, MAX_STEPS, DemoError  # noqa: E402

# Small images scaled up to the frame, with sharp pixels.
CSS = "#grid img, #strip img { width: 100%; height: 100%; object-fit: contain; image-rendering: pixelated; }"
ALL = "all"  # the digit control's "every class in turn"


def build(explorer, model=None):
    """The page (a ``gr.Blocks``) for ``explorer``; ``model`` is the one shown first."""
    model = model or explorer.names[0]
    handlers = Handlers(explorer)
    with gr.Blocks(title="kgan demo", analytics_enabled=False, delete_cache=(3600, 3600)) as page:
        gr.Markdown("# kgan demo\nSamples of the pretrained generators in kgan's zoo, computed on this machine's CPU.")
        with gr.Row():
            name = gr.Dropdown(explorer.names, value=model, label="model", elem_id="model", scale=2)
            digit = gr.Dropdown([ALL] + [str(d) for d in range(10)], value=ALL, allow_custom_value=True,
                                label="digit", info="conditional models: one class, or all in turn",
                                visible=explorer.choice(model).conditional, elem_id="digit")
            psi = gr.Slider(0.0, 2.0, 1.0, step=0.05, label="truncation ψ",
                            info="scales the noise: 1 = as drawn, < 1 = more typical samples", elem_id="psi")
        note = gr.Markdown(handlers.note(model), elem_id="note")
        # InfoGAN's categorical and continuous codes: their controls go here, passed on like `digit`.

        gr.Markdown("## Samples")
        with gr.Row():
            seed = gr.Number(0, label="seed", info=f"0-{MAX_SEED}", precision=0, elem_id="seed")
            size = gr.Number(64, label="grid size", info=f"1-{MAX_GRID} images", precision=0, elem_id="size")
            go = gr.Button("Generate", variant="primary", elem_id="generate")
        grid_status = gr.Markdown(elem_id="status")
        grid = gr.Image(label="samples", format="png", image_mode=None, interactive=False, height=520,
                        buttons=["fullscreen"], elem_id="grid")
        download = gr.DownloadButton("Download grid (PNG)", interactive=False, elem_id="download")

        gr.Markdown("## Interpolation")
        with gr.Row():
            seed_a = gr.Number(0, label="from seed", precision=0, elem_id="seed_a")
            seed_b = gr.Number(1, label="to seed", precision=0, elem_id="seed_b")
            steps = gr.Number(10, label="steps", info=f"2-{MAX_STEPS}", precision=0, elem_id="steps")
            method = gr.Radio(["slerp", "linear"], value="slerp", label="path", elem_id="method")
            go_strip = gr.Button("Interpolate", elem_id="interpolate")
        strip_status = gr.Markdown(elem_id="strip_status")
        strip = gr.Image(label="interpolation", format="png", image_mode=None, interactive=False, height=320,
                         buttons=["download", "fullscreen"], elem_id="strip")

        grid_args = dict(fn=handlers.grid, inputs=[name, seed, size, digit, psi], outputs=[grid, download, grid_status])
        strip_args = dict(fn=handlers.strip, inputs=[name, seed_a, seed_b, steps, method, digit, psi],
                          outputs=[strip, strip_status])
        for event in (go.click, seed.submit, size.submit, digit.change, psi.release, page.load):
            event(**grid_args)
        for event in (go_strip.click, seed_a.submit, seed_b.submit, steps.submit, method.change, digit.change,
                      psi.release, page.load):
            event(**strip_args)
        name.change(handlers.model_changed, [name], [digit, note]).then(**grid_args).then(**strip_args)
    return page


class Handlers:
    """The page's event handlers: plain functions of the controls' values (testable as such)."""

    def __init__(self, explorer):
        self.explorer = explorer

    def note(self, name):
        choice = self.explorer.choice(name)
        return choice.note + (" Conditional: choose a digit." if choice.conditional else "")

    def model_changed(self, name):
        try:
            return gr.update(visible=self.explorer.choice(name).conditional), self.note(name)
        except DemoError as error:
            return gr.update(), _warning(error)

    def grid(self, name, seed, size, digit, psi):
        """(image, download button, message)."""
        try:
            start = time.perf_counter()
            image = self.explorer.grid(name, seed, size, digit=_digit(digit), psi=psi)
            path = self.explorer.save_png(image, stem=f"{name}-seed{int(seed)}")
            seconds = time.perf_counter() - start
        except Exception as error:  # noqa: BLE001  (a message in the page, never a dead server)
            return None, gr.update(value=None, interactive=False), _message(error)
        classes = self._classes(name, digit)
        message = f"{int(size)} samples of {name}{classes}, seed {int(seed)}, ψ = {psi:g}: {seconds:.2f} s"
        return _show(image), gr.update(value=path, interactive=True), message

    def strip(self, name, seed_a, seed_b, steps, method, digit, psi):
        """(image, message)."""
        try:
            start = time.perf_counter()
            image = self.explorer.strip(name, seed_a, seed_b, steps, method=method, digit=_digit(digit), psi=psi)
            seconds = time.perf_counter() - start
        except Exception as error:  # noqa: BLE001
            return None, _message(error)
        classes = self._classes(name, digit).replace("all digits", "a row per digit")
        return _show(image), (f"{int(steps)} steps ({method}) from seed {int(seed_a)} to seed {int(seed_b)}"
                               f"{classes}, ψ = {psi:g}: {seconds:.2f} s")

    def _classes(self, name, digit):
        if not self.explorer.choice(name).conditional:
            return ""
        return ", all digits" if _digit(digit) is None else f", digit {_digit(digit)}"


def _digit(value):
    """The digit control's text (a choice, or whatever was typed) as a number, or None for all."""
    if value is None or str(value).strip().lower() in ("", ALL):
        return None
    try:
        number = float(value)
        return int(number) if number.is_integer() else number
    except (TypeError, ValueError):
        raise DemoError(f"digit must be a whole number or {ALL!r}, got {value!r}") from None


def _show(image):
    return image[..., 0] if image.shape[-1] == 1 else image  # grayscale as (H, W)


def _message(error):
    if isinstance(error, DemoError):
        return _warning(error)
    traceback.print_exc(file=sys.stderr)  # the server's log keeps the details
    return _warning(f"internal error ({type(error).__name__}: {error})")


def _warning(text):
    return f"**⚠ {text}**"
