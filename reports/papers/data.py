"""What a signed paper prints around its content (Nghị định 30/2020/NĐ-CP layout), as plain frozen values.

The header block: the issuing body (its parent above it), the number line, the national motto, place and date;
the closing block: "Nơi nhận" on the left, the signer's title, a space for the signature and the name on the right.
Pure: built from plain values, so the PDF, the .docx and the page print the same lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

# The blank a writer fills by hand: "Số:      /BC-SNV".
NUMBER_BLANK = "\u00a0" * 6
_PLACE = re.compile(r"\b(?:tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


def place_from_body_name(name: str) -> str:
    """Return the place for the date line: "Lai Châu" from "UBND tỉnh Lai Châu", else the name itself."""
    match = _PLACE.search(name.strip())
    return match.group(1).strip() if match else name.strip()


def abbreviation(name: str) -> str:
    """Return the short name used in document numbers: "SNV" for "Sở Nội vụ", "UBND" kept as it is."""
    letters = []
    # "Sở Nội vụ tỉnh Lai Châu" is numbered SNV: the place is not part of the short name.
    name = re.split(r"\s+(?:tỉnh|thành phố)\s+", name, maxsplit=1, flags=re.IGNORECASE)[0]
    for word in name.replace(",", " ").split():
        if word.isupper() and len(word) > 1:
            letters.append(word)  # an acronym already ("UBND")
            continue
        first = word[0].replace("đ", "d").replace("Đ", "D")
        letters.append(unicodedata.normalize("NFD", first)[0].upper())
    return "".join(c for c in "".join(letters) if c.isascii() and c.isalnum())


def lines(text: str) -> tuple[str, ...]:
    """Return the non-empty lines of a multi-line text, stripped."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def place_date_text(place: str, day: date) -> str:
    return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)d") % {
        "place": place,
        "day": day.day,
        "month": day.month,
        "year": day.year,
    }


@dataclass(frozen=True, slots=True)
class Particulars:
    """The lines around a paper's content; empty values print as blanks to fill in by hand."""

    issuer_parent: str  # "UBND tỉnh Lai Châu" (may be empty)
    issuer: str  # "Sở Nội vụ"
    number: str  # "123/BC-SNV", or "" (a blank line with the kind and the issuer's short name)
    kind_code: str  # "BC" (báo cáo), "TB" (thông báo)
    place: str
    issued_on: date
    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]
    signer_name: str

    @property
    def number_line(self) -> str:
        if self.number:
            return _("Số: %(number)s") % {"number": self.number}
        return _("Số: %(blank)s/%(kind)s-%(issuer)s") % {
            "blank": NUMBER_BLANK,
            "kind": self.kind_code,
            "issuer": abbreviation(self.issuer),
        }

    @property
    def place_date(self) -> str:
        return place_date_text(self.place, self.issued_on)

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        """The recipients as printed: each on its own line after a dash."""
        return tuple(r if r.startswith(("-", "–")) else f"- {r}" for r in self.recipients)


def particulars_build(
    *,
    issuer_parent: str,
    issuer: str,
    today: date,
    kind_code: str = "BC",
    number: str = "",
    place: str = "",
    issued_on: date | None = None,
    recipients: str = "",
    signer_title: str = "",
    signer_name: str = "",
    default_recipients: tuple[str, ...] = (),
) -> Particulars:
    """Return the particulars with sensible defaults for what was left empty."""
    return Particulars(
        issuer_parent=issuer_parent.strip(),
        issuer=issuer.strip() or issuer_parent.strip(),
        number=number.strip(),
        kind_code=kind_code,
        place=place.strip() or place_from_body_name(issuer_parent or issuer),
        issued_on=issued_on or today,
        recipients=lines(recipients) or default_recipients or (_("Lưu: VT."),),
        signer_title=lines(signer_title) or ((issuer or issuer_parent).strip().upper(),),
        signer_name=signer_name.strip(),
    )
