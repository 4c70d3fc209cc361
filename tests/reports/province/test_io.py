"""Importing the province's national results: parsing (pure), the all-or-nothing service, the command, the demo."""

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from reports.demo.province import DEMO_FIELDS, demo_province_load
from reports.models import FieldTarget, NationalFieldResult, NationalResult
from reports.province import io as province_io
from reports.province.data import NationalResultsImportError, NationalResultsReplaceRefused
from reports.province.io import parse_national_results
from reports.province.services import FieldTargetInput, field_target_save, national_results_import
from scoring.models import AuditEvent

REFERENCE = Path("/work/shared/reference/lai-chau-province-history.csv")
DEMO_HISTORY = Path(__file__).resolve().parents[3] / "reports" / "demo" / "lai-chau-province-history.csv"
HEADER = "year,appraisal_points,survey_points,index,national_rank,region_rank"
FIELDS_HEADER = "year,field_code,field_name,points,max_points,index,rank"


def reference_bytes() -> bytes:
    # The shared reference file, or the repository's copy of it when the shared folder is absent.
    return (REFERENCE if REFERENCE.exists() else DEMO_HISTORY).read_bytes()


def parse(text: str, fields: str | None = None, filename: str = "ket-qua.csv"):
    return parse_national_results(
        content=text.encode("utf-8"),
        filename=filename,
        fields_content=fields.encode("utf-8") if fields is not None else None,
        fields_filename="linh-vuc.csv",
    )


def errors_of(text: str, fields: str | None = None) -> list[tuple]:
    with pytest.raises(NationalResultsImportError) as caught:
        parse(text, fields)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


# --- parsing ------------------------------------------------------------------------------------


def test_reference_csv_parses_ten_years_with_2022_points_blank():
    rows = parse_national_results(content=reference_bytes(), filename="lai-chau-province-history.csv")
    assert [r.year for r in rows.results] == [2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2022]
    r2020 = rows.results[8]
    assert (r2020.line, r2020.appraisal_points, r2020.survey_points, r2020.index) == (
        12,
        Decimal("57.55"),
        Decimal("26.16"),
        Decimal("83.72"),
    )
    assert (r2020.national_rank, r2020.region_rank, r2020.national_total) == (38, 5, None)
    r2022 = rows.results[9]
    assert (
        r2022.appraisal_points,
        r2022.survey_points,
        r2022.index,
        r2022.national_rank,
        r2022.region_rank,
    ) == (
        None,
        None,
        Decimal("86.29"),
        24,
        None,
    )
    assert rows.fields == ()


def test_numbers_accept_comma_and_point_and_percent_sign():
    # Semicolon-separated as Vietnamese Excel writes it: "83,72" is then one cell.
    rows = parse(f"{HEADER.replace(',', ';')}\n2020;57,55;26.16;83,72%;38;5\n")
    assert rows.results[0].appraisal_points == Decimal("57.55")
    assert rows.results[0].survey_points == Decimal("26.16")
    assert rows.results[0].index == Decimal("83.72")
    quoted = parse(f'{HEADER}\n2020,"57,55",26.16,"83,72",38,5\n')
    assert quoted.results[0].index == Decimal("83.72")


def test_every_bad_cell_is_reported_with_row_column_and_reason():
    text = f"{HEADER},sipas_index\n2020,57.55,abc,83.72,38,5,\n2021,,,,0,x,101\n2020,1,1,50,1,1,\n"
    errors = errors_of(text)
    assert (2, "survey_points", "«abc» không phải là số.") in errors
    assert (3, "index", "ô bắt buộc đang trống.") in errors
    assert (3, "national_rank", "0 không nằm trong khoảng 1–999.") in errors
    assert (3, "region_rank", "«x» không phải là số nguyên.") in errors
    assert (3, "sipas_index", "«101» lớn hơn 100,00.") in errors
    # The first 2020 row had an error, so the second is the one kept: no duplicate reported for it.
    assert len(errors) == 5


def test_duplicate_year_points_at_the_first_row():
    errors = errors_of(f"{HEADER}\n2020,1,1,50,1,1\n2020,1,1,50,1,1\n")
    assert errors == [(3, "year", "năm 2020 đã có ở dòng 2.")]


def test_missing_required_column_and_unknown_column_are_header_errors():
    errors = errors_of("year,appraisal_points,index,rank\n2020,1,50,1\n")
    assert errors[0][0:2] == (1, "rank")
    assert "cột không có trong mẫu" in errors[0][2]
    assert errors[1][0:2] == (1, "survey_points, national_rank, region_rank")
    assert "thiếu cột bắt buộc" in errors[1][2]


