"""Bounds on an imported spreadsheet, checked before and while it is read; no database.

A 1.4 MB .xlsx can hold a sheet of 315 MB of XML (a million rows): read whole, it grew a web worker
to 5.9 GB. So every import first looks at the .xlsx's zip directory (number of members, their total
uncompressed size, their compression ratio) without inflating anything, then counts rows and columns
while it streams the sheet and stops at the first one over the limit. The limits are settings.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from scoring.formatting import format_number

MB = 1024 * 1024
# Members smaller than this are not judged by their ratio: a tiny XML part of repeated tags compresses
# 100 times over in any honest file, and cannot hurt.
RATIO_MIN_MEMBER_BYTES = MB

Row = TypeVar("Row", bound=Sequence[object])


class SpreadsheetTooLarge(Exception):
    """The file is over one of the import limits; str(exc) says which, in Vietnamese. Nothing was read."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_rows: int
    max_columns: int
    max_cells: int
    max_uncompressed_bytes: int
    max_members: int
    max_ratio: int


def import_limits(*, ballots: bool = False) -> Limits:
    """Return the limits of an import; ballot files are allowed to be much longer than the others."""
    return Limits(
        max_rows=settings.BALLOT_IMPORT_MAX_ROWS if ballots else settings.IMPORT_MAX_ROWS,
        max_columns=settings.BALLOT_IMPORT_MAX_COLUMNS if ballots else settings.IMPORT_MAX_COLUMNS,
        max_cells=settings.BALLOT_IMPORT_MAX_CELLS if ballots else settings.IMPORT_MAX_CELLS,
        max_uncompressed_bytes=(
            settings.BALLOT_IMPORT_MAX_UNCOMPRESSED_MB if ballots else settings.IMPORT_MAX_UNCOMPRESSED_MB
        )
        * MB,
        max_members=settings.IMPORT_MAX_ZIP_MEMBERS,
        max_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
    )


def check_xlsx(content: bytes, limits: Limits) -> None:
    """Raise SpreadsheetTooLarge when the .xlsx would inflate beyond the limits; reads only the zip directory.

    The sizes in the directory can lie, but zipfile never returns more than a member's declared file_size
    (it stops there and fails the CRC check), so their sum bounds what any reader can inflate.
    A file that is not a zip at all passes: the reader then says it is broken, as before.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > limits.max_members:
        message = _(
            "Tệp Excel gồm %(count)s phần nén, quá mức cho phép (%(max)s); hệ thống không đọc tệp này."
        )
        raise SpreadsheetTooLarge(message % {"count": len(members), "max": limits.max_members})
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        message = _(
            "Tệp Excel khi giải nén có %(size)s MB dữ liệu, vượt mức %(max)s MB; hãy chia thành nhiều tệp nhỏ hơn."
        )
        raise SpreadsheetTooLarge(
            message % {"size": _megabytes(total), "max": _megabytes(limits.max_uncompressed_bytes)}
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_MIN_MEMBER_BYTES and ratio > limits.max_ratio:
            message = _(
                "Tệp Excel nén bất thường (phần %(name)s nén %(ratio)s lần, tối đa %(max)s lần); "
                "hệ thống không đọc tệp này."
            )
            raise SpreadsheetTooLarge(
                message % {"name": member.filename, "ratio": int(ratio), "max": limits.max_ratio}
            )


def check_csv(content: bytes, limits: Limits) -> None:
    """Raise SpreadsheetTooLarge when a text file is larger than an .xlsx may inflate to."""
    if len(content) > limits.max_uncompressed_bytes:
        message = _("Tệp CSV có %(size)s MB dữ liệu, vượt mức %(max)s MB; hãy chia thành nhiều tệp nhỏ hơn.")
        raise SpreadsheetTooLarge(
            message % {"size": _megabytes(len(content)), "max": _megabytes(limits.max_uncompressed_bytes)}
        )


def check_content(content: bytes, filename: str, limits: Limits) -> None:
    """Run the check of the file's kind (by its extension) before anything parses it."""
    name = filename.lower()
    if name.endswith(".csv"):
        check_csv(content, limits)
    else:
        check_xlsx(content, limits)


def bounded_rows(rows: Iterator[tuple[int, Row]], limits: Limits) -> Iterator[tuple[int, Row]]:
    """Yield the numbered rows, raising SpreadsheetTooLarge at the first row or cell beyond the limits.

    Stops the reader there, so a million-row sheet costs the time of reading max_rows rows, not a million.
    The cells are counted as the reader made them (empty ones included): that is the work and the memory.
    """
    cells_read = 0
    for number, cells in rows:
        cells_read += len(cells)
        if cells_read > limits.max_cells:
            message = _(
                "Tệp có hơn %(max)s ô dữ liệu (tới dòng %(row)s); mỗi lần nhập tối đa %(max)s ô, hãy chia thành nhiều tệp."
            )
            raise SpreadsheetTooLarge(message % {"max": limits.max_cells, "row": number})
        if number > limits.max_rows:
            message = _(
                "Tệp có hơn %(max)s dòng; mỗi lần nhập tối đa %(max)s dòng, hãy chia thành nhiều tệp."
            )
            raise SpreadsheetTooLarge(message % {"max": limits.max_rows})
        if len(cells) > limits.max_columns and _last_filled(cells) > limits.max_columns:
            message = _("Dòng %(row)s có dữ liệu ở cột thứ %(count)s; mỗi dòng tối đa %(max)s cột.")
            raise SpreadsheetTooLarge(
                message % {"row": number, "count": _last_filled(cells), "max": limits.max_columns}
            )
        yield number, cells


def _last_filled(cells: Sequence[object]) -> int:
    for position in range(len(cells), 0, -1):
        value = cells[position - 1]
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return position
    return 0


def _megabytes(size: int) -> str:
    return format_number(Decimal(size) / MB, 0 if size >= 10 * MB else 1)


_LOAD_LOCK = threading.Lock()


def open_workbook(content: bytes, limits: Limits):
    """Return the .xlsx opened read-only (each sheet streamed when iterated), after check_xlsx.

    Raises SpreadsheetTooLarge, or what openpyxl raises for a broken file. The sheets come without the
    <dimension> they declare, as after reset_dimensions(): a wrong one made openpyxl pad or cut every row.
    """
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    check_xlsx(content, limits)
    # openpyxl opens each read-only sheet by looking for its <dimension>; a sheet without one is parsed to
    # its end for nothing, keeping every (cleared) row element: 85 MB and seconds for a million rows,
    # before the row limit can stop anything. The dimension is not used (see above), so the look-up is
    # skipped. The lock keeps the swap from being seen by another thread's load.
    with _LOAD_LOCK:
        original = ReadOnlyWorksheet._get_size
        ReadOnlyWorksheet._get_size = lambda self: None
        try:
            # data_only: a total computed by a formula is read as its value, not as "=D2+E2".
            return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        finally:
            ReadOnlyWorksheet._get_size = original
