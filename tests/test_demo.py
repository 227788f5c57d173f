"""The demo page: its computations and handlers directly (fast), then `kgan demo` in a real
headless Chromium driven by Selenium (skipped, with the reason, where no browser is installed)."""

import importlib.util
import io
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
from PIL import Image

import zoo
from kgan import images
from kgan.cli.demo import _explorer
from kgan.demo import MAX_GRID, Choice, DemoError, Explorer

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "runs" / "demo_browser_test"  # ignored by git: the last run's screenshot and timings


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    return _explorer(str(tmp_path_factory.mktemp("grids")))  # the `kgan demo` menu: every zoo generator


@pytest.fixture(scope="module")
def classifier():
    return zoo.mnist_classifier()


def tiles(grid, size=28, padding=2):
    """A make_grid image (uint8, (H, W) or (H, W, C)) cut back into its tiles, as [-1, 1] floats."""
    grid = grid if grid.ndim == 3 else grid[..., None]
    step = size + padding
    rows, cols = (grid.shape[0] - padding) // step, (grid.shape[1] - padding) // step
    corners = [(padding + r * step, padding + c * step) for r in range(rows) for c in range(cols)]
    return images.from_uint8(np.stack([grid[top : top + size, left : left + size] for top, left in corners]))


def digits_of(classifier, grid):
    return np.argmax(classifier.predict(tiles(grid), verbose=0), axis=-1)


# ------------------------------------------------------------------ the computations

def test_menu_holds_every_zoo_generator(explorer):
    generators = [r["name"] for r in zoo.list_models() if r["kind"] == "generator" and r["sha256"]]
    assert explorer.names == generators  # untrained entries (a recipe still running) stay off the menu
    assert explorer.choice("mnist_cgan").conditional and not explorer.choice("mnist_dcgan").conditional
    assert "non-commercial" in explorer.choice("celeba_dcgan").note


def test_grid_depends_on_the_seed_only(explorer):
    grid = explorer.grid("mnist_dcgan", seed=3, n=64)
    assert grid.shape == (242, 242, 1) and grid.dtype == np.uint8  # 8 x 8 tiles of 28 px, 2 px apart
    np.testing.assert_array_equal(grid, explorer.grid("mnist_dcgan", seed=3.0, n=64))  # number boxes send floats
    assert not np.array_equal(grid, explorer.grid("mnist_dcgan", seed=4, n=64))
    faces = explorer.grid("celeba_dcgan", seed=0, n=4)
    assert faces.shape == (2 + 2 * 66, 2 + 2 * 66, 3)


def test_digit_and_default_labels_are_what_the_classifier_sees(explorer, classifier):
    sevens = digits_of(classifier, explorer.grid("mnist_cgan", seed=0, n=16, digit=7))
    assert np.mean(sevens == 7) >= 0.9, sevens
    in_turn = digits_of(classifier, explorer.grid("mnist_cgan", seed=0, n=20))
    assert np.mean(in_turn == np.arange(20) % 10) >= 0.9, in_turn


def test_truncation_scales_the_noise(explorer):
    mean_images = tiles(explorer.grid("mnist_dcgan", seed=1, n=4, psi=0.0))
    np.testing.assert_array_equal(mean_images, np.broadcast_to(mean_images[:1], mean_images.shape))
    assert not np.array_equal(explorer.grid("mnist_dcgan", seed=1, n=4, psi=0.5),
                              explorer.grid("mnist_dcgan", seed=1, n=4))


def test_strip_runs_from_one_seed_to_the_other(explorer):
    strip = explorer.strip("mnist_dcgan", seed_a=5, seed_b=9, steps=6)
    assert strip.shape == (32, 2 + 6 * 30, 1)
    ends = tiles(strip)[[0, -1]]
    alone = tiles(explorer.grid("mnist_dcgan", seed=5, n=1))[0], tiles(explorer.grid("mnist_dcgan", seed=9, n=1))[0]
    for end, image in zip(ends, alone):  # the strip's ends are the seeds' own first samples
        np.testing.assert_allclose(end, image, atol=2 / 127.5)
    assert not np.array_equal(strip, explorer.strip("mnist_dcgan", seed_a=5, seed_b=9, steps=6, method="linear"))


