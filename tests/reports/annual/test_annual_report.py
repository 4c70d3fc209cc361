"""The annual results report: built from the period's results, rendered as PDF and Excel, shown on a page."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.annual.render import annual_report_render
from reports.annual.selectors import annual_report_build
from reports.models import PublishedFieldResult, PublishedResult
from reports.papers.data import place_from_body_name
from reports.published import io as published_io
from reports.published import services as report_services
from reports.rankings.selectors import RankingNotFound
from reports.render.annual_xlsx import annual_workbook
from reports.results.services import period_results_recompute
from scoring.models import Unit
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, submitted_assessment
from tests.conftest_constants import PASSWORD
from tests.reports.ranking_data import LAI_CHAU_2020, lai_chau_2020_create, lai_chau_groups, results_create
from tests.scoring.assessment_helpers import appraisal_items, build_criteria_set, mark_not_applicable
from tests.scoring.factories import PeriodFactory, UnitFactory, UnitGroupFactory

REFERENCE = Path(__file__).parent.parent / "data" / "lai-chau-2020-departments.csv"
ANNUAL = reverse("reports:annual_report")
TOLERANCE = Decimal("0.01")
TODAY = date(2021, 4, 20)
BUILD_MAX_QUERIES = 34  # + the decision's left-out units, the freshness of live figures
PAGE_MAX_QUERIES = 22  # session, user, roles (read, admin), body, years, then the build (no lost items)
COMMUNE_ROW = re.compile(r"Đơn vị xa \d+\s+\d+,\d\d\s+\d+,\d\d")


@pytest.fixture
def lai_chau_2020(body):
    return lai_chau_2020_create(body=body)


def _pdf_pages(content: bytes, tmp_path) -> list[str]:
    """Return the text of each page of the PDF (pdftotext keeps the layout; pages split on form feed)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def _appraised_period(*, body, group, count: int, year: int = 2026):
    """Return a period whose `count` units are appraised in round 1 (one item lost with a comment), recomputed."""
    period = PeriodFactory(body=body, year=year, guidance_reference="Công văn 41/SNV-XDCQ ngày 18/01/2027")
    criteria_set = build_criteria_set(period=period, unit_group=group)
    items = appraisal_items(criteria_set)
    mark_not_applicable(item=items[-1], reason="Tiêu chí không áp dụng trong kỳ")
    for n in range(count):
        unit = UnitFactory(body=body, group=group, code=f"dv-{year}-{n}", name=f"Đơn vị thử {n:02d}")
        assessment = submitted_assessment(unit=unit, period=period, status=Status.ROUND_2)
        for item in items[:-1]:
            lose = item == items[0] or (item == items[2] and n % 2 == 0)
            appraise(
                assessment=assessment,
                item=item,
                points=item.max_points - Decimal("0.5") if lose else item.max_points,
                comment="Chưa ban hành kế hoạch đúng hạn" if lose else "",
            )
    period_results_recompute(period=period)
    return period


# --- the published 2020 department tables ------------------------------------------------------------------


def test_department_tables_equal_the_published_2020_tables(body, lai_chau_2020):
    report = annual_report_build(body=body, year=2020, today=TODAY)

    assert report.published
    assert [g.code for g in report.groups] == ["full_scale", "reduced_scale"]
    for group in report.groups:
        published = [r for r in LAI_CHAU_2020 if r.group == group.code]
        assert [row.unit_name for row in group.rows] == [r.unit_name for r in published]
        for row, expected in zip(group.rows, published, strict=True):
            assert row.appraisal_points == expected.appraisal_points
            assert row.survey_points == expected.survey_points
            assert row.total_points == expected.total_points
            assert row.max_points == expected.max_points
            assert abs(row.index - expected.index_pct) <= TOLERANCE
            assert row.band_label == expected.classification
    full = report.groups[0]
    assert [row.rank for row in full.rows] == [1, 2, 3, 4, 4, *range(6, 16)]
    assert [(c.label, c.count) for c in full.class_counts] == [
        ("Tốt", 12),
        ("Khá", 3),
        ("Trung bình", 0),
        ("Yếu", 0),
    ]
    assert (full.best.unit_name, full.worst.unit_name) == ("Sở Nội vụ", "Sở Y tế")
    assert abs(full.average_index - Decimal("82.67")) <= TOLERANCE


