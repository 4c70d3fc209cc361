"""SIPAS: the file reader, the all-or-nothing idempotent import, entry by hand, conversion into points, the pages."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from scoring.models import AuditEvent
from surveys.models import SipasConversion, SipasResult
from surveys.sipas.io import SipasFileError, parse_pct, parse_sipas
from surveys.sipas.services import SipasError, sipas_item_points, sipas_result_save, sipas_results_import
from tests.conftest_constants import PASSWORD
from tests.scoring.assessment_helpers import build_criteria_set, leaf_items
from tests.scoring.factories import PeriodFactory

HEADER = "unit_code,overall_pct,access_pct,procedures_pct,civil_servants_pct,results_pct,feedback_pct"
CODES = {"so-noi-vu", "so-tu-phap"}


def _csv(*lines: str) -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode()


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=2026)


# --- reading the file (no database) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("78,0", Decimal("78.00")),
        ("18.67", Decimal("18.67")),
        ("93,2%", Decimal("93.20")),
        ("", None),
        ("0", 0),
    ],
)
def test_percentages_are_read_the_vietnamese_way(text, expected):
    assert parse_pct(text) == expected


@pytest.mark.parametrize("text", ["abc", "101", "-1"])
def test_a_percentage_outside_0_100_or_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_pct(text)


def test_reader_returns_muong_te_2022_from_a_semicolon_csv_with_decimal_commas():
    content = HEADER.replace(",", ";") + "\nso-noi-vu;78,0;82;89,6;93,2;85,2;18,67\n"
    rows = parse_sipas(content=content.encode(), filename="sipas.csv", unit_codes=CODES)
    assert [(r.unit_code, r.overall_pct, r.feedback_pct) for r in rows] == [
        ("so-noi-vu", Decimal("78.00"), Decimal("18.67"))
    ]


def test_reader_collects_every_error_with_row_and_column():
    content = _csv(
        "so-noi-vu,78,82,89.6,93.2,85.2,18.67",
        "so-khong-co,70,,,,,",
        "so-noi-vu,abc,,,,,",
        "so-tu-phap,,,,,,120",
    )
    with pytest.raises(SipasFileError) as caught:
        parse_sipas(content=content, filename="sipas.csv", unit_codes=CODES)
    assert [str(e) for e in caught.value.errors] == [
        "Dòng 3, cột unit_code: không có đơn vị mã «so-khong-co».",
        "Dòng 4, cột unit_code: đơn vị «so-noi-vu» đã có ở dòng 2.",
        "Dòng 4, cột overall_pct: «abc» không phải là số.",
        "Dòng 5, cột overall_pct: thiếu chỉ số hài lòng chung.",
        "Dòng 5, cột feedback_pct: «120» phải là tỉ lệ phần trăm từ 0 đến 100.",
    ]


def test_reader_names_missing_columns():
    with pytest.raises(SipasFileError) as caught:
        parse_sipas(content=b"unit_code,overall_pct\nso-noi-vu,78\n", filename="s.csv", unit_codes=CODES)
    assert caught.value.errors[0].column == (
        "access_pct, procedures_pct, civil_servants_pct, results_pct, feedback_pct"
    )


def test_reader_reads_excel_numbers():
    content = _xlsx([HEADER.split(","), ["so-tu-phap", 81.5, 80, 90, 95, 85, None]])
    (row,) = parse_sipas(content=content, filename="sipas.xlsx", unit_codes=CODES)
    assert (row.overall_pct, row.access_pct, row.feedback_pct) == (Decimal("81.50"), Decimal("80.00"), None)


# --- import and entry --------------------------------------------------------------------------------


def test_import_creates_then_a_second_import_changes_nothing(period, unit, other_unit, body_admin):
    content = _csv("so-noi-vu,78,82,89.6,93.2,85.2,18.67", "so-tu-phap,81.5,,,,,")
    first = sipas_results_import(period=period, content=content, filename="s.csv", actor=body_admin)
    audits = AuditEvent.objects.count()
    second = sipas_results_import(period=period, content=content, filename="s.csv", actor=body_admin)

    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert SipasResult.objects.count() == 2
    assert AuditEvent.objects.count() == audits
    noi_vu = SipasResult.objects.get(unit=unit)
    assert (noi_vu.overall_pct, noi_vu.civil_servants_pct) == (Decimal("78.00"), Decimal("93.20"))


def test_import_with_one_bad_row_writes_nothing(period, unit, other_unit, body_admin):
    content = _csv("so-noi-vu,78,82,89.6,93.2,85.2,18.67", "so-tu-phap,abc,,,,,")
    with pytest.raises(SipasError) as caught:
        sipas_results_import(period=period, content=content, filename="s.csv", actor=body_admin)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "overall_pct")]
    assert not SipasResult.objects.exists()


def test_import_updates_a_changed_unit_and_keeps_one_row(period, unit, body_admin):
    sipas_results_import(period=period, content=_csv("so-noi-vu,78,,,,,"), filename="s.csv", actor=body_admin)
    summary = sipas_results_import(
        period=period, content=_csv("so-noi-vu,80,,,,,"), filename="s.csv", actor=body_admin
    )
    assert summary.updated == 1
    assert SipasResult.objects.get().overall_pct == Decimal("80.00")


def test_import_refuses_units_of_another_body(period, unit, body_admin, other_body):
    from tests.scoring.factories import UnitFactory, UnitGroupFactory

    UnitFactory(body=other_body, group=UnitGroupFactory(body=other_body), code="so-y-te-db")
    with pytest.raises(SipasError):
        sipas_results_import(
            period=period, content=_csv("so-y-te-db,78,,,,,"), filename="s.csv", actor=body_admin
        )


def test_entry_by_hand_names_the_wrong_field(period, unit, body_admin):
    with pytest.raises(SipasError) as caught:
        sipas_result_save(
            period=period, unit=unit, values={"overall_pct": "", "access_pct": "x"}, actor=body_admin
        )
    assert {e.column for e in caught.value.errors} == {"overall_pct", "access_pct"}
    result = sipas_result_save(period=period, unit=unit, values={"overall_pct": "78,0"}, actor=body_admin)
    assert (result.overall_pct, result.access_pct) == (Decimal("78.00"), None)


# --- conversion into points --------------------------------------------------------------------------


def test_sipas_gives_overall_pct_times_the_items_maximum_to_units_of_the_items_group(
    period, unit, other_unit, departments, body_admin
):
    criteria_set = build_criteria_set(
        period=period, unit_group=departments, survey_every=2, max_points=Decimal(2)
    )
    item = next(i for i in leaf_items(criteria_set) if i.method == "survey")
    SipasConversion.objects.create(period=period, item=item)
    sipas_result_save(period=period, unit=unit, values={"overall_pct": "78,0"}, actor=body_admin)

    assert sipas_item_points(period=period) == {unit.pk: {item.pk: Decimal("1.56")}}


# --- pages -------------------------------------------------------------------------------------------


def _page(period):
    return reverse("surveys:sipas_results", kwargs={"period_id": period.pk})


def test_page_imports_a_file_and_shows_the_results(client, period, unit, other_unit, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    upload = SimpleUploadedFile("sipas.csv", _csv("so-noi-vu,78,82,89.6,93.2,85.2,18.67"))
    response = client.post(_page(period), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 đơn vị mới" in page
    assert "78,00" in page and "18,67" in page


def test_page_shows_row_and_column_errors_and_saves_nothing(client, period, unit, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    upload = SimpleUploadedFile("sipas.csv", _csv("so-noi-vu,abc,,,,,"))
    response = client.post(_page(period), {"file": upload})
    assert response.status_code == 400
    assert "Dòng 2, cột overall_pct: «abc» không phải là số." in response.content.decode()
    assert not SipasResult.objects.exists()


def test_hand_entry_page_saves_one_unit(client, period, unit, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    url = reverse("surveys:sipas_result_edit", kwargs={"period_id": period.pk, "unit_id": unit.pk})
    assert client.get(url).status_code == 200
    bad = client.post(url, {"overall_pct": "200"})
    assert bad.status_code == 400 and "từ 0 đến 100" in bad.content.decode()
    response = client.post(url, {"overall_pct": "78,0", "feedback_pct": "18,67"})
    assert response.status_code == 302
    assert SipasResult.objects.get(unit=unit).feedback_pct == Decimal("18.67")


def test_sample_lists_the_units(client, period, unit, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    response = client.get(reverse("surveys:sipas_sample", kwargs={"period_id": period.pk}))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã đơn vị,Tên đơn vị,Chỉ số hài lòng chung (%),")
    assert lines[1:] == ["so-noi-vu,Sở Nội vụ,,,,,,"]
    # Filled in, the Vietnamese sample reads back (the name column is for the eye only).
    filled = "\n".join([lines[0], "so-noi-vu,Sở Nội vụ,78,80,81,82,83,84"]).encode()
    (row,) = parse_sipas(content=filled, filename="s.csv", unit_codes=CODES)
    assert row.overall_pct == Decimal("78.00") and row.feedback_pct == Decimal("84.00")


@pytest.mark.parametrize("persona", ["viewer", "unit_officer", "outsider"])
def test_pages_are_404_for_anyone_but_the_body_admin(client, period, unit, persona, request):
    user = request.getfixturevalue(persona)
    client.login(username=user.username, password=PASSWORD)
    assert client.get(_page(period)).status_code == 404
    edit = reverse("surveys:sipas_result_edit", kwargs={"period_id": period.pk, "unit_id": unit.pk})
    assert client.post(edit, {"overall_pct": "78"}).status_code == 404
    assert not SipasResult.objects.exists()


def test_page_shows_the_conversion_and_each_units_points(client, period, unit, departments, body_admin):
    criteria_set = build_criteria_set(
        period=period, unit_group=departments, survey_every=2, max_points=Decimal(2)
    )
    item = next(i for i in leaf_items(criteria_set) if i.method == "survey")
    SipasConversion.objects.create(period=period, item=item)
    sipas_result_save(period=period, unit=unit, values={"overall_pct": "78,0"}, actor=body_admin)
    client.login(username=body_admin.username, password=PASSWORD)

    page = client.get(_page(period)).content.decode()

    assert f"Tiêu chí {item.code}" in page and "× 2,00 điểm tối đa" in page
    assert f"{item.code}: 1,56" in page
