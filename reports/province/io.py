"""Reading the province's national PAR INDEX results from a spreadsheet: parse and validate, no database.

Two tables, both with a header row (comment lines starting with # before it are skipped):

* the results table, one row per year (the first sheet of an .xlsx, or a .csv file): the columns of
  `RESULT_COLUMNS` must all be in the header, though their cells may be blank (a year whose points the
  Ministry did not publish), `OPTIONAL_RESULT_COLUMNS` may be;
* the per-field table, optional, one row per year and field (the sheet named `linh_vuc` of the same
  .xlsx, or a second .csv file): `FIELD_COLUMNS`, field codes 1–8 and `sipas`.

`parse_national_results` returns validated rows or raises `NationalResultsImportError` listing every problem,
each with the row and column the user sees in Excel. What needs the database or the totals chosen on the form
(rank within the number of provinces, results of years already stored) is checked by
`reports.province.services.national_results_import`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.published.io import index_tolerance, normalize_name, parse_number, plain_number
from scoring import calc
from scoring.formatting import format_number, format_percent
from scoring.spreadsheets.headers import canonical_header
from scoring.spreadsheets.io import Cell, RowError, Table, TableReadError, read_table, read_tables
from scoring.spreadsheets.write import append_row, csv_writer

from .data import FieldRow, NationalImport, NationalResultsImportError, ResultRow

YEAR_MIN, YEAR_MAX = 2000, 2100
FIELDS_SHEET = "linh_vuc"
SIPAS = "sipas"
FIELD_CODES = (*(str(n) for n in range(1, 9)), SIPAS)
# The provinces' merger took effect in 2025: from the 2025 index on, 34 provinces are ranked.
PROVINCES_BEFORE_2025, PROVINCES_FROM_2025 = 63, 34

RESULT_COLUMNS = ("year", "appraisal_points", "survey_points", "index", "national_rank", "region_rank")
OPTIONAL_RESULT_COLUMNS = ("national_total", "region_total", "region_name", "sipas_index", "sipas_rank")
FIELD_COLUMNS = ("year", "field_code", "points", "max_points", "index", "rank")
OPTIONAL_FIELD_COLUMNS = ("field_name",)
# The templates' Vietnamese headers; the English names (earlier templates) still read.
TITLES = {
    "Năm": "year",
    "Điểm thẩm định": "appraisal_points",
    "Điểm điều tra XHH": "survey_points",
    "Chỉ số (%)": "index",
    "Xếp hạng cả nước": "national_rank",
    "Xếp hạng trong vùng": "region_rank",
    "Số tỉnh cả nước": "national_total",
    "Số tỉnh trong vùng": "region_total",
    "Tên vùng": "region_name",
    "Chỉ số SIPAS (%)": "sipas_index",
    "Xếp hạng SIPAS": "sipas_rank",
    "Mã lĩnh vực": "field_code",
    "Tên lĩnh vực": "field_name",
    "Điểm": "points",
    "Điểm tối đa": "max_points",
    "Xếp hạng": "rank",
}
_TITLE_OF = {name: title for title, name in TITLES.items()}


def _titles(columns: Iterable[str]) -> list[str]:
    return [_TITLE_OF.get(c, c) for c in columns]


MAX_PLACES = 4  # the model keeps 4 decimal places; more would be rounded silently on save
MAX_RANK = 999
TEXT_LENGTHS = {"region_name": 200, "field_name": 300}

# The names used when the file gives none (Bộ Chỉ số CCHC cấp tỉnh, seeds/000 §1).
DEFAULT_FIELD_NAMES = {
    "1": gettext_lazy("Công tác chỉ đạo điều hành về cải cách hành chính"),
    "2": gettext_lazy("Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh"),
    "3": gettext_lazy("Cải cách thủ tục hành chính"),
    "4": gettext_lazy("Cải cách tổ chức bộ máy hành chính"),
    "5": gettext_lazy("Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức"),
    "6": gettext_lazy("Cải cách tài chính công"),
    "7": gettext_lazy("Hiện đại hóa hành chính"),
    "8": gettext_lazy("Tác động của CCHC đến phát triển kinh tế - xã hội của tỉnh"),
    SIPAS: gettext_lazy("Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)"),
}

# Shown on the upload page and in the template: (column, required in the header, meaning).
RESULT_COLUMN_HELP: tuple[tuple[str, bool, str], ...] = (
    ("year", True, gettext_lazy("Năm đánh giá, ví dụ 2020 (bắt buộc có giá trị).")),
    ("appraisal_points", True, gettext_lazy("Điểm Bộ Nội vụ thẩm định; để trống nếu không công bố.")),
    ("survey_points", True, gettext_lazy("Điểm điều tra xã hội học; để trống nếu không công bố.")),
    ("index", True, gettext_lazy("Chỉ số CCHC (%) của tỉnh, từ 0 đến 100 (bắt buộc có giá trị).")),
    ("national_rank", True, gettext_lazy("Xếp hạng trong cả nước; để trống nếu chưa có.")),
    ("region_rank", True, gettext_lazy("Xếp hạng trong vùng; để trống nếu chưa có.")),
    (
        "national_total",
        False,
        gettext_lazy(
            "Số tỉnh, thành phố được xếp hạng; trống thì lấy số đã chọn khi nhập (63 trước 2025, 34 từ 2025)."
        ),
    ),
    ("region_total", False, gettext_lazy("Số tỉnh trong vùng; trống thì lấy số đã chọn khi nhập.")),
    ("region_name", False, gettext_lazy("Tên vùng, ví dụ Miền núi phía Tây Bắc.")),
    ("sipas_index", False, gettext_lazy("Chỉ số SIPAS (%).")),
    ("sipas_rank", False, gettext_lazy("Xếp hạng SIPAS trong cả nước.")),
)
FIELD_COLUMN_HELP: tuple[tuple[str, bool, str], ...] = (
    ("year", True, gettext_lazy("Năm đánh giá; phải có trong bảng kết quả hoặc đã nhập trước đó.")),
    ("field_code", True, gettext_lazy("Mã lĩnh vực: 1 đến 8, hoặc sipas.")),
    ("field_name", False, gettext_lazy("Tên lĩnh vực; trống thì dùng tên chuẩn.")),
    ("points", True, gettext_lazy("Điểm đạt được của lĩnh vực; có thể để trống.")),
    ("max_points", True, gettext_lazy("Điểm tối đa của lĩnh vực; có thể để trống.")),
    (
        "index",
        True,
        gettext_lazy("Chỉ số thành phần (%); trống thì tính bằng điểm / điểm tối đa × 100 khi có đủ hai số."),
    ),
    ("rank", True, gettext_lazy("Xếp hạng của lĩnh vực trong cả nước; có thể để trống.")),
)


def default_field_name(code: str) -> str:
    """Return the standard name of a field code; "total" is the whole index."""
    if code == "total":
        return _("Chỉ số CCHC của tỉnh (tổng cộng)")
    return str(DEFAULT_FIELD_NAMES.get(code, code))


def default_national_total(year: int) -> int:
    """Return how many provinces were ranked in a year when nobody says otherwise."""
    return PROVINCES_BEFORE_2025 if year < 2025 else PROVINCES_FROM_2025


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    """Read one row's cells by column name, collecting errors instead of stopping at the first."""

    def __init__(self, line: int, cells: Sequence[Cell], positions: dict[str, int], label: str) -> None:
        self.line = line
        self.cells = cells
        self.positions = positions
        self.label = label  # appended to column names of the per-field table
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column + self.label, message))

    def raw(self, column: str) -> Cell:
        position = self.positions.get(column)
        if position is None or position >= len(self.cells):
            return ""
        cell = self.cells[position]
        return cell.strip() if isinstance(cell, str) else cell

    def text(self, column: str) -> str:
        value = self.raw(column)
        text = normalize_name(format(value, "f") if isinstance(value, Decimal) else value)
        limit = TEXT_LENGTHS.get(column)
        if limit and len(text) > limit:
            self.error(column, _("dài quá %(limit)s ký tự.") % {"limit": limit})
        return text

    def number(
        self, column: str, *, required: bool = False, maximum: Decimal = calc.HUNDRED, percent: bool = False
    ) -> Decimal | None:
        """Return the cell as a Decimal in 0..maximum, or None when blank or wrong (and then record why)."""
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
            self.error(column, _("«%(value)s» là số âm.") % {"value": shown})
            return None
        if number > maximum:
            self.error(
                column,
                _("«%(value)s» lớn hơn %(max)s.") % {"value": shown, "max": format_number(maximum)},
            )
            return None
        if number != number.quantize(Decimal(1).scaleb(-MAX_PLACES)):
            self.error(
                column,
                _("«%(value)s» có quá %(places)s chữ số thập phân.") % {"value": shown, "places": MAX_PLACES},
            )
            return None
        return number

    def integer(
        self, column: str, *, required: bool = False, minimum: int = 1, maximum: int = MAX_RANK
    ) -> int | None:
        value = self.raw(column)
        if value == "":
            if required:
                self.error(column, _("ô bắt buộc đang trống."))
            return None
        number = value if isinstance(value, Decimal) else parse_number(value, percent=False)
        if number is None or number != number.to_integral_value():
            self.error(column, _("«%(value)s» không phải là số nguyên.") % {"value": value})
            return None
        if not minimum <= number <= maximum:
            self.error(
                column,
                _("%(value)s không nằm trong khoảng %(min)s–%(max)s.")
                % {"value": int(number), "min": minimum, "max": maximum},
            )
            return None
        return int(number)

    def year(self) -> int | None:
        return self.integer("year", required=True, minimum=YEAR_MIN, maximum=YEAR_MAX)


