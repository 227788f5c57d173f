"""The demo page (``kgan demo``): explore generators in a browser.

``explorer`` computes grids and interpolation strips (NumPy and Keras only, no Gradio);
``page`` lays them out as a Gradio app (offline: no analytics, telemetry, hub calls or share
links), imported only when a page is built.
"""

from kgan.demo.explorer import MAX_GRID, MAX_SEED, MAX_STEPS, Choice, DemoError, Explorer


def build_page(explorer, model=None):
    """The Gradio ``Blocks`` page over ``explorer``; ``model`` is the one shown first."""
    from kgan.demo import page

    return page.build(explorer, model)


__all__ = ["MAX_GRID", "MAX_SEED", "MAX_STEPS", "Choice", "DemoError", "Explorer", "build_page"]
