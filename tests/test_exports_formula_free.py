"""Every spreadsheet export, run with formula text in every field a person typed: 0 live formulas in any file.

Each test builds the data an export reads, overwrites the typed text (unit, group and body names, criteria
names and guidance, appraisers' comments, plan actions and notes, audit values, survey forms…) with the
injection strings below, runs the export through its page or its service, and then checks the file:
- .xlsx: no cell is a formula, and every text that starts like one is a text cell with the quote-prefix style;
- .csv: no field starts like a formula (the writer puts an apostrophe first).
Each test also counts the escaped cells, so that it fails if the typed text never reached the file.
"""

from __future__ import annotations

import csv
import io
import itertools
from decimal import Decimal

import pytest
from django.db.models import Model, QuerySet
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.models import ItemAppraisal
from reports.annual.render import annual_report_render
from reports.jobs.services import report_job_create, report_job_run
from reports.models import NationalFieldResult, RecoveryAction
from reports.plans import services as plan_services
from reports.plans.render import province_plan_render, unit_plan_render
from reports.province import io as province_io
from reports.published import io as published_io
from reports.results.services import period_results_recompute
from reports.unit_analysis.render import unit_analysis_render
from scoring.accounts import io as users_io
from scoring.accounts.services import users_import_file
from scoring.models import AuditEvent, CriteriaItem, CriteriaSet, EvaluatingBody, Period, Unit, UnitGroup
from scoring.workflow import Status
from surveys.models import AnswerOption, BallotForm, Question
from tests.appraisal.helpers import appraise, submitted_assessment
from tests.reports.plan_data import footnote_actions_create, national_2020_create, unit_losses_create
from tests.reports.ranking_data import lai_chau_2020_create
from tests.scoring.assessment_helpers import appraisal_items, assessment_for, build_criteria_set
from tests.scoring.factories import PeriodFactory
from tests.scoring.spreadsheets.injection import EVIL
from tests.surveys.helpers import survey_period

_numbers = itertools.count()


def _starts_formula(text: str) -> bool:
    # Written independently of the writer's own rule: = + - @ first, or after tabs, CRs, LFs and spaces.
    return text[:1] in ("=", "+", "-", "@", "\t", "\r") or text.lstrip()[:1] in ("=", "+", "-", "@")


def poison(queryset: QuerySet, *fields: str) -> None:
    """Overwrite the fields of every row with a different injection string (cut to the column's length)."""
    model: type[Model] = queryset.model
    for pk in queryset.values_list("pk", flat=True):
        values = {}
        for name in fields:
            n = next(_numbers)
            text = f"{EVIL[n % len(EVIL)]} {n}"
            limit = model._meta.get_field(name).max_length
            values[name] = text[:limit] if limit else text
        # update(), not save(): the point is text that arrived by any road (an import, the admin, an old row).
        model.objects.filter(pk=pk).update(**values)


def poison_body(body: EvaluatingBody) -> None:
    poison(EvaluatingBody.objects.filter(pk=body.pk), "name")
    poison(UnitGroup.objects.filter(body=body), "name")
    poison(Unit.objects.filter(body=body), "name")
    poison(Period.objects.filter(body=body), "publication_decision")


