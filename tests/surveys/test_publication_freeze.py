"""Publication is final for the survey: after a unit's result is published, nothing that feeds its survey points
changes (ballots, import, correction, void, double entry, SIPAS), nor the period's survey design; and every
survey change tells the results once (scoring.results.state.results_changed)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Assessment
from scoring.results.state import results_changed
from scoring.workflow import Status
from surveys.ballot_import.services import ballots_import
from surveys.ballots.services import SurveyFrozen, ballot_record
from surveys.correction.services import ballot_correct, ballot_void
from surveys.design.services import ballot_forms_export, ballot_forms_import, question_create
from surveys.double_entry.services import ballot_mismatch_resolve
from surveys.models import Ballot, SamplePlan, SipasResult
from surveys.sipas.services import SipasError, sipas_result_save, sipas_results_import
from tests.surveys.ballot_import.test_import import _xlsx
from tests.surveys.helpers import ballot, survey_period

pytestmark = pytest.mark.django_db
FROZEN = "đã được công bố"
SIPAS_HEADER = "unit_code,overall_pct,access_pct,procedures_pct,civil_servants_pct,results_pct,feedback_pct"


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=5)


@pytest.fixture
def published(survey, unit):
    """Publish the unit's result of the period (the status alone: these tests need only the guard)."""
    return Assessment.objects.create(
        period=survey.period, unit=unit, criteria_set=survey.criteria_set, status=Status.PUBLISHED
    )


@pytest.fixture
def notified():
    calls: list[int] = []

    def receiver(sender, period_id, **kwargs):
        calls.append(period_id)

    results_changed.connect(receiver)
    yield calls
    results_changed.disconnect(receiver)


# --- acceptance: a ballot for a published unit is refused, on the page and in an import -------------------------


def test_entry_page_refuses_a_ballot_for_a_published_unit_with_a_clear_message(
    client, survey, published, body_admin
):
    client.force_login(body_admin)
    data = {"number": "1", "form_code": "M1", "unit": "Sở Nội vụ", "answers": "ABCD", "entry_round": "1"}
    response = client.post(reverse("surveys:ballot_save", args=[survey.period.pk]), data)
    text = response.content.decode()
    assert "Kết quả năm 2026 của Sở Nội vụ đã được công bố nên không thể thay đổi." in text
    assert not Ballot.objects.exists()
    # Another unit of the period, not published, still takes ballots.
    other = client.post(
        reverse("surveys:ballot_save", args=[survey.period.pk]), {**data, "unit": "Sở Tư pháp"}
    )
    assert other.status_code == 200 and Ballot.objects.count() == 1


def test_import_is_refused_whole_with_the_rows_of_published_units_named(
    client, survey, published, unit, other_unit, body_admin
):
    client.force_login(body_admin)
    rows = [
        ["1", "M1", other_unit.code, "", "A", "A", "A", "A"],
        ["2", "M1", unit.code, "", "A", "A", "A", "A"],
    ]
    upload = SimpleUploadedFile("phieu.xlsx", _xlsx(rows))
    response = client.post(reverse("surveys:ballots_upload", args=[survey.period.pk]), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Kết quả năm 2026 của Sở Nội vụ đã được công bố nên không nhận thêm phiếu." in text
    assert not Ballot.objects.exists()


def test_import_service_names_the_row_and_column(survey, published, unit, body_admin):
    from surveys.ballot_import.io import BallotFileError

    content = _xlsx([["7", "M1", unit.code, "", "A", "A", "A", "A"]])
    with pytest.raises(BallotFileError) as caught:
        ballots_import(period=survey.period, content=content, filename="p.xlsx", actor=body_admin)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "unit_code")]


# --- every other change of a published unit's ballots or SIPAS ---------------------------------------------------


def test_correction_void_and_double_entry_are_refused_after_publication(survey, unit, body_admin):
    m1 = survey.form("M1")
    b = ballot(form=m1, unit=unit, number="5", answers="A")
    ballot(form=m1, unit=unit, number="5", answers="B", entry_round=2)
    Assessment.objects.create(
        period=survey.period, unit=unit, criteria_set=survey.criteria_set, status=Status.PUBLISHED
    )
    with pytest.raises(SurveyFrozen, match=FROZEN):
        ballot_correct(ballot=b, answers={1: "B"}, reason="x", expected_version=1, actor=body_admin)
    with pytest.raises(SurveyFrozen, match=FROZEN):
        ballot_void(ballot=b, reason="x", expected_version=1, actor=body_admin)
    with pytest.raises(SurveyFrozen, match=FROZEN):
        ballot_mismatch_resolve(period=survey.period, form=m1, number="5", keep_round=2, actor=body_admin)
    with pytest.raises(SurveyFrozen, match=FROZEN):
        ballot_record(period=survey.period, form=m1, unit=unit, number="6", answers={1: "A"}, entry_round=2)
    assert Ballot.objects.count() == 2 and not Ballot.objects.filter(version__gt=1).exists()