def test_strip_of_a_conditional_model_has_a_row_per_digit(explorer, classifier):
    every = explorer.strip("mnist_cgan", seed_a=0, seed_b=1, steps=4)
    assert every.shape == (2 + 10 * 30, 2 + 4 * 30, 1)
    assert np.mean(digits_of(classifier, every) == np.repeat(np.arange(10), 4)) >= 0.9
    sixes = explorer.strip("mnist_cgan", seed_a=0, seed_b=1, steps=4, digit=6)
    assert sixes.shape == (32, 2 + 4 * 30, 1)
    np.testing.assert_array_equal(sixes, every[6 * 30 : 7 * 30 + 2])  # the same path, one class


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda e: e.grid("mnist_cgan", 0, 16, digit=10), "digit must be a whole number from 0 to 9, got 10"),
        (lambda e: e.grid("mnist_cgan", 0, 16, digit=-1), "digit must be a whole number from 0 to 9, got -1"),
        (lambda e: e.grid("mnist_cgan", 0, 16, digit=2.5), "digit must be a whole number from 0 to 9, got 2.5"),
        (lambda e: e.grid("mnist_gan", 0, 10**9), f"grid size must be a whole number from 1 to {MAX_GRID}, got 10+$"),
        (lambda e: e.grid("mnist_gan", 0, 0), "grid size must be a whole number from 1 to"),
        (lambda e: e.grid("mnist_gan", 0, float("nan")), "grid size must be a whole number from 1 to 256, got nan"),
        (lambda e: e.grid("mnist_gan", 0, None), "grid size is empty"),
        (lambda e: e.grid("mnist_gan", -1, 4), "seed must be a whole number from 0 to 4294967295, got -1"),
        (lambda e: e.grid("mnist_gan", 10**400, 4), r"seed must be .*, got 10{36}\.\.\.$"),  # cut short
        (lambda e: e.grid("mnist_gan", 0, 4, psi=-1), "truncation must be a number >= 0 .* got -1"),
        (lambda e: e.grid("no_such_model", 0, 4), "unknown model 'no_such_model'; choose one of: mnist_gan"),
        (lambda e: e.strip("mnist_gan", 0, 1, steps=1), "steps must be a whole number from 2 to 32, got 1"),
        (lambda e: e.strip("mnist_gan", 0, 1, steps=10**6), "steps must be a whole number from 2 to 32"),
        (lambda e: e.strip("mnist_gan", 0, 1, steps=4, method="cubic"), "interpolation must be one of slerp, linear"),
    ],
)
def test_bad_input_is_a_demo_error_naming_the_value(explorer, call, message):
    with pytest.raises(DemoError, match=message):
        call(explorer)


def _broken():
    raise OSError("weights file is truncated")


def test_a_model_that_fails_to_load_is_a_message_and_is_tried_again(tmp_path):
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("weights file is truncated")
        return zoo.load("mnist_gan")

    explorer = Explorer([Choice("flaky", flaky), Choice("broken", _broken)], folder=str(tmp_path))
    with pytest.raises(DemoError, match=r"model 'flaky' could not be loaded \(OSError: weights file is truncated\)"):
        explorer.grid("flaky", 0, 4)
    assert explorer.grid("flaky", 0, 4).shape == (62, 62, 1)
    path = explorer.save_png(explorer.grid("flaky", 0, 4))
    assert path.startswith(str(tmp_path)) and path.endswith(".png")
    np.testing.assert_array_equal(np.asarray(Image.open(path))[..., None], explorer.grid("flaky", 0, 4))


# ------------------------------------------------------------------ the page's handlers

gradio_missing = importlib.util.find_spec("gradio") is None
needs_gradio = pytest.mark.skipif(gradio_missing, reason='Gradio is not installed (pip install -e ".[demo]")')


@pytest.fixture(scope="module")
def handlers(explorer):
    from kgan.demo.page import Handlers

    return Handlers(explorer)


@needs_gradio
def test_handler_returns_image_png_and_timing(handlers):
    image, download, message = handlers.grid("mnist_cgan", 0, 64, "all", 1.0)
    assert image.shape == (242, 242)  # grayscale shown as (H, W)
    assert download["interactive"] and download["value"].endswith(".png")
    np.testing.assert_array_equal(np.asarray(Image.open(download["value"])), image)
    assert message.startswith("64 samples of mnist_cgan, all digits, seed 0, ψ = 1: ") and message.endswith(" s")
    same, _, message = handlers.grid("mnist_cgan", 0, 64, "5", 1.0)
    assert "64 samples of mnist_cgan, digit 5, seed 0" in message and not np.array_equal(same, image)
    strip, message = handlers.strip("mnist_cgan", 0, 1, 8, "linear", "3", 0.7)
    assert strip.shape == (32, 2 + 8 * 30)
    assert message.startswith("8 steps (linear) from seed 0 to seed 1, digit 3, ψ = 0.7")
    strip, message = handlers.strip("mnist_dcgan", 0, 1, 8, "slerp", "3", 1.0)  # no digit for a plain GAN
    assert strip.shape == (32, 2 + 8 * 30) and message.startswith("8 steps (slerp) from seed 0 to seed 1, ψ = 1: ")


