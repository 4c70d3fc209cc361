"""Audit trail: every change of the self-assessment, deadlines, status and roles is recorded; who may read it."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scoring.assessment.services import (
    assessment_transition,
    deadline_extension_grant,
    evidence_delete,
    evidence_link,
    evidence_unlink,
    evidence_upload,
    self_score_save,
)
from scoring.audit.services import acting_as, audit_record, audit_text
from scoring.models import AuditEvent, EvaluatingBody, Role, RoleAssignment
from scoring.workflow import Status
from tests.appraisal.helpers import assign, assigned_appraiser_for
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import appraisal_items, assessment_for
from tests.scoring.factories import RoleAssignmentFactory, UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def assessment(unit):
    return assessment_for(unit=unit)


@pytest.fixture
def other_assessment(other_unit):
    return assessment_for(unit=other_unit)


@pytest.fixture
def items(assessment):
    return appraisal_items(assessment.criteria_set)


@pytest.fixture
def other_officer(body, other_unit):
    user = UserFactory(username="canbo-stp")
    RoleAssignmentFactory(user=user, body=body, role=Role.UNIT_OFFICER, unit=other_unit)
    return user


def _save(assessment, item, actor, points, *, version, justification="Đã ban hành kế hoạch"):
    return self_score_save(
        assessment=assessment,
        item=item,
        points=None if points is None else Decimal(points),
        justification=justification,
        no_evidence_reason="",
        expected_version=version,
        actor=actor,
    )


def _events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


# --- the recorder ---------------------------------------------------------------------------------------


def test_audit_text_formats_values_vietnamese_style_and_never_raises():
    class Broken:
        def __str__(self):
            raise ValueError("boom")

    assert audit_text(None) == ""
    assert audit_text(Decimal("0.50")) == audit_text(Decimal("0.5")) == "0.5"
    assert audit_text(Decimal("1.00")) == "1"
    assert audit_text(datetime(2027, 1, 15, 17, 0, tzinfo=HCM)) == "15/01/2027 17:00"
    assert audit_text(["a", "b"]) == "a, b"
    assert (audit_text(True), audit_text(False)) == ("Có", "Không")
    assert "Broken" in audit_text(Broken())


def test_audit_record_links_the_event_to_the_dossier_of_its_object(
    assessment, body, unit, unit_officer, items
):
    row = _save(assessment, items[0], unit_officer, "0.5", version=0)

    event = audit_record(body=body, actor=unit_officer, action="custom", obj=row, unit=unit, old=None, new=1)

    assert event.assessment_id == assessment.pk
    assert (event.object_type, event.object_id) == ("scoring.selfscore", str(row.pk))
    assert (event.old_value, event.new_value) == ("", "1")


# --- what the issue-3 services record -------------------------------------------------------------------


def test_self_score_save_records_old_and_new_points_and_justification(assessment, unit_officer, items):
    item = items[0]
    _save(assessment, item, unit_officer, "0.5", version=0, justification="Kế hoạch số 12")
    _save(assessment, item, unit_officer, "0.75", version=1, justification="Kế hoạch số 12 và báo cáo")

    events = _events(action="self_score_save", item_code=item.code)
    changes = [(e.field, e.old_value, e.new_value) for e in events]
    assert changes == [
        ("points", "", "0.5"),
        ("justification", "", "Kế hoạch số 12"),
        ("points", "0.5", "0.75"),
        ("justification", "Kế hoạch số 12", "Kế hoạch số 12 và báo cáo"),
    ]
    assert all(e.actor == unit_officer and e.assessment_id == assessment.pk for e in events)


def test_saving_the_same_values_again_records_nothing(assessment, unit_officer, items):
    _save(assessment, items[0], unit_officer, "0.5", version=0)
    before = AuditEvent.objects.count()

    _save(assessment, items[0], unit_officer, "0.5", version=1)

    assert AuditEvent.objects.count() == before


def test_evidence_upload_link_unlink_and_delete_are_recorded_per_item(assessment, unit_officer, items):
    upload = SimpleUploadedFile("ke-hoach.png", samples.png(), content_type="image/png")
    evidence = evidence_upload(
        assessment=assessment, uploaded_file=upload, item_ids=[items[0].pk], actor=unit_officer
    )
    evidence_link(evidence=evidence, item_ids=[items[1].pk], actor=unit_officer)
    evidence_unlink(evidence=evidence, item=items[0], actor=unit_officer)
    evidence_delete(evidence=evidence, actor=unit_officer)

    rows = [(e.action, e.item_code, e.old_value, e.new_value) for e in _events(field="evidence")]
    assert rows == [
        ("evidence_upload", items[0].code, "", "ke-hoach.png"),
        ("evidence_link", items[1].code, "", "ke-hoach.png"),
        ("evidence_unlink", items[0].code, "ke-hoach.png", ""),
        ("evidence_delete", items[1].code, "ke-hoach.png", ""),
    ]
    assert all(e.assessment_id == assessment.pk for e in _events(field="evidence"))


def test_deadline_extension_records_old_and_new_deadline_and_reason(assessment, body_admin, time_machine):
    time_machine.move_to(datetime(2027, 1, 10, 9, 0, tzinfo=HCM), tick=False)
    assessment.period.self_assessment_deadline = datetime(2027, 1, 15, 17, 0, tzinfo=HCM)
    assessment.period.save()

    deadline_extension_grant(
        assessment=assessment,
        new_deadline=datetime(2027, 1, 20, 17, 0, tzinfo=HCM),
        reason="Đơn vị mới sáp nhập",
        actor=body_admin,
    )

    (event,) = _events(action="deadline_extension_grant")
    assert (event.old_value, event.new_value, event.note) == (
        "15/01/2027 17:00",
        "20/01/2027 17:00",
        "Đơn vị mới sáp nhập",
    )
    assert event.actor == body_admin and event.unit == assessment.unit


def test_every_status_change_is_recorded(assessment, body_admin):
    assessment_transition(assessment=assessment, to=Status.SUBMITTED, actor=body_admin, note="Gửi thử")

    (event,) = _events(action="assessment_transition")
    assert (event.field, event.old_value, event.new_value, event.note) == (
        "status",
        Status.SELF_ASSESSMENT,
        Status.SUBMITTED,
        "Gửi thử",
    )
    assert event.assessment_id == assessment.pk


def test_role_assignment_and_removal_are_recorded_with_the_acting_admin(body, unit, body_admin):
    user = UserFactory(username="canbo-moi")
    with acting_as(body_admin):
        assignment = RoleAssignment.objects.create(user=user, body=body, role=Role.UNIT_OFFICER, unit=unit)
        assignment.delete()

    rows = [(e.action, e.actor, e.unit, e.old_value, e.new_value) for e in _events(field="role", body=body)][
        -2:
    ]
    assert rows == [
        ("role_assign", body_admin, unit, "", "canbo-moi: Cán bộ đơn vị (Sở Nội vụ)"),
        ("role_remove", body_admin, unit, "canbo-moi: Cán bộ đơn vị (Sở Nội vụ)", ""),
    ]


def test_deleting_a_whole_body_is_not_blocked_by_its_role_log(db):
    body = EvaluatingBody.objects.create(code="thu-nghiem", name="Tỉnh thử nghiệm")
    RoleAssignment.objects.create(user=UserFactory(), body=body, role=Role.VIEWER)

    body.delete()

    assert not AuditEvent.objects.filter(body_id=body.pk).exists()


def test_removing_a_user_records_the_loss_of_their_roles(body, viewer):
    viewer.delete()

    assert _events(action="role_remove", body=body)[-1].old_value.startswith("xem: ")


# --- the dossier's history page -------------------------------------------------------------------------


def _history_url(assessment, item_code=""):
    url = reverse("assessment:history", args=[assessment.pk])
    return f"{url}?item={item_code}" if item_code else url


def test_the_unit_sees_its_history_and_can_narrow_it_to_one_item(client, assessment, unit_officer, items):
    _save(assessment, items[0], unit_officer, "0.5", version=0, justification="Căn cứ thứ nhất")
    _save(assessment, items[1], unit_officer, "0.25", version=0, justification="Căn cứ thứ hai")
    client.force_login(unit_officer)

    whole = client.get(_history_url(assessment))
    one = client.get(_history_url(assessment, items[1].code))

    assert whole.status_code == 200
    assert "Căn cứ thứ nhất" in whole.text and "Căn cứ thứ hai" in whole.text
    assert "Căn cứ thứ hai" in one.text and "Căn cứ thứ nhất" not in one.text


def test_body_wide_roles_see_any_units_history(client, assessment, viewer, council_member, body_admin):
    for user in (viewer, council_member, body_admin, assigned_appraiser_for(assessment)):
        client.force_login(user)
        assert client.get(_history_url(assessment)).status_code == 200


def test_an_appraiser_sees_the_history_of_the_dossiers_assigned_to_them_only(client, assessment, appraiser):
    client.force_login(appraiser)
    assert client.get(_history_url(assessment)).status_code == 404
    assign(appraiser, period=assessment.period, field_code="1")
    assert client.get(_history_url(assessment)).status_code == 200


def test_another_units_people_and_other_bodies_get_404_for_the_history(
    client, assessment, other_officer, outsider
):
    for user in (other_officer, outsider):
        client.force_login(user)
        assert client.get(_history_url(assessment)).status_code == 404


def test_history_needs_a_login(client, assessment):
    assert client.get(_history_url(assessment)).status_code == 302


def test_history_of_another_year_is_kept_apart(client, assessment, unit, unit_officer, items, body):
    other_year = assessment_for(
        unit=unit, period=type(assessment.period).objects.create(body=body, year=2025, status="open")
    )
    _save(
        other_year,
        appraisal_items(other_year.criteria_set)[0],
        unit_officer,
        "1",
        version=0,
        justification="Năm trước",
    )
    client.force_login(unit_officer)

    assert "Năm trước" not in client.get(_history_url(assessment)).text


def test_history_page_queries_do_not_grow_with_the_events(
    client, assessment, unit_officer, items, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _save(assessment, items[0], unit_officer, "0.5", version=0)
    client.force_login(unit_officer)
    with CaptureQueriesContext(connection) as few:
        client.get(_history_url(assessment))
    for number, item in enumerate(items[1:], start=1):
        _save(assessment, item, unit_officer, "0.25", version=0, justification=f"Căn cứ {number}")

    with django_assert_max_num_queries(len(few)):
        response = client.get(_history_url(assessment))
    assert response.text.count('data-testid="audit-event"') > 2 * len(items) - 2


def test_the_sheet_links_to_the_history(client, assessment, unit_officer):
    client.force_login(unit_officer)

    response = client.get(reverse("assessment:sheet", args=[assessment.pk]))

    assert _history_url(assessment) in response.text


# --- the administrator's log ------------------------------------------------------------------------------


@pytest.fixture
def logged(assessment, other_assessment, unit_officer, other_officer, items, body_admin):
    """Changes by two units' officers, and a status change by the administrator."""
    _save(assessment, items[0], unit_officer, "0.5", version=0, justification="Sở Nội vụ chấm")
    other_items = appraisal_items(other_assessment.criteria_set)
    self_score_save(
        assessment=other_assessment,
        item=other_items[0],
        points=Decimal("1"),
        justification="=1+1 Sở Tư pháp chấm",
        no_evidence_reason="",
        expected_version=0,
        actor=other_officer,
    )
    assessment_transition(assessment=assessment, to=Status.SUBMITTED, actor=body_admin)