def test_field_rows_compute_the_index_and_check_a_given_one():
    fields = (
        f'{FIELDS_HEADER}\n2020,1,,7.72,8.5,,32\n2020,5,,"10,30","13,5","76,29",59\n'
        "2020,7,,11.58,15,70,54\n2020,9,,1,2,,1\n2020,2,,11,10,,1\n"
    )
    errors = errors_of(f"{HEADER}\n2020,57.55,26.16,83.72,38,5\n", fields)
    label = province_io.fields_label()
    assert [(row, column) for row, column, _m in errors] == [
        (4, "index" + label),
        (5, "field_code" + label),
        (6, "points" + label),
    ]
    good = parse(f"{HEADER}\n2020,57.55,26.16,83.72,38,5\n", f"{FIELDS_HEADER}\n2020,1,,7.72,8.5,,32\n")
    (field,) = good.fields
    assert field.index == Decimal("90.8235")
    assert field.name == "Công tác chỉ đạo điều hành về cải cách hành chính"


def test_xlsx_with_linh_vuc_sheet_and_excel_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["# Kết quả của tỉnh"])
    sheet.append(HEADER.split(","))
    sheet.append([2020, 57.55, 26.16, 83.72, 38, 5])
    fields = workbook.create_sheet("linh_vuc")
    fields.append(FIELDS_HEADER.split(","))
    fields.append([2020, "sipas", None, 8.43, 10, 84.34, 36])
    out = io.BytesIO()
    workbook.save(out)
    rows = parse_national_results(content=out.getvalue(), filename="ket-qua.xlsx")
    assert rows.results[0].line == 3
    assert rows.results[0].appraisal_points == Decimal("57.55")
    assert rows.fields[0].field_code == "sipas"
    assert rows.fields[0].index == Decimal("84.34")


def test_templates_parse_as_they_are():
    rows = parse(province_io.template_results_csv(), province_io.template_fields_csv())
    assert [r.year for r in rows.results] == [2019, 2020]
    workbook_rows = parse_national_results(content=province_io.template_xlsx(), filename="mau.xlsx")
    assert len(workbook_rows.fields) == 3
    sheets = load_workbook(io.BytesIO(province_io.template_xlsx())).sheetnames
    assert sheets == ["ket_qua", "linh_vuc", "huong_dan"]


# --- the service --------------------------------------------------------------------------------


def test_reference_import_saves_ten_years_and_default_totals(body, body_admin):
    rows = parse_national_results(content=reference_bytes(), filename="history.csv")
    summary = national_results_import(body=body, rows=rows, actor=body_admin, region_total=6)
    assert (summary.created, summary.updated, summary.unchanged) == (10, 0, 0)
    r2020 = NationalResult.objects.get(body=body, year=2020)
    assert (
        r2020.index,
        r2020.national_rank,
        r2020.national_total,
        r2020.region_rank,
        r2020.region_total,
    ) == (
        Decimal("83.72"),
        38,
        63,
        5,
        6,
    )
    assert r2020.updated_by == body_admin
    r2022 = NationalResult.objects.get(body=body, year=2022)
    assert (r2022.appraisal_points, r2022.survey_points, r2022.region_rank) == (None, None, None)
    assert AuditEvent.objects.filter(body=body, action="national_results_imported").count() == 1


def test_reimport_is_idempotent_and_updates_changed_years(body):
    rows = parse_national_results(content=reference_bytes(), filename="history.csv")
    national_results_import(body=body, rows=rows)
    again = national_results_import(body=body, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10)
    assert NationalResult.objects.filter(body=body).count() == 10
    changed = parse(f"{HEADER}\n2020,57.55,26.16,83.73,37,5\n")
    # Other figures for a stored year: refused and listed until replacing is chosen explicitly.
    with pytest.raises(NationalResultsReplaceRefused) as caught:
        national_results_import(body=body, rows=changed)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "year")]
    assert "chỉ số 83,72" in caught.value.errors[0].message and "83,73" in caught.value.errors[0].message
    assert NationalResult.objects.get(body=body, year=2020).national_rank == 38
    summary = national_results_import(body=body, rows=changed, replace=True)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    assert NationalResult.objects.get(body=body, year=2020).national_rank == 37


def test_changed_field_rows_are_replaced_only_when_chosen(body):
    national_results_import(
        body=body,
        rows=parse(f"{HEADER}\n2020,57.55,26.16,83.72,38,5\n", f"{FIELDS_HEADER}\n2020,4,,9.13,11.5,,50\n"),
    )
    changed = parse(f"{HEADER}\n", f"{FIELDS_HEADER}\n2020,4,,9.5,11.5,,40\n")
    with pytest.raises(NationalResultsReplaceRefused) as caught:
        national_results_import(body=body, rows=changed)
    assert [e.column for e in caught.value.errors] == ["field_code" + province_io.fields_label()]
    assert NationalFieldResult.objects.get(result__body=body, field_code="4").rank == 50
    summary = national_results_import(body=body, rows=changed, replace=True)
    assert summary.fields_updated == 1
    assert NationalFieldResult.objects.get(result__body=body, field_code="4").rank == 40