@needs_gradio
@pytest.mark.parametrize(
    "args, shown",
    [
        (("mnist_cgan", 0, 16, "12", 1.0), "digit must be a whole number from 0 to 9, got 12"),
        (("mnist_cgan", 0, 16, "seven", 1.0), "digit must be a whole number or 'all', got 'seven'"),
        (("mnist_cgan", 0, 10**7, "all", 1.0), "grid size must be a whole number from 1 to 256, got 10000000"),
        (("mnist_cgan", None, 16, "all", 1.0), "seed is empty"),
        (("nope", 0, 16, "all", 1.0), "unknown model 'nope'"),
    ],
)
def test_handler_shows_bad_input_in_the_page(handlers, args, shown):
    image, download, message = handlers.grid(*args)
    assert image is None and download == {"__type__": "update", "value": None, "interactive": False}
    assert message.startswith("**⚠ ") and shown in message


@needs_gradio
def test_handler_survives_a_broken_or_failing_model(tmp_path, capsys):
    from kgan.demo.page import Handlers

    class Failing:
        inputs = [type("Input", (), {"shape": (None, 8)})()]

        def __call__(self, *args, **kwargs):
            raise RuntimeError("out of memory")

    page = Handlers(Explorer([Choice("broken", _broken), Choice("failing", lambda: Failing())], folder=str(tmp_path)))
    assert "could not be loaded (OSError: weights file is truncated)" in page.grid("broken", 0, 4, None, 1.0)[2]
    assert "internal error (RuntimeError: out of memory)" in page.grid("failing", 0, 4, None, 1.0)[2]
    assert "internal error (RuntimeError: out of memory)" in page.strip("failing", 0, 1, 4, "slerp", None, 1.0)[1]
    assert "RuntimeError: out of memory" in capsys.readouterr().err  # the details go to the server's log
    digit, note = page.model_changed("nope")
    assert "unknown model 'nope'" in note


@needs_gradio
def test_page_builds_offline(explorer):
    import kgan.demo

    page = kgan.demo.build_page(explorer, "mnist_cgan")
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False" and not page.analytics_enabled
    ids = {getattr(block, "elem_id", None) for block in page.blocks.values()}
    assert {"model", "digit", "psi", "seed", "size", "generate", "grid", "download", "strip"} <= ids


# ------------------------------------------------------------------ the command's own errors

@pytest.mark.parametrize(
    "argv, error",
    [
        (["demo", "--model", "mnist_classifier"], "kgan: error: --model 'mnist_classifier' is not a zoo generator; "
                                                  "choose one of: mnist_gan, mnist_dcgan, mnist_cgan"),
        (["demo", "--port", "70000"], "kgan: error: --port must be in 1-65535, got 70000"),
        (["demo", "--port", "x"], "kgan: error: argument --port: invalid int value: 'x'"),
    ],
)
def test_demo_command_errors_are_one_line(argv, error, capsys):
    from kgan import cli

    try:
        status = cli.main(argv)
    except SystemExit as exit:  # argparse's errors
        status = exit.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith(error) and err.count("\n") == 1


@needs_gradio
def test_demo_on_a_busy_port_is_one_error_line(capsys):
    from kgan import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert cli.main(["demo", "--port", str(port)]) == 2
    assert capsys.readouterr().err == (f"kgan: error: cannot serve on 127.0.0.1:{port}: the port is in use or not "
                                       "allowed; choose another with --port\n")


def test_demo_without_gradio_says_how_to_install_it(monkeypatch, capsys):
    from kgan import cli
    from kgan.cli import demo

    monkeypatch.setattr(demo, "_gradio_installed", lambda: False)
    assert cli.main(["demo"]) == 2
    assert capsys.readouterr().err == 'kgan: error: the demo needs Gradio: install it with `pip install -e ".[demo]"`\n'


# ------------------------------------------------------------------ in a real browser

CHROMIUM, CHROMEDRIVER = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")