def _columns(
    table: Table, *, required: Sequence[str], optional: Sequence[str], label: str
) -> tuple[dict[str, int], list[RowError]]:
    """Return the position of each known column, or the header's errors."""
    known = (*required, *optional)
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for position, raw in enumerate(table.header):
        name = canonical_header(raw, TITLES)
        if not name:
            if any(position < len(cells) and str(cells[position]).strip() for _n, cells in table.rows):
                errors.append(
                    RowError(
                        table.header_line,
                        "",
                        _("cột thứ %(n)s có dữ liệu nhưng không có tên.") % {"n": position + 1} + label,
                    )
                )
        elif name in positions:
            errors.append(RowError(table.header_line, name + label, _("tên cột bị lặp lại.")))
        elif name not in known:
            errors.append(
                RowError(
                    table.header_line,
                    name + label,
                    _("cột không có trong mẫu (các cột được chấp nhận: %(columns)s).")
                    % {"columns": ", ".join(known)},
                )
            )
        else:
            positions[name] = position
    missing = [c for c in required if c not in positions]
    if missing:
        errors.append(
            RowError(
                table.header_line,
                ", ".join(missing) + label,
                _("thiếu cột bắt buộc: %(columns)s (ô có thể để trống, nhưng cột phải có).")
                % {"columns": ", ".join(missing)},
            )
        )
    return positions, errors