def test_rank_above_total_and_field_of_unknown_year_save_nothing(body):
    rows = parse(
        f"{HEADER},national_total\n2019,52.83,26.26,79.51,51,5,\n2026,,,80,35,1,\n",
        f"{FIELDS_HEADER}\n2019,1,,8,,,64\n2018,2,,9,,,1\n",
    )
    with pytest.raises(NationalResultsImportError) as caught:
        national_results_import(body=body, rows=rows, region_total=4)
    label = province_io.fields_label()
    found = [(e.row, e.column) for e in caught.value.errors]
    assert found == [(2, "region_rank"), (3, "national_rank"), (2, "rank" + label), (3, "year" + label)]
    messages = [e.message for e in caught.value.errors]
    assert "hạng 35 lớn hơn số được xếp hạng (34" in messages[1]  # 2026: 34 provinces after the merger
    assert NationalResult.objects.filter(body=body).count() == 0


def test_fields_import_fills_sipas_and_keeps_columns_the_file_lacks(body):
    national_results_import(
        body=body, rows=parse(f"{HEADER},region_name\n2020,57.55,26.16,83.72,38,5,Tây Bắc\n")
    )
    rows = parse(
        f"{HEADER}\n2020,57.55,26.16,83.72,38,5\n", f"{FIELDS_HEADER}\n2020,sipas,,8.43,10,84.34,36\n"
    )
    summary = national_results_import(body=body, rows=rows)
    assert summary.fields_created == 1
    result = NationalResult.objects.get(body=body, year=2020)
    assert (result.sipas_index, result.sipas_rank, result.region_name) == (Decimal("84.34"), 36, "Tây Bắc")


def test_field_rows_alone_update_a_stored_year_and_an_empty_file_is_refused(body):
    national_results_import(body=body, rows=parse(f"{HEADER}\n2020,57.55,26.16,83.72,38,5\n"))
    rows = parse(f"{HEADER}\n", f"{FIELDS_HEADER}\n2020,4,,9.13,11.5,,50\n")
    summary = national_results_import(body=body, rows=rows)
    assert (summary.created, summary.updated, summary.fields_created) == (0, 0, 1)
    field = NationalFieldResult.objects.get(result__body=body, result__year=2020, field_code="4")
    assert (field.index, field.rank, field.name) == (
        Decimal("79.3913"),
        50,
        "Cải cách tổ chức bộ máy hành chính",
    )
    assert errors_of(f"{HEADER}\n") == [(None, "", "Tệp không có dòng dữ liệu nào.")]


def test_field_target_save_keeps_units_of_the_body_only(body, unit, other_body):
    from tests.scoring.factories import UnitFactory

    stranger = UnitFactory(body=other_body, code="x", name="Sở X")
    target = FieldTargetInput(
        field_code="1",
        name="Chỉ đạo",
        comparison="at_least",
        target_index=Decimal("91.76"),
        rank_best=28,
        rank_worst=30,
        responsible_unit_ids=(unit.pk,),
    )
    saved = field_target_save(body=body, year=2021, target=target)
    assert list(saved.responsible_units.all()) == [unit]
    with pytest.raises(ValueError):
        field_target_save(body=body, year=2021, target=replace(target, responsible_unit_ids=(stranger.pk,)))
    field_target_save(body=body, year=2021, target=replace(target, target_index=None))
    assert not FieldTarget.objects.filter(body=body).exists()


# --- command and demo ---------------------------------------------------------------------------


def test_command_imports_with_totals_and_reports_errors(body, tmp_path, capsys):
    path = tmp_path / "history.csv"
    path.write_bytes(reference_bytes())
    call_command("import_national_results", str(path), "--body", body.code, "--region-total", "6")
    assert NationalResult.objects.get(body=body, year=2012).region_total == 6
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n2020,1,1,50,70,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_national_results", str(bad), "--body", body.code, "--national-total", "63")
    assert "Dòng 2, cột national_rank" in capsys.readouterr().err


def test_demo_loads_fields_and_2021_targets_idempotently(body, unit):
    demo_province_load(body)
    demo_province_load(body)
    assert NationalResult.objects.filter(body=body).count() == 10
    fields = {
        (f.result.year, f.field_code): f
        for f in NationalFieldResult.objects.filter(result__body=body).select_related("result")
    }
    assert len(fields) == 18
    f1 = fields[(2020, "1")]
    assert (f1.points, f1.max_points, f1.index, f1.rank) == (
        Decimal("7.72"),
        Decimal("8.5"),
        Decimal("90.82"),
        32,
    )
    assert fields[(2019, "8")].rank == 41 and fields[(2019, "8")].points == Decimal("3.75")
    # The maxima of 2020 sum with the SIPAS 10 points to the fields' share of the 100 points.
    assert sum(f.max_points for (year, _c), f in fields.items() if year == 2020) == Decimal("99")
    result = NationalResult.objects.get(body=body, year=2020)
    assert (result.sipas_index, result.sipas_rank) == (Decimal("84.34"), 36)
    targets = {t.field_code: t for t in FieldTarget.objects.filter(body=body, year=2021)}
    assert len(targets) == 10
    assert (targets["1"].target_index, targets["1"].rank_best, targets["1"].rank_worst) == (
        Decimal("91.76"),
        28,
        30,
    )
    assert targets["2"].comparison == "above"
    assert list(targets["4"].responsible_units.all()) == [unit]
    assert "0,5 điểm" in targets["5"].basis
    assert DEMO_FIELDS.read_text(encoding="utf-8").startswith("# Source:")
