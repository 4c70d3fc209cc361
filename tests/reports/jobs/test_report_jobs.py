"""Report jobs: asking (checks and rights), running in-process with progress, failing, retrying; the pages."""

from __future__ import annotations

import io
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports.jobs import services as report_jobs
from reports.jobs.services import (
    ReportJobNotFound,
    report_job_create,
    report_job_get_for_user,
    report_job_request,
    report_job_retry,
    report_job_run,
)
from reports.models import ComputedResult, PublishedFieldResult, PublishedResult
from reports.tasks import report_job_task
from scoring.jobs import services as scoring_jobs
from scoring.models import Job, Role, RoleAssignment
from scoring.workflow import Status as AssessmentStatus
from tests.appraisal.helpers import appraise_all, submitted_assessment
from tests.conftest_constants import PASSWORD
from tests.reports.computed_rows import stored_results
from tests.reports.ranking_data import lai_chau_2020_create
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UserFactory

YEAR = 2020
DRAFT_YEAR = 2026
Status = Job.Status


@pytest.fixture
def lai_chau_2020(body, unit, other_unit):
    # `unit` (Sở Nội vụ) and `other_unit` (Sở Tư pháp) get their published 2020 results here.
    return lai_chau_2020_create(body=body)


@pytest.fixture
def draft_period(body):
    return PeriodFactory(body=body, year=DRAFT_YEAR)


@pytest.fixture
def appraised(draft_period, unit, other_unit):
    low = submitted_assessment(unit=unit, period=draft_period, status=AssessmentStatus.EXPLANATION)
    appraise_all(assessment=low, round=1, points=Decimal("0.75"))
    high = submitted_assessment(unit=other_unit, period=draft_period, status=AssessmentStatus.EXPLANATION)
    appraise_all(assessment=high, round=1)
    return low, high


def _run(job: Job) -> Job:
    report_job_run(job)
    job.refresh_from_db()
    return job


def _rankings_job(actor, body, year=YEAR) -> Job:
    return report_job_create(actor=actor, body=body, kind="rankings", format="xlsx", year=year)


# --- create, then run in-process ------------------------------------------------------------------------


def test_a_rankings_job_runs_in_process_on_commit_and_saves_the_workbook(
    body, body_admin, lai_chau_2020, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = _rankings_job(body_admin, body)

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.error
    assert (job.progress, job.attempts, job.error) == (100, 1, "")
    assert job.progress_note == "Hoàn thành"
    assert job.period == lai_chau_2020
    assert job.requested_by == body_admin
    assert job.started_at <= job.finished_at
    assert job.filename == "xep-hang-lai-chau-2020.xlsx"
    # Stored under a random name, never under the readable one.
    assert job.file.name.startswith("reports/") and job.file.name.endswith(".xlsx")
    assert "xep-hang" not in job.file.name
    with job.file.open("rb") as stored:
        sheet = load_workbook(io.BytesIO(stored.read())).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    noi_vu = next(r for r in rows if r[1] == "Sở Nội vụ")
    assert noi_vu[0] == 1
    assert Decimal(str(noi_vu[6])) == Decimal("87.42")


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_job_has_run_in_process_when_its_creation_commits(
    body, body_admin, lai_chau_2020
):
    # A real commit (no test transaction around it): on_commit fires, Celery runs the task eagerly.
    job = _rankings_job(body_admin, body)

    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (Status.SUCCEEDED, 100, 1)
    assert job.has_file


def test_the_task_runs_the_job_and_leaves_a_finished_job_alone(body, body_admin, lai_chau_2020):
    job = _rankings_job(body_admin, body)  # no on_commit here: the test transaction never commits

    report_job_task.delay(job.pk)  # eager without a broker: runs in this process
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    report_job_task.delay(job.pk)
    report_job_task.delay(987654)  # a deleted job is ignored

    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_claimed_twice_runs_once(body, body_admin, lai_chau_2020, monkeypatch):
    calls = []
    original = report_jobs._render
    monkeypatch.setattr(
        report_jobs, "_render", lambda job, progress: calls.append(job.pk) or original(job, progress)
    )
    job = _rankings_job(body_admin, body)
    stale = Job.objects.get(pk=job.pk)  # a second worker's copy, loaded while the job was queued

    assert report_job_run(job) is True
    assert report_job_run(stale) is False

    job.refresh_from_db()
    assert calls == [job.pk]
    assert (job.status, job.attempts) == (Status.SUCCEEDED, 1)


def test_a_job_already_running_elsewhere_is_left_alone(body, body_admin, lai_chau_2020):
    job = _rankings_job(body_admin, body)
    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, progress=40)

    assert report_job_run(job) is False

    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (Status.RUNNING, 40, 0)


