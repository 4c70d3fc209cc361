"""Reading published results of earlier years from a spreadsheet: parse and validate, no database.

`parse_published_results` turns the bytes of an .xlsx or .csv file into validated rows, or raises
`PublishedResultsImportError` with every problem found, each naming the row and column as the user
sees them in Excel. What needs the database (units, groups, classification bands) is checked by
`reports.published.services.published_results_import`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import calc
from scoring.formatting import format_input, format_number, format_percent
from scoring.spreadsheets.headers import canonical_header
from scoring.spreadsheets.io import Cell, RowError, Table, TableReadError, is_blank, read_table
from scoring.spreadsheets.write import csv_writer

from .data import FieldRow, PublishedResultsImportError, PublishedRow

YEAR_MIN, YEAR_MAX = 2000, 2100
FIELD_CODES = tuple(str(n) for n in range(1, 9))
REQUIRED_COLUMNS = ("year", "group", "unit_name", "appraisal_points", "survey_points", "max_points")
# Columns of the published table that are not stored but are checked against what is (or ignored).
CHECK_COLUMNS = ("total_points", "index_pct", "classification", "published_order")
FIELD_COLUMNS = tuple(f"field_{code}_{part}" for code in FIELD_CODES for part in ("points", "max"))
KNOWN_COLUMNS = frozenset((*REQUIRED_COLUMNS, "unit_code", *CHECK_COLUMNS, *FIELD_COLUMNS))
# The sample's Vietnamese headers; the English names (earlier samples) still read.
TITLES = {
    "Năm": "year",
    "Nhóm": "group",
    "Mã đơn vị": "unit_code",
    "Tên đơn vị": "unit_name",
    "Điểm thẩm định": "appraisal_points",
    "Điểm điều tra XHH": "survey_points",
    "Thang điểm": "max_points",
    "Tổng điểm": "total_points",
    "Chỉ số (%)": "index_pct",
    "Xếp loại": "classification",
    "Thứ tự công bố": "published_order",
}

# Published figures are computed from unrounded points; recomputed from the rounded ones they may
# differ by up to 0.01 (domain.md §4), so that much is not an error.
TOLERANCE = Decimal("0.01")
# A published total is the rounded sum of unrounded points, each of which was rounded on its own:
# up to 0.005 from each of the two points and 0.005 from the total.
TOTAL_TOLERANCE = Decimal("0.015")


def index_tolerance(max_points: Decimal) -> Decimal:
    """Return how far a published index may lie from one recomputed from rounded points."""
    # The two rounded points may each be off by 0.005 (0.01 on the total, scaled to the index),
    # and the published index itself by 0.005; anything beyond that is a typing error.
    return Decimal("0.005") + Decimal("0.01") * calc.HUNDRED / max_points + Decimal("0.0001")


# The model stores 4 decimal places in 10 digits: more would be rounded silently on save, and a
# re-import of the same file would then look like a change.
MAX_PLACES = 4
MAX_VALUE = Decimal("999999")
NAME_LENGTHS = {"group": 200, "unit_name": 255}
UNIT_CODE_LENGTH = 80
UNIT_CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
NUMBER_RE = re.compile(r"^-?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")

# Shown on the upload page: (column, required, meaning).
COLUMN_HELP: tuple[tuple[str, bool, str], ...] = (
    ("year", True, gettext_lazy("Năm đánh giá, ví dụ 2020 (có thể bỏ cột này và chọn năm khi nhập).")),
    (
        "group",
        True,
        gettext_lazy("Nhóm đơn vị được xếp hạng trong năm đó (mã hoặc tên); chưa có thì tạo mới."),
    ),
    ("unit_name", True, gettext_lazy("Tên đơn vị; chưa có thì tạo mới.")),
    (
        "unit_code",
        False,
        gettext_lazy("Mã đơn vị (chữ không dấu, số, dấu -), để phân biệt đơn vị trùng tên."),
    ),
    ("appraisal_points", True, gettext_lazy("Điểm thẩm định.")),
    ("survey_points", True, gettext_lazy("Điểm điều tra xã hội học.")),
    ("max_points", True, gettext_lazy("Thang điểm của đơn vị (ví dụ 100, 98, 78,5).")),
    ("total_points", False, gettext_lazy("Tổng điểm đã công bố: được đối chiếu, lệch quá 0,015 là lỗi.")),
    (
        "index_pct",
        False,
        gettext_lazy(
            "Chỉ số (%) đã công bố: được lưu và dùng để xếp loại, xếp hạng; lệch với chỉ số tính lại quá mức làm tròn là lỗi."
        ),
    ),
    (
        "classification",
        False,
        gettext_lazy("Xếp loại đã công bố: được đối chiếu với các mức xếp loại của năm."),
    ),
    ("published_order", False, gettext_lazy("Thứ tự trong bảng công bố: được bỏ qua.")),
    (
        "field_N_points, field_N_max",
        False,
        gettext_lazy("Điểm và điểm tối đa của lĩnh vực N (N = 1..8); điền cả hai hoặc bỏ trống cả hai."),
    ),
)


def normalize_name(value: str) -> str:
    """Return the name with runs of whitespace collapsed, for display and storage."""
    return " ".join(value.split())


def name_key(value: str) -> str:
    """Return the key two names are matched on: whitespace-normalised and case-folded."""
    return normalize_name(value).casefold()


# --- validating --------------------------------------------------------------------------------


def _columns(table: Table, *, has_default_year: bool) -> tuple[dict[str, int], list[RowError]]:
    """Return the position of each known column, or the header's errors."""
    line = table.header_line
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for position, raw in enumerate(table.header):
        name = canonical_header(raw, TITLES)
        if not name:
            # Excel often exports trailing empty columns; only an unnamed column with data is wrong.
            if any(position < len(cells) and not is_blank([cells[position]]) for _n, cells in table.rows):
                errors.append(
                    RowError(
                        line, "", _("cột thứ %(n)s có dữ liệu nhưng không có tên.") % {"n": position + 1}
                    )
                )
        elif name in positions:
            errors.append(RowError(line, name, _("tên cột bị lặp lại.")))
        elif name not in KNOWN_COLUMNS:
            unknown.append(name)
        else:
            positions[name] = position
    for name in unknown:
        errors.append(
            RowError(
                line, name, _("cột không có trong mẫu (xem danh sách cột được chấp nhận trên trang nhập).")
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in positions and not (c == "year" and has_default_year)]
    if missing:
        message = _("thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)}
        if "year" in missing:
            message += " " + _("Có thể thêm cột year hoặc chỉ rõ năm khi nhập.")
        errors.append(RowError(line, ", ".join(missing), message))
    for code in FIELD_CODES:
        points, maximum = f"field_{code}_points", f"field_{code}_max"
        if (points in positions) != (maximum in positions):
            present, absent = (points, maximum) if points in positions else (maximum, points)
            errors.append(
                RowError(
                    line,
                    present,
                    _("có cột %(present)s nhưng thiếu cột %(absent)s.")
                    % {"present": present, "absent": absent},
                )
            )
    return positions, errors


class _RowReader:
    """Read the cells of one row by column name, collecting errors instead of stopping at the first."""

    def __init__(self, line: int, cells: Sequence[Cell], positions: dict[str, int]) -> None:
        self.line = line
        self.cells = cells
        self.positions = positions
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def raw(self, column: str) -> Cell:
        position = self.positions.get(column)
        if position is None or position >= len(self.cells):
            return ""
        cell = self.cells[position]
        return cell.strip() if isinstance(cell, str) else cell

    def present(self, column: str) -> bool:
        return self.raw(column) != ""

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.raw(column)
        text = normalize_name(format(value, "f") if isinstance(value, Decimal) else value)
        if required and not text:
            self.error(column, _("ô bắt buộc đang trống."))
        limit = NAME_LENGTHS.get(column)
        if limit and len(text) > limit:
            self.error(column, _("dài quá %(limit)s ký tự.") % {"limit": limit})
        return text

    def number(self, column: str, *, required: bool = True, percent: bool = False) -> Decimal | None:
        """Return the cell as a Decimal ≥ 0, or None when it is empty or wrong (and then record why)."""
        value = self.raw(column)
        if value == "":
            if required:
                self.error(column, _("ô bắt buộc đang trống."))
            return None
        number = value if isinstance(value, Decimal) else parse_number(value, percent=percent)
        if number is None:
            self.error(column, _("«%(value)s» không phải là số.") % {"value": value})
            return None
        shown = plain_number(number) if isinstance(value, Decimal) else value
        if number < 0:
            self.error(column, _("«%(value)s» là số âm; điểm không được âm.") % {"value": shown})
            return None
        if number > MAX_VALUE:
            self.error(column, _("«%(value)s» quá lớn.") % {"value": shown})
            return None
        if -number.as_tuple().exponent > MAX_PLACES and number != number.quantize(
            Decimal(1).scaleb(-MAX_PLACES)
        ):
            self.error(
                column,
                _("«%(value)s» có quá %(places)s chữ số thập phân.") % {"value": shown, "places": MAX_PLACES},
            )
            return None
        return number

    def year(self, default_year: int | None) -> int | None:
        if "year" not in self.positions:
            return default_year
        value = self.raw("year")
        if value == "":
            self.error("year", _("ô bắt buộc đang trống."))
            return None
        number = value if isinstance(value, Decimal) else parse_number(value, percent=False)
        if number is None or number != number.to_integral_value():
            self.error("year", _("«%(value)s» không phải là năm (số nguyên).") % {"value": value})
            return None
        year = int(number)
        if not YEAR_MIN <= year <= YEAR_MAX:
            self.error(
                "year",
                _("năm %(year)s không nằm trong khoảng %(min)s–%(max)s.")
                % {"year": year, "min": YEAR_MIN, "max": YEAR_MAX},
            )
            return None
        if default_year is not None and year != default_year:
            self.error(
                "year",
                _("năm %(year)s khác năm đã chọn khi nhập (%(chosen)s).")
                % {"year": year, "chosen": default_year},
            )
            return None
        return year


def parse_number(text: str, *, percent: bool) -> Decimal | None:
    text = text.replace("\u00a0", "").replace(" ", "")
    if percent and text.endswith("%"):
        text = text[:-1]
    if not NUMBER_RE.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None


def plain_number(number: Decimal) -> str:
    """Return a number as a user wrote it in Excel ("85,67"), for messages."""
    return format_input(number)


def _fields(reader: _RowReader, max_points: Decimal | None) -> tuple[FieldRow, ...]:
    fields: list[FieldRow] = []
    for code in FIELD_CODES:
        points_col, max_col = f"field_{code}_points", f"field_{code}_max"
        if not reader.present(points_col) and not reader.present(max_col):
            continue
        if not reader.present(max_col):
            reader.error(max_col, _("lĩnh vực %(code)s có điểm nhưng thiếu điểm tối đa.") % {"code": code})
            continue
        if not reader.present(points_col):
            reader.error(points_col, _("lĩnh vực %(code)s có điểm tối đa nhưng thiếu điểm.") % {"code": code})
            continue
        points, maximum = reader.number(points_col), reader.number(max_col)
        if points is None or maximum is None:
            continue
        if points > maximum:
            reader.error(
                points_col,
                _("điểm lĩnh vực %(code)s (%(points)s) vượt điểm tối đa %(max)s.")
                % {"code": code, "points": format_number(points), "max": format_number(maximum)},
            )
            continue
        fields.append(FieldRow(code=code, points=points, max_points=maximum))
    if len(fields) == len(FIELD_CODES) and max_points is not None:
        field_max = sum((f.max_points for f in fields), Decimal(0))
        if abs(field_max - max_points) > TOLERANCE:
            reader.error(
                "field_1_max … field_8_max",
                _("tổng điểm tối đa của 8 lĩnh vực (%(sum)s) khác thang điểm %(max)s.")
                % {"sum": format_number(field_max), "max": format_number(max_points)},
            )
    return tuple(fields)


def _row(reader: _RowReader, default_year: int | None) -> PublishedRow | None:
    year = reader.year(default_year)
    group = reader.text("group", required=True)
    unit_name = reader.text("unit_name", required=True)
    unit_code = reader.text("unit_code")
    if unit_code and (len(unit_code) > UNIT_CODE_LENGTH or not UNIT_CODE_RE.match(unit_code)):
        reader.error(
            "unit_code",
            _("«%(value)s» không phải mã hợp lệ (chỉ chữ không dấu, chữ số, dấu - và _, tối đa %(n)s ký tự).")
            % {"value": unit_code, "n": UNIT_CODE_LENGTH},
        )
    appraisal = reader.number("appraisal_points")
    survey = reader.number("survey_points")
    maximum = reader.number("max_points")
    if maximum is not None and maximum == 0:
        reader.error("max_points", _("thang điểm phải lớn hơn 0."))
        maximum = None
    fields = _fields(reader, maximum)
    total_published = reader.number("total_points", required=False)
    index_published = reader.number("index_pct", required=False, percent=True)
    classification = reader.text("classification")

    if appraisal is None or survey is None or maximum is None:
        return None
    total = appraisal + survey
    values = {"total": format_number(total), "max": format_number(maximum)}
    if total > maximum:
        reader.error(
            "appraisal_points, survey_points",
            _("tổng điểm %(total)s (thẩm định + điều tra) vượt thang điểm %(max)s.") % values,
        )
    if total_published is not None and abs(total_published - total) > TOTAL_TOLERANCE:
        reader.error(
            "total_points",
            _("tổng điểm đã công bố %(published)s khác điểm thẩm định + điểm điều tra = %(total)s.")
            % {**values, "published": format_number(total_published)},
        )
    if reader.errors or year is None:
        return None
    row = PublishedRow(
        line=reader.line,
        year=year,
        group=group,
        unit_name=unit_name,
        unit_code=unit_code,
        appraisal_points=appraisal,
        survey_points=survey,
        max_points=maximum,
        fields=fields,
        classification=classification,
        published_index=index_published,
    )
    recomputed = row.totals.computed_index
    if index_published is not None and abs(index_published - recomputed) > index_tolerance(maximum):
        reader.error(
            "index_pct",
            _(
                "chỉ số đã công bố %(published)s khác chỉ số tính lại %(index)s (tổng %(total)s / thang điểm %(max)s × 100), lệch quá mức làm tròn %(tolerance)s."
            )
            % {
                **values,
                "published": format_percent(index_published),
                "index": format_percent(recomputed),
                "tolerance": format_number(index_tolerance(maximum), 3),
            },
        )
        return None
    return row


def _unit_key(row: PublishedRow) -> tuple[int, str, str]:
    return (row.year, "code", row.unit_code) if row.unit_code else (row.year, "name", name_key(row.unit_name))


def parse_published_results(
    *, content: bytes, filename: str, default_year: int | None = None
) -> list[PublishedRow]:
    """Return the file's rows validated, or raise PublishedResultsImportError listing every problem.

    default_year is the year of every row when the file has no `year` column.
    """
    try:
        table = read_table(content=content, filename=filename)
    except TableReadError as exc:
        raise PublishedResultsImportError([RowError(None, "", str(exc))]) from exc
    positions, errors = _columns(table, has_default_year=default_year is not None)
    if errors:
        raise PublishedResultsImportError(errors)
    if not table.rows:
        raise PublishedResultsImportError([RowError(None, "", _("Tệp không có dòng dữ liệu nào."))])
    rows: list[PublishedRow] = []
    first_line: dict[tuple[int, str, str], int] = {}
    for line, cells in table.rows:
        reader = _RowReader(line, cells, positions)
        row = _row(reader, default_year)
        errors.extend(reader.errors)
        if row is None:
            continue
        key = _unit_key(row)
        if key in first_line:
            column = "unit_code" if row.unit_code else "unit_name"
            errors.append(
                RowError(
                    line,
                    column,
                    _("đơn vị «%(unit)s» năm %(year)s đã có ở dòng %(first)s.")
                    % {"unit": row.unit_code or row.unit_name, "year": row.year, "first": first_line[key]},
                )
            )
            continue
        first_line[key] = line
        rows.append(row)
    if errors:
        raise PublishedResultsImportError(errors)
    return rows


def sample_csv() -> str:
    """Return a small example file in the accepted format (2020 departments of Lai Châu)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    by_name = {name: title for title, name in TITLES.items()}
    writer.writerow(
        by_name[c]
        for c in (
            "year",
            "group",
            "unit_code",
            "unit_name",
            "appraisal_points",
            "survey_points",
            "max_points",
            "total_points",
            "index_pct",
            "classification",
        )
    )
    writer.writerows(
        [
            [
                2020,
                "Sở, ban, ngành",
                "so-noi-vu",
                "Sở Nội vụ",
                "62.30",
                "23.37",
                "98",
                "85.67",
                "87.42",
                "Tốt",
            ],
            [
                2020,
                "Sở, ban, ngành",
                "so-tai-chinh",
                "Sở Tài chính",
                "54.52",
                "20.88",
                "98",
                "75.40",
                "76.94",
                "Khá",
            ],
            [
                2020,
                "Sở, ban, ngành",
                "so-ngoai-vu",
                "Sở Ngoại vụ",
                "52.36",
                "15.57",
                "78.50",
                "67.93",
                "86.53",
                "Tốt",
            ],
        ]
    )
    return out.getvalue()