def test_reduced_scale_unit_is_named_in_a_footnote_with_its_scale(body, lai_chau_2020):
    report = annual_report_build(body=body, year=2020, today=TODAY)

    assert report.common_max_points == Decimal(98)
    assert [(n.unit_name, n.max_points) for n in report.reduced_notes] == [("Sở Ngoại vụ", Decimal("78.50"))]
    # Imported published results: no dossiers, no appraisal, no field points.
    assert report.process == ()
    assert not report.has_appraisal_data
    assert report.fields == ()
    assert report.place_date == "Lai Châu, ngày 20 tháng 04 năm 2021"


def test_place_comes_from_the_body_name():
    assert place_from_body_name("UBND tỉnh Lai Châu") == "Lai Châu"
    assert place_from_body_name("Ủy ban nhân dân thành phố Hà Nội") == "Hà Nội"
    assert place_from_body_name("Bộ Nội vụ") == "Bộ Nội vụ"


def test_year_without_results_is_not_found(body, lai_chau_2020):
    with pytest.raises(RankingNotFound):
        annual_report_build(body=body, year=2019)


# --- PDF --------------------------------------------------------------------------------------------------


def test_pdf_has_diacritics_footnote_and_long_tables_repeat_their_header(body, lai_chau_2020, tmp_path):
    districts = UnitGroupFactory(body=body, code="ubnd-xa", name="UBND cấp xã", order=3)
    results_create(period=lai_chau_2020, group=districts, count=60, prefix="xa")

    rendered = annual_report_render(body=body, year=2020, format="pdf")

    assert rendered.content.startswith(b"%PDF")
    assert rendered.filename == "bao-cao-chi-so-cchc-lai-chau-2020.pdf"
    assert rendered.content_type == "application/pdf"
    pages = _pdf_pages(rendered.content, tmp_path)
    assert len(pages) > 1
    text = "\n".join(pages)
    assert "Sở Tài nguyên và Môi trường" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Lai Châu, ngày" in text
    assert "Sở Ngoại vụ: thang điểm 78,50" in text  # the footnote
    assert "DỰ THẢO" not in text
    # The 60 communes do not fit on one page: every page with some of their table rows (name, then appraisal and
    # survey points; the chart prints one value) repeats the table header.
    commune_pages = [p for p in pages if COMMUNE_ROW.search(p)]
    assert len(commune_pages) >= 2
    for page in commune_pages:
        assert "Điểm thẩm" in page and "Thang" in page
    assert f"Trang 1/{len(pages)}" in pages[0]


# --- Excel ------------------------------------------------------------------------------------------------


def test_excel_stores_the_reports_numbers_as_numbers_with_print_setup(body, lai_chau_2020):
    report = annual_report_build(body=body, year=2020, today=TODAY)

    workbook = load_workbook(io.BytesIO(annual_workbook(report)))

    assert len(workbook.sheetnames) == len(report.groups) + 2
    for group, ws in zip(report.groups, workbook.worksheets, strict=False):
        assert ws.freeze_panes == "A4"
        assert ws.print_title_rows == "$3:$3"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws["A1"].value.startswith("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2020")
        assert ws["B3"].value == "Đơn vị"
        for offset, row in enumerate(group.rows):
            line = ws[4 + offset]
            assert line[1].value.removesuffix(" (*)") == row.unit_name
            for cell, value in zip(line[2:7], (row.appraisal_points, row.survey_points, row.total_points,
                                               row.max_points, row.index), strict=True):  # fmt: skip
                assert isinstance(cell.value, int | float)
                assert cell.number_format == "0.00"
                assert abs(Decimal(str(cell.value)) - value) <= Decimal("0.005")
            assert line[7].value == row.band_label
            assert line[8].value == row.rank
    assert workbook.worksheets[0]["B5"].value == "Sở Tư pháp"
    assert workbook.worksheets[1]["B4"].value == "Sở Ngoại vụ (*)"
    lost = workbook["Điểm bị trừ"]
    assert lost["A4"].value.startswith("Năm này không có dữ liệu thẩm định")