def test_only_body_admins_see_the_log(client, logged, body_admin, unit_officer, viewer, appraiser):
    url = reverse("audit:log")
    client.force_login(body_admin)
    assert "Sở Nội vụ chấm" in client.get(url).text
    for user in (unit_officer, viewer, appraiser):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("audit:log_export")).status_code == 404


def test_another_bodys_admin_sees_none_of_this_bodys_changes(client, logged, outsider, body):
    client.force_login(outsider)

    assert client.get(reverse("audit:log"), {"body": body.code}).status_code == 404
    own = client.get(reverse("audit:log"))
    assert own.status_code == 200 and "Sở Nội vụ chấm" not in own.text
    assert "Sở Nội vụ chấm" not in client.get(reverse("audit:log_export"), {"format": "csv"}).content.decode()


def test_log_filters_by_unit_actor_action_and_dates(
    client, logged, body_admin, unit, other_officer, time_machine
):
    client.force_login(body_admin)
    url = reverse("audit:log")

    by_unit = client.get(url, {"unit": unit.pk})
    by_actor = client.get(url, {"actor": other_officer.pk})
    by_action = client.get(url, {"action": "assessment_transition"})
    today = timezone.localdate().strftime("%d/%m/%Y")
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    by_today = client.get(url, {"date_from": today, "date_to": today})
    by_future = client.get(url, {"date_from": tomorrow})

    assert "Sở Nội vụ chấm" in by_unit.text and "Sở Tư pháp chấm" not in by_unit.text
    assert "Sở Tư pháp chấm" in by_actor.text and "Sở Nội vụ chấm" not in by_actor.text
    assert by_action.text.count('data-action="assessment_transition"') == 1
    assert str(Status.SUBMITTED.label) in by_action.text
    assert 'data-action="self_score_save"' not in by_action.text
    assert "Sở Nội vụ chấm" in by_today.text
    assert 'data-testid="audit-event"' not in by_future.text