def xlsx_escaped(content: bytes) -> int:
    """Assert that the workbook holds no live formula; return how many cells hold escaped formula text."""
    workbook = load_workbook(io.BytesIO(content))
    escaped = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and _starts_formula(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, (
                        sheet.title,
                        cell.coordinate,
                        cell.value,
                    )
                    escaped += 1
    return escaped


def csv_escaped(text: str) -> int:
    """Assert that no CSV field starts like a formula; return how many fields are escaped with an apostrophe."""
    escaped = 0
    for line in csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")):
        for field in line:
            assert not _starts_formula(field), field
            escaped += field.startswith("'") and _starts_formula(field[1:])
    return escaped


# --- reports ----------------------------------------------------------------------------------------------


def test_rankings_page_download(client, viewer, body):
    lai_chau_2020_create(body=body)
    poison_body(body)
    client.force_login(viewer)
    response = client.get(reverse("reports:rankings_xlsx"), {"body": "lai-chau", "year": 2020})
    assert response.status_code == 200
    assert xlsx_escaped(response.content) >= 16 + 2 + 2  # units, groups, body name and decision


def test_rankings_job(body, body_admin):
    lai_chau_2020_create(body=body)
    poison_body(body)
    job = report_job_create(actor=body_admin, body=body, kind="rankings", format="xlsx", year=2020)
    report_job_run(job)
    job.refresh_from_db()
    assert job.has_file, job.error
    with job.file.open("rb") as stored:
        assert xlsx_escaped(stored.read()) >= 16 + 2 + 2


def test_annual_report(body, departments, unit, other_unit):
    period = PeriodFactory(body=body, year=2026)
    criteria_set = build_criteria_set(period=period, unit_group=departments)
    items = appraisal_items(criteria_set)
    for target in (unit, other_unit):
        assessment = submitted_assessment(unit=target, period=period, status=Status.ROUND_2)
        for item in items:
            appraise(assessment=assessment, item=item, points=item.max_points - Decimal("0.25"), comment="x")
    period_results_recompute(period=period)
    poison_body(body)
    poison(CriteriaItem.objects.filter(criteria_set=criteria_set), "name")
    poison(ItemAppraisal.objects.filter(assessment__period=period), "comment")
    rendered = annual_report_render(body=body, year=2026, format="xlsx", draft=True)
    assert xlsx_escaped(rendered.content) >= 2 + len(items)  # units, lost items (their comments in one cell)


def test_province_plan(body, body_admin):
    national_2020_create(body=body)
    footnote_actions_create(body=body, actor=body_admin)
    poison_body(body)
    poison(NationalFieldResult.objects.filter(result__body=body), "name")
    poison(RecoveryAction.objects.filter(body=body), "item_name", "action", "responsible", "note")
    rendered = province_plan_render(body=body, year=2021, format="xlsx")
    assert xlsx_escaped(rendered.content) >= 7 * 3


def test_unit_plan(body, unit, unit_officer):
    unit_losses_create(unit=unit)
    plan_services.unit_plan_build(unit=unit, year=2026, actor=unit_officer)
    poison_body(body)
    poison(RecoveryAction.objects.filter(unit=unit), "item_name", "action", "responsible", "note")
    rendered = unit_plan_render(unit=unit, year=2026, format="xlsx")
    assert xlsx_escaped(rendered.content) >= 1 + RecoveryAction.objects.filter(unit=unit).count() * 3


def test_unit_analysis(body, unit):
    unit_losses_create(unit=unit)
    poison_body(body)
    poison(CriteriaItem.objects.filter(criteria_set__period__body=body), "name")
    poison(ItemAppraisal.objects.filter(assessment__unit=unit), "comment")
    rendered = unit_analysis_render(unit=unit, year=2025, format="xlsx")
    assert xlsx_escaped(rendered.content) >= 3 * 2  # three items lost: name and comment


# --- scoring ----------------------------------------------------------------------------------------------


def test_criteria_set_export(client, viewer, body, departments):
    criteria_set = build_criteria_set(period=PeriodFactory(body=body, year=2025), unit_group=departments)
    poison_body(body)
    poison(CriteriaSet.objects.filter(pk=criteria_set.pk), "name", "note")
    poison(CriteriaItem.objects.filter(criteria_set=criteria_set), "name", "guidance")
    client.force_login(viewer)
    response = client.get(reverse("scoring:criteria_set_export", args=[criteria_set.pk]))
    assert response.status_code == 200
    assert (
        xlsx_escaped(response.content) >= CriteriaItem.objects.filter(criteria_set=criteria_set).count() * 2
    )


def test_progress_board(client, body_admin, body, unit, other_unit):
    period = PeriodFactory(body=body, year=2026)
    for target in (unit, other_unit):
        assessment_for(unit=target, period=period)
    poison_body(body)
    client.force_login(body_admin)
    response = client.get(reverse("assessment:board_xlsx"), {"body": "lai-chau", "year": 2026})
    assert response.status_code == 200
    assert xlsx_escaped(response.content) >= 2 + 1 + 1  # units, their group, the body in the title


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_audit_log(client, body_admin, body, unit, file_format):
    for _n in range(3):
        AuditEvent.objects.create(
            body=body, actor=body_admin, unit=unit, action="self_score.save", item_code="1.1"
        )
    poison_body(body)
    poison(AuditEvent.objects.filter(body=body), "item_code", "old_value", "new_value", "note")
    client.force_login(body_admin)
    response = client.get(reverse("audit:log_export"), {"format": file_format})
    assert response.status_code == 200
    found = (
        csv_escaped(response.content.decode("utf-8"))
        if file_format == "csv"
        else xlsx_escaped(response.content)
    )
    assert found >= 3 * 5  # unit name, code, old and new values, note


def test_temporary_passwords(body):
    rows = [
        [f"nguoi-{n}", f"{text} {n}", f"nguoi{n}@laichau.gov.vn", "body_admin", "", body.code]
        for n, text in enumerate(EVIL)
    ]
    out = io.StringIO()
    csv.writer(out).writerows([list(users_io.COLUMNS), *rows])
    summary = users_import_file(content=out.getvalue().encode(), filename="nguoi-dung.csv")
    assert csv_escaped(users_io.credentials_csv(summary.credentials)) == len(EVIL)


# --- surveys ----------------------------------------------------------------------------------------------


def test_survey_forms_export(client, body_admin, body, departments, unit, other_unit):
    survey = survey_period(unit_group=departments, issued=3)
    poison(BallotForm.objects.filter(period=survey.period), "name", "respondent_group")
    poison(Question.objects.filter(form__period=survey.period), "text")
    poison(AnswerOption.objects.filter(question__form__period=survey.period), "label")
    client.force_login(body_admin)
    response = client.get(reverse("surveys:forms_export", args=[survey.period.pk]))
    assert response.status_code == 200
    options = AnswerOption.objects.filter(question__form__period=survey.period).count()
    assert xlsx_escaped(response.content) >= 2 * 2 + options


def test_ballot_template(client, body_admin, body, departments, unit, other_unit):
    survey = survey_period(unit_group=departments, issued=3)
    poison(BallotForm.objects.filter(period=survey.period), "code")
    poison(Unit.objects.filter(body=body), "code")
    client.force_login(body_admin)
    response = client.get(reverse("surveys:ballots_template", args=[survey.period.pk]))
    assert response.status_code == 200
    assert xlsx_escaped(response.content) >= 2 * 2  # per form: its code in two columns, the unit code


def test_sipas_sample(client, body_admin, body, departments, unit, other_unit):
    survey = survey_period(unit_group=departments, issued=3)
    poison(Unit.objects.filter(body=body), "code")
    client.force_login(body_admin)
    response = client.get(reverse("surveys:sipas_sample", kwargs={"period_id": survey.period.pk}))
    assert response.status_code == 200
    assert csv_escaped(response.content.decode("utf-8")) == 2


# --- files with no typed text: still written through the writer, still free of formulas ------------------


def test_criteria_template(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("scoring:criteria_template_download"))
    assert response.status_code == 200 and xlsx_escaped(response.content) == 0


@pytest.mark.parametrize(
    "make",
    [
        users_io.sample_csv,
        published_io.sample_csv,
        province_io.template_results_csv,
        province_io.template_fields_csv,
    ],
    ids=["users-sample", "published-sample", "province-results-template", "province-fields-template"],
)
def test_sample_csv_files(make):
    assert csv_escaped(make()) == 0


def test_province_template_workbook():
    assert xlsx_escaped(province_io.template_xlsx()) == 0
