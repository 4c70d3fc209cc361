"""Hostile spreadsheets built in memory for the import-limit tests: a zip bomb and a million-row sheet.

Both are written as a stream straight into the zip (never held uncompressed), so building them costs
seconds and little memory; the files themselves are small (about 0.3 MB and 5 MB).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from typing import IO
from xml.sax.saxutils import escape

MB = 1024 * 1024

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def row_xml(number: int, values: Sequence[object]) -> bytes:
    """Return one <row> of inline strings (numbers as numbers)."""
    cells = []
    for index, value in enumerate(values):
        ref = f"{_column(index)}{number}"
        if isinstance(value, int):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'.encode()


def xlsx(write_rows: Callable[[IO[bytes]], None], *, sheet_name: str = "Sheet1", level: int = 9) -> bytes:
    """Return a minimal .xlsx whose one sheet's <sheetData> is what write_rows writes, streamed and deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet_name)).encode())
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD)
            write_rows(sheet)
            sheet.write(_SHEET_TAIL)
    return buffer.getvalue()


def zip_bomb(*, megabytes: int = 300, header: Sequence[str] = ("ma", "ten")) -> bytes:
    """Return an .xlsx of a few hundred kB whose sheet XML inflates to `megabytes` MB (whitespace after row 1)."""

    def write(sheet: IO[bytes]) -> None:
        sheet.write(row_xml(1, header))
        block = b" " * MB
        for _ in range(megabytes):
            sheet.write(block)

    return xlsx(write)


def many_rows(*, rows: int = 1_000_000, header: Sequence[str] = ("ma", "ten", "gia_tri")) -> bytes:
    """Return an .xlsx of a header and `rows` - 1 one-cell data rows, generated row by row into the zip.

    A million rows make 33 MB of sheet XML: under the uncompressed-size limit, so it is the row limit,
    while streaming, that has to stop the reader.
    """

    def write(sheet: IO[bytes]) -> None:
        sheet.write(row_xml(1, header))
        batch: list[bytes] = []
        for number in range(2, rows + 1):
            batch.append(b'<row r="%d"><c><v>%d</v></c></row>' % (number, number))
            if len(batch) == 10_000:
                sheet.write(b"".join(batch))
                batch.clear()
        sheet.write(b"".join(batch))

    return xlsx(write, level=6)
