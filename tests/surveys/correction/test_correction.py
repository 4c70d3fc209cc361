"""Correcting and voiding a ballot before publication: the services (reason, audit, verdict, version check) and
the pages (re-display on error, conflict keeps the input, access)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring.models import AuditEvent
from surveys.correction.services import BallotConflict, ballot_correct, ballot_void
from surveys.models import Ballot, BallotStatus, RejectReason
from surveys.points.selectors import survey_points
from surveys.stats.selectors import tracking_table
from tests.surveys.helpers import ballot, survey_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=5)


def codes(b: Ballot) -> dict[int, str]:
    return dict(b.answers.values_list("question__number", "option__code"))


def test_correct_replaces_the_answers_records_old_and_new_and_raises_the_version(survey, unit, body_admin):
    b = ballot(form=survey.form("M1"), unit=unit, number="7", answers="A")

    corrected = ballot_correct(
        ballot=b, answers={1: "A", 2: "D", 3: "A", 4: "A"}, reason="Gõ nhầm câu 2", expected_version=1,
        actor=body_admin,
    )  # fmt: skip

    assert codes(corrected) == {1: "A", 2: "D", 3: "A", 4: "A"}
    assert corrected.version == 2 and corrected.status == BallotStatus.ACCEPTED
    event = AuditEvent.objects.get(action="survey.ballot_correct")
    assert (event.old_value, event.new_value, event.note) == (
        "1=A, 2=A, 3=A, 4=A (Hợp lệ)",
        "1=A, 2=D, 3=A, 4=A (Hợp lệ)",
        "Gõ nhầm câu 2",
    )
    points = survey_points(period=survey.period).points
    assert points[(unit.pk, survey.survey_items[1].pk)] == 0


def test_correct_decides_the_verdict_again(survey, unit, body_admin):
    b = ballot(form=survey.form("M1"), unit=unit, answers="A")
    corrected = ballot_correct(
        ballot=b, answers={1: "A", 2: None, 3: "A", 4: "A"}, reason="Câu 2 để trống", expected_version=1,
        actor=body_admin,
    )  # fmt: skip
    assert (corrected.status, corrected.reject_reason) == (BallotStatus.REJECTED, RejectReason.INCOMPLETE)


@pytest.mark.parametrize(
    ("answers", "reason", "message"),
    [
        ({1: "B"}, "  ", "Hãy ghi lý do sửa phiếu."),
        ({1: "A", 2: "A", 3: "A", 4: "A"}, "x", "Câu trả lời không thay đổi; không có gì để lưu."),
        ({1: "Z"}, "x", "Câu 1 không có phương án Z."),
    ],
)
def test_correct_refuses_and_writes_nothing(survey, unit, body_admin, answers, reason, message):
    b = ballot(form=survey.form("M1"), unit=unit, answers="A")
    with pytest.raises(ValidationError) as caught:
        ballot_correct(ballot=b, answers=answers, reason=reason, expected_version=1, actor=body_admin)
    assert caught.value.messages == [message]
    b.refresh_from_db()
    assert b.version == 1 and codes(b) == {1: "A", 2: "A", 3: "A", 4: "A"}
    assert not AuditEvent.objects.filter(action="survey.ballot_correct").exists()


def test_a_correction_made_on_an_older_version_is_a_conflict_and_keeps_the_newer_one(
    survey, unit, body_admin
):
    b = ballot(form=survey.form("M1"), unit=unit, number="9", answers="A")
    ballot_correct(ballot=b, answers={1: "B"}, reason="lần đầu", expected_version=1, actor=body_admin)
    with pytest.raises(BallotConflict) as caught:
        ballot_correct(ballot=b, answers={1: "C"}, reason="lần hai", expected_version=1, actor=body_admin)
    assert "vừa được người khác sửa hoặc hủy" in caught.value.messages[0]
    assert codes(Ballot.objects.get(pk=b.pk))[1] == "B"


def test_void_takes_the_ballot_out_of_tracking_and_points_for_both_keyings(survey, unit, body_admin):
    m1 = survey.form("M1")
    kept = ballot(form=m1, unit=unit, answers="A")
    b = ballot(form=m1, unit=unit, number="3", answers="D")
    twin = ballot(form=m1, unit=unit, number="3", answers="D", entry_round=2)

    voided = ballot_void(ballot=b, reason="Phiếu nhập trùng", expected_version=1, actor=body_admin)

    assert voided.status == BallotStatus.VOIDED and voided.void_reason == "Phiếu nhập trùng"
    twin.refresh_from_db()
    assert twin.status == BallotStatus.VOIDED
    total = tracking_table(period=survey.period).tracking.total
    assert (total.returned, total.accepted) == (1, 1)
    assert survey_points(period=survey.period).points[(unit.pk, survey.survey_items[0].pk)] == 1
    assert AuditEvent.objects.filter(action="survey.ballot_void").count() == 2
    assert kept.pk != voided.pk
    with pytest.raises(ValidationError):
        ballot_void(ballot=b, reason="lại", expected_version=2, actor=body_admin)
    with pytest.raises(ValidationError, match="lý do hủy"):
        ballot_void(ballot=kept, reason="", expected_version=1, actor=body_admin)


# --- pages -----------------------------------------------------------------------------------------------------


def correct_url(survey, b) -> str:
    return reverse("surveys:ballot_correct", args=[survey.period.pk, b.pk])


def test_correction_page_saves_with_a_reason_and_goes_back(client, survey, unit, body_admin):
    b = ballot(form=survey.form("M1"), unit=unit, number="11", answers="A")
    client.force_login(body_admin)
    back = reverse("surveys:mismatch_list", args=[survey.period.pk])
    page = client.get(correct_url(survey, b), {"next": back})
    assert page.status_code == 200 and "Sửa phiếu số 11 (M1)" in page.content.decode()

    data = {
        "version": "1",
        "next": back,
        "q1": "A",
        "q2": "B",
        "q3": "A",
        "q4": "A",
        "reason": "Đối chiếu giấy",
    }
    response = client.post(correct_url(survey, b), data, follow=True)

    assert response.redirect_chain[-1][0] == back
    assert "Đã sửa phiếu số 11 (M1)." in response.content.decode()
    assert codes(b)[2] == "B"


def test_correction_page_without_a_reason_shows_the_typed_answers_again(client, survey, unit, body_admin):
    b = ballot(form=survey.form("M1"), unit=unit, answers="A")
    client.force_login(body_admin)
    data = {"version": "1", "q1": "A", "q2": "C", "q3": "A", "q4": "A", "reason": ""}
    response = client.post(correct_url(survey, b), data)
    text = response.content.decode()
    assert response.status_code == 400 and "Hãy ghi lý do sửa phiếu." in text
    assert '<option value="C" selected>' in text
    assert codes(b)[2] == "A"


def test_correction_page_conflict_keeps_the_input_and_shows_the_current_ballot(
    client, survey, unit, body_admin
):
    b = ballot(form=survey.form("M1"), unit=unit, answers="A")
    ballot_correct(ballot=b, answers={1: "D"}, reason="người khác", expected_version=1, actor=body_admin)
    client.force_login(body_admin)
    data = {"version": "1", "q1": "A", "q2": "C", "q3": "A", "q4": "A", "reason": "của tôi"}

    response = client.post(correct_url(survey, b), data)

    text = response.content.decode()
    assert response.status_code == 409 and "vừa được người khác sửa hoặc hủy" in text
    assert '<option value="C" selected>' in text and "của tôi" in text
    assert 'name="version" value="2"' in text  # saving again is a deliberate choice on the current version
    assert codes(b)[1] == "D"
    again = client.post(correct_url(survey, b), {**data, "version": "2"})
    assert again.status_code == 302 and codes(b)[2] == "C"


def test_void_page_voids_with_a_reason_and_tracking_shows_it(client, survey, unit, body_admin):
    b = ballot(form=survey.form("M1"), unit=unit, number="21", answers="A")
    client.force_login(body_admin)
    url = reverse("surveys:ballot_void", args=[survey.period.pk, b.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": "1", "reason": ""}).status_code == 400

    response = client.post(url, {"version": "1", "reason": "Phiếu hỏng"}, follow=True)

    text = response.content.decode()
    assert "Đã hủy phiếu số 21 (M1)." in text
    assert "1 phiếu đã hủy" in text and "Phiếu hỏng" in text


def test_find_goes_to_the_ballot_or_says_it_does_not_exist(client, survey, unit, body_admin):
    b = ballot(form=survey.form("M2"), unit=unit, number="5", answers="A")
    client.force_login(body_admin)
    url = reverse("surveys:ballot_find", args=[survey.period.pk])
    found = client.get(url, {"mau": "m2", "so": "5", "vong": "1"})
    assert found.status_code == 302 and found["Location"].startswith(correct_url(survey, b))
    missing = client.get(url, {"mau": "M2", "so": "6"}, follow=True)
    assert "Không có phiếu số 6 của mẫu M2 ở lần nhập 1." in missing.content.decode()


@pytest.mark.parametrize("persona", ["unit_officer", "outsider"])
def test_correction_and_void_pages_are_404_for_anyone_but_the_body_admin(
    client, survey, unit, persona, request
):
    b = ballot(form=survey.form("M1"), unit=unit, answers="A")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(correct_url(survey, b)).status_code == 404
    url = reverse("surveys:ballot_void", args=[survey.period.pk, b.pk])
    assert client.post(url, {"version": "1", "reason": "x"}).status_code == 404
    assert Ballot.objects.get(pk=b.pk).status == BallotStatus.ACCEPTED
