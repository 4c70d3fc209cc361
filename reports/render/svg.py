"""Server-side SVG charts: plain values in, an SVG string out; no queries, no JavaScript.

The same strings go into the browser dashboards (`{{ svg|safe }}`) and into the PDF reports (WeasyPrint runs
no JavaScript). Every text is escaped here, so callers never escape. Each chart:

- has a `viewBox` (it scales to its container) plus `width`/`height` (WeasyPrint's natural size);
- is an image for assistive technology: `role="img"`, `aria-label`, `<title>` and a `<desc>` listing the data;
- is readable without colour: values are written next to bars, columns and points, series also differ by
  line dash and marker shape;
- uses fonts that have Vietnamese glyphs ("Noto Sans", "DejaVu Sans").

Values are printed Vietnamese style ("87,42") through `scoring.calc.format_vn`. Geometry is pixels (floats);
the values themselves stay `Decimal` until they become a pixel position.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from scoring.calc import format_vn

FONT_FAMILY = "'Noto Sans', 'DejaVu Sans', sans-serif"
FONT_SIZE = 12
CHAR_WIDTH = 6.6  # average advance of a 12 px Noto Sans glyph, to fit labels without measuring text

BAR_COLOR = "#3b6ea5"
HIGHLIGHT_COLOR = "#d9822b"
REFERENCE_COLOR = "#b03a2e"
GRID_COLOR = "#d5d9de"
AXIS_COLOR = "#6b7280"
TEXT_COLOR = "#1f2937"
# Series: colour, dash pattern ("" = solid) and marker shape, so that two series differ without colour.
SERIES_STYLES = (
    (BAR_COLOR, "", "circle"),
    (HIGHLIGHT_COLOR, "6 4", "square"),
    ("#2e8b57", "2 3", "diamond"),
    ("#7b4fa0", "8 3 2 3", "triangle"),
    ("#6b7280", "1 2", "circle"),
)

Number = Decimal | int


# --- helpers -------------------------------------------------------------------------------------------------


def _e(text: object) -> str:
    """Escape text for element content and double-quoted attributes."""
    return escape(str(text), {'"': "&quot;"})


def _f(value: float) -> str:
    """A pixel coordinate: one decimal, no trailing ".0"."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _fmt(value: Number | None) -> str:
    """A value as printed: integers as they are, Decimals with 2 places Vietnamese style."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return format_vn(Decimal(value), 0)
    return format_vn(value)


def _fmt_tick(value: Decimal) -> str:
    """A scale tick: no decimals when it is a whole number (25, 50, 75, 100)."""
    return format_vn(value, 0) if value == value.to_integral_value() else format_vn(value)


def _fit(label: str, width: float, font_size: float = FONT_SIZE) -> str:
    """Cut a label to roughly `width` pixels, with an ellipsis (the full label stays in the <title>)."""
    max_chars = max(3, int(width / (CHAR_WIDTH * font_size / FONT_SIZE)))
    if len(label) <= max_chars:
        return label
    return label[: max_chars - 1].rstrip() + "…"


def _open(width: float, height: float, title: str, desc: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg {css_class}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" height="{_f(height)}" '
        f'role="img" aria-label="{_e(title)}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" '
        f'fill="{TEXT_COLOR}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{_e(title)}</title>",
        f"<desc>{_e(desc)}</desc>",
    ]


def _empty(width: float, height: float, title: str, css_class: str) -> str:
    message = _("Không có dữ liệu")
    parts = _open(width, height, title, message, css_class)
    parts.append(
        f'<text x="{_f(width / 2)}" y="{_f(height / 2)}" text-anchor="middle" fill="{AXIS_COLOR}">{_e(message)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _ratio(value: Number | None, low: Decimal, high: Decimal) -> float:
    """Position of value between low and high as 0..1 (clamped); None → 0."""
    if value is None or high <= low:
        return 0.0
    ratio = (Decimal(value) - low) / (high - low)
    return float(min(max(ratio, Decimal(0)), Decimal(1)))


def _marker(shape: str, x: float, y: float, color: str, attrs: str) -> str:
    r = 3.5
    if shape == "square":
        return f'<rect x="{_f(x - r)}" y="{_f(y - r)}" width="{_f(2 * r)}" height="{_f(2 * r)}" fill="{color}" {attrs}/>'
    if shape == "diamond":
        points = (
            f"{_f(x)},{_f(y - r - 1)} {_f(x + r + 1)},{_f(y)} {_f(x)},{_f(y + r + 1)} {_f(x - r - 1)},{_f(y)}"
        )
        return f'<polygon points="{points}" fill="{color}" {attrs}/>'
    if shape == "triangle":
        points = f"{_f(x)},{_f(y - r - 1)} {_f(x + r + 1)},{_f(y + r)} {_f(x - r - 1)},{_f(y + r)}"
        return f'<polygon points="{points}" fill="{color}" {attrs}/>'
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{color}" {attrs}/>'


def _legend(series_names: Sequence[str], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend entries (line sample with the series' dash and marker, then the name); returns parts and height."""
    parts = ['<g class="legend">']
    cx, cy = x, y
    for index, name in enumerate(series_names):
        color, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        text = _fit(name, width - 40)
        entry_width = 34 + len(text) * CHAR_WIDTH + 16
        if cx > x and cx + entry_width > x + width:
            cx, cy = x, cy + 18
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(cx + 26)}" y2="{_f(cy)}" stroke="{color}" stroke-width="2"{dash_attr}/>'
        )
        parts.append(_marker(shape, cx + 13, cy, color, ""))
        parts.append(f'<text x="{_f(cx + 32)}" y="{_f(cy + 4)}">{_e(text)}</text>')
        cx += entry_width
    parts.append("</g>")
    return parts, cy - y + 18