def _result_row(reader: _Reader) -> ResultRow | None:
    year = reader.year()
    appraisal = reader.number("appraisal_points")
    survey = reader.number("survey_points")
    index = reader.number("index", required=True, percent=True)
    national_rank = reader.integer("national_rank")
    region_rank = reader.integer("region_rank")
    national_total = reader.integer("national_total")
    region_total = reader.integer("region_total")
    region_name = reader.text("region_name")
    sipas_index = reader.number("sipas_index", percent=True)
    sipas_rank = reader.integer("sipas_rank")
    if appraisal is not None and survey is not None and appraisal + survey > calc.HUNDRED:
        reader.error(
            "appraisal_points, survey_points",
            _("tổng điểm thẩm định và điều tra (%(total)s) vượt 100.")
            % {"total": format_number(appraisal + survey)},
        )
    if reader.errors or year is None or index is None:
        return None
    return ResultRow(
        line=reader.line,
        year=year,
        appraisal_points=appraisal,
        survey_points=survey,
        index=index,
        national_rank=national_rank,
        region_rank=region_rank,
        national_total=national_total,
        region_total=region_total,
        region_name=region_name,
        sipas_index=sipas_index,
        sipas_rank=sipas_rank,
        given=frozenset(c for c in OPTIONAL_RESULT_COLUMNS if c in reader.positions),
    )


