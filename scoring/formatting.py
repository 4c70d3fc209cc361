"""Numbers as the province prints them: the one place that turns a figure into display text.

Decimal comma, thousands dot ("1.234,50"), a non-breaking space before the percent sign ("85,11 %",
Vietnamese typography, the way the official reports set it), a real minus sign in signed changes
("−0,04"). Pages, reports, spreadsheets' text cells and charts all go through these functions, so the
same figure never appears two ways on one screen (a static test keeps other modules from formatting
decimals themselves).

Pure: no Django, no database. Rounding is half up (``calc.quantize_score``), as the reports round.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from scoring.calc import printed_change, quantize_score  # noqa: F401  (printed_change: one import for callers)

NBSP = "\u00a0"
MINUS = "\u2212"
PERCENT_SUFFIX = NBSP + "%"
_SWAP = str.maketrans({",": ".", ".": ","})


def format_number(value: Decimal | int | None, places: int = 2) -> str:
    """Return value rounded half up to `places` decimals, Vietnamese style ("1.234,50"); "" for None."""
    if value is None:
        return ""
    rounded = quantize_score(Decimal(value), places)
    # -0.001 rounds to -0.00: a page must not print "-0,00".
    sign = "-" if rounded < 0 else ""
    # Decimal formats exactly (no float); swap the separators afterwards.
    return sign + f"{abs(rounded):,.{places}f}".translate(_SWAP)


def format_points(value: Decimal | int | None) -> str:
    """Return points without trailing zeros ("13,5", "0,25", "100"): how criteria sets print maxima."""
    if value is None:
        return ""
    number = Decimal(value)
    text = format(abs(number), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if number < 0 and text.strip("0,.") else ""
    return sign + text.translate(_SWAP)


def format_input(value: Decimal | int | None) -> str:
    """Return a number as a person types it in a form box: decimal comma, no trailing zeros, no grouping ("1234,5").

    Form boxes read "0.75" and "0,75" alike, so a thousands dot there would be read as a decimal point.
    """
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", ",")


def format_percent(value: Decimal | int | None, places: int = 2) -> str:
    """Return a percentage "85,11 %" (non-breaking space before the sign); "—" for None."""
    if value is None:
        return "—"
    return format_number(value, places) + PERCENT_SUFFIX


def format_count(value: int | None) -> str:
    """Return a whole count with a thousands dot ("1.200"); "" for None."""
    if value is None:
        return ""
    return format_number(Decimal(value), 0)


def printed(value: Decimal | None, places: int = 2) -> Decimal | None:
    """Return the value as printed (rounded half up): what two figures are compared on."""
    return None if value is None else quantize_score(Decimal(value), places)


def format_change(value: Decimal | None, places: int = 2) -> str:
    """Return a signed change "+0,04", "−0,04" (true minus sign) or "0,00"; "" for None."""
    if value is None:
        return ""
    rounded = quantize_score(Decimal(value), places)
    body = format_number(abs(rounded), places)
    if rounded > 0:
        return "+" + body
    if rounded < 0:
        return MINUS + body
    return body


def parse_number(text: str) -> Decimal:
    """Return the Decimal a Vietnamese-formatted text stands for ("1.234,50", "85,11 %", "−0,04").

    Raises ValueError for anything else. Dots are thousands separators, the comma the decimal mark.
    """
    cleaned = text.strip().removesuffix("%").strip(" " + NBSP).replace(MINUS, "-")
    sign = ""
    if cleaned[:1] in "+-" and cleaned:
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    whole, _comma, fraction = cleaned.partition(",")
    groups = whole.split(".")
    if not whole or any(not g.isdigit() for g in groups):
        raise ValueError(text)
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(text)
    if _comma and not fraction.isdigit():
        raise ValueError(text)
    try:
        return Decimal(sign + "".join(groups) + ("." + fraction if _comma else ""))
    except InvalidOperation as exc:  # pragma: no cover - digits only by now
        raise ValueError(text) from exc


def numbered(code: str, name: str) -> str:
    """Return "3. Cải cách thủ tục hành chính" for a numbered field, the name alone for a named one.

    Province components such as "sipas" carry a word for a code: "sipas. Chỉ số hài lòng…" reads as a slip.
    """
    code, name = str(code or ""), str(name or "")
    if not code or not code[0].isdigit() or not name:
        return name or code
    return f"{code}. {name}"