def test_a_bad_date_is_reported_not_crashed(client, logged, body_admin):
    client.force_login(body_admin)

    response = client.get(reverse("audit:log"), {"date_from": "2026-13-45"})

    assert response.status_code == 200
    assert "dd/mm/yyyy" in response.text


def test_log_exports_to_excel_and_csv_with_formulas_neutralised(client, logged, body_admin, unit):
    client.force_login(body_admin)
    url = reverse("audit:log_export")

    xlsx = client.get(url, {"unit": unit.pk})
    raw_csv = client.get(url, {"format": "csv"})

    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Thời điểm"
    assert any(row[7] == "Sở Nội vụ chấm" for row in rows[1:])
    assert not any(row[2] == "Sở Tư pháp" for row in rows[1:])

    text = raw_csv.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert any("'=1+1 Sở Tư pháp chấm" in line for line in lines)
    assert "attachment" in raw_csv["Content-Disposition"]


def test_log_page_queries_are_bounded(
    client, logged, body_admin, other_assessment, other_officer, django_assert_max_num_queries
):
    client.force_login(body_admin)
    client.get(reverse("audit:log"))
    for item in appraisal_items(other_assessment.criteria_set)[1:]:
        _save(other_assessment, item, other_officer, "0.25", version=0)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:log"))
    assert response.status_code == 200


