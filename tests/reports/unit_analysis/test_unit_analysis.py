"""The unit analysis report: its figures are the ranking table's, its files say the same, and only the unit's
own people and the body's staff may read it."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import PublishedFieldResult, PublishedResult
from reports.publication.services import period_publish
from reports.rankings.selectors import RankingNotFound, ranking_table
from reports.results.services import period_results_recompute
from reports.unit_analysis.render import unit_analysis_render
from reports.unit_analysis.selectors import unit_analysis_build
from scoring import calc
from scoring.models import CriteriaItem
from scoring.workflow import Status
from surveys.models import SipasResult
from tests.appraisal.helpers import appraise, appraise_all, set_status, submitted_assessment
from tests.conftest_constants import PASSWORD
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory, UnitFactory

YEAR = 2026
LATE_REPORT = "Báo cáo CCHC quý III gửi chậm 5 ngày"
ROUND_2_COMMENT = "Đã bổ sung kế hoạch nhưng chưa có kết quả kiểm tra"


# --- data ---------------------------------------------------------------------------------------------


def _published_2025(body, units_points):
    """Publish 2025 results (imported) with two fields of 4 points each: {unit: (field 1, field 2, survey)}."""
    period = PeriodFactory(body=body, year=YEAR - 1, publication_decision="Quyết định 50/QĐ-UBND")
    for unit, (f1, f2, survey) in units_points.items():
        result = PublishedResult.objects.create(
            period=period,
            unit=unit,
            unit_group=unit.group,
            appraisal_points=Decimal(f1) + Decimal(f2) - Decimal(survey),
            survey_points=Decimal(survey),
            max_points=Decimal(8),
        )
        PublishedFieldResult.objects.bulk_create(
            [
                PublishedFieldResult(
                    result=result, field_code="1", points=Decimal(f1), max_points=Decimal(4)
                ),
                PublishedFieldResult(
                    result=result, field_code="2", points=Decimal(f2), max_points=Decimal(4)
                ),
            ]
        )
    return period


def _items(criteria_set):
    return {i.code: i for i in CriteriaItem.objects.filter(criteria_set=criteria_set)}


def _appraised_2026(*, body, units, unit, extra_units=()):
    """2026: every 4th leaf (1.2.2, 2.2.2) is a survey item without ballots (0 points). The unit loses 0.5 on
    1.1.1 (round 1 comment) and 0.75 on 2.1.1 (round 2 comment wins over round 1); the others score the maximum."""
    period = PeriodFactory(body=body, year=YEAR)
    criteria_set = build_criteria_set(period=period, unit_group=unit.group, survey_every=4)
    items = _items(criteria_set)
    assessments = {}
    for member in [*units, *extra_units]:
        assessment = submitted_assessment(unit=member, period=period, status=Status.ROUND_1)
        if member == unit:
            # The other items keep their self-score (the maximum), as the final points do without an appraisal.
            appraise(assessment=assessment, item=items["1.1.1"], points=Decimal("0.50"), comment=LATE_REPORT)
            appraise(
                assessment=assessment,
                item=items["2.1.1"],
                points=Decimal("0"),
                comment="Chưa có kế hoạch",
                needs_explanation=True,
            )
            appraise(assessment=assessment, item=items["2.1.1"], points=Decimal("0.25"), round=2,
                     comment=ROUND_2_COMMENT)  # fmt: skip
        else:
            appraise_all(assessment=assessment, round=1)
        assessments[member] = set_status(assessment, Status.COUNCIL_APPROVED)
    return period, assessments


@pytest.fixture
def scenario(body, departments, unit, other_unit, body_admin):
    """2025 imported: Sở Nội vụ 6/8 (rank 2), Sở Tư pháp 7/8 (rank 1). 2026 published from the appraisal."""
    _published_2025(body, {unit: ("3", "3", "2"), other_unit: ("4", "3", "2")})
    period, _assessments = _appraised_2026(body=body, units=[unit, other_unit], unit=unit)
    period_publish(
        period=period, number="Quyết định 9/QĐ-UBND", signed_on=date(2027, 3, 1), signer="Chủ tịch UBND tỉnh",
        file=None, actor=body_admin,
    )  # fmt: skip
    SipasResult.objects.create(
        period=period, unit=unit, overall_pct=Decimal("81.25"), access_pct=Decimal("82.00"),
        procedures_pct=Decimal("89.60"), civil_servants_pct=Decimal("93.20"), results_pct=Decimal("85.20"),
        feedback_pct=Decimal("18.67"), source="Khảo sát SIPAS 2026",
    )  # fmt: skip
    SipasResult.objects.create(
        period=period.body.periods.get(year=YEAR - 1), unit=unit, overall_pct=Decimal("78.00")
    )
    return period


def _row(table, unit):
    return next(r for r in table.rows if r.unit_id == unit.pk)


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    # Table cells wrap: compare words, not lines.
    return " ".join(text.split())


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _url(unit, year=None):
    url = reverse("reports:unit_analysis", kwargs={"unit_code": unit.code}) + f"?body={unit.body.code}"
    return f"{url}&year={year}" if year else url


# --- figures ------------------------------------------------------------------------------------------


def test_figures_equal_the_ranking_tables(scenario, unit):
    analysis = unit_analysis_build(unit=unit, year=YEAR)
    row = _row(ranking_table(body=unit.body, year=YEAR), unit)
    before = _row(ranking_table(body=unit.body, year=YEAR - 1), unit)

    cur = analysis.current
    assert (cur.appraisal_points, cur.survey_points, cur.total_points, cur.max_points) == (
        row.appraisal_points,
        row.survey_points,
        row.total_points,
        row.max_points,
    )
    assert (cur.index, cur.rank, cur.band_label, cur.group_size) == (row.index, row.rank, row.band.label, 2)
    # 6 appraisal items of 1 point, 1.25 lost; the two survey items have no ballots: 4.75 of 8.
    assert cur.total_points == Decimal("4.75")
    assert cur.rank == 2
    assert analysis.published is True
    assert analysis.previous is not None
    assert (analysis.previous.total_points, analysis.previous.rank) == (before.total_points, before.rank)
    assert analysis.index_change == row.index_change
    assert analysis.rank_change == row.rank_change == 0
    assert analysis.points_change == Decimal("4.75") - Decimal(6)


def test_fields_compare_with_last_year_and_the_group_average(scenario, unit):
    analysis = unit_analysis_build(unit=unit, year=YEAR)

    first, second = analysis.fields
    assert (first.code, first.name) == ("1", "Lĩnh vực 1")
    # Field 1: 1.1.1 at 0.5, 1.2.2 survey at 0: 2.5 of 4; last year 3 of 4.
    assert (first.points, first.max_points, first.previous_points) == (Decimal("2.5"), Decimal(4), Decimal(3))
    assert first.index == Decimal("62.5")
    assert first.index_change == Decimal("62.5") - Decimal(75)
    # The other unit lost only the survey item: 3 of 4 → the average of 62.5 and 75.
    assert first.group_average_index == Decimal("68.75")
    assert second.points == Decimal("2.25")


def test_lost_items_per_field_carry_the_appraisers_comment(scenario, unit):
    analysis = unit_analysis_build(unit=unit, year=YEAR)

    assert analysis.has_item_data
    by_field = {f.field_code: f for f in analysis.losses}
    assert [(i.item_code, i.lost_points, i.comment, i.survey) for i in by_field["1"].items] == [
        ("1.1.1", Decimal("0.50"), LATE_REPORT, False),
        ("1.2.2", Decimal("1.00"), "", True),
    ]
    assert [(i.item_code, i.comment) for i in by_field["2"].items] == [
        ("2.1.1", ROUND_2_COMMENT),
        ("2.2.2", ""),
    ]
    # Next year's tasks: the largest loss first (the survey items lost 1.00, then 2.1.1 lost 0.75).
    assert [t.item_code for t in analysis.tasks] == ["1.2.2", "2.2.2", "2.1.1", "1.1.1"]


def test_sipas_components_with_last_year(scenario, unit):
    analysis = unit_analysis_build(unit=unit, year=YEAR)

    assert [line.value for line in analysis.sipas] == [
        Decimal("81.25"), Decimal("82.00"), Decimal("89.60"), Decimal("93.20"), Decimal("85.20"), Decimal("18.67"),
    ]  # fmt: skip
    assert analysis.sipas[0].previous_value == Decimal("78.00")
    assert analysis.sipas[0].change == Decimal("3.25")
    assert analysis.sipas[1].previous_value is None
    assert analysis.sipas_source == "Khảo sát SIPAS 2026"


def test_imported_year_has_no_item_data_and_no_previous_year(scenario, unit):
    analysis = unit_analysis_build(unit=unit, year=YEAR - 1)

    assert analysis.previous is None
    assert analysis.index_change is None
    assert analysis.has_item_data is False
    assert analysis.losses == ()
    assert analysis.sipas[0].value == Decimal("78.00")


def test_unpublished_year_is_refused_without_draft_and_marked_draft_with_it(
    body, departments, unit, other_unit
):
    period, _assessments = _appraised_2026(body=body, units=[unit, other_unit], unit=unit)
    period_results_recompute(period=period)

    with pytest.raises(RankingNotFound, match="chưa được công bố"):
        unit_analysis_build(unit=unit, year=YEAR)
    analysis = unit_analysis_build(unit=unit, year=YEAR, draft=True)
    assert analysis.published is False
    assert analysis.current.total_points == Decimal("4.75")
    assert analysis.previous is None


# --- files --------------------------------------------------------------------------------------------


def test_pdf_has_the_units_name_and_lost_item_codes(scenario, unit, tmp_path):
    unit.name = "Sở Nội vụ tỉnh Lai Châu"
    unit.save(update_fields=["name"])
    notes = []

    rendered = unit_analysis_render(
        unit=unit, year=YEAR, format="pdf", progress=lambda percent, note: notes.append(percent)
    )

    assert rendered.content.startswith(b"%PDF")
    assert rendered.filename == "phan-tich-so-noi-vu-2026.pdf"
    assert rendered.content_type == "application/pdf"
    assert notes == [20, 50, 90]
    text = _pdf_text(rendered.content, tmp_path)
    assert "Sở Nội vụ tỉnh Lai Châu" in text
    for code in ("1.1.1", "2.1.1", "1.2.2"):
        assert code in text
    assert LATE_REPORT in text
    assert "Điều tra xã hội học" in text
    assert "DỰ THẢO" not in text


def test_draft_pdf_carries_the_banner(body, departments, unit, other_unit, tmp_path):
    period, _assessments = _appraised_2026(body=body, units=[unit, other_unit], unit=unit)
    period_results_recompute(period=period)

    rendered = unit_analysis_render(unit=unit, year=YEAR, format="pdf", draft=True)

    assert rendered.filename == "phan-tich-so-noi-vu-2026-du-thao.pdf"
    assert "DỰ THẢO" in _pdf_text(rendered.content, tmp_path)


def test_excel_cells_are_the_analysis_numbers(scenario, unit):
    analysis = unit_analysis_build(unit=unit, year=YEAR)
    rendered = unit_analysis_render(unit=unit, year=YEAR, format="xlsx")

    wb = load_workbook(io.BytesIO(rendered.content))
    assert wb.sheetnames == ["Tổng hợp", "Theo lĩnh vực", "Điểm bị mất", "SIPAS"]
    summary = wb["Tổng hợp"]
    values = {row[0].value: row for row in summary.iter_rows(min_row=4) if row[0].value}
    index_cell = values["Chỉ số (%)"][1]
    assert index_cell.value == float(calc.quantize_score(analysis.current.index))
    assert index_cell.number_format == "0.00"
    assert values["Tổng điểm"][1].value == 4.75
    assert values["Xếp hạng"][1].value == analysis.current.rank
    assert values["Tổng điểm"][2].value == 6  # last year
    assert summary.freeze_panes == "A4"
    assert summary.print_title_rows == "$3:$3"
    assert summary.page_setup.paperSize == 9  # A4
    assert summary.page_setup.fitToWidth == 1
    assert summary.sheet_properties.pageSetUpPr.fitToPage is True

    fields = wb["Theo lĩnh vực"]
    first = [c.value for c in next(fields.iter_rows(min_row=4, max_row=4))]
    assert first[:5] == ["1", "Lĩnh vực 1", 2.5, 4, 62.5]
    assert fields["E4"].number_format == "0.00"

    lost = [[c.value for c in r] for r in wb["Điểm bị mất"].iter_rows(min_row=4)]
    assert ["1", "1.1.1", "Tiêu chí thành phần 1.1.1", 1, 0.5, 0.5, LATE_REPORT] in lost
    sipas = wb["SIPAS"]
    assert sipas["B4"].value == 81.25
    assert sipas["C4"].value == 78


def test_render_refuses_an_unknown_format(scenario, unit):
    with pytest.raises(ValueError):
        unit_analysis_render(unit=unit, year=YEAR, format="docx")


# --- query counts -------------------------------------------------------------------------------------


def _group_of(body, departments, count):
    return [
        UnitFactory(body=body, group=departments, code=f"don-vi-{n}", name=f"Đơn vị {n}")
        for n in range(count)
    ]


@pytest.mark.parametrize("extra", [0, 12])
def test_build_and_page_take_a_fixed_number_of_queries(
    body, departments, unit, other_unit, body_admin, client, extra, django_assert_max_num_queries
):
    extra_units = _group_of(body, departments, extra)
    _published_2025(body, {u: ("3", "3", "2") for u in [unit, other_unit, *extra_units]})
    period, _assessments = _appraised_2026(
        body=body, units=[unit, other_unit], unit=unit, extra_units=extra_units
    )
    period_publish(
        period=period, number="Quyết định 9/QĐ-UBND", signed_on=date(2027, 3, 1), signer="Chủ tịch UBND tỉnh",
        file=None, actor=body_admin,
    )  # fmt: skip

    # Measured: 30 and 40 queries, with 2 units as with 14.
    with django_assert_max_num_queries(31):
        analysis = unit_analysis_build(unit=unit, year=YEAR)
    assert analysis.current.group_size == 2 + extra

    _login(client, body_admin)
    with django_assert_max_num_queries(42):
        response = client.get(_url(unit, YEAR))
    assert response.status_code == 200


# --- pages and permissions ------------------------------------------------------------------------------


def test_unit_officer_reads_own_analysis_page(scenario, unit, unit_officer, client):
    response = _login(client, unit_officer).get(_url(unit, YEAR))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Sở Nội vụ" in content
    assert LATE_REPORT in content
    assert "1.1.1" in content
    assert "4,75" in content
    assert "2/2" in content  # rank in its group


def test_unit_officer_gets_404_for_another_unit(scenario, other_unit, unit_officer, client):
    response = _login(client, unit_officer).get(_url(other_unit, YEAR))

    assert response.status_code == 404
    assert "Sở Tư pháp" not in response.content.decode()


def test_outsider_gets_404(scenario, unit, outsider, client):
    assert _login(client, outsider).get(_url(unit, YEAR)).status_code == 404


def test_unit_officer_is_refused_an_unpublished_year(
    body, departments, unit, other_unit, unit_officer, client
):
    period, _assessments = _appraised_2026(body=body, units=[unit, other_unit], unit=unit)
    period_results_recompute(period=period)

    response = _login(client, unit_officer).get(_url(unit, YEAR))

    assert response.status_code == 404
    assert "chưa được công bố" in response.content.decode()
    assert "4,75" not in response.content.decode()


def test_staff_read_an_unpublished_year_as_a_draft(body, departments, unit, other_unit, appraiser, client):
    period, _assessments = _appraised_2026(body=body, units=[unit, other_unit], unit=unit)
    period_results_recompute(period=period)

    response = _login(client, appraiser).get(_url(unit))

    assert response.status_code == 200
    assert "DỰ THẢO" in response.content.decode()


def test_index_sends_a_unit_user_to_their_unit(scenario, unit, unit_officer, client):
    response = _login(client, unit_officer).get(reverse("reports:unit_analysis_index"))

    assert response.status_code == 302
    assert response["Location"] == _url(unit)


def test_index_lists_every_unit_for_staff(scenario, unit, other_unit, body_admin, client):
    response = _login(client, body_admin).get(reverse("reports:unit_analysis_index"))

    assert response.status_code == 200
    assert response.context["units"] == [unit, other_unit]


def test_page_offers_downloads_only_when_report_jobs_exist(scenario, unit, body_admin, client):
    from django.urls import NoReverseMatch

    response = _login(client, body_admin).get(_url(unit, YEAR))
    try:
        reverse("reports:report_job_create")
    except NoReverseMatch:
        assert response.context["job_create_url"] is None
        assert "Tải PDF" not in response.content.decode()
    else:
        content = response.content.decode()
        assert 'name="kind" value="unit"' in content
        assert 'name="unit_code" value="so-noi-vu"' in content
        assert "Tải PDF" in content and "Tải Excel" in content


# --- the demo province ----------------------------------------------------------------------------------


def test_demo_published_and_draft_units(db, client, tmp_path):
    """Lai Châu's demo: Sở Y tế published in 2026 with round-2 comments, Sở Xây dựng still a draft."""
    from reports.demo.load import demo_load
    from scoring.models import Period, Unit, User

    body = demo_load().body
    period = Period.objects.get(body=body, year=2026)
    period_results_recompute(period=period)
    health = Unit.objects.get(body=body, code="so-y-te")

    analysis = unit_analysis_build(unit=health, year=2026)
    row = _row(ranking_table(body=body, year=2026), health)
    assert (analysis.current.total_points, analysis.current.index, analysis.current.rank) == (
        row.total_points,
        row.index,
        row.rank,
    )
    assert analysis.previous is None  # no 2025 period in the demo
    comments = {item.comment for field in analysis.losses for item in field.items}
    assert "Đã xem xét giải trình, chấp nhận một phần." in comments
    assert len(analysis.fields) == 8
    assert all(f.name for f in analysis.fields)

    rendered = unit_analysis_render(unit=health, year=2026, format="pdf")
    text = _pdf_text(rendered.content, tmp_path)
    assert "Sở Y tế" in text
    assert "Chỉ số thành phần của đơn vị so với trung bình nhóm" in text  # the radar chart's caption
    assert "LV 8" in text  # and its axes
    (tmp_path / "demo.pdf").write_bytes(rendered.content)
    pages = subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(tmp_path / "demo.pdf"), str(tmp_path / "page")], check=True
    )
    assert pages.returncode == 0
    assert list(tmp_path.glob("page-*.png"))

    # 2020 was imported: no item-level points; 2019 does not exist.
    imported = unit_analysis_build(unit=health, year=2020)
    assert imported.has_item_data is False
    assert imported.previous is None
    assert imported.current.index == _row(ranking_table(body=body, year=2020), health).index

    building = Unit.objects.get(body=body, code="so-xay-dung")
    with pytest.raises(RankingNotFound):
        unit_analysis_build(unit=building, year=2026)
    draft = unit_analysis_build(unit=building, year=2026, draft=True)
    assert draft.published is False
    assert draft.losses

    client.force_login(User.objects.get(username="admin"))
    response = client.get(_url(health, 2026))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_download_form_starts_a_job_that_renders_the_analysis(
    scenario, unit, unit_officer, client, django_capture_on_commit_callbacks
):
    from scoring.models import Job

    create_url = reverse("reports:report_job_create")
    _login(client, unit_officer)
    page = client.get(_url(unit, YEAR)).content.decode()
    assert f'action="{create_url}"' in page

    # The hidden fields exactly as the page sends them, with the PDF button.
    form = {
        "kind": "unit",
        "year": str(YEAR),
        "unit_code": unit.code,
        "body": unit.body.code,
        "format": "pdf",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url, form)

    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.unit, job.year, job.status) == ("unit", unit, YEAR, Job.Status.SUCCEEDED)
    assert job.filename == "phan-tich-so-noi-vu-2026.pdf"


def test_outsider_naming_the_body_gets_404_on_the_index(scenario, outsider, client):
    response = _login(client, outsider).get(reverse("reports:unit_analysis_index") + "?body=lai-chau")

    assert response.status_code == 404


@pytest.mark.parametrize("year", ["20266", "abc", "2019"])
def test_bad_or_missing_year_is_a_404_with_a_message(scenario, unit, body_admin, client, year):
    response = _login(client, body_admin).get(_url(unit, year))

    assert response.status_code == 404
    assert 'role="alert"' in response.content.decode()