# --- charts --------------------------------------------------------------------------------------------------


def bar_chart(
    bars: Sequence[tuple[str, Decimal]],
    *,
    max_value: Decimal = Decimal(100),
    reference: Decimal | None = None,
    reference_label: str = "",
    highlight: str | None = None,
    width: int = 640,
    title: str = "",
) -> str:
    """Horizontal bars (label, value) with the value written after each bar and an optional reference line.

    Bars keep the given order. A bar's length is value / max_value of the plot width, clamped to 0..max_value.
    `highlight` names the label whose bar is drawn in the highlight colour (and its label in bold).
    """
    title = title or _("Biểu đồ thanh")
    row_height, bar_height, top, bottom = 22, 14, 8, 8
    if reference is not None:
        top = 24
    if not bars:
        return _empty(width, 60, title, "bar-chart")
    label_width = round(width * 0.34)
    value_width = 56
    plot_left = label_width + 8
    plot_width = max(40, width - plot_left - value_width)
    height = top + row_height * len(bars) + bottom
    max_value = max_value if max_value > 0 else Decimal(1)
    desc = "; ".join(f"{label}: {_fmt(value)}" for label, value in bars)
    if reference is not None:
        desc += f"; {reference_label or _('Tham chiếu')}: {_fmt(reference)}"
    parts = _open(width, height, title, desc, "bar-chart")
    parts.append(
        f'<line x1="{plot_left}" y1="{top - 2}" x2="{plot_left}" y2="{height - bottom + 2}" stroke="{AXIS_COLOR}"/>'
    )
    values = ['<g class="values">']
    for index, (label, value) in enumerate(bars):
        y = top + index * row_height
        length = _ratio(value, Decimal(0), max_value) * plot_width
        is_highlight = highlight is not None and label == highlight
        color = HIGHLIGHT_COLOR if is_highlight else BAR_COLOR
        weight = ' font-weight="bold"' if is_highlight else ""
        parts.append(f'<g class="bar-row{" highlight" if is_highlight else ""}">')
        parts.append(f"<title>{_e(label)}: {_e(_fmt(value))}</title>")
        parts.append(
            f'<text x="{label_width}" y="{_f(y + bar_height - 2)}" text-anchor="end"{weight}>'
            f"{_e(_fit(label, label_width))}</text>"
        )
        parts.append(
            f'<rect class="bar" x="{plot_left}" y="{_f(y + 1)}" width="{_f(length)}" height="{bar_height}" '
            f'fill="{color}" data-label="{_e(label)}" data-value="{_e(value)}"/>'
        )
        parts.append("</g>")
        # Values go on top of the reference line, on a white backing that keeps them readable.
        value_text = _fmt(value)
        values.append(
            f'<rect class="value-bg" x="{_f(plot_left + length + 2)}" y="{_f(y)}" '
            f'width="{_f(len(value_text) * CHAR_WIDTH + 4)}" height="{bar_height + 2}" fill="#ffffff" '
            'fill-opacity="0.85"/>'
        )
        values.append(
            f'<text class="value" x="{_f(plot_left + length + 4)}" y="{_f(y + bar_height - 2)}"{weight}>'
            f"{_e(value_text)}</text>"
        )
    values.append("</g>")
    if reference is not None:
        x = plot_left + _ratio(reference, Decimal(0), max_value) * plot_width
        text = f"{reference_label}: {_fmt(reference)}" if reference_label else _fmt(reference)
        anchor = "end" if x > plot_left + plot_width / 2 else "start"
        parts.append(
            f'<line class="reference" x1="{_f(x)}" y1="{top - 6}" x2="{_f(x)}" y2="{height - bottom + 2}" '
            f'stroke="{REFERENCE_COLOR}" stroke-width="1.5" stroke-dasharray="5 3" data-value="{_e(reference)}"/>'
        )
        parts.append(
            f'<text class="reference-label" x="{_f(x + (-4 if anchor == "end" else 4))}" y="{top - 10}" '
            f'text-anchor="{anchor}" fill="{REFERENCE_COLOR}">{_e(text)}</text>'
        )
    parts.extend(values)
    parts.append("</svg>")
    return "\n".join(parts)