def _field_row(reader: _Reader) -> FieldRow | None:
    year = reader.year()
    code = reader.text("field_code").lower()
    if not code:
        reader.error("field_code", _("ô bắt buộc đang trống."))
    elif code.endswith(".0") and code[:-2] in FIELD_CODES:  # Excel stores 1 as 1.0 in a text column
        code = code[:-2]
    if code and code not in FIELD_CODES:
        reader.error(
            "field_code",
            _("«%(value)s» không phải mã lĩnh vực (1 đến 8 hoặc sipas).") % {"value": code},
        )
    name = reader.text("field_name")
    points = reader.number("points")
    maximum = reader.number("max_points")
    index = reader.number("index", percent=True)
    rank = reader.integer("rank")
    if maximum is not None and maximum == 0:
        reader.error("max_points", _("điểm tối đa phải lớn hơn 0."))
        maximum = None
    if points is not None and maximum is not None:
        if points > maximum:
            reader.error(
                "points",
                _("điểm %(points)s vượt điểm tối đa %(max)s.")
                % {"points": format_number(points), "max": format_number(maximum)},
            )
        else:
            computed = points * calc.HUNDRED / maximum
            if index is None:
                index = computed.quantize(Decimal(1).scaleb(-MAX_PLACES))
            elif abs(index - computed) > index_tolerance(maximum):
                reader.error(
                    "index",
                    _("chỉ số %(index)s khác điểm / điểm tối đa × 100 = %(computed)s, lệch quá mức làm tròn.")
                    % {"index": format_percent(index), "computed": format_percent(computed)},
                )
    if reader.errors or year is None:
        return None
    return FieldRow(
        line=reader.line,
        year=year,
        field_code=code,
        name=name or str(DEFAULT_FIELD_NAMES[code]),
        points=points,
        max_points=maximum,
        index=index,
        rank=rank,
    )


def _results(table: Table) -> tuple[list[ResultRow], list[RowError]]:
    positions, errors = _columns(table, required=RESULT_COLUMNS, optional=OPTIONAL_RESULT_COLUMNS, label="")
    if errors:
        return [], errors
    rows: list[ResultRow] = []
    first_line: dict[int, int] = {}
    for line, cells in table.rows:
        reader = _Reader(line, cells, positions, "")
        row = _result_row(reader)
        errors.extend(reader.errors)
        if row is None:
            continue
        if row.year in first_line:
            errors.append(
                RowError(
                    line,
                    "year",
                    _("năm %(year)s đã có ở dòng %(first)s.")
                    % {"year": row.year, "first": first_line[row.year]},
                )
            )
            continue
        first_line[row.year] = line
        rows.append(row)
    return rows, errors


def _fields(table: Table, label: str) -> tuple[list[FieldRow], list[RowError]]:
    positions, errors = _columns(table, required=FIELD_COLUMNS, optional=OPTIONAL_FIELD_COLUMNS, label=label)
    if errors:
        return [], errors
    rows: list[FieldRow] = []
    first_line: dict[tuple[int, str], int] = {}
    for line, cells in table.rows:
        reader = _Reader(line, cells, positions, label)
        row = _field_row(reader)
        errors.extend(reader.errors)
        if row is None:
            continue
        key = (row.year, row.field_code)
        if key in first_line:
            errors.append(
                RowError(
                    line,
                    "field_code" + label,
                    _("lĩnh vực %(code)s năm %(year)s đã có ở dòng %(first)s.")
                    % {"code": row.field_code, "year": row.year, "first": first_line[key]},
                )
            )
            continue
        first_line[key] = line
        rows.append(row)
    return rows, errors


def fields_label() -> str:
    """Return what is appended to column names of the per-field table in messages."""
    return " " + _("(bảng lĩnh vực)")