def test_progress_is_written_to_the_row_throttled_and_below_100_until_done(
    body, body_admin, lai_chau_2020, monkeypatch
):
    monkeypatch.setattr(scoring_jobs, "PROGRESS_MIN_INTERVAL", 60)  # however slow this machine is
    job = _rankings_job(body_admin, body)
    report = scoring_jobs.job_progress_writer(job)
    seen = []

    report(20, "Đang đọc")
    seen.append(Job.objects.values_list("progress", "progress_note").get(pk=job.pk))
    report(21, "Vẫn đọc")  # a small step right after: not written
    seen.append(Job.objects.values_list("progress", "progress_note").get(pk=job.pk))
    report(100, "Đã tính xong")  # a renderer's 100 waits for the file
    seen.append(Job.objects.values_list("progress", "progress_note").get(pk=job.pk))

    assert seen == [(20, "Đang đọc"), (20, "Đang đọc"), (99, "Đã tính xong")]


def test_the_annual_report_is_made_as_a_word_document_too(body, body_admin, lai_chau_2020):
    import io

    from docx import Document

    job = _run(report_job_create(actor=body_admin, body=body, kind="annual", format="docx", year=YEAR))

    assert job.status == Job.Status.SUCCEEDED
    assert job.filename.endswith(".docx")
    with job.file.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    assert any(p.text == "I. TÌNH HÌNH TỔ CHỨC ĐÁNH GIÁ" for p in doc.paragraphs)


# --- checks of the request ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "format", "field"),
    [
        ("rankings", "pdf", "format"),
        ("annual", "", "format"),
        ("rankings", "docx", "format"),
        ("recompute", "xlsx", "format"),
        ("weekly", "pdf", "kind"),
    ],
)
def test_a_kind_is_made_only_in_its_formats(body, body_admin, lai_chau_2020, kind, format, field):
    with pytest.raises(ValidationError) as caught:
        report_job_create(actor=body_admin, body=body, kind=kind, format=format, year=YEAR)

    assert list(caught.value.message_dict) == [field]
    assert Job.objects.count() == 0


def test_a_year_without_a_period_is_refused_for_kinds_that_read_results(body, body_admin, lai_chau_2020):
    with pytest.raises(ValidationError) as caught:
        report_job_create(actor=body_admin, body=body, kind="annual", format="pdf", year=2019)

    assert caught.value.message_dict == {"year": ["Không có kỳ đánh giá năm 2019."]}


def test_a_plan_may_be_asked_for_a_year_without_a_period(body, body_admin, lai_chau_2020):
    job = report_job_create(actor=body_admin, body=body, kind="province_plan", format="pdf", year=2021)

    assert (job.period, job.year, job.status) == (None, 2021, Status.QUEUED)


def test_the_form_values_are_checked_all_at_once_in_vietnamese(body, body_admin, lai_chau_2020):
    with pytest.raises(ValidationError) as caught:
        report_job_request(actor=body_admin, kind="unit", year="20x0", format="docx", unit_code="")

    assert caught.value.message_dict == {
        "year": ["Năm phải là số có bốn chữ số, ví dụ 2020."],
        "unit_code": ["Hãy chọn đơn vị."],
        "format": ["Báo cáo phân tích của đơn vị chỉ tạo được dạng PDF, Excel."],
    }


def test_a_unit_of_another_body_is_refused(body, body_admin, lai_chau_2020, other_body):
    from tests.scoring.factories import UnitFactory, UnitGroupFactory

    stranger = UnitFactory(body=other_body, group=UnitGroupFactory(body=other_body), code="so-y-te-db")
    with pytest.raises(ValidationError) as caught:
        report_job_create(actor=body_admin, body=body, kind="unit", format="pdf", year=YEAR, unit=stranger)

    assert caught.value.message_dict == {"unit_code": ["Đơn vị không thuộc cơ quan đánh giá này."]}


