"""Importing ballots from a file: the domain's counts, idempotence, all-or-nothing, the template, the page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from scoring.formatting import format_number
from surveys.ballot_import.io import BallotFileError
from surveys.ballot_import.services import ballot_template, ballots_import
from surveys.models import Ballot, BallotAnswer, BallotSource, BallotStatus, RejectReason
from surveys.stats.selectors import tracking_table
from tests.scoring.factories import UnitFactory
from tests.surveys.helpers import ballot, survey_period

HEADER = ["ballot_number", "form_code", "unit_code", "gioi_tinh", "C1", "C2", "C3", "C4"]


def _xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=10)


def _import(survey, content: bytes, actor=None, filename: str = "phieu.xlsx"):
    return ballots_import(period=survey.period, content=content, filename=filename, actor=actor)


@pytest.fixture
def lai_chau_2020(departments):
    """The 2020 counts of domain.md §5: 20 form × unit plans of 58 ballots = 1,160 issued."""
    units = [UnitFactory(body=departments.body, group=departments, code=f"so-{n:02d}") for n in range(10)]
    survey = survey_period(unit_group=departments, units=units, issued=58)
    rows, number = [], 0
    # 1,138 ballots come back: 61 for the first plan (3 beyond its 58), 57 or 56 for the others (1,077).
    returned = [61] + [57] * 13 + [56] * 6
    plans = [(form, unit) for form in survey.forms for unit in units]
    for (form, unit), count in zip(plans, returned, strict=True):
        for _ in range(count):
            number += 1
            rows.append([f"{number:05d}", form.code, unit.code, "Nam", "A", "B", "C", "D"])
    return survey, _xlsx(rows)


def test_a_ballot_file_reproduces_the_domain_counts_with_three_rejected_over_quota(lai_chau_2020, body_admin):
    survey, content = lai_chau_2020
    summary = _import(survey, content, actor=body_admin)
    assert (summary.created, summary.unchanged, summary.accepted) == (1138, 0, 1135)
    assert summary.rejected_by_reason == {RejectReason.OVER_QUOTA: 3}
    ballots = Ballot.objects.filter(period=survey.period)
    assert ballots.count() == 1138
    assert ballots.filter(status=BallotStatus.ACCEPTED).count() == 1135
    over = ballots.filter(status=BallotStatus.REJECTED)
    assert sorted(over.values_list("number", flat=True)) == ["00059", "00060", "00061"]
    assert set(over.values_list("reject_reason", flat=True)) == {RejectReason.OVER_QUOTA}
    assert BallotAnswer.objects.filter(ballot__period=survey.period).count() == 1138 * 4
    assert set(ballots.values_list("source", "entered_by")) == {(BallotSource.IMPORT, body_admin.pk)}
    total = tracking_table(period=survey.period).tracking.total
    assert (total.issued, total.returned, total.accepted, dict(total.rejected)) == (
        1160,
        1138,
        1135,
        {RejectReason.OVER_QUOTA: 3},
    )
    assert format_number(total.return_rate, places=1) == "98,1"


def test_importing_the_same_file_again_changes_nothing(lai_chau_2020):
    survey, content = lai_chau_2020
    _import(survey, content)
    again = _import(survey, content)
    assert (again.created, again.unchanged, again.rejected_by_reason) == (0, 1138, {})
    assert Ballot.objects.filter(period=survey.period).count() == 1138


def test_a_file_with_one_bad_row_stores_nothing_and_names_row_and_column(survey, unit):
    content = _xlsx(
        [["1", "M1", unit.code, "", "A", "A", "A", "A"], ["2", "M1", unit.code, "", "A", "X", "A", "A"]]
    )
    with pytest.raises(BallotFileError) as caught:
        _import(survey, content)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "C2")]
    assert not Ballot.objects.exists() and not BallotAnswer.objects.exists()


def test_an_incomplete_ballot_is_kept_rejected_with_its_reason_and_its_answers(survey, unit):
    summary = _import(survey, _xlsx([["9", "M2", unit.code, "Nữ", "A", "", "B", "C"]]))
    assert summary.rejected_by_reason == {RejectReason.INCOMPLETE: 1}
    stored = Ballot.objects.get()
    assert (stored.status, stored.reject_reason, stored.respondent) == (
        BallotStatus.REJECTED,
        RejectReason.INCOMPLETE,
        {"gioi_tinh": "Nữ"},
    )
    assert stored.answers.count() == 3


def test_ballots_already_entered_count_towards_the_quota_and_their_numbers_are_left_unchanged(survey, unit):
    form = survey.form("M1")
    for n in range(9):
        ballot(form=form, unit=unit, number=f"E{n}")
    rows = [["E0", "M1", unit.code, "", "D", "D", "D", "D"], ["N1", "M1", unit.code, "", "A", "A", "A", "A"]]
    rows.append(["N2", "M1", unit.code, "", "A", "A", "A", "A"])
    summary = _import(survey, _xlsx(rows))
    assert (summary.created, summary.unchanged) == (2, 1)
    assert summary.rejected_by_reason == {RejectReason.OVER_QUOTA: 1}
    assert Ballot.objects.get(number="N2").reject_reason == RejectReason.OVER_QUOTA
    assert set(Ballot.objects.get(number="E0").answers.values_list("option__code", flat=True)) == {"A"}


def test_the_same_ballot_number_on_two_forms_is_two_ballots(survey, unit):
    summary = _import(
        survey,
        _xlsx(
            [["1", "M1", unit.code, "", "A", "A", "A", "A"], ["1", "M2", unit.code, "", "B", "B", "B", "B"]]
        ),
    )
    assert summary.created == 2 and summary.accepted == 2


def test_the_template_lists_the_columns_and_reads_back_as_valid_ballots(survey):
    content = ballot_template(period=survey.period)
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == ["Số phiếu", "Mã mẫu phiếu", "Mã đơn vị", "gioi_tinh", "C1", "C2", "C3", "C4"]
    examples = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    numbers = {n.upper() for n in Ballot.objects.values_list("number", flat=True)}
    assert examples and all(
        str(row[0]).startswith("VIDU-") and str(row[0]).upper() not in numbers for row in examples
    )
    # The second sheet lists the codes the file may use: the forms and the units.
    codes = [[c.value for c in row] for row in book["Ma hop le"].iter_rows()]
    listed = {row[0] for row in codes}
    assert "M1" in listed and survey.form("M1").target_group.units.first().code in listed
    # Left as it is, the template imports nothing; with real numbers, its rows are valid ballots.
    filled = [[str(row[0]).removeprefix("VIDU-"), *row[1:]] for row in examples]
    summary = _import(survey, _xlsx(filled, header=header))
    assert (summary.created, summary.accepted) == (2, 2)


def _upload_url(survey) -> str:
    return reverse("surveys:ballots_upload", args=[survey.period.pk])


def _upload(client, survey, content: bytes, name: str = "phieu.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(_upload_url(survey), {"file": SimpleUploadedFile(name, content)})


def test_a_body_admin_uploads_a_file_and_is_told_what_was_stored(client, survey, unit, body_admin):
    client.force_login(body_admin)
    page = client.get(_upload_url(survey))
    assert page.status_code == 200 and "ballot_number" in page.content.decode()
    rows = [["1", "M1", unit.code, "", "A", "A", "A", "A"], ["2", "M1", unit.code, "", "A", "", "A", "A"]]
    response = _upload(client, survey, _xlsx(rows))
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "2 phiếu mới (1 hợp lệ)" in shown and "Trả lời không đầy đủ: 1" in shown
    assert Ballot.objects.filter(period=survey.period).count() == 2


def test_an_uploaded_file_with_errors_shows_the_errors_table_and_stores_nothing(
    client, survey, unit, body_admin
):
    client.force_login(body_admin)
    rows = [["1", "M1", unit.code, "", "A", "A", "A", "A"], ["2", "M7", unit.code, "", "A", "A", "A", "A"]]
    response = _upload(client, survey, _xlsx(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "<code>form_code</code>" in page and "Không có mẫu phiếu “M7”" in page
    assert not Ballot.objects.exists()


def test_the_template_is_downloaded_as_an_excel_file(client, survey, body_admin):
    client.force_login(body_admin)
    response = client.get(reverse("surveys:ballots_template", args=[survey.period.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-phieu-2026.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value == "Số phiếu"


@pytest.mark.parametrize("persona", ["unit_officer", "appraiser", "viewer", "outsider"])
def test_anyone_but_a_body_admin_gets_404_and_cannot_import(client, survey, unit, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_upload_url(survey)).status_code == 404
    assert client.get(reverse("surveys:ballots_template", args=[survey.period.pk])).status_code == 404
    assert _upload(client, survey, _xlsx([["1", "M1", unit.code, "", "A", "A", "A", "A"]])).status_code == 404
    assert not Ballot.objects.exists()


def test_a_large_file_is_imported_in_the_background_and_its_page_reports_the_counts(
    client, survey, unit, body_admin, monkeypatch, django_capture_on_commit_callbacks
):
    from scoring.models import Job
    from surveys.ballot_import import views as views_import

    monkeypatch.setattr(views_import, "SYNC_IMPORT_BYTES", 10)
    client.force_login(body_admin)
    rows = [[str(n), "M1", unit.code, "", "A", "B", "C", "D"] for n in range(1, 13)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _upload(client, survey, _xlsx(rows))
    # The import job, then the recompute of the results that the import announced when it committed.
    assert len(callbacks) == 2
    job = Job.objects.get()
    assert response["Location"] == reverse("surveys:ballots_import_job", args=[survey.period.pk, job.pk])
    job.refresh_from_db()
    assert (job.status, job.summary["created"]) == (Job.Status.SUCCEEDED, 12)
    page = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in page  # finished: the page stops polling
    assert "12 phiếu mới (10 hợp lệ)" in page and "Vượt số phiếu phát ra: 2" in page


def test_a_background_job_with_a_bad_file_records_the_errors_and_stores_no_ballot(
    client, survey, unit, body_admin, monkeypatch, django_capture_on_commit_callbacks
):
    from scoring.models import Job
    from surveys.ballot_import import views as views_import

    monkeypatch.setattr(views_import, "SYNC_IMPORT_BYTES", 10)
    client.force_login(body_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, survey, _xlsx([["1", "M1", "khong-co", "", "A", "A", "A", "A"]]))
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.errors == [{"row": 2, "column": "unit_code", "message": "Không có đơn vị mã “khong-co”."}]
    assert "khong-co" in client.get(response["Location"]).content.decode()
    assert not Ballot.objects.exists()


def test_another_bodys_admin_cannot_see_an_import_job(client, survey, body_admin, outsider):
    from django.core.files.base import ContentFile

    from scoring.models import Job

    job = Job(
        body=survey.period.body,
        kind="ballots",
        period=survey.period,
        original_filename="phieu.xlsx",
        requested_by=body_admin,
    )
    job.file.save("phieu.xlsx", ContentFile(b"x"))
    client.force_login(outsider)
    assert (
        client.get(reverse("surveys:ballots_import_job", args=[survey.period.pk, job.pk])).status_code == 404
    )


def test_a_bulk_load_keeps_the_answers_foreign_keys_in_place(survey, unit, monkeypatch):
    from django.db import connection

    from surveys.ballot_import import services as ballot_import

    monkeypatch.setattr(ballot_import, "BULK_LOAD_ANSWERS", 1)
    summary = _import(survey, _xlsx([["1", "M1", unit.code, "", "A", "B", "C", "D"]]))
    assert summary.accepted == 1 and BallotAnswer.objects.count() == 4
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, BallotAnswer._meta.db_table)
    foreign_keys = sorted(c["columns"][0] for c in constraints.values() if c["foreign_key"])
    assert foreign_keys == ["ballot_id", "option_id", "question_id"]