def parse_national_results(
    *,
    content: bytes,
    filename: str,
    fields_content: bytes | None = None,
    fields_filename: str = "",
) -> NationalImport:
    """Return the validated rows, or raise NationalResultsImportError listing every problem.

    The per-field table is the `linh_vuc` sheet of an .xlsx, or the second file when one is given.
    """
    try:
        # One opening of the workbook for both sheets: it used to be read (whole) once per sheet.
        results_table, fields_table = read_tables(
            content=content, filename=filename, extra_sheet=None if fields_content else FIELDS_SHEET
        )
        if fields_content:
            fields_table = read_table(content=fields_content, filename=fields_filename)
    except TableReadError as exc:
        raise NationalResultsImportError([RowError(None, "", str(exc))]) from exc
    results, errors = _results(results_table)
    fields: list[FieldRow] = []
    if fields_table is not None:
        fields, field_errors = _fields(fields_table, fields_label())
        errors.extend(field_errors)
    # A results table with only its header is allowed when the file brings field rows of stored years.
    if not errors and not results and not fields:
        errors.append(RowError(None, "", _("Tệp không có dòng dữ liệu nào.")))
    if errors:
        raise NationalResultsImportError(errors)
    return NationalImport(results=tuple(results), fields=tuple(fields))


# --- templates ----------------------------------------------------------------------------------

SAMPLE_RESULTS = (
    ("2019", "52.83", "26.26", "79.51", "51", "5", "63", "6", "Miền núi phía Tây Bắc", "82.33", "44"),
    ("2020", "57.55", "26.16", "83.72", "38", "5", "63", "6", "Miền núi phía Tây Bắc", "84.34", "36"),
)
SAMPLE_FIELDS = (
    ("2020", "1", "Công tác chỉ đạo điều hành về cải cách hành chính", "7.72", "8.5", "90.82", "32"),
    (
        "2020",
        "2",
        "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh",
        "8.87",
        "10",
        "88.70",
        "29",
    ),
    ("2020", "sipas", "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)", "8.43", "10", "84.34", "36"),
)


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]], comment: str) -> str:
    out = io.StringIO()
    out.write(f"# {comment}\r\n")
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def template_results_csv() -> str:
    """Return an example results table (.csv) with every accepted column."""
    return _csv(
        _titles((*RESULT_COLUMNS, *OPTIONAL_RESULT_COLUMNS)),
        SAMPLE_RESULTS,
        _("Bảng kết quả Chỉ số CCHC của tỉnh, mỗi năm một dòng. Ô có thể để trống trừ Năm và Chỉ số (%)."),
    )


def template_fields_csv() -> str:
    """Return an example per-field table (.csv)."""
    return _csv(
        _titles((FIELD_COLUMNS[0], FIELD_COLUMNS[1], "field_name", *FIELD_COLUMNS[2:])),
        SAMPLE_FIELDS,
        _("Bảng kết quả theo lĩnh vực, mỗi năm và lĩnh vực một dòng; Mã lĩnh vực: 1 đến 8 hoặc sipas."),
    )


def template_xlsx() -> bytes:
    """Return an example workbook: the results sheet first, the `linh_vuc` sheet second, and a help sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    results = workbook.active
    results.title = "ket_qua"
    append_row(results, _titles((*RESULT_COLUMNS, *OPTIONAL_RESULT_COLUMNS)))
    for row in SAMPLE_RESULTS:
        append_row(results, [_cell(v) for v in row])
    fields = workbook.create_sheet(FIELDS_SHEET)
    append_row(fields, _titles((FIELD_COLUMNS[0], FIELD_COLUMNS[1], "field_name", *FIELD_COLUMNS[2:])))
    for row in SAMPLE_FIELDS:
        append_row(fields, [_cell(v) for v in row])
    guide = workbook.create_sheet("huong_dan")
    append_row(guide, [_("Trang tính"), _("Cột"), _("Bắt buộc có cột"), _("Ý nghĩa")])
    for sheet, columns in (("ket_qua", RESULT_COLUMN_HELP), (FIELDS_SHEET, FIELD_COLUMN_HELP)):
        for name, required, meaning in columns:
            shown = f"{_TITLE_OF[name]} ({name})" if name in _TITLE_OF else name
            append_row(guide, [sheet, shown, _("Có") if required else _("Không"), str(meaning)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value: str) -> object:
    """Return numbers as numbers, so that the workbook behaves like one typed in Excel."""
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    return int(number) if number == number.to_integral_value() and "." not in value else float(number)