def test_correction_page_shows_the_refusal(client, survey, unit, body_admin, published):
    b = ballot(form=survey.form("M1"), unit=unit, answers="A")
    client.force_login(body_admin)
    data = {"version": "1", "q1": "B", "q2": "A", "q3": "A", "q4": "A", "reason": "x"}
    response = client.post(reverse("surveys:ballot_correct", args=[survey.period.pk, b.pk]), data)
    assert response.status_code == 400 and FROZEN in response.content.decode()


def test_sipas_import_and_hand_entry_are_refused_for_a_published_unit(
    survey, published, unit, other_unit, body_admin
):
    content = f"{SIPAS_HEADER}\nso-tu-phap,80,,,,,\nso-noi-vu,78,,,,,\n".encode()
    with pytest.raises(SipasError) as caught:
        sipas_results_import(period=survey.period, content=content, filename="s.csv", actor=body_admin)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "unit_code")]
    assert "Sở Nội vụ" in caught.value.message and FROZEN in caught.value.message
    with pytest.raises(SipasError, match=FROZEN):
        sipas_result_save(period=survey.period, unit=unit, values={"overall_pct": "78"}, actor=body_admin)
    assert not SipasResult.objects.exists()
    sipas_result_save(period=survey.period, unit=other_unit, values={"overall_pct": "80"}, actor=body_admin)


# --- the period's survey design, once any unit is published -------------------------------------------------------


def test_survey_design_is_refused_once_any_unit_of_the_period_is_published(
    survey, published, other_unit, body_admin
):
    m1 = survey.form("M1")
    workbook = ballot_forms_export(period=survey.period)
    with pytest.raises(SurveyFrozen, match=FROZEN):
        ballot_forms_import(period=survey.period, workbook=workbook, actor=body_admin)
    with pytest.raises(SurveyFrozen, match=FROZEN):
        question_create(form=m1, number=9, text="?", item=survey.survey_items[0])


def test_sample_plan_page_refuses_changes_after_publication(
    client, survey, published, other_unit, body_admin
):
    m1 = survey.form("M1")
    client.force_login(body_admin)
    response = client.post(
        reverse("surveys:sample_plan", args=[survey.period.pk]), {f"plan-{m1.pk}-{other_unit.pk}": "9"}
    )
    assert response.status_code == 400 and FROZEN in response.content.decode()
    assert SamplePlan.objects.get(form=m1, unit=other_unit).issued == 5


def test_design_is_refused_before_anything_is_read_from_the_file(survey, published, body_admin):
    with pytest.raises(ValidationError, match=FROZEN):
        ballot_forms_import(period=survey.period, workbook=b"not a workbook", actor=body_admin)


# --- every survey change tells the results, once ------------------------------------------------------------------


def test_each_survey_change_tells_the_results_once(survey, unit, other_unit, body_admin, notified):
    period = survey.period
    m1 = survey.form("M1")
    first = ballot_record(
        period=period, form=m1, unit=unit, number="1", answers={1: "A", 2: "A", 3: "A", 4: "A"}
    )
    assert notified == [period.pk]
    ballot_record(
        period=period, form=m1, unit=unit, number="1", answers={1: "B", 2: "A", 3: "A", 4: "A"}, entry_round=2
    )
    ballot_mismatch_resolve(period=period, form=m1, number="1", keep_round=2, actor=body_admin)
    assert len(notified) == 3
    first = Ballot.objects.get(number="1", entry_round=1)
    ballot_correct(
        ballot=first, answers={1: "C"}, reason="x", expected_version=first.version, actor=body_admin
    )
    ballot_void(ballot=first, reason="x", expected_version=first.version + 1, actor=body_admin)
    assert len(notified) == 5
    content = _xlsx([[str(n), "M1", other_unit.code, "", "A", "A", "A", "A"] for n in range(10, 13)])
    ballots_import(period=period, content=content, filename="p.xlsx", actor=body_admin)
    assert len(notified) == 6
    sipas_result_save(period=period, unit=unit, values={"overall_pct": "70"}, actor=body_admin)
    assert len(notified) == 7
    from surveys.design.services import sample_plan_set

    sample_plan_set(form=m1, unit=unit, issued=8, actor=body_admin)
    assert notified == [period.pk] * 8


def test_sipas_hand_entry_page_shows_the_refusal(client, survey, published, unit, body_admin):
    client.force_login(body_admin)
    url = reverse("surveys:sipas_result_edit", kwargs={"period_id": survey.period.pk, "unit_id": unit.pk})
    response = client.post(url, {"overall_pct": "78"})
    assert response.status_code == 400
    assert (
        "Kết quả năm 2026 của Sở Nội vụ đã được công bố nên không thể thay đổi SIPAS."
        in response.content.decode()
    )
    assert not SipasResult.objects.exists()
