"""HTTP tests of the council page: visibility, saves, refusals in Vietnamese."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appraisal.models import CouncilMeeting
from scoring.workflow import Status
from tests.appraisal.view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    MEETING_DAY,
    assessment_fixture,
    council_url,
    explaining_fixture,
    explanation_save_url,
    in_round_2_fixture,
    items_fixture,
    login,
    neighbour_fixture,
)
from tests.scoring import evidence_samples as samples

# --- council --------------------------------------------------------------------------------------------


def test_council_meeting_approves_a_unit(client, body_admin, council_member, in_round_2):
    minutes = SimpleUploadedFile("bien-ban.pdf", samples.PDF, "application/pdf")
    response = login(client, body_admin).post(
        council_url(in_round_2),
        {
            "held_on": MEETING_DAY,
            "members": [council_member.pk],
            "minutes": minutes,
            "note": "",
            f"decision-{in_round_2.pk}": "approve",
        },
    )
    assert response.status_code == 302, response.content.decode()
    in_round_2.refresh_from_db()
    assert in_round_2.status == Status.COUNCIL_APPROVED
    meeting = CouncilMeeting.objects.get()
    assert meeting.held_on == timezone.localdate() - timedelta(days=1)
    assert list(meeting.members_present.all()) == [council_member]
    assert MEETING_DAY in client.get(council_url(in_round_2)).content.decode()


def test_council_return_without_reason_is_refused_and_the_form_keeps_its_values(
    client, body_admin, council_member, in_round_2
):
    response = login(client, body_admin).post(
        council_url(in_round_2),
        {"held_on": MEETING_DAY, "members": [council_member.pk], f"decision-{in_round_2.pk}": "return"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Phải nêu lý do" in html
    assert f'value="{MEETING_DAY}"' in html
    assert 'value="return" checked' in html
    in_round_2.refresh_from_db()
    assert in_round_2.status == Status.ROUND_2


def test_council_date_must_be_dd_mm_yyyy(client, body_admin, council_member, in_round_2):
    response = login(client, body_admin).post(
        council_url(in_round_2),
        {"held_on": "2026-12-15", "members": [council_member.pk], f"decision-{in_round_2.pk}": "approve"},
    )
    assert response.status_code == 422
    assert "dd/mm/yyyy" in response.content.decode()


def test_council_member_reads_the_council_page_but_cannot_record(client, council_member, in_round_2):
    login(client, council_member)
    html = client.get(council_url(in_round_2)).content.decode()
    assert "Ghi nhận cuộc họp" not in html
    assert in_round_2.unit.name in html
    response = client.post(council_url(in_round_2), {f"decision-{in_round_2.pk}": "approve"})
    assert response.status_code == 404
    in_round_2.refresh_from_db()
    assert in_round_2.status == Status.ROUND_2
