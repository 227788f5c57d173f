"""The zoo README's learning-curve plots: a progressive run is drawn one line per phase."""

import pytest

from zoo.plotting import fd_plot
from zoo.recipes.readme import _phase_series, draw_curve


def _row(epoch, resolution, alpha, fd):
    return dict(epoch=epoch, kimg=32.0 * epoch, minutes=10.0 * epoch, resolution=float(resolution), alpha=alpha,
                fd_ema=fd)


PROGRESSIVE = [_row(1, 16, 1.0, 60.0), _row(2, 16, 1.0, 40.0), _row(3, 32, 0.5, 45.0), _row(4, 32, 1.0, 20.0),
               _row(5, 32, 1.0, 9.0), _row(6, 64, 0.25, 12.0), _row(7, 64, 1.0, 3.0)]


def test_phase_series_splits_a_progressive_curve_into_its_phases_in_order():
    series = _phase_series(PROGRESSIVE, "fd_ema")
    assert [label for label, _, _ in series] == ["16x16", "32x32 fade-in", "32x32", "64x64 fade-in", "64x64"]
    assert series[2] == ("32x32", [40.0, 50.0], [20.0, 9.0])
    assert sum(len(xs) for _, xs, _ in series) == len(PROGRESSIVE)


def test_draw_curve_writes_a_png_for_progressive_and_plain_curves(tmp_path):
    from PIL import Image

    plain = [dict(minutes=1.0, fd=50.0), dict(minutes=2.0, fd=20.0)]
    for name, curve in (("staged", PROGRESSIVE), ("plain", plain)):
        path = draw_curve(name, curve, str(tmp_path))
        with Image.open(path) as image:
            assert image.size == (720, 440)


def test_fd_plot_rejects_an_unknown_legend_corner(tmp_path):
    with pytest.raises(ValueError, match="lower left"):
        fd_plot([(None, [1.0], [2.0])], str(tmp_path / "x.png"), "t", legend="middle")