def test_a_staff_member_asking_for_an_unknown_unit_code_gets_a_field_error(body, appraiser, lai_chau_2020):
    with pytest.raises(ValidationError) as caught:
        report_job_request(actor=appraiser, kind="unit", year=YEAR, format="pdf", unit_code="khong-co")

    assert caught.value.message_dict == {"unit_code": ["Không có đơn vị mã “khong-co”."]}


# --- who may ask for what -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["body_admin", "appraiser", "council_member", "viewer"])
def test_body_staff_may_ask_for_body_reports_with_drafts(request, body, lai_chau_2020, persona):
    actor = request.getfixturevalue(persona)

    job = report_job_create(actor=actor, body=body, kind="annual", format="pdf", year=YEAR)

    assert job.params == {"draft": True}


@pytest.mark.parametrize("kind", ["annual", "rankings", "province_plan"])
def test_a_unit_officer_may_not_ask_for_body_reports(body, unit_officer, lai_chau_2020, kind):
    format = "xlsx"
    with pytest.raises(PermissionDenied, match="báo cáo chung"):
        report_job_create(actor=unit_officer, body=body, kind=kind, format=format, year=YEAR)


def test_a_unit_officer_asks_for_the_analysis_of_their_own_published_unit(
    body, unit, unit_officer, lai_chau_2020
):
    job = report_job_request(actor=unit_officer, kind="unit", year="2020", format="pdf", unit_code=unit.code)

    assert (job.unit, job.kind, job.params) == (unit, "unit", {"draft": False})


def test_unit_a_cannot_ask_for_unit_b_analysis(body, other_unit, unit_officer, lai_chau_2020):
    with pytest.raises(ReportJobNotFound):
        report_job_request(
            actor=unit_officer, kind="unit", year=YEAR, format="pdf", unit_code=other_unit.code
        )
    with pytest.raises(ReportJobNotFound):
        report_job_create(
            actor=unit_officer, body=body, kind="unit_plan", format="pdf", year=YEAR, unit=other_unit
        )
    # An unknown code answers the same: a unit's people do not learn which units exist.
    with pytest.raises(ReportJobNotFound):
        report_job_request(actor=unit_officer, kind="unit", year=YEAR, format="pdf", unit_code="khong-co")

    assert Job.objects.count() == 0


def test_a_unit_officer_is_refused_a_year_not_yet_published(body, unit, unit_officer, draft_period):
    with pytest.raises(PermissionDenied, match="chưa được công bố"):
        report_job_create(
            actor=unit_officer, body=body, kind="unit", format="pdf", year=DRAFT_YEAR, unit=unit
        )


def test_staff_may_ask_for_a_unit_analysis_of_a_year_not_yet_published(body, unit, appraiser, draft_period):
    job = report_job_create(actor=appraiser, body=body, kind="unit", format="pdf", year=DRAFT_YEAR, unit=unit)

    assert job.params == {"draft": True}


@pytest.mark.parametrize("kind", ["annual", "unit", "rankings", "recompute"])
def test_an_outsider_gets_not_found_whatever_they_ask(body, unit, outsider, lai_chau_2020, kind):
    format = {"annual": "pdf", "unit": "pdf", "rankings": "xlsx", "recompute": ""}[kind]
    with pytest.raises(ReportJobNotFound):
        report_job_create(actor=outsider, body=body, kind=kind, format=format, year=YEAR, unit=unit)
    with pytest.raises(ReportJobNotFound):
        report_job_request(
            actor=outsider, kind=kind, year=YEAR, format=format, unit_code=unit.code, body_code=body.code
        )


@pytest.mark.parametrize("persona", ["appraiser", "unit_officer"])
def test_only_a_body_admin_may_recompute(request, body, draft_period, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied, match="Chỉ quản trị"):
        report_job_create(actor=actor, body=body, kind="recompute", format="", year=DRAFT_YEAR)


def test_a_user_of_two_bodies_must_name_one(body, other_body, body_admin, lai_chau_2020):
    RoleAssignmentFactory(user=body_admin, body=other_body, role=Role.VIEWER)

    with pytest.raises(ValidationError) as caught:
        report_job_request(actor=body_admin, kind="rankings", year=YEAR, format="xlsx")
    job = report_job_request(actor=body_admin, kind="rankings", year=YEAR, format="xlsx", body_code=body.code)

    assert list(caught.value.message_dict) == ["body"]
    assert job.body == body