UP_COLOR = "#2e7d32"
DOWN_COLOR = "#c0392b"


def _signed(value: Decimal) -> str:
    """A change as printed: "+1,23", "-0,50" or "0,00" (judged on the value as printed)."""
    text = format_vn(value)
    return "+" + text if text != format_vn(Decimal(0)) and not text.startswith("-") else text


def change_chart(
    bars: Sequence[tuple[str, Decimal | None]],
    *,
    width: int = 640,
    title: str = "",
) -> str:
    """Horizontal bars diverging from zero (a change: right up, left down), the signed value beside each bar.

    The scale is symmetric, set by the largest change in either direction. None (no previous year) draws no
    bar and prints "–".
    """
    title = title or _("Biểu đồ thay đổi")
    if not bars:
        return _empty(width, 60, title, "change-chart")
    row_height, bar_height, top, bottom = 22, 14, 8, 8
    label_width = round(width * 0.34)
    value_width = 52
    plot_left = label_width + 8 + value_width
    plot_width = max(40, width - plot_left - value_width)
    zero = plot_left + plot_width / 2
    largest = max((abs(v) for _label, v in bars if v is not None), default=Decimal(0))
    largest = largest if largest > 0 else Decimal(1)
    height = top + row_height * len(bars) + bottom
    desc = "; ".join(f"{label}: {_signed(v) if v is not None else '–'}" for label, v in bars)
    parts = _open(width, height, title, desc, "change-chart")
    parts.append(
        f'<line x1="{_f(zero)}" y1="{top - 2}" x2="{_f(zero)}" y2="{height - bottom + 2}" stroke="{AXIS_COLOR}"/>'
    )
    for index, (label, value) in enumerate(bars):
        y = top + index * row_height
        text_y = _f(y + bar_height - 2)
        parts.append('<g class="bar-row">')
        parts.append(f"<title>{_e(label)}: {_e(_signed(value) if value is not None else '–')}</title>")
        parts.append(
            f'<text x="{label_width}" y="{text_y}" text-anchor="end">{_e(_fit(label, label_width))}</text>'
        )
        if value is None:
            parts.append(f'<text class="value" x="{_f(zero + 4)}" y="{text_y}">–</text>')
        else:
            length = _ratio(abs(value), Decimal(0), largest) * plot_width / 2
            x = zero if value >= 0 else zero - length
            color = UP_COLOR if value >= 0 else DOWN_COLOR
            parts.append(
                f'<rect class="bar" x="{_f(x)}" y="{_f(y + 1)}" width="{_f(length)}" height="{bar_height}" '
                f'fill="{color}" data-label="{_e(label)}" data-value="{_e(value)}"/>'
            )
            if value >= 0:
                parts.append(
                    f'<text class="value" x="{_f(zero + length + 4)}" y="{text_y}">{_e(_signed(value))}</text>'
                )
            else:
                parts.append(
                    f'<text class="value" x="{_f(zero - length - 4)}" y="{text_y}" text-anchor="end">'
                    f"{_e(_signed(value))}</text>"
                )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def column_chart(
    columns: Sequence[tuple[str, int | Decimal]],
    *,
    width: int = 480,
    height: int = 240,
    title: str = "",
) -> str:
    """Vertical columns (label, value) from zero up to the largest value, value above each column."""
    title = title or _("Biểu đồ cột")
    if not columns:
        return _empty(width, height, title, "column-chart")
    top, bottom, left, right = 22, 36, 12, 12
    plot_height = max(20, height - top - bottom)
    plot_width = width - left - right
    slot = plot_width / len(columns)
    column_width = max(4.0, min(60.0, slot * 0.6))
    largest = max((Decimal(value) for _label, value in columns), default=Decimal(0))
    largest = largest if largest > 0 else Decimal(1)
    base = top + plot_height
    desc = "; ".join(f"{label}: {_fmt(value)}" for label, value in columns)
    parts = _open(width, height, title, desc, "column-chart")
    parts.append(
        f'<line x1="{left}" y1="{_f(base)}" x2="{width - right}" y2="{_f(base)}" stroke="{AXIS_COLOR}"/>'
    )
    for index, (label, value) in enumerate(columns):
        centre = left + slot * index + slot / 2
        column_height = _ratio(value, Decimal(0), largest) * plot_height
        parts.append('<g class="column">')
        parts.append(f"<title>{_e(label)}: {_e(_fmt(value))}</title>")
        parts.append(
            f'<rect class="bar" x="{_f(centre - column_width / 2)}" y="{_f(base - column_height)}" '
            f'width="{_f(column_width)}" height="{_f(column_height)}" fill="{BAR_COLOR}" '
            f'data-label="{_e(label)}" data-value="{_e(value)}"/>'
        )
        parts.append(
            f'<text class="value" x="{_f(centre)}" y="{_f(base - column_height - 5)}" text-anchor="middle">'
            f"{_e(_fmt(value))}</text>"
        )
        parts.append(
            f'<text x="{_f(centre)}" y="{_f(base + 16)}" text-anchor="middle">{_e(_fit(label, slot - 4))}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


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
        return _empty(width, size, title, "radar-chart")
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
        f"{name}: " + ", ".join(f"{axis} {_fmt(v)}" for axis, v in zip(axes, values, strict=False))
        for name, values in series
    )
    parts = _open(width, height, title, desc, "radar-chart")
    parts.append('<g class="grid">')
    for step in (1, 2, 3, 4):
        ring = " ".join(f"{_f(x)},{_f(y)}" for x, y in (point(i, step / 4) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID_COLOR}"/>')
        lx, ly = point(0, step / 4)
        parts.append(
            f'<text x="{_f(lx + 3)}" y="{_f(ly + 10)}" font-size="9" fill="{AXIS_COLOR}">'
            f"{_e(_fmt_tick(max_value * step / 4))}</text>"
        )
    for i in range(n):
        x, y = point(i, 1)
        parts.append(f'<line x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(x)}" y2="{_f(y)}" stroke="{GRID_COLOR}"/>')
    parts.append("</g>")
    for index, (name, values) in enumerate(series):
        color, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        values = list(values)[:n] + [None] * max(0, n - len(values))
        points = [point(i, _ratio(v, Decimal(0), max_value)) for i, v in enumerate(values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" data-series="{_e(name)}">')
        parts.append(
            f'<polygon points="{" ".join(f"{_f(x)},{_f(y)}" for x, y in points)}" fill="{color}" '
            f'fill-opacity="0.12" stroke="{color}" stroke-width="2"{dash_attr}/>'
        )
        for (x, y), value, axis in zip(points, values, axes, strict=True):
            if value is not None:
                attrs = f'class="point" data-axis="{_e(axis)}" data-value="{_e(value)}"'
                parts.append(_marker(shape, x, y, color, attrs))
        parts.append("</g>")
    for i, axis in enumerate(axes):
        x, y = point(i, 1)
        dx = x - cx
        anchor = "middle" if abs(dx) < radius * 0.2 else ("start" if dx > 0 else "end")
        ox = 0 if anchor == "middle" else (6 if anchor == "start" else -6)
        oy = -22 if y < cy - radius * 0.8 else (14 if y > cy + radius * 0.8 else -4)
        values_text = " / ".join(
            _fmt(list(values)[i] if i < len(values) else None) for _name, values in series
        )
        parts.append(f'<g class="axis-label"><title>{_e(axis)}: {_e(values_text)}</title>')
        parts.append(
            f'<text x="{_f(x + ox)}" y="{_f(y + oy)}" text-anchor="{anchor}" font-weight="bold">'
            f"{_e(_fit(axis, margin_x + 20))}</text>"
        )
        parts.append(
            f'<text class="value" x="{_f(x + ox)}" y="{_f(y + oy + 13)}" text-anchor="{anchor}" font-size="10">'
            f"{_e(values_text)}</text></g>"
        )
    legend, _legend_height = _legend([name for name, _values in series], 12, legend_top, width - 24)
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
        return _empty(width, height, title, "line-chart")
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
        ratio = _ratio(value, low, high)
        return top + (ratio if invert_y else 1 - ratio) * plot_height

    desc = "; ".join(
        f"{name}: " + ", ".join(f"{x} {_fmt(v)}" for x, v in zip(x_labels, values, strict=False))
        for name, values in series
    )
    parts = _open(width, height, title, desc, "line-chart")
    parts.append('<g class="grid">')
    if integers:
        tick_step = max(1, math.ceil((high - low) / 4))
        ticks = [low + tick_step * i for i in range(5) if low + tick_step * i <= high]
    else:
        ticks = [low + (high - low) * i / 4 for i in range(5)]
    for value in ticks:
        y = y_at(value)
        label = _fmt(int(value)) if integers else _fmt(value)
        parts.append(
            f'<line x1="{left}" y1="{_f(y)}" x2="{_f(left + plot_width)}" y2="{_f(y)}" stroke="{GRID_COLOR}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{_f(y + 4)}" text-anchor="end" font-size="10" fill="{AXIS_COLOR}">'
            f"{_e(label)}</text>"
        )
    for index, label in enumerate(x_labels):
        parts.append(
            f'<text x="{_f(x_at(index))}" y="{_f(top + plot_height + 16)}" text-anchor="middle">'
            f"{_e(_fit(label, max(step, 30)))}</text>"
        )
    parts.append("</g>")
    for index, (name, values) in enumerate(series):
        color, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" data-series="{_e(name)}">')
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
            segment.append(f"{_f(x)},{_f(y)}")
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
            attrs = f'class="point" data-x="{_e(x_label)}" data-value="{_e(value)}"'
            parts.append(_marker(shape, x, y, color, attrs))
            parts.append(
                f'<text class="value" x="{_f(x)}" y="{_f(y - 8)}" text-anchor="middle" font-size="10">'
                f"{_e(_fmt(value))}</text>"
            )
        parts.append("</g>")
    legend, _height = _legend(
        [name for name, _values in series], left, height - legend_height + 6, plot_width
    )
    parts.extend(legend)
    parts.append("</svg>")
    return "\n".join(parts)


# Heat map stops for a component index (%): light tints, so that dark text stays readable on every cell.
HEAT_STOPS = (
    (Decimal(0), (0xF4, 0xB6, 0xB0)),
    (Decimal(50), (0xF8, 0xCB, 0xAD)),
    (Decimal(70), (0xFF, 0xEB, 0x9C)),
    (Decimal(85), (0xD9, 0xEE, 0xC0)),
    (Decimal(100), (0xB7, 0xE1, 0xB0)),
)
HEAT_NONE = "#eef0f2"


def heat_color(value: Decimal | None) -> str:
    """CSS colour (#rrggbb) of a component index 0..100: light red (low) → yellow → light green (high).

    None (no data) is light grey. Values outside 0..100 take the end colours. The value is always written in
    the cell as well; the colour only helps the eye.
    """
    if value is None:
        return HEAT_NONE
    value = min(max(Decimal(value), HEAT_STOPS[0][0]), HEAT_STOPS[-1][0])
    for (low, low_rgb), (high, high_rgb) in zip(HEAT_STOPS, HEAT_STOPS[1:], strict=False):
        if value <= high:
            ratio = (value - low) / (high - low)
            rgb = (round(a + (b - a) * float(ratio)) for a, b in zip(low_rgb, high_rgb, strict=True))
            return "#" + "".join(f"{c:02x}" for c in rgb)
    return "#" + "".join(f"{c:02x}" for c in HEAT_STOPS[-1][1])  # pragma: no cover - the loop always returns