def test_excel_render_of_an_appraised_period_lists_the_points_lost(body, departments):
    _appraised_period(body=body, group=departments, count=4)

    rendered = annual_report_render(body=body, year=2026, format="xlsx", draft=True)

    assert rendered.filename == "bao-cao-chi-so-cchc-lai-chau-2026.xlsx"
    workbook = load_workbook(io.BytesIO(rendered.content))
    assert workbook.worksheets[0]["B2"].value == "DỰ THẢO — kết quả chưa công bố"
    fields = workbook["Phân tích lĩnh vực"]
    assert [fields.cell(row=r, column=1).value for r in (4, 5)] == ["1", "2"]
    assert fields["E4"].number_format == "0.00"
    lost = workbook["Điểm bị trừ"]
    assert lost["B4"].value == "1.1.1"
    assert lost["D4"].value == 4
    assert lost["E4"].value == 2
    assert lost["F4"].value == "Chưa ban hành kế hoạch đúng hạn"


# --- an appraised period not yet published ------------------------------------------------------------------


def test_draft_report_of_computed_results_carries_the_banner(body, departments, tmp_path):
    _appraised_period(body=body, group=departments, count=4)

    report = annual_report_build(body=body, year=2026, draft=True, today=TODAY)

    assert not report.published
    assert report.process[0].dossiers == 4 and report.process[0].appraised == 4
    assert report.has_appraisal_data
    first = report.fields[0]
    assert first.lost[0].item_code == "1.1.1"
    assert first.lost[0].unit_count == 4
    assert first.lost[0].comments == ("Chưa ban hành kế hoạch đúng hạn",)
    assert first.groups[0].unit_count == 4
    # Field 1 lost 0.5 of 4 points for every unit, plus 0.5 for every other unit: 87.5 % and 75 %.
    assert first.groups[0].average_index == Decimal("81.25")
    assert first.groups[0].above_high == 2 and first.groups[0].below_low == 0
    assert "1.1.1" in " ".join(report.recommendations)
    assert report.period_exemptions  # the last item is not applicable for everyone

    pages = _pdf_pages(annual_report_render(body=body, year=2026, format="pdf", draft=True).content, tmp_path)
    text = "\n".join(pages)
    assert "DỰ THẢO — kết quả chưa công bố" in text
    assert "Chưa ban hành kế hoạch đúng hạn" in text


def test_unpublished_periods_without_recompute_have_no_report(body, departments):
    PeriodFactory(body=body, year=2026)

    with pytest.raises(RankingNotFound):
        annual_report_render(body=body, year=2026, format="pdf", draft=True)


@pytest.mark.parametrize("count", [5, 30])
def test_build_runs_a_fixed_number_of_queries(body, departments, count, django_assert_max_num_queries):
    _appraised_period(body=body, group=departments, count=count)
    previous = PeriodFactory(body=body, year=2025, publication_decision="Quyết định 1/QĐ-UBND")
    for unit in Unit.objects.filter(body=body):
        result = PublishedResult.objects.create(
            period=previous, unit=unit, unit_group=departments,
            appraisal_points=Decimal(5), survey_points=Decimal(0), max_points=Decimal(7),
        )  # fmt: skip
        PublishedFieldResult.objects.create(
            result=result, field_code="1", points=Decimal(3), max_points=Decimal(4)
        )

    # 31 today: the table (8), the period, dossiers, survey tracking (4), exemptions, field names, and the points
    # lost with the appraisers' comments (16, reports.results.selectors.lost_items); none of them per unit.
    with django_assert_max_num_queries(BUILD_MAX_QUERIES):
        report = annual_report_build(body=body, year=2026, draft=True)

    assert report.unit_count == count
    assert report.previous_year == 2025
    assert report.fields[0].groups[0].average_change is not None