# --- failure and retry ----------------------------------------------------------------------------------


def test_a_job_with_nothing_to_report_fails_with_the_reason_and_a_retry_succeeds(
    body, body_admin, draft_period, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _rankings_job(body_admin, body, year=DRAFT_YEAR)
    job.refresh_from_db()

    assert job.status == Status.FAILED
    assert job.error == "Chưa có kết quả đã công bố của năm 2026."
    assert (job.attempts, job.has_file, job.finished_at is not None) == (1, False, True)

    # The period gets results; the same job, retried, now finds them.
    from tests.scoring.factories import UnitFactory, UnitGroupFactory

    group = UnitGroupFactory(body=body, code="nhom", name="Nhóm")
    PublishedResult.objects.create(
        period=draft_period,
        unit=UnitFactory(body=body, group=group, code="x"),
        unit_group=group,
        source=PublishedResult.Source.IMPORT,
        appraisal_points=Decimal(60),
        survey_points=Decimal(20),
        max_points=Decimal(100),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_job_retry(job=job, actor=body_admin)
    job.refresh_from_db()

    assert (job.status, job.error, job.progress, job.attempts) == (Status.SUCCEEDED, "", 100, 2)
    assert job.has_file


def test_an_unexpected_error_is_logged_and_shown_as_a_generic_message(
    body, body_admin, lai_chau_2020, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("disk full at /srv/secret")

    monkeypatch.setattr("reports.render.xlsx.rankings_workbook", broken)
    job = _rankings_job(body_admin, body)

    with caplog.at_level(logging.ERROR, logger="reports.jobs.services"):
        job = _run(job)

    assert job.status == Status.FAILED
    assert job.error.startswith("Lỗi hệ thống khi tạo báo cáo")
    assert "secret" not in job.error
    assert "disk full" in caplog.text


def test_only_a_failed_job_is_retried(body, body_admin, lai_chau_2020):
    job = _run(_rankings_job(body_admin, body))

    with pytest.raises(ValidationError, match="đã bị lỗi"):
        report_job_retry(job=job, actor=body_admin)


def test_a_failed_job_is_retried_by_its_requester_or_a_body_admin_only(
    body, unit, unit_officer, unit_head, body_admin, appraiser, draft_period, lai_chau_2020
):
    job = report_job_create(actor=unit_officer, body=body, kind="unit", format="pdf", year=YEAR, unit=unit)
    Job.objects.filter(pk=job.pk).update(status=Status.FAILED, error="x")
    job.refresh_from_db()

    # Someone else of the unit does not even see the job; staff other than admins neither.
    for stranger in (unit_head, appraiser):
        with pytest.raises(ReportJobNotFound):
            report_job_retry(job=job, actor=stranger)
    report_job_retry(job=job, actor=body_admin)
    job.refresh_from_db()
    assert (job.status, job.error) == (Status.QUEUED, "")
    Job.objects.filter(pk=job.pk).update(status=Status.FAILED)
    job.refresh_from_db()
    report_job_retry(job=job, actor=unit_officer)
    job.refresh_from_db()
    assert job.status == Status.QUEUED


# --- who may read a job ----------------------------------------------------------------------------------


def test_a_job_is_read_by_its_requester_and_the_body_admins(
    body, unit, unit_officer, unit_head, body_admin, appraiser, outsider, lai_chau_2020
):
    job = report_job_create(actor=unit_officer, body=body, kind="unit", format="pdf", year=YEAR, unit=unit)

    assert report_job_get_for_user(user=unit_officer, pk=job.pk) == job
    assert report_job_get_for_user(user=body_admin, pk=job.pk) == job
    for stranger in (unit_head, appraiser, outsider):
        with pytest.raises(ReportJobNotFound):
            report_job_get_for_user(user=stranger, pk=job.pk)


def test_a_requester_who_lost_the_unit_no_longer_reads_its_job(body, unit, unit_officer, lai_chau_2020):
    job = report_job_create(actor=unit_officer, body=body, kind="unit", format="pdf", year=YEAR, unit=unit)
    RoleAssignment.objects.filter(user=unit_officer).delete()

    with pytest.raises(ReportJobNotFound):
        report_job_get_for_user(user=unit_officer, pk=job.pk)


# --- recompute ------------------------------------------------------------------------------------------


def test_recompute_through_a_job_reaches_100_and_says_what_it_did(
    body, body_admin, draft_period, appraised, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_request(actor=body_admin, kind="recompute", year=DRAFT_YEAR)
    job.refresh_from_db()

    assert (job.status, job.progress, job.format, job.file.name) == (Status.SUCCEEDED, 100, "", "")
    assert job.progress_note == "Đã tính lại kết quả của 2 đơn vị năm 2026."
    assert ComputedResult.objects.filter(period=draft_period).count() == 2


def test_recompute_run_twice_stores_identical_rows(body, body_admin, draft_period, appraised):
    _run(report_job_create(actor=body_admin, body=body, kind="recompute", format="", year=DRAFT_YEAR))
    first = stored_results(draft_period)
    _run(report_job_create(actor=body_admin, body=body, kind="recompute", format="", year=DRAFT_YEAR))

    assert first and stored_results(draft_period) == first
    assert ComputedResult.objects.count() == 2
    assert [row[0] for row in first] == ["so-noi-vu", "so-tu-phap"]
    assert [(row[5], row[7]) for row in first] == [(Decimal("75.0000"), 2), (Decimal("100.0000"), 1)]


def test_a_draft_rankings_job_reads_the_last_recompute(body, body_admin, draft_period, appraised):
    _run(report_job_create(actor=body_admin, body=body, kind="recompute", format="", year=DRAFT_YEAR))

    job = _run(_rankings_job(body_admin, body, year=DRAFT_YEAR))

    assert job.status == Status.SUCCEEDED, job.error
    assert job.filename == "xep-hang-lai-chau-2026-du-thao.xlsx"


def test_the_recompute_command_prints_a_vietnamese_summary(body, draft_period, appraised):
    out = io.StringIO()
    call_command("recompute_results", "--body", body.code, "--year", str(DRAFT_YEAR), stdout=out)
    first = stored_results(draft_period)
    call_command("recompute_results", "--body", body.code, "--year", str(DRAFT_YEAR), stdout=io.StringIO())

    assert "Đã tính lại kết quả năm 2026 của UBND tỉnh Lai Châu: 2 đơn vị" in out.getvalue()
    assert stored_results(draft_period) == first


def test_the_recompute_command_without_a_body_recomputes_every_bodys_period_of_the_year(
    body, draft_period, appraised
):
    out = io.StringIO()
    call_command("recompute_results", "--year", str(DRAFT_YEAR), stdout=out)

    assert "Đã tính lại kết quả năm 2026 của 1 cơ quan đánh giá: 2 đơn vị" in out.getvalue()
    assert len(stored_results(draft_period)) == 2


def test_the_recompute_command_names_a_missing_body_or_year(body, draft_period):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="khong-co"):
        call_command("recompute_results", "--body", "khong-co", "--year", "2026")
    with pytest.raises(CommandError, match="năm 2019"):
        call_command("recompute_results", "--body", body.code, "--year", "2019")


# --- renderers of the other kinds --------------------------------------------


@pytest.mark.parametrize(("format", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_an_annual_report_job_saves_the_renderers_file(body, body_admin, lai_chau_2020, format, magic):

    job = _run(report_job_create(actor=body_admin, body=body, kind="annual", format=format, year=YEAR))

    assert job.status == Status.SUCCEEDED, job.error
    assert job.filename.endswith(f".{format}")
    with job.file.open("rb") as stored:
        assert stored.read(4).startswith(magic)


@pytest.mark.parametrize(("format", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_a_unit_analysis_job_of_a_unit_officer_saves_the_renderers_file(
    body, unit, unit_officer, lai_chau_2020, format, magic
):

    job = _run(
        report_job_create(actor=unit_officer, body=body, kind="unit", format=format, year=YEAR, unit=unit)
    )

    assert job.status == Status.SUCCEEDED, job.error
    with job.file.open("rb") as stored:
        assert stored.read(4).startswith(magic)


@pytest.mark.parametrize("format", ["pdf", "xlsx"])
def test_a_province_plan_job_of_the_year_after_the_results(body, body_admin, lai_chau_2020, format):
    from tests.reports.plan_data import national_2020_create

    national_2020_create(body=body)  # the province's own 2020 index, which its plan of 2021 starts from

    job = _run(report_job_create(actor=body_admin, body=body, kind="province_plan", format=format, year=2021))

    assert job.status == Status.SUCCEEDED, job.error
    assert job.filename.endswith(f".{format}")


def test_a_unit_officer_asks_for_next_years_plan_of_their_unit(body, unit, unit_officer, lai_chau_2020):
    result = PublishedResult.objects.get(period=lai_chau_2020, unit=unit)
    for code, points in (("1", "8.50"), ("2", "5.25")):
        PublishedFieldResult.objects.create(
            result=result, field_code=code, points=Decimal(points), max_points=Decimal(10)
        )

    job = _run(
        report_job_create(actor=unit_officer, body=body, kind="unit_plan", format="pdf", year=2021, unit=unit)
    )

    assert job.status == Status.SUCCEEDED, job.error
    with job.file.open("rb") as stored:
        assert stored.read(4) == b"%PDF"


def test_the_renderer_gets_drafts_only_for_staff(
    body, unit, unit_officer, appraiser, lai_chau_2020, monkeypatch
):
    from reports.render.files import RenderedFile

    seen = []

    def fake(*, unit, year, format, draft=False, progress=None):
        seen.append(draft)
        progress(50, "…")
        return RenderedFile(b"%PDF-1.7", "phan-tich.pdf", "application/pdf")

    monkeypatch.setattr("reports.unit_analysis.render.unit_analysis_render", fake)
    for actor in (unit_officer, appraiser):
        _run(report_job_create(actor=actor, body=body, kind="unit", format="pdf", year=YEAR, unit=unit))

    assert seen == [False, True]


# --- pages ----------------------------------------------------------------------------------------------

JOBS = reverse("reports:report_jobs")
CREATE = reverse("reports:report_job_create")


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_jobs_page_shows_the_form_and_an_admins_recompute_buttons(
    client, body, body_admin, lai_chau_2020, draft_period, django_assert_max_num_queries
):
    _login(client, body_admin)
    _run(_rankings_job(body_admin, body))

    with django_assert_max_num_queries(14):
        response = client.get(JOBS)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="kind"' in html and 'value="annual"' in html and 'value="recompute"' in html
    assert 'data-year="2026"' in html and 'data-year="2020"' in html
    job = Job.objects.get()
    assert reverse("reports:report_job_download", args=[job.pk]) in html


def test_the_jobs_page_query_count_does_not_grow_with_jobs_or_units(
    client, body, body_admin, lai_chau_2020, django_assert_max_num_queries
):
    _login(client, body_admin)
    for _ in range(2):
        _run(_rankings_job(body_admin, body))
    with django_assert_max_num_queries(14) as few:
        client.get(JOBS)
    for _ in range(6):
        _run(_rankings_job(body_admin, body))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(JOBS)


def test_a_unit_officer_sees_only_their_jobs_and_units_and_no_recompute(
    client, body, unit, other_unit, unit_officer, body_admin, lai_chau_2020
):
    _run(_rankings_job(body_admin, body))
    report_job_create(actor=unit_officer, body=body, kind="unit", format="pdf", year=YEAR, unit=unit)
    _login(client, unit_officer)

    html = client.get(JOBS).content.decode()

    assert 'value="so-noi-vu"' in html and 'value="so-tu-phap"' not in html
    assert 'value="annual"' not in html and 'value="recompute"' not in html
    assert "Bảng xếp hạng" not in html
    assert html.count("data-job=") == 1


def test_posting_a_request_redirects_to_the_job_page_which_shows_it_done(
    client, body, body_admin, lai_chau_2020, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _login(client, body_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CREATE, {"kind": "rankings", "year": "2020", "format": "xlsx", "body": body.code}
        )
    job = Job.objects.get()

    assert response.status_code == 302
    assert response.url == reverse("reports:report_job_detail", args=[job.pk])
    with django_assert_max_num_queries(8):
        page = client.get(response.url)
    html = page.content.decode()
    assert '<progress value="100" max="100"' in html
    assert "Hoàn thành" in html and "hx-get" not in html
    assert reverse("reports:report_job_download", args=[job.pk]) in html


def test_a_running_job_page_polls_its_status_fragment(client, body, body_admin, lai_chau_2020):
    job = _rankings_job(body_admin, body)
    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, progress=40, progress_note="Đang ghi tệp")
    _login(client, body_admin)

    fragment = client.get(reverse("reports:report_job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")

    html = fragment.content.decode()
    assert "<html" not in html
    assert 'hx-trigger="every 1s"' in html
    assert '<progress value="40" max="100"' in html and "40\xa0%" in html and "Đang ghi tệp" in html


def test_a_bad_request_redisplays_what_was_typed_with_the_errors(
    client, body, body_admin, lai_chau_2020, unit
):
    _login(client, body_admin)

    response = client.post(
        CREATE,
        {"kind": "rankings", "year": "2020", "format": "pdf", "unit_code": unit.code, "body": body.code},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Bảng xếp hạng chỉ tạo được dạng Excel." in html
    assert '<option value="rankings" selected>' in html
    assert '<option value="2020" selected>' in html
    assert '<option value="pdf" selected>' in html
    assert f'<option value="{unit.code}" selected>' in html
    assert Job.objects.count() == 0


def test_a_refused_request_is_explained_on_the_page(client, body, unit, unit_officer, draft_period):
    _login(client, unit_officer)

    response = client.post(CREATE, {"kind": "unit", "year": "2026", "format": "pdf", "unit_code": unit.code})

    assert response.status_code == 403
    assert "chưa được công bố" in response.content.decode()


def test_pages_of_another_body_are_not_found(client, body, body_admin, outsider, lai_chau_2020):
    job = _run(_rankings_job(body_admin, body))
    _login(client, outsider)

    assert client.get(JOBS + f"?body={body.code}").status_code == 404
    assert (
        client.post(
            CREATE, {"kind": "rankings", "year": "2020", "format": "xlsx", "body": body.code}
        ).status_code
        == 404
    )
    for name in ("report_job_detail", "report_job_download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:report_job_retry", args=[job.pk])).status_code == 404


def test_the_download_is_checked_every_time(
    client, body, unit, other_unit, unit_officer, lai_chau_2020, monkeypatch
):
    from reports.render.files import RenderedFile

    monkeypatch.setattr(
        report_jobs,
        "_render",
        lambda job, progress: RenderedFile(
            b"%PDF-1.7 fake", "phan-tich-so-noi-vu-2020.pdf", "application/pdf"
        ),
    )
    job = _run(
        report_job_create(actor=unit_officer, body=body, kind="unit", format="pdf", year=YEAR, unit=unit)
    )
    _login(client, unit_officer)
    url = reverse("reports:report_job_download", args=[job.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="phan-tich-so-noi-vu-2020.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 fake"

    RoleAssignment.objects.filter(user=unit_officer).delete()
    # Moved to another unit: the file of the former unit is no longer theirs.
    RoleAssignmentFactory(user=unit_officer, body=body, role=Role.UNIT_OFFICER, unit=other_unit)
    assert client.get(url).status_code == 404


def test_retry_button_requeues_a_failed_job(
    client, body, body_admin, draft_period, django_capture_on_commit_callbacks
):
    job = _run(_rankings_job(body_admin, body, year=DRAFT_YEAR))
    _login(client, body_admin)
    html = client.get(reverse("reports:report_job_detail", args=[job.pk])).content.decode()
    assert "Chưa có kết quả đã công bố của năm 2026." in html and "Thử lại" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_job_retry", args=[job.pk]))

    job.refresh_from_db()
    assert response.status_code == 302
    assert (job.status, job.attempts) == (Status.FAILED, 2)


def test_another_user_cannot_see_a_users_job_page(client, body, body_admin, appraiser, lai_chau_2020):
    job = _run(report_job_create(actor=appraiser, body=body, kind="rankings", format="xlsx", year=YEAR))
    other = UserFactory(username="xem-2")
    RoleAssignmentFactory(user=other, body=body, role=Role.VIEWER)
    _login(client, other)

    assert client.get(reverse("reports:report_job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:report_job_download", args=[job.pk])).status_code == 404
