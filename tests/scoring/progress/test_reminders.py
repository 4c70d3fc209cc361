"""Reminder e-mails to units that have not submitted: from the board, the command and the morning schedule."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse

from scoring.models import Assessment, DeadlineExtension, Role
from scoring.progress.reminders import assessment_reminders_send
from scoring.tasks import assessment_reminders_daily_task
from tests.conftest_constants import PASSWORD
from tests.scoring.board_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    VN,
    districts_fixture,
    period_fixture,
    person,
    stages_fixture,
    unit_people_fixture,
)
from tests.scoring.factories import PeriodFactory, UnitFactory

pytestmark = pytest.mark.django_db

LATE_PEOPLE = {"canbo-snv", "thutruong-snv", "canbo-stc", "chutich-tp"}


def _recipients() -> set[str]:
    return {message.to[0].split("@")[0] for message in mail.outbox}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://cchc.laichau.gov.vn"
    settings.REMINDER_DAYS_BEFORE_DEADLINE = 3


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_reminders_go_to_each_officer_and_head_of_late_units_only(body, period, unit_people, body_admin):
    count = assessment_reminders_send(body=body, period=period, actor=body_admin)

    assert count == 4
    assert len(mail.outbox) == 4
    assert _recipients() == LATE_PEOPLE  # not the submitted unit's officer, not the administrator
    for message in mail.outbox:
        assert len(message.to) == 1


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_reminder_is_in_vietnamese_with_unit_year_deadline_and_link(body, period, unit_people, stages):
    assessment_reminders_send(body=body, period=period, actor=None)

    message = next(m for m in mail.outbox if m.to == [unit_people["half_officer"].email])
    assert message.subject == "[PAR INDEX] Quá hạn tự đánh giá chỉ số CCHC năm 2026 — Sở Nội vụ"
    assert "Sở Nội vụ" in message.body
    assert "17:00 ngày 15/12/2026" in message.body
    assert "đã qua" in message.body
    assert "đã chấm 50,0\xa0% số tiêu chí" in message.body
    sheet = reverse("assessment:sheet", kwargs={"pk": Assessment.objects.get(unit=stages["half"]).pk})
    assert f"https://cchc.laichau.gov.vn{sheet}" in message.body
    idle = next(m for m in mail.outbox if m.to == [unit_people["idle_officer"].email])
    assert "Chưa bắt đầu" in idle.body
    assert f"https://cchc.laichau.gov.vn{reverse('assessment:list')}" in idle.body
    assert "Sở Nội vụ tỉnh Lai Châu" in message.body  # the sender: the body's administrator
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL


def test_units_are_reminded_from_n_days_before_the_deadline(body, period, unit_people):
    with time_machine.travel(datetime(2026, 12, 11, 9, 0, tzinfo=VN), tick=False):
        assert assessment_reminders_send(body=body, period=period, actor=None) == 0
    with time_machine.travel(datetime(2026, 12, 13, 9, 0, tzinfo=VN), tick=False):
        assert assessment_reminders_send(body=body, period=period, actor=None) == 4

    assert mail.outbox[0].subject.startswith("[PAR INDEX] Sắp hết hạn tự đánh giá chỉ số CCHC năm 2026")
    assert "Đề nghị đơn vị hoàn thành" in mail.outbox[0].body


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_a_unit_with_an_extension_is_not_reminded_before_its_new_deadline(body, period, unit_people, stages):
    DeadlineExtension.objects.create(
        assessment=Assessment.objects.get(unit=stages["half"]),
        new_deadline=datetime(2027, 1, 15, 17, 0, tzinfo=VN),
        reason="Bão lũ",
    )

    assessment_reminders_send(body=body, period=period, actor=None)

    assert _recipients() == {"canbo-stc", "chutich-tp"}


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_people_without_email_or_of_other_bodies_get_nothing(body, period, unit_people, stages, other_body):
    unit_people["half_head"].email = ""
    unit_people["half_head"].save()
    stranger_unit = UnitFactory(body=other_body, name="Sở Nội vụ Điện Biên")
    person("canbo-dien-bien", other_body, Role.UNIT_OFFICER, stranger_unit)

    assessment_reminders_send(body=body, period=period, actor=None)

    assert _recipients() == LATE_PEOPLE - {"thutruong-snv"}


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_reminder_button_enqueues_the_task_after_commit(
    client, body_admin, period, unit_people, django_capture_on_commit_callbacks
):
    assert client.login(username=body_admin.username, password=PASSWORD)
    url = reverse("assessment:board_remind", kwargs={"period_id": period.pk})

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"next": "body=lai-chau&year=2026&status=late"})

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:board") + "?body=lai-chau&year=2026&status=late"
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing is sent before the transaction commits
    callbacks[0]()
    assert _recipients() == LATE_PEOPLE


def test_reminder_button_only_answers_post(client, body_admin, period):
    assert client.login(username=body_admin.username, password=PASSWORD)

    response = client.get(reverse("assessment:board_remind", kwargs={"period_id": period.pk}))

    assert response.status_code == 405


@pytest.mark.django_db(transaction=True)
def test_board_says_how_many_people_were_reminded(client, body_admin, period, unit_people):
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        assert client.login(username=body_admin.username, password=PASSWORD)
        response = client.post(
            reverse("assessment:board_remind", kwargs={"period_id": period.pk}),
            {"next": "body=lai-chau&year=2026"},
            follow=True,
        )

    assert "Đã gửi nhắc nhở tới 4 người." in response.content.decode()
    assert len(mail.outbox) == 4


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_send_reminders_command(period, unit_people, capsys):
    call_command("send_reminders", "--body", "lai-chau", "--year", "2026")

    assert "Đã gửi 4 thư nhắc nhở." in capsys.readouterr().out
    assert _recipients() == LATE_PEOPLE


def test_send_reminders_command_refuses_an_unknown_period(period):
    with pytest.raises(CommandError, match="chưa có kỳ đánh giá năm 2019"):
        call_command("send_reminders", "--body", "lai-chau", "--year", "2019")


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_daily_task_reminds_every_open_period_and_skips_old_and_far_ones(body, period, unit_people, stages):
    # A deadline long past (the period is being appraised) and one far ahead: no e-mail for either.
    old = PeriodFactory(
        body=body, year=2025, self_assessment_deadline=datetime(2025, 12, 15, 17, 0, tzinfo=VN)
    )
    ahead = PeriodFactory(
        body=body, year=2027, self_assessment_deadline=datetime(2027, 12, 15, 17, 0, tzinfo=VN)
    )
    from tests.scoring.assessment_helpers import build_criteria_set

    for other in (old, ahead):
        build_criteria_set(period=other, unit_group=stages["half"].group)

    assert assessment_reminders_daily_task() == 4
    assert _recipients() == LATE_PEOPLE
    assert all("năm 2026" in m.subject for m in mail.outbox)


def test_daily_reminders_are_scheduled_every_morning():
    entry = django_settings.CELERY_BEAT_SCHEDULE["assessment-reminders-daily"]

    assert entry["task"] == "scoring.tasks.assessment_reminders_daily_task"
    assert entry["schedule"].hour == {8}
    assert entry["schedule"].minute == {0}
    assert django_settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server down")


@pytest.mark.django_db(transaction=True)
def test_board_says_so_when_the_mail_server_is_down(client, settings, body_admin, period, unit_people):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        assert client.login(username=body_admin.username, password=PASSWORD)
        response = client.post(
            reverse("assessment:board_remind", kwargs={"period_id": period.pk}),
            {"next": "body=lai-chau&year=2026"},
            follow=True,
        )

    assert response.status_code == 200
    assert "Không gửi được thư nhắc nhở" in response.content.decode()