# --- the page ---------------------------------------------------------------------------------------------


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_page_shows_the_report_with_download_forms(client, body_admin, lai_chau_2020):
    response = _login(client, body_admin).get(ANNUAL, {"year": 2020, "body": "lai-chau"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sở Tài nguyên và Môi trường" in html
    assert "Tải PDF" in html and "Tải Excel" in html
    assert 'name="kind" value="annual"' in html
    assert "DỰ THẢO" not in html


def test_page_defaults_to_the_latest_year_with_results(client, viewer, lai_chau_2020):
    response = _login(client, viewer).get(ANNUAL)

    assert response.status_code == 200
    assert response.context["report"].year == 2020


def test_page_of_a_draft_carries_the_banner_for_staff(client, appraiser, departments, body):
    _appraised_period(body=body, group=departments, count=2)

    response = _login(client, appraiser).get(ANNUAL, {"year": 2026})

    assert response.status_code == 200
    assert "DỰ THẢO — kết quả chưa công bố" in response.content.decode()


def test_page_is_not_found_for_outsider_and_unit_officer(client, outsider, unit_officer, departments, body):
    _appraised_period(body=body, group=departments, count=2)

    assert _login(client, outsider).get(ANNUAL, {"year": 2026, "body": "lai-chau"}).status_code == 404
    client.logout()
    # A unit's own officer reads their unit's analysis, never the report on all units, least of all a draft.
    assert _login(client, unit_officer).get(ANNUAL, {"year": 2026, "body": "lai-chau"}).status_code == 404


@pytest.mark.parametrize("count", [5, 30])
def test_page_runs_a_fixed_number_of_queries(client, viewer, body, count, django_assert_max_num_queries):
    period = PeriodFactory(body=body, year=2020, publication_decision="Quyết định 701/QĐ-UBND")
    results_create(period=period, group=lai_chau_groups(body=body)["full_scale"], count=count)
    _login(client, viewer)

    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        response = client.get(ANNUAL, {"year": 2020})

    assert response.status_code == 200


def test_year_without_results_is_a_404_page(client, viewer, lai_chau_2020):
    response = _login(client, viewer).get(ANNUAL, {"year": 2019})

    assert response.status_code == 404
    assert "Không có kỳ đánh giá năm 2019." in response.content.decode()


def test_tables_imported_from_the_reference_file_equal_it(body):
    """The reference table (tests/reports/data, copied from shared/reference) imported as the province would."""
    content = REFERENCE.read_bytes()
    rows = published_io.parse_published_results(content=content, filename=REFERENCE.name, default_year=2020)
    report_services.published_results_import(body=body, rows=rows)
    lines = [line for line in content.decode().splitlines() if not line.startswith("#")]
    expected = list(csv.DictReader(lines))

    report = annual_report_build(body=body, year=2020)

    printed = [(group, row) for group in report.groups for row in group.rows]
    assert len(printed) == len(expected) == 16
    by_name = {row.unit_name: (group, row) for group, row in printed}
    for line in expected:
        group, row = by_name[line["unit_name"]]
        assert group.rows.index(row) + 1 == int(line["published_order"])
        assert abs(row.appraisal_points - Decimal(line["appraisal_points"])) <= TOLERANCE
        assert abs(row.survey_points - Decimal(line["survey_points"])) <= TOLERANCE
        assert abs(row.total_points - Decimal(line["total_points"])) <= TOLERANCE
        assert abs(row.max_points - Decimal(line["max_points"])) <= TOLERANCE
        assert abs(row.index - Decimal(line["index_pct"])) <= TOLERANCE
        assert row.band_label == line["classification"]
    assert len(report.groups) == 2 and report.groups[1].rows[0].unit_name == "Sở Ngoại vụ"


def test_page_without_the_job_endpoint_still_shows_the_report(client, body_admin, lai_chau_2020, monkeypatch):
    monkeypatch.setattr("reports.annual.views._job_create_url", lambda: None)

    response = _login(client, body_admin).get(ANNUAL, {"year": 2020})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sở Nội vụ" in html
    assert "Tải PDF" not in html