def _browser_missing():
    missing = [what for what, ok in [("gradio", not gradio_missing),
                                     ("selenium", importlib.util.find_spec("selenium") is not None),
                                     ("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)] if not ok]
    if missing:
        return (f"{', '.join(missing)} not installed: `apt-get install chromium chromium-driver` and "
                '`pip install -e ".[demo]"` (.ci/run does both where it can)')
    return None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(server, url, err_path, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"`kgan demo` exited with status {server.returncode}: {err_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"`kgan demo` did not answer at {url} within {timeout} s")


@pytest.fixture
def server(tmp_path):
    """`python -m kgan demo` on a free port, stopped (SIGTERM) and checked at the end."""
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    port = _free_port()
    out_path, err_path = tmp_path / "server.out", tmp_path / "server.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen([sys.executable, "-m", "kgan", "demo", "--port", str(port), "--model", "mnist_cgan"],
                                   cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(process, url, err_path)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"`kgan demo` did not stop within 60 s of SIGTERM: {err_path.read_text()[-2000:]}")
    assert process.returncode == 0, err_path.read_text()[-2000:]
    assert out_path.read_text().splitlines() == [f"kgan demo: serving on {url.rstrip('/')} (Ctrl+C to stop)",
                                                 "kgan demo: stopped"]


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1800"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads"),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(tmp_path / "downloads")})
    try:
        yield driver
    finally:
        driver.quit()


def test_demo_in_a_browser(server, browser, classifier, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 60, poll_frequency=0.02)  # fine polling: the round trip is measured

    def grid_src():
        found = browser.find_elements(By.CSS_SELECTOR, "#grid img")
        return found[0].get_attribute("src") if found else None

    def fetch(url):
        with urllib.request.urlopen(url, timeout=30) as response:
            return np.asarray(Image.open(io.BytesIO(response.read())))

    def status(elem_id="status"):
        return browser.find_element(By.ID, elem_id).text

    def type_into(elem_id, value, enter=False):
        box = browser.find_element(By.CSS_SELECTOR, f"#{elem_id} input")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(str(value) + (Keys.ENTER if enter else ""))

    def updated(action, expected):
        """Do ``action``; wait for ``expected`` in the message (and a new image unless it is a
        warning); return the round trip in seconds, from the action to the page updated."""
        before = grid_src()
        start = time.perf_counter()
        action()
        wait.until(lambda _: expected in status() and ("⚠" in status() or grid_src() not in (None, before)))
        return time.perf_counter() - start

    def generate():
        browser.find_element(By.ID, "generate").click()

    browser.get(server)
    wait.until(lambda _: grid_src() is not None and "64 samples of mnist_cgan, all digits, seed 0" in status())
    first = fetch(grid_src())
    assert first.shape == (242, 242)
    assert np.mean(digits_of(classifier, first) == np.arange(64) % 10) >= 0.9  # all classes in turn

    seconds = []
    for seed in (1, 2, 3):
        type_into("seed", seed)
        seconds.append(updated(generate, f"64 samples of mnist_cgan, all digits, seed {seed}"))
        if seed == 1:
            assert not np.array_equal(fetch(grid_src()), first)  # a new seed, a new picture

    # An out-of-range digit (typed into the menu): a message in the page, and the server lives on.
    updated(lambda: type_into("digit", 12, enter=True), "digit must be a whole number from 0 to 9, got 12")
    assert grid_src() is None
    type_into("size", 16)
    updated(lambda: type_into("digit", 7, enter=True), "16 samples of mnist_cgan, digit 7, seed 3")
    shown = fetch(grid_src())
    sevens = digits_of(classifier, shown)
    assert np.mean(sevens == 7) >= 0.9, sevens

    browser.find_element(By.ID, "download").click()  # the grid as a PNG file
    downloads = tmp_path / "downloads"
    wait.until(lambda _: downloads.is_dir() and any(p.suffix == ".png" for p in downloads.iterdir()))
    downloaded = np.asarray(Image.open(next(p for p in downloads.iterdir() if p.suffix == ".png")))
    np.testing.assert_array_equal(downloaded, shown)

    wait.until(lambda _: "10 steps (slerp) from seed 0 to seed 1, digit 7" in status("strip_status"))
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(r.startswith(server) for r in resources), [r for r in resources if not r.startswith(server)]

    # For the screenshot: every digit in turn, and an interpolation strip for each.
    type_into("size", 64)
    updated(lambda: type_into("digit", "all", enter=True), "64 samples of mnist_cgan, all digits, seed 3")
    wait.until(lambda _: "10 steps (slerp) from seed 0 to seed 1, a row per digit" in status("strip_status"))
    screenshot = tmp_path / "demo.png"
    browser.save_screenshot(str(screenshot))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot, ARTIFACTS / "demo.png")
    timing = {"64-image grid, click to new image in the page (s)": [round(s, 3) for s in seconds],
              "the page's message (server-side time)": status()}
    (ARTIFACTS / "timing.json").write_text(json.dumps(timing, indent=1) + "\n")
    print(f"\nscreenshot: {ARTIFACTS / 'demo.png'}; {timing}")