def test_roles_added_by_the_users_import_are_recorded_with_the_importer(body, unit, body_admin):
    from scoring.accounts.services import users_import_file

    content = f"username,full_name,email,role,unit_code,body_code\ncanbo-nhap,Cán bộ nhập,nhap@laichau.gov.vn,unit_officer,{unit.code},{body.code}\n"
    users_import_file(content=content.encode(), filename="users.csv", actor=body_admin)

    (event,) = _events(action="role_assign", actor=body_admin)
    assert event.new_value == "canbo-nhap: Cán bộ đơn vị (Sở Nội vụ)"


def test_role_changes_in_the_admin_are_attributed_to_the_administrator(client, body, unit):
    superuser = UserFactory(username="quan-tri-he-thong", is_staff=True, is_superuser=True)
    user = UserFactory(username="canbo-admin")
    client.force_login(superuser)

    response = client.post(
        reverse("admin:scoring_roleassignment_add"),
        {"user": user.pk, "body": body.pk, "role": Role.UNIT_OFFICER, "unit": unit.pk},
    )

    assert response.status_code == 302
    (event,) = _events(action="role_assign", new_value__startswith="canbo-admin")
    assert event.actor == superuser


def test_the_unit_does_not_see_round_one_scores_before_they_are_sent(
    client, assessment, unit_officer, appraiser, items, body
):
    assessment.status = Status.ROUND_1
    assessment.save()
    assign(appraiser, assessment.unit, period=assessment.period)
    audit_record(
        body=body,
        actor=appraiser,
        action="appraisal_round1",
        obj=assessment,
        unit=assessment.unit,
        item_code=items[0].code,
        field="points",
        new=Decimal("0.25"),
        note="Điểm thẩm định chưa gửi",
    )
    client.force_login(unit_officer)
    assert "Điểm thẩm định chưa gửi" not in client.get(_history_url(assessment)).text
    client.force_login(appraiser)
    assert "Điểm thẩm định chưa gửi" in client.get(_history_url(assessment)).text

    assessment.status = Status.EXPLANATION
    assessment.save()
    client.force_login(unit_officer)
    assert "Điểm thẩm định chưa gửi" in client.get(_history_url(assessment)).text
