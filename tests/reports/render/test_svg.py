"""The SVG charts of reports/render: well-formed, one mark per value, proportional, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.render.bar_charts import bar_chart, change_chart, column_chart
from reports.render.drawing import heat_color
from reports.render.series_charts import line_chart, radar_chart

NS = {"svg": "http://www.w3.org/2000/svg"}

# Any printable text, including the XML specials; no control characters or surrogates, which XML 1.0 forbids.
labels = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=40,
)
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
ranks = st.integers(min_value=1, max_value=60)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.find("svg:title", NS).text == root.get("aria-label")
    assert "Noto Sans" in root.get("font-family")
    return root


def view_width(root: ET.Element) -> float:
    return float(root.get("viewBox").split()[2])


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]


def points_of(element: ET.Element) -> list[ET.Element]:
    return [e for e in element.iter() if e.get("class") == "point"]


@settings(max_examples=60, deadline=None)
@given(
    bars=st.lists(st.tuples(labels, scores), max_size=35),
    max_value=st.decimals(min_value=1, max_value=200, places=2),
)
def test_bar_chart_one_proportional_bar_per_input_within_the_width(bars, max_value):
    bars = [(label, min(value, max_value)) for label, value in bars]
    # A bar at the maximum gives the full plot width; every other bar is its value's share of it.
    svg = bar_chart([*bars, ("full", max_value)], max_value=max_value, reference=max_value / 2)
    root = parse(svg)
    rects = bars_of(root)
    assert len(rects) == len(bars) + 1
    full = float(rects[-1].get("width"))
    assert full > 0
    for (label, value), rect in zip(bars, rects, strict=False):
        assert rect.get("data-label") == label
        assert Decimal(rect.get("data-value")) == value
        expected = float(value / max_value) * full
        assert abs(float(rect.get("width")) - expected) <= 0.11
        assert 0 <= float(rect.get("x")) + float(rect.get("width")) <= view_width(root)


@settings(max_examples=40, deadline=None)
@given(bars=st.lists(st.tuples(labels, st.decimals(min_value=-50, max_value=500, places=2)), min_size=1))
def test_bar_chart_clamps_values_outside_the_scale(bars):
    root = parse(bar_chart(bars))
    for rect in bars_of(root):
        width = float(rect.get("width"))
        assert width >= 0 and float(rect.get("x")) + width <= view_width(root)


changes = st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(bars=st.lists(st.tuples(labels, st.none() | changes), min_size=1, max_size=30))
def test_change_chart_diverges_from_zero_proportionally(bars):
    root = parse(change_chart(bars))
    zero = float(root.find("svg:line", NS).get("x1"))
    rects = bars_of(root)
    present = [(label, value) for label, value in bars if value is not None]
    assert [(r.get("data-label"), Decimal(r.get("data-value"))) for r in rects] == present
    largest = max((abs(v) for _label, v in present), default=Decimal(0))
    half = max((float(r.get("width")) for r in rects), default=0)
    for rect, (_label, value) in zip(rects, present, strict=True):
        x, width = float(rect.get("x")), float(rect.get("width"))
        assert x >= 0 and x + width <= view_width(root)
        if value > 0:
            assert abs(x - zero) <= 0.11
        elif value < 0:
            assert abs(x + width - zero) <= 0.11
        if largest:
            assert abs(width - float(abs(value) / largest) * half) <= 0.21
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "value"]
    assert len(texts) == len(bars)
    assert all(t == "–" or t[0] in "+\u2212" or t == "0,00" for t in texts)


def test_change_chart_signs_the_values():
    root = parse(
        change_chart([("A", Decimal("1.234")), ("B", Decimal("-0.5")), ("C", Decimal(0)), ("D", None)])
    )
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "value"]
    assert texts == ["+1,23", "\u22120,50", "0,00", "–"]  # a true minus sign, as every signed change


@settings(max_examples=40, deadline=None)
@given(columns=st.lists(st.tuples(labels, st.integers(min_value=0, max_value=500)), min_size=1, max_size=12))
def test_column_chart_one_column_per_input_tallest_for_the_largest(columns):
    root = parse(column_chart(columns))
    rects = bars_of(root)
    assert [r.get("data-label") for r in rects] == [label for label, _value in columns]
    heights = [float(r.get("height")) for r in rects]
    largest = max(value for _label, value in columns)
    for (_label, value), height in zip(columns, heights, strict=True):
        if largest:
            assert abs(height - value / largest * max(heights)) <= 0.11
    assert all(float(r.get("y")) >= 0 and float(r.get("height")) >= 0 for r in rects)


@settings(max_examples=40, deadline=None)
@given(
    data=st.integers(min_value=3, max_value=10).flatmap(
        lambda n: st.tuples(
            st.lists(labels, min_size=n, max_size=n),
            st.lists(
                st.tuples(labels, st.lists(st.none() | scores, min_size=n, max_size=n)),
                min_size=1,
                max_size=3,
            ),
        )
    )
)
def test_radar_chart_one_polygon_per_series_and_a_point_per_value(data):
    axes, series = data
    root = parse(radar_chart(axes, series))
    groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "series"]
    assert [g.get("data-series") for g in groups] == [name for name, _values in series]
    for group, (_name, values) in zip(groups, series, strict=True):
        assert len(group.findall("svg:polygon", NS)) >= 1
        assert [Decimal(p.get("data-value")) for p in points_of(group)] == [
            v for v in values if v is not None
        ]


def runs(values) -> list[int]:
    """Lengths of the runs of consecutive non-None values."""
    lengths, current = [], 0
    for value in values:
        if value is None:
            if current:
                lengths.append(current)
            current = 0
        else:
            current += 1
    if current:
        lengths.append(current)
    return lengths


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.none() | ranks, min_size=1, max_size=12).filter(
        lambda v: any(x is not None for x in v)
    )
)
def test_line_chart_leaves_gaps_for_none(values):
    x_labels = [str(2015 + i) for i in range(len(values))]
    root = parse(line_chart(x_labels, [("Sở A", values)], invert_y=True))
    series = next(g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "series")
    assert [int(p.get("data-value")) for p in points_of(series)] == [v for v in values if v is not None]
    segments = [e for e in series if e.get("class") == "segment"]
    assert len(segments) == len([n for n in runs(values) if n > 1])
    for segment, length in zip(segments, [n for n in runs(values) if n > 1], strict=True):
        assert len(segment.get("points").split()) == length


@settings(max_examples=60, deadline=None)
@given(values=st.lists(ranks, min_size=2, max_size=10).filter(lambda v: len(set(v)) > 1))
def test_line_chart_inverted_puts_the_best_rank_on_top(values):
    x_labels = [f"N{i}" for i in range(len(values))]
    for invert in (True, False):
        root = parse(line_chart(x_labels, [("Hạng", values)], invert_y=invert))
        heights = {int(p.get("data-value")): float(p.get("cy")) for p in points_of(root)}
        top = min(heights, key=heights.get)
        assert top == (min(values) if invert else max(values))


def test_line_chart_rank_one_above_rank_ten_with_a_fixed_range():
    root = parse(
        line_chart(["2019", "2020", "2021"], [("A", [10, None, 1])], invert_y=True, y_min=1, y_max=30)
    )
    cy = {p.get("data-value"): float(p.get("cy")) for p in points_of(root)}
    assert cy["1"] < cy["10"]
    assert not [e for e in root.iter() if e.get("class") == "segment"]  # 10 and 1 are not neighbours


def test_labels_are_escaped_everywhere():
    nasty = 'Sở <b>"A" & B</b>'
    for svg in (
        bar_chart([(nasty, Decimal("87.42"))], reference=Decimal(80), reference_label=nasty, title=nasty),
        column_chart([(nasty, 3)], title=nasty),
        radar_chart([nasty, "LV2", "LV3"], [(nasty, [Decimal(1), Decimal(2), None])], title=nasty),
        line_chart([nasty], [(nasty, [Decimal(5)])], title=nasty),
    ):
        assert "<b>" not in svg
        root = parse(svg)
        assert root.get("aria-label") == nasty
        assert nasty in "".join(root.itertext()) or any(e.get("data-label") == nasty for e in root.iter())


def test_bar_chart_writes_values_vietnamese_style_and_marks_the_reference_and_highlight():
    svg = bar_chart(
        [("Sở Tài chính", Decimal("87.424")), ("Sở Y tế", Decimal("1234.5"))],
        max_value=Decimal(2000),
        reference=Decimal("85.125"),
        reference_label="TB nhóm",
        highlight="Sở Y tế",
    )
    root = parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "87,42" in texts and "1.234,50" in texts
    assert "TB nhóm: 85,13" in texts  # half up, as the reports print it
    reference = next(e for e in root.iter() if e.get("class") == "reference")
    assert float(reference.get("x1")) > float(bars_of(root)[0].get("x"))
    assert [r.get("fill") for r in bars_of(root)][0] != bars_of(root)[1].get("fill")
    assert "Sở Y tế: 1.234,50" in root.find("svg:desc", NS).text


def test_empty_charts_say_there_is_no_data():
    for svg in (bar_chart([]), column_chart([]), radar_chart([], []), line_chart(["2020"], [("A", [None])])):
        assert "Không có dữ liệu" in "".join(parse(svg).itertext())


def test_radar_axis_labels_carry_the_values_in_legend_order():
    svg = radar_chart(
        ["LV1", "LV2", "LV3"],
        [("Sở A", [Decimal("80.5"), None, Decimal(70)]), ("TB nhóm", [Decimal(75)] * 3)],
    )
    texts = [t.text for t in parse(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "80,50 / 75,00" in texts and "– / 75,00" in texts


@given(value=st.none() | st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False))
def test_heat_color_is_a_css_hex_colour(value):
    assert re.fullmatch(r"#[0-9a-f]{6}", heat_color(value))


def test_heat_color_goes_from_red_to_green_and_clamps():
    def rgb(value):
        colour = heat_color(value)
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    low, high = rgb(Decimal(10)), rgb(Decimal(98))
    assert low[0] > low[1] and high[1] > high[0]  # reddish, then greenish
    assert heat_color(Decimal(-5)) == heat_color(Decimal(0))
    assert heat_color(Decimal(150)) == heat_color(Decimal(100))
    assert heat_color(None) not in {heat_color(Decimal(v)) for v in range(0, 101, 5)}


# --- full labels -----------------------------------------------------------------------------------------------


@given(
    st.lists(
        st.text(alphabet="abcdđêơư ,", min_size=1, max_size=80).filter(str.strip), min_size=1, max_size=5
    )
)
def test_wrapped_labels_keep_every_word_in_order(labels):
    from reports.render.drawing import wrap_label

    for label in labels:
        lines = wrap_label(label, 120)
        assert " ".join(lines).split() == label.split()


def test_long_unit_names_are_printed_whole_over_lines():
    name = "Sở Lao động, Thương binh và Xã hội"
    svg = bar_chart([(name, Decimal("80.81")), ("Sở Y tế", Decimal("74.31"))], width=640)
    assert "…" not in svg
    assert "Thương binh" in svg and "hội</tspan>" in svg  # wrapped, not cut
    columns = column_chart([("Hoàn thành xuất sắc nhiệm vụ", 3), ("Tốt", 1)], width=240)
    assert "…" not in columns and "nhiệm vụ" in columns
