"""Server-side SVG charts, the shared parts: colours, escaping, numbers, labels, the <svg> element, legend.

The charts themselves are in bar_charts.py (bars, changes, columns) and series_charts.py (radar, lines):
plain values in, an SVG string out; no queries, no JavaScript.

The same strings go into the browser dashboards (`{{ svg|safe }}`) and into the PDF reports (WeasyPrint runs
no JavaScript). Every text is escaped here, so callers never escape. Each chart:

- has a `viewBox` (it scales to its container) plus `width`/`height` (WeasyPrint's natural size);
- is an image for assistive technology: `role="img"`, `aria-label`, `<title>` and a `<desc>` listing the data;
- is readable without colour: values are written next to bars, columns and points, series also differ by
  line dash and marker shape;
- uses fonts that have Vietnamese glyphs ("Noto Sans", "DejaVu Sans").

Values are printed Vietnamese style ("87,42") through `scoring.calc.format_number`. Geometry is pixels (floats);
the values themselves stay `Decimal` until they become a pixel position.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from scoring.formatting import format_number

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


def esc(text: object) -> str:
    """Escape text for element content and double-quoted attributes."""
    return escape(str(text), {'"': "&quot;"})


def px(value: float) -> str:
    """A pixel coordinate: one decimal, no trailing ".0"."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def fmt_value(value: Number | None) -> str:
    """A value as printed: integers as they are, Decimals with 2 places Vietnamese style."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return format_number(Decimal(value), 0)
    return format_number(value)


def fmt_tick(value: Decimal) -> str:
    """A scale tick: no decimals when it is a whole number (25, 50, 75, 100)."""
    return format_number(value, 0) if value == value.to_integral_value() else format_number(value)


def fit_label(label: str, width: float, font_size: float = FONT_SIZE) -> str:
    """Cut a label to roughly `width` pixels, with an ellipsis (the full label stays in the <title>)."""
    max_chars = max(3, int(width / (CHAR_WIDTH * font_size / FONT_SIZE)))
    if len(label) <= max_chars:
        return label
    return label[: max_chars - 1].rstrip() + "…"


LINE_HEIGHT = 13  # px between the lines of a wrapped label


def wrap_label(label: str, width: float, font_size: float = FONT_SIZE) -> tuple[str, ...]:
    """Split a label into lines of roughly `width` pixels at spaces; never cut ("Sở Lao động, Thương binh và Xã hội").

    A single word longer than the width stays whole on its own line: a full name beats a neat margin.
    """
    max_chars = max(3, int(width / (CHAR_WIDTH * font_size / FONT_SIZE)))
    lines: list[str] = []
    current = ""
    for word in label.split():
        candidate = f"{current} {word}" if current else word
        if current and len(candidate) > max_chars:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    if len(lines) == 2:
        # Two lines split near the middle read better than a full line and one word ("Xã" / "hội").
        words = label.split()
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        fitting = [pair for pair in splits if max(len(pair[0]), len(pair[1])) <= max_chars] or splits
        # After a comma first ("Sở Lao động," / "Thương binh và Xã hội"), then the most even split.
        lines = list(min(fitting, key=lambda pair: (not pair[0].endswith(","), max(map(len, pair)))))
    return tuple(lines)


def label_text(lines: Sequence[str], x: float, y: float, attrs: str = "") -> str:
    """A <text> of one or more lines, the first baseline at y (the lines of a wrapped label, as <tspan>s)."""
    if len(lines) == 1:
        return f'<text x="{px(x)}" y="{px(y)}"{attrs}>{esc(lines[0])}</text>'
    spans = "".join(
        f'<tspan x="{px(x)}" dy="{0 if index == 0 else LINE_HEIGHT}">{esc(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text x="{px(x)}" y="{px(y)}"{attrs}>{spans}</text>'


def svg_open(width: float, height: float, title: str, desc: str, css_class: str) -> list[str]:
    """Return the opening <svg> element with its <title> and <desc>, as the first parts of a chart."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg {css_class}" '
        f'viewBox="0 0 {px(width)} {px(height)}" width="{px(width)}" height="{px(height)}" '
        f'role="img" aria-label="{esc(title)}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" '
        f'fill="{TEXT_COLOR}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{esc(title)}</title>",
        f"<desc>{esc(desc)}</desc>",
    ]


def svg_empty(width: float, height: float, title: str, css_class: str) -> str:
    """Return a whole chart that says there is no data."""
    message = _("Không có dữ liệu")
    parts = svg_open(width, height, title, message, css_class)
    parts.append(
        f'<text x="{px(width / 2)}" y="{px(height / 2)}" text-anchor="middle" fill="{AXIS_COLOR}">{esc(message)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def fraction(value: Number | None, low: Decimal, high: Decimal) -> float:
    """Position of value between low and high as 0..1 (clamped); None → 0."""
    if value is None or high <= low:
        return 0.0
    ratio = (Decimal(value) - low) / (high - low)
    return float(min(max(ratio, Decimal(0)), Decimal(1)))


def draw_marker(shape: str, x: float, y: float, color: str, attrs: str) -> str:
    """Return a point marker (circle, square, diamond or triangle) centred on x, y."""
    r = 3.5
    if shape == "square":
        return f'<rect x="{px(x - r)}" y="{px(y - r)}" width="{px(2 * r)}" height="{px(2 * r)}" fill="{color}" {attrs}/>'
    if shape == "diamond":
        points = (
            f"{px(x)},{px(y - r - 1)} {px(x + r + 1)},{px(y)} {px(x)},{px(y + r + 1)} {px(x - r - 1)},{px(y)}"
        )
        return f'<polygon points="{points}" fill="{color}" {attrs}/>'
    if shape == "triangle":
        points = f"{px(x)},{px(y - r - 1)} {px(x + r + 1)},{px(y + r)} {px(x - r - 1)},{px(y + r)}"
        return f'<polygon points="{points}" fill="{color}" {attrs}/>'
    return f'<circle cx="{px(x)}" cy="{px(y)}" r="{px(r)}" fill="{color}" {attrs}/>'


def draw_legend(series_names: Sequence[str], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend entries (line sample with the series' dash and marker, then the name); returns parts and height."""
    parts = ['<g class="legend">']
    cx, cy = x, y
    for index, name in enumerate(series_names):
        color, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        text = fit_label(name, width - 40)
        entry_width = 34 + len(text) * CHAR_WIDTH + 16
        if cx > x and cx + entry_width > x + width:
            cx, cy = x, cy + 18
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{px(cx)}" y1="{px(cy)}" x2="{px(cx + 26)}" y2="{px(cy)}" stroke="{color}" stroke-width="2"{dash_attr}/>'
        )
        parts.append(draw_marker(shape, cx + 13, cy, color, ""))
        parts.append(f'<text x="{px(cx + 32)}" y="{px(cy + 4)}">{esc(text)}</text>')
        cx += entry_width
    parts.append("</g>")
    return parts, cy - y + 18


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
