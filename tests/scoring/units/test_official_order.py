"""One sort order for units everywhere: the group's official list (group order, then the unit's place)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from scoring.models import AuditEvent, Unit
from scoring.units import services
from tests.scoring.factories import UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("scoring.migrations.0013_unit_official_order")


@pytest.fixture
def official(body, departments):
    # The official list puts Sở Tư pháp before Sở Nội vụ: not the alphabet.
    districts = UnitGroupFactory(body=body, code="huyen", name="UBND cấp huyện", order=2)
    return [
        UnitFactory(body=body, group=departments, code="so-tu-phap", name="Sở Tư pháp", order=1),
        UnitFactory(body=body, group=departments, code="so-noi-vu", name="Sở Nội vụ", order=2),
        UnitFactory(body=body, group=districts, code="huyen-a", name="Huyện A", order=1),
    ]


def test_default_and_explicit_order_follow_the_official_list(official):
    names = [u.name for u in official]
    assert [u.name for u in Unit.objects.all()] == names
    assert [u.name for u in Unit.objects.in_official_order()] == names


def test_pages_and_select_boxes_list_units_in_the_official_order(client, body, body_admin, official):
    client.force_login(body_admin)
    pages = [
        reverse("units:list") + f"?body={body.code}",
        reverse("people:invite", args=[body.code]),
        reverse("audit:log") + f"?body={body.code}",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        positions = [html.find(f">{u.name}<") for u in official[:2]]
        assert -1 not in positions, url
        assert positions == sorted(positions), url


def test_a_new_unit_comes_last_in_its_group(body, body_admin, departments, official):
    unit = services.unit_create(
        actor=body_admin, body=body, code="so-moi", name="Sở A mới", group=departments
    )
    assert unit.order == 3
    assert list(Unit.objects.filter(group=departments))[-1] == unit


def test_the_place_is_edited_and_audited(body, body_admin, departments, official):
    first, second = official[0], official[1]
    services.unit_update(actor=body_admin, unit=second, group=departments, kind=None, order=0)
    assert list(Unit.objects.filter(group=departments))[0] == second
    event = AuditEvent.objects.get(action="unit_updated", field="order")
    assert (event.old_value, event.new_value) == ("2", "0")
    assert first in Unit.objects.all()


def test_the_migration_numbers_existing_units_by_their_old_name_order(body, departments):
    UnitFactory(body=body, group=departments, code="b", name="Sở B", order=0)
    UnitFactory(body=body, group=departments, code="a", name="Sở A", order=0)
    migration.number_units_by_name(apps, None)
    assert list(Unit.objects.filter(group=departments).values_list("name", "order")) == [
        ("Sở A", 1),
        ("Sở B", 2),
    ]
