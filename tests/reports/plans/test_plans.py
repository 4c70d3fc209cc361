"""Recovery plans: seeds/000's worked example through services, page and exports; unit plans; who sees what."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.models import FieldTarget, RecoveryAction
from reports.plans import selectors as plan_selectors
from reports.plans import services as plan_services
from reports.plans.render import province_plan_render, unit_plan_render
from scoring.models import AuditEvent
from tests.conftest_constants import PASSWORD
from tests.reports.plan_data import (
    EXPECTED,
    UNIT_LOSSES,
    footnote_actions_create,
    national_2020_create,
    unit_losses_create,
)

D = Decimal
TOLERANCE = D("0.01")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
Status = RecoveryAction.Status


def vn_number(text: str) -> Decimal:
    """Return "1.234,56" (or "+0,50") as a Decimal."""
    cleaned = text.strip().lstrip("+").replace(".", "").replace(",", ".")
    return D(re.search(r"-?\d+(?:\.\d+)?", cleaned).group(0))


def cell_text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}">([^<]*)<', html)
    assert match, f"no cell {testid}"
    return match.group(1)


@pytest.fixture
def province_plan(body, body_admin):
    national_2020_create(body=body)
    return footnote_actions_create(body=body, actor=body_admin)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def province_url(body, year=2021):
    return f"{reverse('reports:province_plan', args=[year])}?body={body.code}"


def unit_url(unit, year=2026):
    return f"{reverse('reports:unit_plan', args=[unit.code, year])}?body={unit.body.code}"


# --- the worked example ---------------------------------------------------------------------------------


def test_province_plan_reproduces_seeds_000_targets(body, province_plan):
    plan = plan_selectors.province_plan_get(body=body, year=2021)
    fields = {f.code: f for f in plan.fields}
    assert set(fields) == set(EXPECTED)
    for code, (index_2020, target_2021) in EXPECTED.items():
        assert abs(fields[code].index - D(index_2020)) <= TOLERANCE, code
        assert abs(fields[code].projected_index - D(target_2021)) <= TOLERANCE, code
    # The two 0,25 of field 7 add up; the item judged not recoverable and the dropped one count for nothing.
    assert fields["7"].planned == D("0.50")
    assert fields["4"].planned == D("0.5")
    assert plan.projection.recovered == D("1.58")


def test_province_plan_page_shows_the_targets(client, body, body_admin, province_plan):
    response = login(client, body_admin).get(province_url(body))
    assert response.status_code == 200
    html = response.content.decode()
    for code, (index_2020, target_2021) in EXPECTED.items():
        assert abs(vn_number(cell_text(html, f"field-{code}-index")) - D(index_2020)) <= TOLERANCE
        assert abs(vn_number(cell_text(html, f"field-{code}-projected-index")) - D(target_2021)) <= TOLERANCE
    assert "90,82" in html and "91,76" in html and "80,00" in html and "80,53" in html
    assert "Sắp xếp số lượng cấp phó theo quy định" in html
    assert "Kế hoạch cải thiện Chỉ số CCHC của tỉnh năm 2021" in html


def test_dropping_or_judging_unrecoverable_removes_the_points(body, body_admin, province_plan):
    field_4 = next(a for a in province_plan if a.item_code == "4.2")
    plan_services.recovery_action_update(actor=body_admin, recovery_action=field_4, status=Status.DROPPED)
    field_5 = next(a for a in province_plan if a.item_code == "5.1")
    plan_services.recovery_action_update(
        actor=body_admin, recovery_action=field_5, recoverable=False, recoverable_points=D(0)
    )
    fields = {f.code: f for f in plan_selectors.province_plan_get(body=body, year=2021).fields}
    assert fields["4"].projected_index == fields["4"].projection.index
    assert fields["5"].planned == 0
    assert abs(fields["1"].projected_index - D("91.76")) <= TOLERANCE


def test_projection_stops_at_the_field_maximum(body, body_admin):
    national_2020_create(body=body)
    plan_services.recovery_action_create(
        actor=body_admin, body=body, year=2021, field_code="1", lost_points=D(5), recoverable_points=D(5)
    )
    field = next(f for f in plan_selectors.province_plan_get(body=body, year=2021).fields if f.code == "1")
    assert field.projected_index == D(100)
    assert field.capped


def test_plan_without_national_result_lists_actions_without_projection(client, body, body_admin):
    plan_services.recovery_action_create(
        actor=body_admin, body=body, year=2030, field_code="3", lost_points=D(1), recoverable_points=D("0.5")
    )
    plan = plan_selectors.province_plan_get(body=body, year=2030)
    assert plan.projection is None and plan.total == 1
    response = login(client, body_admin).get(province_url(body, 2030))
    assert response.status_code == 200
    assert "chưa tính được chỉ số dự kiến" in response.content.decode()


# --- services: rules and audit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lost", "recoverable", "points", "field", "message"),
    [
        ("0.5", True, "0.75", "recoverable_points", "không được lớn hơn điểm bị mất"),
        ("1", False, "0.5", "recoverable_points", "không thể khắc phục"),
        ("-1", True, "0", "lost_points", "không được âm"),
        ("1", True, "-0.5", "recoverable_points", "không được âm"),
    ],
)
def test_create_rejects_points_out_of_rule(body, body_admin, lost, recoverable, points, field, message):
    with pytest.raises(ValidationError) as exc:
        plan_services.recovery_action_create(
            actor=body_admin,
            body=body,
            year=2021,
            field_code="1",
            lost_points=D(lost),
            recoverable=recoverable,
            recoverable_points=D(points),
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert not RecoveryAction.objects.exists()


def test_update_rejects_more_recoverable_than_lost(body, body_admin, province_plan):
    action = province_plan[0]
    with pytest.raises(ValidationError):
        plan_services.recovery_action_update(
            actor=body_admin, recovery_action=action, recoverable_points=D(9)
        )
    action.refresh_from_db()
    assert action.recoverable_points == D("0.08")


def test_status_change_is_audited(body, body_admin, province_plan):
    action = province_plan[0]
    plan_services.recovery_action_update(actor=body_admin, recovery_action=action, status=Status.DONE)
    event = AuditEvent.objects.get(action="recovery_action_status")
    assert (event.old_value, event.new_value, event.actor) == ("Chưa thực hiện", "Đã hoàn thành", body_admin)
    assert event.object_id == str(action.pk)


def test_unchanged_update_writes_nothing(body, body_admin, province_plan):
    before = AuditEvent.objects.count()
    plan_services.recovery_action_update(
        actor=body_admin, recovery_action=province_plan[0], status=Status.PLANNED
    )
    assert AuditEvent.objects.count() == before


def test_unit_officer_cannot_change_the_province_plan(body, unit_officer, province_plan):
    with pytest.raises(PermissionDenied):
        plan_services.recovery_action_create(
            actor=unit_officer,
            body=body,
            year=2021,
            field_code="1",
            lost_points=D(1),
            recoverable_points=D(1),
        )
    with pytest.raises(PermissionDenied):
        plan_services.recovery_action_update(
            actor=unit_officer, recovery_action=province_plan[0], status="done"
        )
    with pytest.raises(PermissionDenied):
        plan_services.recovery_action_delete(actor=unit_officer, recovery_action=province_plan[0])


def test_unit_people_keep_their_own_plan_only(body, unit, other_unit, unit_officer, unit_head, appraiser):
    for actor in (unit_officer, unit_head):
        plan_services.recovery_action_create(
            actor=actor,
            body=body,
            year=2026,
            unit=unit,
            field_code="1",
            lost_points=D(1),
            recoverable_points=D(1),
        )
    for actor, target in ((unit_officer, other_unit), (appraiser, unit)):
        with pytest.raises(PermissionDenied):
            plan_services.recovery_action_create(
                actor=actor,
                body=body,
                year=2026,
                unit=target,
                field_code="1",
                lost_points=D(1),
                recoverable_points=D(1),
            )


def test_delete_removes_and_audits(body, body_admin, province_plan):
    plan_services.recovery_action_delete(actor=body_admin, recovery_action=province_plan[0])
    assert not RecoveryAction.objects.filter(pk=province_plan[0].pk).exists()
    assert AuditEvent.objects.filter(action="recovery_action_deleted").count() == 1


# --- unit plans -------------------------------------------------------------------------------------------


def test_unit_plan_built_from_last_years_lost_items(body, unit, unit_officer):
    unit_losses_create(unit=unit)
    added = plan_services.unit_plan_build(unit=unit, year=2026, actor=unit_officer)
    assert added == 3
    actions = {a.item_code: a for a in RecoveryAction.objects.filter(unit=unit, year=2026)}
    assert set(actions) == set(UNIT_LOSSES)
    assert actions["1.1.1"].lost_points == D("0.5") and actions["1.1.1"].recoverable_points == D("0.5")
    assert actions["1.2.2"].lost_points == D(1) and actions["1.2.2"].field_code == "1"
    assert actions["2.1.1"].recoverable and actions["2.1.1"].note == "Báo cáo trễ hạn"
    plan = plan_selectors.unit_plan_get(unit=unit, year=2026)
    fields = {f.code: f for f in plan.fields}
    assert fields["1"].index == D("62.5") and fields["1"].projected_index == D(100)
    assert fields["2"].projected_index == D(100)


def test_unit_plan_build_is_idempotent_and_keeps_what_was_typed(body, unit, unit_officer):
    unit_losses_create(unit=unit)
    plan_services.unit_plan_build(unit=unit, year=2026, actor=unit_officer)
    typed = RecoveryAction.objects.get(unit=unit, item_code="1.2.2")
    plan_services.recovery_action_update(
        actor=unit_officer,
        recovery_action=typed,
        action="Ban hành kế hoạch trước 31/01",
        recoverable_points=D("0.5"),
        status=Status.IN_PROGRESS,
    )
    removed = RecoveryAction.objects.get(unit=unit, item_code="2.1.1")
    plan_services.recovery_action_delete(actor=unit_officer, recovery_action=removed)

    assert plan_services.unit_plan_build(unit=unit, year=2026, actor=unit_officer) == 1
    assert plan_services.unit_plan_build(unit=unit, year=2026, actor=unit_officer) == 0
    typed.refresh_from_db()
    assert (typed.action, typed.recoverable_points, typed.status) == (
        "Ban hành kế hoạch trước 31/01",
        D("0.5"),
        Status.IN_PROGRESS,
    )
    assert RecoveryAction.objects.filter(unit=unit, year=2026).count() == 3


def test_unit_people_cannot_build_from_unpublished_results(body, unit, unit_officer, body_admin):
    unit_losses_create(unit=unit, published=False)
    with pytest.raises(plan_services.PlanError, match="chưa được công bố"):
        plan_services.unit_plan_build(unit=unit, year=2026, actor=unit_officer)
    # The body's staff may plan from a period still in appraisal.
    assert plan_services.unit_plan_build(unit=unit, year=2026, actor=body_admin) == 3


def test_unit_plan_page_builds_and_shows_projection(client, body, unit, unit_officer):
    unit_losses_create(unit=unit)
    login(client, unit_officer)
    response = client.post(reverse("reports:unit_plan_build", args=[unit.code, 2026]) + f"?body={body.code}")
    assert response.status_code == 302
    html = client.get(unit_url(unit)).content.decode()
    assert vn_number(cell_text(html, "field-1-index")) == D("62.50")
    assert vn_number(cell_text(html, "field-1-projected-index")) == D("100.00")
    assert "Thiếu kế hoạch CCHC năm" in html
    assert "Lập từ kết quả năm trước" in html


# --- who sees what --------------------------------------------------------------------------------------


def test_unit_plan_is_hidden_from_other_units_and_outsiders(
    client, body, unit, other_unit, unit_officer, outsider
):
    action = plan_services.recovery_action_create(
        actor=unit_officer,
        body=body,
        year=2026,
        unit=unit,
        field_code="1",
        lost_points=D(1),
        recoverable_points=D(1),
    )
    other_officer = _officer_of(other_unit)
    login(client, other_officer)
    assert client.get(unit_url(unit)).status_code == 404
    assert client.get(reverse("reports:plan_action_edit", args=[action.pk])).status_code == 404
    assert client.post(reverse("reports:plan_action_delete", args=[action.pk])).status_code == 404
    assert client.post(reverse("reports:unit_plan_build", args=[unit.code, 2026])).status_code == 404
    assert client.get(unit_url(other_unit)).status_code == 200
    client.logout()
    login(client, outsider)
    assert client.get(unit_url(unit)).status_code == 404
    assert client.get(province_url(body)).status_code == 404
    assert client.get(reverse("reports:plan_action_edit", args=[action.pk])).status_code == 404
    assert RecoveryAction.objects.filter(pk=action.pk).exists()


def _officer_of(unit):
    from scoring.models import Role
    from tests.scoring.factories import RoleAssignmentFactory, UserFactory

    user = UserFactory(username=f"canbo-{unit.code}")
    RoleAssignmentFactory(user=user, body=unit.body, role=Role.UNIT_OFFICER, unit=unit)
    return user


def test_unit_officer_reads_but_cannot_edit_the_province_plan(client, body, unit_officer, province_plan):
    login(client, unit_officer)
    response = client.get(province_url(body))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("reports:plan_action_edit", args=[province_plan[0].pk]) not in html
    # The body's reports are for its staff: no export buttons for a unit's people.
    assert "Tải PDF" not in html
    edit = reverse("reports:plan_action_edit", args=[province_plan[0].pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"status": "done"}).status_code == 403
    assert (
        client.get(
            reverse("reports:province_plan_action_add", args=[2021]) + f"?body={body.code}"
        ).status_code
        == 403
    )
    province_plan[0].refresh_from_db()
    assert province_plan[0].status == Status.PLANNED


def test_staff_see_the_unit_plan_and_draft_figures(client, body, unit, appraiser):
    unit_losses_create(unit=unit, published=False)
    from reports.results.services import period_results_recompute
    from scoring.models import Period

    period_results_recompute(period=Period.objects.get(body=body, year=2025))
    html = login(client, appraiser).get(unit_url(unit)).content.decode()
    assert "chưa được công bố" in html
    assert vn_number(cell_text(html, "field-1-index")) == D("62.50")
    # An appraiser reads the plan but does not keep it.
    assert 'data-testid="plan-build"' not in html


def test_unit_officer_sees_no_draft_figures(client, body, unit, unit_officer):
    unit_losses_create(unit=unit, published=False)
    from reports.results.services import period_results_recompute
    from scoring.models import Period

    period_results_recompute(period=Period.objects.get(body=body, year=2025))
    html = login(client, unit_officer).get(unit_url(unit)).content.decode()
    assert 'data-testid="field-1-index"' not in html
    assert "chưa tính được chỉ số dự kiến" in html


# --- forms ------------------------------------------------------------------------------------------------


def test_edit_form_saves_status_and_due_date(client, body, unit, unit_officer):
    action = plan_services.recovery_action_create(
        actor=unit_officer,
        body=body,
        year=2026,
        unit=unit,
        field_code="1",
        lost_points=D(1),
        recoverable_points=D(1),
    )
    login(client, unit_officer)
    data = {
        "field_code": "1",
        "item_code": "1.1.1",
        "item_name": "Kế hoạch CCHC",
        "lost_points": "1",
        "recoverable": "on",
        "recoverable_points": "0,75",
        "action": "Ban hành kế hoạch",
        "responsible": "Văn phòng Sở",
        "due_date": "30/06/2026",
        "status": "in_progress",
        "note": "",
    }
    response = client.post(reverse("reports:plan_action_edit", args=[action.pk]), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.due_date.isoformat(), action.recoverable_points) == (
        "in_progress",
        "2026-06-30",
        D("0.75"),
    )
    assert "30/06/2026" in client.get(unit_url(unit)).content.decode()


def test_form_redisplays_what_was_typed_on_error(client, body, body_admin):
    login(client, body_admin)
    url = reverse("reports:province_plan_action_add", args=[2021]) + f"?body={body.code}"
    data = {
        "field_code": "4",
        "item_code": "4.2",
        "item_name": "Sắp xếp cấp phó",
        "lost_points": "0,5",
        "recoverable": "on",
        "recoverable_points": "0,75",
        "action": "Rà soát số lượng cấp phó",
        "due_date": "31/12/2021",
        "status": "planned",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "không được lớn hơn điểm bị mất" in html
    assert 'value="0,75"' in html and "Rà soát số lượng cấp phó" in html and 'value="31/12/2021"' in html
    assert not RecoveryAction.objects.exists()
    data["due_date"] = "31/13/2021"
    data["recoverable_points"] = "0,5"
    response = client.post(url, data)
    assert response.status_code == 400 and "dd/mm/yyyy" in response.content.decode()
    data["due_date"] = "31/12/2021"
    assert client.post(url, data).status_code == 302
    assert RecoveryAction.objects.get().recoverable_points == D("0.5")


def test_filters_and_overdue_highlight(client, body, body_admin, province_plan):
    late = province_plan[1]
    plan_services.recovery_action_update(
        actor=body_admin, recovery_action=late, due_date=timezone.localdate() - timedelta(days=1)
    )
    plan_services.recovery_action_update(
        actor=body_admin, recovery_action=province_plan[0], status=Status.DONE
    )
    login(client, body_admin)
    html = client.get(province_url(body) + "&status=overdue").content.decode()
    assert f'data-action="{late.pk}" class="overdue"' in html
    assert html.count("data-action=") == 1
    html = client.get(province_url(body) + "&field=7").content.decode()
    assert html.count("data-action=") == 3  # two footnotes and the dropped one
    html = client.get(province_url(body) + "&status=done").content.decode()
    assert html.count("data-action=") == 1


def test_plans_index_lists_progress_for_staff_and_own_plans_for_units(
    client, body, unit, other_unit, unit_officer, body_admin, province_plan
):
    for target in (unit, other_unit):
        plan_services.recovery_action_create(
            actor=body_admin,
            body=body,
            year=2026,
            unit=target,
            field_code="1",
            lost_points=D(1),
            recoverable_points=D(1),
        )
    done = RecoveryAction.objects.get(unit=unit)
    plan_services.recovery_action_update(actor=body_admin, recovery_action=done, status=Status.DONE)
    html = login(client, body_admin).get(reverse("reports:plans") + f"?body={body.code}").content.decode()
    assert unit.name in html and other_unit.name in html and "1/1" in html and "0/1" in html
    assert "0/7" in html  # the province's 2021 plan
    client.logout()
    html = login(client, unit_officer).get(reverse("reports:plans") + f"?body={body.code}").content.decode()
    assert unit.name in html and other_unit.name not in html
    response = client.get(reverse("reports:plans"), {"body": body.code, "unit": unit.code, "year": "2027"})
    assert response.status_code == 302 and response.url == unit_url(unit, 2027)


# --- query counts ------------------------------------------------------------------------------------------


def _many_actions(body, actor, count, unit=None):
    RecoveryAction.objects.bulk_create(
        RecoveryAction(
            body=body,
            year=2021 if unit is None else 2026,
            unit=unit,
            field_code=("1", "4", "5", "7")[n % 4],
            item_code=f"9.{n}",
            item_name=f"Nội dung {n}",
            lost_points=D("0.01"),
            recoverable_points=D("0.01"),
            responsible_unit=unit,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 30])
def test_plans_index_query_count_is_fixed(
    client, body, body_admin, departments, django_assert_max_num_queries, count
):
    from tests.scoring.factories import UnitFactory

    for n in range(count):
        target = UnitFactory(body=body, group=departments, code=f"don-vi-{n}", name=f"Đơn vị {n}")
        _many_actions(body, body_admin, 2, unit=target)
    login(client, body_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:plans") + f"?body={body.code}")
    assert response.content.decode().count("/ke-hoach/don-vi/don-vi-") == count


@pytest.mark.parametrize("count", [5, 40])
def test_province_plan_page_query_count_is_fixed(
    client, body, body_admin, django_assert_max_num_queries, count
):
    national_2020_create(body=body)
    _many_actions(body, body_admin, count)
    login(client, body_admin)
    with django_assert_max_num_queries(10):
        response = client.get(province_url(body))
    assert response.content.decode().count("data-action=") == count


@pytest.mark.parametrize("count", [5, 40])
def test_unit_plan_page_query_count_is_fixed(
    client, body, unit, unit_officer, django_assert_max_num_queries, count
):
    unit_losses_create(unit=unit)
    _many_actions(body, unit_officer, count, unit=unit)
    login(client, unit_officer)
    with django_assert_max_num_queries(16):
        response = client.get(unit_url(unit))
    assert response.content.decode().count("data-action=") == count


# --- exports ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_province_plan_pdf_has_the_targets_and_diacritics(body, province_plan):
    FieldTarget.objects.create(
        body=body,
        year=2021,
        field_code="4",
        target_index=D("83.73"),
        rank_best=47,
        rank_worst=49,
        responsible="Sở Nội vụ",
    )
    notes = []
    rendered = province_plan_render(body=body, year=2021, format="pdf", progress=lambda p, n: notes.append(p))
    assert (
        rendered.content.startswith(b"%PDF") and rendered.filename == "ke-hoach-chi-so-cchc-lai-chau-2021.pdf"
    )
    assert rendered.content_type == "application/pdf"
    assert notes == sorted(notes) and notes[-1] == 90
    # Kept in test-artifacts/ (gitignored) to look at the page: pdftoppm -png -r 60.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "plan-province-2021.pdf"
    path.write_bytes(rendered.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Công tác chỉ đạo điều hành",
        "Hiện đại hóa hành chính",
        "Sắp xếp số lượng cấp phó",
        "Sở Nội vụ",
    ):
        assert expected in text
    for number in ("90,82", "91,76", "79,39", "80,00", "80,53", "76,29"):
        assert number in text
    assert "83,7" in text and "47–49" in text


def test_province_plan_xlsx_numbers_equal_the_projection(body, province_plan):
    rendered = province_plan_render(body=body, year=2021, format="xlsx")
    assert rendered.filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(rendered.content))
    fields_sheet, actions_sheet = workbook.worksheets
    assert fields_sheet.freeze_panes == "A6"
    rows = {row[0].value: row for row in fields_sheet.iter_rows(min_row=6) if row[0].value}
    for code, (index_2020, target_2021) in EXPECTED.items():
        index_cell, projected_cell = rows[code][4], rows[code][7]
        assert isinstance(projected_cell.value, (int, float)) and projected_cell.number_format == "0.00"
        assert abs(D(str(index_cell.value)) - D(index_2020)) <= TOLERANCE
        assert abs(D(str(projected_cell.value)) - D(target_2021)) <= TOLERANCE
    assert D(str(rows["7"][5].value)) == D("0.5")
    lost = [row[6].value for row in actions_sheet.iter_rows(min_row=2)]
    assert len(lost) == 7 and D(str(lost[0])) == D("0.08")


def test_unit_plan_exports(body, unit, unit_officer, tmp_path):
    unit_losses_create(unit=unit)
    plan_services.unit_plan_build(unit=unit, year=2026, actor=unit_officer)
    rendered = unit_plan_render(unit=unit, year=2026, format="xlsx")
    workbook = load_workbook(io.BytesIO(rendered.content))
    rows = {row[0].value: row for row in workbook.worksheets[0].iter_rows(min_row=6) if row[0].value}
    assert D(str(rows["1"][4].value)) == D("62.5") and D(str(rows["1"][7].value)) == D(100)
    if shutil.which("pdftotext"):
        pdf = unit_plan_render(unit=unit, year=2026, format="pdf")
        path = tmp_path / "plan-unit-2026.pdf"
        path.write_bytes(pdf.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Thiếu kế hoạch CCHC năm" in text or "Tiêu chí thành phần 1.1.1" in text
        assert "Sở Nội vụ" in text and "62,50" in text


def test_render_refuses_when_there_is_nothing(body, unit):
    with pytest.raises(plan_services.PlanError):
        province_plan_render(body=body, year=2021, format="pdf")
    with pytest.raises(plan_services.PlanError):
        unit_plan_render(unit=unit, year=2026, format="xlsx")
    with pytest.raises(ValueError):
        province_plan_render(body=body, year=2021, format="docx")


def test_export_buttons_post_to_report_jobs_when_available(client, body, body_admin, province_plan):
    from django.urls import NoReverseMatch

    html = login(client, body_admin).get(province_url(body)).content.decode()
    try:
        job_url = reverse("reports:report_job_create")
    except NoReverseMatch:
        assert "Tải PDF" not in html
    else:
        assert f'action="{job_url}"' in html and 'name="kind" value="province_plan"' in html


def test_plans_index_offers_the_year_after_the_latest_national_result_not_every_past_year(body):
    from reports.models import NationalResult

    for year in (2018, 2019, 2020):
        NationalResult.objects.create(body=body, year=year, index=D("80"))

    province, _ = plan_selectors.plan_list(body=body, units=[])

    assert [(p.year, p.total) for p in province] == [(2021, 0)]


def test_province_plan_says_why_the_fields_total_differs_from_the_official_index(
    client, body, body_admin, province_plan
):
    plan = plan_selectors.province_plan_get(body=body, year=2021)
    # Seeds/000: the fields add up to another figure than the index the Ministry published.
    assert plan.field_sum_differs
    html = login(client, body_admin).get(province_url(body)).content.decode()
    note = re.search(r'data-testid="field-sum-note">(.*?)</p>', html, re.S).group(1)
    assert "chỉ số chính thức là" in note and f"{plan.national.index:.2f}".replace(".", ",") in note
    assert "sipas." not in html
