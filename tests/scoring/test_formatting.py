"""The one number formatter: examples, properties (round trip, grouping, sign) and a static check that no other
module formats decimals for display."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import formatting
from scoring.calc import printed_change
from scoring.formatting import (
    MINUS,
    format_change,
    format_count,
    format_input,
    format_number,
    format_percent,
    format_points,
    parse_number,
)

D = Decimal
ROOT = Path(__file__).resolve().parents[2]

amounts = st.decimals(
    min_value=D("-1e9"), max_value=D("1e9"), places=2, allow_nan=False, allow_infinity=False
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("87.42"), 2, "87,42"),
        (D("1234.5"), 2, "1.234,50"),
        (D("0.005"), 2, "0,01"),
        (None, 2, ""),
        (D("-1.25"), 2, "-1,25"),
        (D("-0.001"), 2, "0,00"),
        (D("1234567.891"), 2, "1.234.567,89"),
        (D("85.665"), 2, "85,67"),
        (D("1160"), 0, "1.160"),
        (D("98.15"), 1, "98,2"),
    ],
)
def test_format_number(value, places, expected):
    assert format_number(value, places) == expected


def test_percent_one_way_with_a_non_breaking_space():
    assert format_percent(D("85.11")) == "85,11\u00a0%"
    assert format_percent(D("98.7"), 1) == "98,7\u00a0%"
    assert format_percent(None) == "—"


def test_counts_group_thousands():
    assert format_count(1200) == "1.200"
    assert format_count(7) == "7"
    assert format_count(1234567) == "1.234.567"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.04"), "+0,04"),
        (D("-0.04"), MINUS + "0,04"),
        (D("0.004"), "0,00"),
        (D("-0.004"), "0,00"),
        (None, ""),
    ],
)
def test_signed_change(value, expected):
    assert format_change(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("13.50"), "13,5"), (D("0.25"), "0,25"), (D("100.00"), "100"), (D("1500"), "1.500")],
)
def test_points_drop_trailing_zeros(value, expected):
    assert format_points(value) == expected


def test_form_values_are_typed_without_grouping():
    assert format_input(D("1234.50")) == "1234,5"
    assert format_input(D("91.7600")) == "91,76"


def test_a_change_is_taken_on_the_printed_figures():
    # 76,294 and 76,2949 print alike: no change, even though the raw values differ.
    assert printed_change(D("76.294"), D("76.2949")) == 0
    # 76,2949 → 76,2951 prints 76,29 → 76,30: the printed change is 0,01, not 0,0002.
    assert printed_change(D("76.2949"), D("76.2951")) == D("0.01")
    assert printed_change(None, D("1")) is None


@given(amounts)
def test_round_trip_parse_format(value):
    assert parse_number(format_number(value)) == value
    assert parse_number(format_percent(value)) == value
    assert parse_number(format_change(value)) == value


@given(amounts)
def test_thousands_grouping(value):
    whole = format_number(value).lstrip("-").split(",")[0]
    groups = whole.split(".")
    assert 1 <= len(groups[0]) <= 3
    assert all(len(g) == 3 for g in groups[1:])
    assert len("".join(groups)) == len(str(abs(int(value))))


@given(amounts)
def test_sign(value):
    text = format_change(value)
    assert text.startswith("+") == (value > 0)
    assert text.startswith(MINUS) == (value < 0)
    assert "-" not in text


@given(amounts, amounts)
def test_no_phantom_change(before, after):
    change = printed_change(before, after)
    # An arrow (a non-zero change) shows exactly when the two printed figures differ.
    assert (change != 0) == (format_number(before) != format_number(after))


@pytest.mark.parametrize("text", ["", "1,2,3", "12.34", "1.23,4", "abc", "1.2345,6", "+", "1,"])
def test_parse_refuses_what_is_not_a_vietnamese_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


# --- one formatter: nobody else turns a number into display text --------------------------------------------------

# Each pattern is a way of formatting a decimal for display that belongs in scoring/formatting.py only.
PY_PATTERNS = [
    r'replace\("\.", ?","\)',  # a home-made decimal comma
    r"maketrans",  # a home-made separator swap
    r"\{[^}]*:,[.0-9]",  # f-string thousands grouping
    r"s%%",  # a percent sign glued to a number in a message
]
TEMPLATE_PATTERNS = [r"floatformat", r"intcomma", r"\}\} ?%", r"\|vn \}\} ?%"]
JS_PATTERNS = [r"toFixed\(", r"toLocaleString\(", r"Intl\.NumberFormat"]


def _offences(paths, patterns):
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    return found


def test_no_other_module_formats_decimals_for_display():
    python = [
        p
        for app in ("scoring", "reports", "surveys", "appraisal", "parindex")
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts and p != Path(formatting.__file__).resolve()
    ]
    templates = list((ROOT / "templates").rglob("*.html"))
    scripts = list((ROOT / "static" / "js").glob("*.js"))
    offences = (
        _offences(python, PY_PATTERNS)
        + _offences(templates, TEMPLATE_PATTERNS)
        + _offences(scripts, JS_PATTERNS)
    )
    assert offences == []


@pytest.mark.parametrize(
    ("patterns", "sample"),
    [
        (PY_PATTERNS, 'label = f"{value:,.2f}"'),
        (PY_PATTERNS, 'text = str(value).replace(".", ",")'),
        (PY_PATTERNS, '_("chỉ số %(index)s%%")'),
        (TEMPLATE_PATTERNS, "{{ row.index|vn }}%"),
        (TEMPLATE_PATTERNS, '{{ x|floatformat:"2" }}'),
        (JS_PATTERNS, "v.toFixed(2)"),
    ],
)
def test_the_static_check_catches_a_home_made_formatter(patterns, sample):
    assert any(re.search(p, sample) for p in patterns)


def test_template_filters_print_one_way():
    from django.template import Context, Template

    text = Template(
        "{% load vn_format %}{{ a|vn }}|{{ b|pct }}|{{ c|count }}|{{ d|change }}|{{ e|points }}|{{ none|pct }}"
    ).render(
        Context({"a": D("87.4184"), "b": "85.111", "c": 1200, "d": D("-0.04"), "e": D("13.50"), "none": None})
    )
    assert text == "87,42|85,11\u00a0%|1.200|\u22120,04|13,5|—"


def test_every_library_gives_the_same_filters():
    from django.template import Context, Template

    for library in ("vn_format", "rankings_tags", "assessment_tags"):
        text = Template(f"{{% load {library} %}}{{{{ x|vn }}}} {{{{ x|pct }}}} {{{{ n|count }}}}").render(
            Context({"x": D("98.7"), "n": 1160})
        )
        assert text == "98,70 98,70\u00a0% 1.160", library
