"""The services of the units and groups pages: rules, refusals that change nothing, and the audit trail."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scoring.models import AuditEvent, Unit, UnitGroup, UnitKind, UnitLineage
from scoring.units import selectors, services
from tests.scoring.factories import UnitFactory, UnitGroupFactory


@pytest.fixture
def districts(body):
    return UnitGroupFactory(body=body, code="huyen", name="UBND cấp huyện", order=2)


def test_group_create_is_audited(body, body_admin):
    group = services.unit_group_create(actor=body_admin, body=body, code="xa", name="UBND cấp xã", order=3)
    event = AuditEvent.objects.get(action="unit_group_created")
    assert (event.actor, event.object_id, event.new_value) == (body_admin, str(group.pk), "UBND cấp xã")


def test_group_duplicate_name_refused(body, body_admin, departments):
    with pytest.raises(ValidationError) as exc:
        services.unit_group_create(actor=body_admin, body=body, code="khac", name=departments.name)
    assert "name" in exc.value.error_dict
    assert UnitGroup.objects.filter(body=body).count() == 1


def test_group_rename_and_reorder_audit_old_and_new(body_admin, departments):
    services.unit_group_update(actor=body_admin, group=departments, name="Sở, ngành", order=5)
    departments.refresh_from_db()
    assert (departments.name, departments.order) == ("Sở, ngành", 5)
    rows = {
        e.field: (e.old_value, e.new_value) for e in AuditEvent.objects.filter(action="unit_group_updated")
    }
    assert rows == {"name": ("Sở, ban, ngành", "Sở, ngành"), "order": ("1", "5")}


def test_unit_create_with_kind(body, body_admin, departments):
    kind = UnitKind.objects.create(body=body, code="so", name="Sở")
    unit = services.unit_create(
        actor=body_admin, body=body, code="so-y-te", name="Sở Y tế", group=departments, kind=kind
    )
    assert unit.kind == kind
    assert AuditEvent.objects.filter(action="unit_created", unit=unit, actor=body_admin).exists()


def test_unit_duplicate_code_refused(body, body_admin, departments, unit):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=body_admin, body=body, code=unit.code, name="Khác", group=departments)
    assert "đã được dùng" in exc.value.message_dict["code"][0]
    assert Unit.objects.filter(body=body).count() == 1
    assert not AuditEvent.objects.filter(action="unit_created").exists()


def test_same_code_in_another_body_is_allowed(other_body, unit, body_admin):
    # The code is unique per body; the other body's administrator uses the same code freely.
    from scoring.models import Role
    from tests.conftest import _person

    admin = _person("admin-2", other_body, Role.BODY_ADMIN)
    group = UnitGroupFactory(body=other_body)
    created = services.unit_create(actor=admin, body=other_body, code=unit.code, name="x", group=group)
    assert created.body == other_body


def test_group_or_kind_of_another_body_refused(body, other_body, body_admin):
    foreign = UnitGroupFactory(body=other_body)
    with pytest.raises(ValidationError):
        services.unit_create(actor=body_admin, body=body, code="x", name="x", group=foreign)


def test_other_body_admin_may_not_change(unit, outsider):
    with pytest.raises(PermissionDenied):
        services.unit_rename(actor=outsider, unit=unit, name="Khác", from_year=2025)


def test_rename_keeps_the_old_name_for_earlier_years(body_admin, unit):
    services.unit_rename(actor=body_admin, unit=unit, name="Sở Nội vụ và Lao động", from_year=2025)
    unit.refresh_from_db()
    assert unit.name == "Sở Nội vụ và Lao động"
    assert selectors.unit_name_in(unit, 2024) == "Sở Nội vụ"
    assert selectors.unit_name_in(unit, 2025) == "Sở Nội vụ và Lao động"
    assert selectors.unit_names_in([unit], 2020) == {unit.pk: "Sở Nội vụ"}
    history = selectors.name_history(unit)
    assert [(p.name, p.from_year, p.until_year) for p in history] == [
        ("Sở Nội vụ", None, 2024),
        ("Sở Nội vụ và Lao động", 2025, None),
    ]
    event = AuditEvent.objects.get(action="unit_renamed")
    assert (event.old_value, event.new_value) == ("Sở Nội vụ", "Sở Nội vụ và Lao động")


def test_second_rename_keeps_each_years_name(body_admin, unit):
    services.unit_rename(actor=body_admin, unit=unit, name="B", from_year=2023)
    services.unit_rename(actor=body_admin, unit=unit, name="C", from_year=2026)
    unit.refresh_from_db()
    assert [selectors.unit_name_in(unit, y) for y in (2022, 2023, 2025, 2026)] == ["Sở Nội vụ", "B", "B", "C"]


def test_rename_before_a_kept_name_is_refused(body_admin, unit):
    services.unit_rename(actor=body_admin, unit=unit, name="B", from_year=2025)
    with pytest.raises(ValidationError) as exc:
        services.unit_rename(actor=body_admin, unit=unit, name="C", from_year=2023)
    assert "from_year" in exc.value.error_dict
    unit.refresh_from_db()
    assert unit.name == "B"


def test_move_and_kind_audited(body, body_admin, unit, districts):
    kind = UnitKind.objects.create(body=body, code="so", name="Sở")
    services.unit_update(actor=body_admin, unit=unit, group=districts, kind=kind)
    unit.refresh_from_db()
    assert (unit.group, unit.kind) == (districts, kind)
    rows = {e.field: (e.old_value, e.new_value) for e in AuditEvent.objects.filter(action="unit_updated")}
    assert rows == {"group": ("Sở, ban, ngành", "UBND cấp huyện"), "kind": ("", "Sở")}


def test_deactivate_and_reactivate(body_admin, unit):
    services.unit_set_active(actor=body_admin, unit=unit, active=False, on=date(2025, 6, 30))
    unit.refresh_from_db()
    assert unit.active_to == date(2025, 6, 30)
    assert not selectors.is_active(unit, date(2025, 7, 1))
    services.unit_set_active(actor=body_admin, unit=unit, active=True)
    unit.refresh_from_db()
    assert unit.active_to is None
    actions = list(
        AuditEvent.objects.filter(unit=unit).order_by("pk").values_list("action", "old_value", "new_value")
    )
    assert actions == [("unit_deactivated", "", "30/06/2025"), ("unit_reactivated", "30/06/2025", "")]


def test_deactivate_before_start_refused(body_admin, unit):
    unit.active_from = date(2025, 1, 1)
    unit.save()
    with pytest.raises(ValidationError):
        services.unit_set_active(actor=body_admin, unit=unit, active=False, on=date(2024, 1, 1))
    unit.refresh_from_db()
    assert unit.active_to is None


def test_merger_links_predecessors_ends_the_old_units_and_audits(
    body, body_admin, unit, other_unit, departments
):
    merged = UnitFactory(body=body, group=departments, code="so-nv-tp", name="Sở Nội vụ - Tư pháp")
    lineage = services.unit_lineage_record(
        actor=body_admin,
        body=body,
        kind=UnitLineage.Kind.MERGER,
        sources=[unit, other_unit],
        targets=[merged],
        effective_on=date(2025, 3, 1),
        note="NQ 01",
    )
    assert set(merged.predecessors.all()) == {unit, other_unit}
    assert set(lineage.sources.all()) == {unit, other_unit}
    unit.refresh_from_db()
    assert unit.active_to == date(2025, 2, 28)
    event = AuditEvent.objects.get(action="unit_lineage_recorded")
    assert (event.unit, event.old_value, event.new_value) == (merged, "", "Sở Nội vụ, Sở Tư pháp")
    assert AuditEvent.objects.filter(action="unit_deactivated").count() == 2


def test_absorption_into_one_of_the_old_units(body, body_admin, unit, other_unit):
    services.unit_lineage_record(
        actor=body_admin,
        body=body,
        kind="merger",
        sources=[unit, other_unit],
        targets=[unit],
        effective_on=date(2025, 3, 1),
    )
    assert list(unit.predecessors.all()) == [other_unit]
    unit.refresh_from_db()
    assert unit.active_to is None  # it goes on


def test_split(body, body_admin, unit, other_unit, departments):
    third = UnitFactory(body=body, group=departments)
    services.unit_lineage_record(
        actor=body_admin,
        body=body,
        kind="split",
        sources=[unit],
        targets=[other_unit, third],
        effective_on=date(2025, 1, 1),
        end_sources=False,
    )
    assert list(other_unit.predecessors.all()) == [unit] and list(third.predecessors.all()) == [unit]
    unit.refresh_from_db()
    assert unit.active_to is None


def test_merger_making_a_cycle_is_refused(body, body_admin, unit, other_unit, departments):
    third = UnitFactory(body=body, group=departments, name="C")
    services.unit_lineage_record(
        actor=body_admin,
        body=body,
        kind="merger",
        sources=[unit],
        targets=[other_unit],
        effective_on=date(2024, 1, 1),
    )
    services.unit_lineage_record(
        actor=body_admin,
        body=body,
        kind="merger",
        sources=[other_unit],
        targets=[third],
        effective_on=date(2025, 1, 1),
    )
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.unit_lineage_record(
            actor=body_admin,
            body=body,
            kind="merger",
            sources=[third],
            targets=[unit],
            effective_on=date(2026, 1, 1),
        )
    assert "vòng lặp" in exc.value.messages[0]
    assert UnitLineage.objects.count() == 2
    assert not unit.predecessors.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "n_sources", "n_targets"),
    [("merger", 1, 2), ("merger", 0, 1), ("split", 2, 2), ("split", 1, 1), ("other", 1, 1)],
)
def test_wrong_shape_refused(body, body_admin, departments, kind, n_sources, n_targets):
    units = [UnitFactory(body=body, group=departments) for _ in range(4)]
    with pytest.raises(ValidationError):
        services.unit_lineage_record(
            actor=body_admin,
            body=body,
            kind=kind,
            sources=units[:n_sources],
            targets=units[2 : 2 + n_targets],
            effective_on=date(2025, 1, 1),
        )
    assert not UnitLineage.objects.exists()


def test_merger_into_itself_refused(body, body_admin, unit):
    with pytest.raises(ValidationError):
        services.unit_lineage_record(
            actor=body_admin,
            body=body,
            kind="merger",
            sources=[unit],
            targets=[unit],
            effective_on=date(2025, 1, 1),
        )
