"""Server-side SVG charts with one or more named series over shared axes: radar and line charts.

Series differ by colour, line dash and marker shape, named in a legend. See drawing.py for what every chart
shares (accessibility, fonts, escaping, Vietnamese numbers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from reports.render.drawing import (
    AXIS_COLOR,
    GRID_COLOR,
    SERIES_STYLES,
    draw_legend,
    draw_marker,
    esc,
    fit_label,
    fmt_tick,
    fmt_value,
    fraction,
    px,
    svg_empty,
    svg_open,
)


def radar_chart(
    axes: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    max_value: Decimal = Decimal(100),
    size: int = 360,
    title: str = "",
) -> str:
    """One polygon per series over the axes (0 at the centre, max_value on the outer ring), with a legend.

    Each axis label carries the series' values in legend order ("87,42 / 85,00"), so the chart reads without
    colour; a None value is drawn at the centre without a marker and printed as "–".
    """
    title = title or _("Biểu đồ radar")
    margin_x, margin_y = 90, 44
    width = size + 2 * margin_x
    if not axes or not series:
        return svg_empty(width, size, title, "radar-chart")
    max_value = max_value if max_value > 0 else Decimal(1)
    radius = size / 2 - 12
    cx, cy = width / 2, margin_y + radius
    legend_top = cy + radius + margin_y + 4
    legend_rows = 1 + len(series) // 3
    height = legend_top + legend_rows * 18 + 4
    n = len(axes)

    def point(index: int, ratio: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        return cx + radius * ratio * math.cos(angle), cy + radius * ratio * math.sin(angle)

    desc = "; ".join(
        f"{name}: " + ", ".join(f"{axis} {fmt_value(v)}" for axis, v in zip(axes, values, strict=False))
        for name, values in series
    )
    parts = svg_open(width, height, title, desc, "radar-chart")
    parts.append('<g class="grid">')
    for step in (1, 2, 3, 4):
        ring = " ".join(f"{px(x)},{px(y)}" for x, y in (point(i, step / 4) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID_COLOR}"/>')
        lx, ly = point(0, step / 4)
        parts.append(
            f'<text x="{px(lx + 3)}" y="{px(ly + 10)}" font-size="9" fill="{AXIS_COLOR}">'
            f"{esc(fmt_tick(max_value * step / 4))}</text>"
        )
    for i in range(n):
        x, y = point(i, 1)
        parts.append(f'<line x1="{px(cx)}" y1="{px(cy)}" x2="{px(x)}" y2="{px(y)}" stroke="{GRID_COLOR}"/>')
    parts.append("</g>")
    for index, (name, values) in enumerate(series):
        color, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        values = list(values)[:n] + [None] * max(0, n - len(values))
        points = [point(i, fraction(v, Decimal(0), max_value)) for i, v in enumerate(values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" data-series="{esc(name)}">')
        parts.append(
            f'<polygon points="{" ".join(f"{px(x)},{px(y)}" for x, y in points)}" fill="{color}" '
            f'fill-opacity="0.12" stroke="{color}" stroke-width="2"{dash_attr}/>'
        )
        for (x, y), value, axis in zip(points, values, axes, strict=True):
            if value is not None:
                attrs = f'class="point" data-axis="{esc(axis)}" data-value="{esc(value)}"'
                parts.append(draw_marker(shape, x, y, color, attrs))
        parts.append("</g>")
    for i, axis in enumerate(axes):
        x, y = point(i, 1)
        dx = x - cx
        anchor = "middle" if abs(dx) < radius * 0.2 else ("start" if dx > 0 else "end")
        ox = 0 if anchor == "middle" else (6 if anchor == "start" else -6)
        oy = -22 if y < cy - radius * 0.8 else (14 if y > cy + radius * 0.8 else -4)
        values_text = " / ".join(
            fmt_value(list(values)[i] if i < len(values) else None) for _name, values in series
        )
        parts.append(f'<g class="axis-label"><title>{esc(axis)}: {esc(values_text)}</title>')
        parts.append(
            f'<text x="{px(x + ox)}" y="{px(y + oy)}" text-anchor="{anchor}" font-weight="bold">'
            f"{esc(fit_label(axis, margin_x + 20))}</text>"
        )
        parts.append(
            f'<text class="value" x="{px(x + ox)}" y="{px(y + oy + 13)}" text-anchor="{anchor}" font-size="10">'
            f"{esc(values_text)}</text></g>"
        )
    legend, _legend_height = draw_legend([name for name, _values in series], 12, legend_top, width - 24)
    parts.extend(legend)
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | int | None]]],
    *,
    invert_y: bool = False,
    y_min: Decimal | int | None = None,
    y_max: Decimal | int | None = None,
    width: int = 640,
    height: int = 260,
    title: str = "",
) -> str:
    """Lines over evenly spaced x labels, one per series; None leaves a gap; values written above the points.

    `invert_y` puts the smallest value on top (ranks: rank 1 is the highest point). The y range is
    y_min..y_max, by default the data's own range.
    """
    title = title or _("Biểu đồ đường")
    values_all = [Decimal(v) for _name, values in series for v in values if v is not None]
    if not x_labels or not series or not values_all:
        return svg_empty(width, height, title, "line-chart")
    low = Decimal(y_min) if y_min is not None else min(values_all)
    high = Decimal(y_max) if y_max is not None else max(values_all)
    if high <= low:
        low, high = low - 1, high + 1
    legend_height = 18 * (1 + len(series) // 4)
    top, left, right = 22, 52, 24
    bottom = 28 + legend_height
    plot_height = max(20, height - top - bottom)
    plot_width = max(20, width - left - right)
    step = plot_width / max(1, len(x_labels) - 1)
    integers = all(isinstance(v, int) for _name, values in series for v in values if v is not None)

    def x_at(index: int) -> float:
        return left + (step * index if len(x_labels) > 1 else plot_width / 2)

    def y_at(value: Decimal | int) -> float:
        ratio = fraction(value, low, high)
        return top + (ratio if invert_y else 1 - ratio) * plot_height

    desc = "; ".join(
        f"{name}: " + ", ".join(f"{x} {fmt_value(v)}" for x, v in zip(x_labels, values, strict=False))
        for name, values in series
    )
    parts = svg_open(width, height, title, desc, "line-chart")
    parts.append('<g class="grid">')
    if integers:
        tick_step = max(1, math.ceil((high - low) / 4))
        ticks = [low + tick_step * i for i in range(5) if low + tick_step * i <= high]
    else:
        ticks = [low + (high - low) * i / 4 for i in range(5)]
    for value in ticks:
        y = y_at(value)
        label = fmt_value(int(value)) if integers else fmt_value(value)
        parts.append(
            f'<line x1="{left}" y1="{px(y)}" x2="{px(left + plot_width)}" y2="{px(y)}" stroke="{GRID_COLOR}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{px(y + 4)}" text-anchor="end" font-size="10" fill="{AXIS_COLOR}">'
            f"{esc(label)}</text>"
        )
    for index, label in enumerate(x_labels):
        parts.append(
            f'<text x="{px(x_at(index))}" y="{px(top + plot_height + 16)}" text-anchor="middle">'
            f"{esc(fit_label(label, max(step, 30)))}</text>"
        )
    parts.append("</g>")
    for index, (name, values) in enumerate(series):
        color, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" data-series="{esc(name)}">')
        segment: list[str] = []
        segments: list[list[str]] = []
        points = []
        for i, value in enumerate(list(values)[: len(x_labels)]):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            x, y = x_at(i), y_at(value)
            segment.append(f"{px(x)},{px(y)}")
            points.append((x, y, value, x_labels[i]))
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                parts.append(
                    f'<polyline class="segment" points="{" ".join(seg)}" fill="none" stroke="{color}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        for x, y, value, x_label in points:
            attrs = f'class="point" data-x="{esc(x_label)}" data-value="{esc(value)}"'
            parts.append(draw_marker(shape, x, y, color, attrs))
            parts.append(
                f'<text class="value" x="{px(x)}" y="{px(y - 8)}" text-anchor="middle" font-size="10">'
                f"{esc(fmt_value(value))}</text>"
            )
        parts.append("</g>")
    legend, _height = draw_legend(
        [name for name, _values in series], left, height - legend_height + 6, plot_width
    )
    parts.extend(legend)
    parts.append("</svg>")
    return "\n".join(parts)
