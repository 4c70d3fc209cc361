"""Server-side SVG charts with one bar or column per value: scores against a scale, changes, counts.

See drawing.py for what every chart shares (accessibility, fonts, escaping, Vietnamese numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from reports.render.drawing import (
    AXIS_COLOR,
    BAR_COLOR,
    CHAR_WIDTH,
    HIGHLIGHT_COLOR,
    LINE_HEIGHT,
    REFERENCE_COLOR,
    esc,
    fmt_value,
    fraction,
    label_text,
    px,
    svg_empty,
    svg_open,
    wrap_label,
)
from scoring.formatting import format_change


def _row_layout(
    labels: Sequence[str], *, label_width: float, top: float, row_height: float
) -> tuple[list[tuple[tuple[str, ...], float, float]], float]:
    """Return, per row, its label's lines, the row's top and the bar's top offset; and the y below the last row.

    A long label wraps over lines (never cut) and its row grows; the bar sits in the middle of its row.
    """
    rows, y = [], float(top)
    for label in labels:
        lines = wrap_label(label, label_width)
        extra = (len(lines) - 1) * LINE_HEIGHT
        rows.append((lines, y, extra / 2))
        y += row_height + extra
    return rows, y


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
        return svg_empty(width, 60, title, "bar-chart")
    label_width = round(width * 0.34)
    value_width = 56
    plot_left = label_width + 8
    plot_width = max(40, width - plot_left - value_width)
    layout, rows_end = _row_layout(
        [label for label, _v in bars], label_width=label_width, top=top, row_height=row_height
    )
    height = rows_end + bottom
    max_value = max_value if max_value > 0 else Decimal(1)
    desc = "; ".join(f"{label}: {fmt_value(value)}" for label, value in bars)
    if reference is not None:
        desc += f"; {reference_label or _('Tham chiếu')}: {fmt_value(reference)}"
    parts = svg_open(width, height, title, desc, "bar-chart")
    parts.append(
        f'<line x1="{plot_left}" y1="{top - 2}" x2="{plot_left}" y2="{height - bottom + 2}" stroke="{AXIS_COLOR}"/>'
    )
    values = ['<g class="values">']
    for (label, value), (lines, row_top, shift) in zip(bars, layout, strict=True):
        y = row_top + shift
        length = fraction(value, Decimal(0), max_value) * plot_width
        is_highlight = highlight is not None and label == highlight
        color = HIGHLIGHT_COLOR if is_highlight else BAR_COLOR
        weight = ' font-weight="bold"' if is_highlight else ""
        parts.append(f'<g class="bar-row{" highlight" if is_highlight else ""}">')
        parts.append(f"<title>{esc(label)}: {esc(fmt_value(value))}</title>")
        parts.append(label_text(lines, label_width, row_top + bar_height - 2, f' text-anchor="end"{weight}'))
        parts.append(
            f'<rect class="bar" x="{plot_left}" y="{px(y + 1)}" width="{px(length)}" height="{bar_height}" '
            f'fill="{color}" data-label="{esc(label)}" data-value="{esc(value)}"/>'
        )
        parts.append("</g>")
        # Values go on top of the reference line, on a white backing that keeps them readable.
        value_text = fmt_value(value)
        values.append(
            f'<rect class="value-bg" x="{px(plot_left + length + 2)}" y="{px(y)}" '
            f'width="{px(len(value_text) * CHAR_WIDTH + 4)}" height="{bar_height + 2}" fill="#ffffff" '
            'fill-opacity="0.85"/>'
        )
        values.append(
            f'<text class="value" x="{px(plot_left + length + 4)}" y="{px(y + bar_height - 2)}"{weight}>'
            f"{esc(value_text)}</text>"
        )
    values.append("</g>")
    if reference is not None:
        x = plot_left + fraction(reference, Decimal(0), max_value) * plot_width
        text = f"{reference_label}: {fmt_value(reference)}" if reference_label else fmt_value(reference)
        anchor = "end" if x > plot_left + plot_width / 2 else "start"
        parts.append(
            f'<line class="reference" x1="{px(x)}" y1="{top - 6}" x2="{px(x)}" y2="{height - bottom + 2}" '
            f'stroke="{REFERENCE_COLOR}" stroke-width="1.5" stroke-dasharray="5 3" data-value="{esc(reference)}"/>'
        )
        parts.append(
            f'<text class="reference-label" x="{px(x + (-4 if anchor == "end" else 4))}" y="{top - 10}" '
            f'text-anchor="{anchor}" fill="{REFERENCE_COLOR}">{esc(text)}</text>'
        )
    parts.extend(values)
    parts.append("</svg>")
    return "\n".join(parts)


UP_COLOR = "#2e7d32"
DOWN_COLOR = "#c0392b"


def _signed(value: Decimal) -> str:
    """A change as printed: "+1,23", "-0,50" or "0,00" (judged on the value as printed)."""
    return format_change(value)


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
        return svg_empty(width, 60, title, "change-chart")
    row_height, bar_height, top, bottom = 22, 14, 8, 8
    label_width = round(width * 0.34)
    value_width = 52
    plot_left = label_width + 8 + value_width
    plot_width = max(40, width - plot_left - value_width)
    zero = plot_left + plot_width / 2
    largest = max((abs(v) for _label, v in bars if v is not None), default=Decimal(0))
    largest = largest if largest > 0 else Decimal(1)
    layout, rows_end = _row_layout(
        [label for label, _v in bars], label_width=label_width, top=top, row_height=row_height
    )
    height = rows_end + bottom
    desc = "; ".join(f"{label}: {_signed(v) if v is not None else '–'}" for label, v in bars)
    parts = svg_open(width, height, title, desc, "change-chart")
    parts.append(
        f'<line x1="{px(zero)}" y1="{top - 2}" x2="{px(zero)}" y2="{height - bottom + 2}" stroke="{AXIS_COLOR}"/>'
    )
    for (label, value), (lines, row_top, shift) in zip(bars, layout, strict=True):
        y = row_top + shift
        text_y = px(y + bar_height - 2)
        parts.append('<g class="bar-row">')
        parts.append(f"<title>{esc(label)}: {esc(_signed(value) if value is not None else '–')}</title>")
        parts.append(label_text(lines, label_width, row_top + bar_height - 2, ' text-anchor="end"'))
        if value is None:
            parts.append(f'<text class="value" x="{px(zero + 4)}" y="{text_y}">–</text>')
        else:
            length = fraction(abs(value), Decimal(0), largest) * plot_width / 2
            x = zero if value >= 0 else zero - length
            color = UP_COLOR if value >= 0 else DOWN_COLOR
            parts.append(
                f'<rect class="bar" x="{px(x)}" y="{px(y + 1)}" width="{px(length)}" height="{bar_height}" '
                f'fill="{color}" data-label="{esc(label)}" data-value="{esc(value)}"/>'
            )
            if value >= 0:
                parts.append(
                    f'<text class="value" x="{px(zero + length + 4)}" y="{text_y}">{esc(_signed(value))}</text>'
                )
            else:
                parts.append(
                    f'<text class="value" x="{px(zero - length - 4)}" y="{text_y}" text-anchor="end">'
                    f"{esc(_signed(value))}</text>"
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
        return svg_empty(width, height, title, "column-chart")
    top, bottom, left, right = 22, 36, 12, 12
    plot_width = width - left - right
    slot = plot_width / len(columns)
    label_lines = [wrap_label(label, slot - 4) for label, _value in columns]
    # Long labels wrap under their column (never cut): the chart grows by the extra lines.
    extra = (max(len(lines) for lines in label_lines) - 1) * LINE_HEIGHT
    height += extra
    plot_height = max(20, height - top - bottom - extra)
    column_width = max(4.0, min(60.0, slot * 0.6))
    largest = max((Decimal(value) for _label, value in columns), default=Decimal(0))
    largest = largest if largest > 0 else Decimal(1)
    base = top + plot_height
    desc = "; ".join(f"{label}: {fmt_value(value)}" for label, value in columns)
    parts = svg_open(width, height, title, desc, "column-chart")
    parts.append(
        f'<line x1="{left}" y1="{px(base)}" x2="{width - right}" y2="{px(base)}" stroke="{AXIS_COLOR}"/>'
    )
    for index, ((label, value), lines) in enumerate(zip(columns, label_lines, strict=True)):
        centre = left + slot * index + slot / 2
        column_height = fraction(value, Decimal(0), largest) * plot_height
        parts.append('<g class="column">')
        parts.append(f"<title>{esc(label)}: {esc(fmt_value(value))}</title>")
        parts.append(
            f'<rect class="bar" x="{px(centre - column_width / 2)}" y="{px(base - column_height)}" '
            f'width="{px(column_width)}" height="{px(column_height)}" fill="{BAR_COLOR}" '
            f'data-label="{esc(label)}" data-value="{esc(value)}"/>'
        )
        parts.append(
            f'<text class="value" x="{px(centre)}" y="{px(base - column_height - 5)}" text-anchor="middle">'
            f"{esc(fmt_value(value))}</text>"
        )
        parts.append(label_text(lines, centre, base + 16, ' text-anchor="middle"'))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
