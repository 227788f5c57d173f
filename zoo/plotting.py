"""FD curves (log scale) against training time, drawn with PIL (no matplotlib needed).

The zoo README's learning curves and bench's ablation and time-to-quality plots use it.
"""

import math

COLOURS = [(0, 70, 200), (200, 0, 0), (0, 150, 0), (230, 130, 0), (130, 0, 170), (0, 160, 170), (90, 90, 90),
           (180, 120, 60)]


def fd_plot(series, path, title, levels=(), xlabel="training time (minutes)", ylabel="FD (log)", legend="upper right"):
    """``series``: ``[(label, xs, fds), ...]``, one line each (a legend when labelled, in the
    ``legend`` corner: "upper right" or "lower left"); ``levels``: horizontal lines, the lowest
    drawn as the threshold."""
    if legend not in ("upper right", "lower left"):
        raise ValueError(f"legend must be 'upper right' or 'lower left', got {legend!r}")
    from PIL import Image, ImageDraw

    width, height, left, right, top, bottom = 720, 440, 70, 20, 40, 50
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    xs_all = [x for _, xs, _ in series for x in xs]
    fds_all = [max(f, 1e-3) for _, _, fds in series for f in fds]
    x_max = max(max(xs_all), 1e-3)
    lo = math.floor(math.log10(min(fds_all + list(levels))))
    hi = max(math.ceil(math.log10(max(fds_all + list(levels)))), lo + 1)

    def to_px(x, fd):
        return (left + (width - left - right) * x / x_max,
                top + (height - top - bottom) * (hi - math.log10(max(fd, 1e-3))) / (hi - lo))

    draw.rectangle([left, top, width - right, height - bottom], outline="black")
    for decade in range(lo, hi + 1):  # y ticks at 1, 2, 5 x 10^k
        for m in (1, 2, 5):
            value = m * 10.0**decade
            if lo <= math.log10(value) <= hi:
                _, y = to_px(0, value)
                draw.line([left - 4, y, left, y], fill="black")
                draw.line([left, y, width - right, y], fill=(230, 230, 230))
                draw.text((8, y - 6), f"{value:g}", fill="black")
    step, tick = _nice_step(x_max), 0.0
    while tick <= x_max + 1e-9:
        x, _ = to_px(tick, 10.0**hi)
        draw.line([x, height - bottom, x, height - bottom + 4], fill="black")
        draw.text((x - 10, height - bottom + 8), f"{tick:g}", fill="black")
        tick += step
    threshold = min(levels) if levels else None
    for level in levels:
        _, y = to_px(0, level)
        colour = (200, 0, 0) if level == threshold else (230, 150, 0)
        draw.line([left, y, width - right, y], fill=colour)
        draw.text((width - right - 110, y - 14), f"{'threshold' if level == threshold else 'FD'} {level:g}", fill=colour)
    for i, (label, xs, fds) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points = [to_px(x, f) for x, f in zip(xs, fds)]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        for x, y in points:
            draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=colour)
        if label:
            if legend == "upper right":
                draw.text((width - right - 150, top + 8 + 14 * i), f"-- {label}", fill=colour)
            else:
                draw.text((left + 10, height - bottom - 8 - 14 * (len(series) - i)), f"-- {label}", fill=colour)
    draw.text((left, 12), title, fill="black")
    draw.text((width // 2 - 100, height - 20), xlabel, fill="black")
    draw.text((8, top - 28), ylabel, fill="black")
    image.save(path)


def _nice_step(span):
    raw = span / 6
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude
