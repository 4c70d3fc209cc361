"""Column headers as people type them: the Vietnamese titles of a template and the English names both read.

A template is written with Vietnamese headers ("Năm", "Điểm thẩm định"); files made from the earlier English
templates ("year", "appraisal_points") must still import. Each reader passes its own {Vietnamese title: name}.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping


def header_text(raw: object) -> str:
    """Return a header cell compared: no BOM, NFC, lower case, inner whitespace collapsed."""
    text = unicodedata.normalize("NFC", str(raw or "").replace("\ufeff", ""))
    return " ".join(text.lower().split())


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def canonical_header(raw: object, titles: Mapping[str, str]) -> str:
    """Return the column name a header stands for: a template title (typed with or without accents) maps to
    its name; anything else is returned as compared (header_text), so English names pass through."""
    text = header_text(raw)
    for title, name in titles.items():
        key = header_text(title)
        if text == key or _unaccented(text) == _unaccented(key):
            return name
    return text
