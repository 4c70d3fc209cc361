"""Every page and API endpoint of a body's year setup, with the objects they name: one list for the tests that
walk them (the demo's body administrator reaches them all; another body's administrator gets 404 on each).

Extend the lists when a setup page or API is added (issue #14): a URL missing here is a URL nobody checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from scoring.models import CriteriaSet, EvaluatingBody, Period, Unit, UnitGroup, User


@dataclass(frozen=True, slots=True)
class SetupObjects:
    """One body's setup objects, named by the URLs below."""

    body: EvaluatingBody
    period: Period
    group: UnitGroup
    unit: Unit
    person: User
    criteria_set: CriteriaSet


def _first_item(o: SetupObjects) -> int:
    return o.criteria_set.items.order_by("order").values_list("pk", flat=True).first()


def setup_page_urls(o: SetupObjects) -> list[str]:
    """Return the GET URLs of the body's setup pages (each answers 200 to its administrator, 404 to others)."""
    return [
        # the year: create, checklist, deadlines, bands
        reverse("periods:create", args=[o.body.code]),
        reverse("periods:checklist", args=[o.period.pk]),
        reverse("periods:deadlines", args=[o.period.pk]),
        reverse("periods:bands", args=[o.period.pk]),
        # units and groups (the pages that pick a body take it as ?body=)
        f"{reverse('units:list')}?body={o.body.code}",
        f"{reverse('units:create')}?body={o.body.code}",
        f"{reverse('units:group_create')}?body={o.body.code}",
        f"{reverse('units:lineage_create')}?body={o.body.code}",
        reverse("units:detail", args=[o.unit.pk]),
        reverse("units:group_edit", args=[o.group.pk]),
        # people and roles
        reverse("people:list", args=[o.body.code]),
        reverse("people:invite", args=[o.body.code]),
        reverse("people:import", args=[o.body.code]),
        reverse("people:detail", args=[o.body.code, o.person.pk]),
        # criteria sets
        reverse("scoring:criteria_set_import", args=[o.body.code]),
        reverse("scoring:criteria_set_clone", args=[o.body.code]),
        reverse("scoring:criteria_set_detail", args=[o.criteria_set.pk]),
        reverse("scoring:criteria_set_export", args=[o.criteria_set.pk]),
        reverse("scoring:criteria_tree_edit", args=[o.criteria_set.pk]),
        reverse("scoring:criteria_item_add", args=[o.criteria_set.pk]),
        reverse("scoring:criteria_item_edit", args=[o.criteria_set.pk, _first_item(o)]),
        reverse("scoring:criteria_set_version_create", args=[o.criteria_set.pk]),
        # unit kinds, survey settings and SIPAS conversion of the year
        f"{reverse('units:kind_list')}?body={o.body.code}",
        f"{reverse('units:kind_create')}?body={o.body.code}",
        reverse("surveys:settings", args=[o.period.pk]),
        reverse("surveys:sipas_conversions", args=[o.period.pk]),
        # exemptions of a unit, appraiser assignments, the progress board of the year
        reverse("scoring:unit_exemptions", args=[o.period.pk, o.unit.pk]),
        reverse("appraisal:assignments", args=[o.period.pk]),
    ]


def setup_post_urls(o: SetupObjects) -> list[str]:
    """Return the setup URLs that take a POST and name the body's objects (404 to another body's administrator)."""
    return [
        # the forms of the pages above
        reverse("periods:create", args=[o.body.code]),
        reverse("periods:deadlines", args=[o.period.pk]),
        reverse("periods:bands", args=[o.period.pk]),
        f"{reverse('units:create')}?body={o.body.code}",
        f"{reverse('units:group_create')}?body={o.body.code}",
        f"{reverse('units:lineage_create')}?body={o.body.code}",
        reverse("units:group_edit", args=[o.group.pk]),
        reverse("people:invite", args=[o.body.code]),
        reverse("people:import", args=[o.body.code]),
        reverse("scoring:criteria_set_import", args=[o.body.code]),
        reverse("scoring:criteria_set_clone", args=[o.body.code]),
        reverse("scoring:criteria_tree_edit", args=[o.criteria_set.pk]),
        reverse("scoring:criteria_item_add", args=[o.criteria_set.pk]),
        reverse("scoring:criteria_item_edit", args=[o.criteria_set.pk, _first_item(o)]),
        reverse("scoring:criteria_item_delete", args=[o.criteria_set.pk, _first_item(o)]),
        reverse("scoring:criteria_set_version_create", args=[o.criteria_set.pk]),
        f"{reverse('units:kind_create')}?body={o.body.code}",
        reverse("surveys:settings", args=[o.period.pk]),
        reverse("surveys:sipas_conversions", args=[o.period.pk]),
        reverse("scoring:unit_exemptions", args=[o.period.pk, o.unit.pk]),
        reverse("appraisal:assignments", args=[o.period.pk]),
        # actions without a page of their own
        reverse("periods:open", args=[o.period.pk]),
        reverse("units:edit", args=[o.unit.pk]),
        reverse("units:rename", args=[o.unit.pk]),
        reverse("units:active", args=[o.unit.pk]),
        reverse("people:role_add", args=[o.body.code, o.person.pk]),
        reverse("people:deactivate", args=[o.body.code, o.person.pk]),
        reverse("people:reactivate", args=[o.body.code, o.person.pk]),
        reverse("people:password", args=[o.body.code, o.person.pk]),
    ]


# Pages of the setup that name no body: they show the user's own bodies (a 200 that reveals nothing of another).
SETUP_INDEX_URLS = [
    reverse("periods:list"),
    reverse("units:list"),
    reverse("people:home"),
    reverse("appraisal:assignments_home"),
    reverse("scoring:criteria_set_list"),
    reverse("scoring:criteria_template_download"),
    reverse("scoring:exemptions_index"),
]


def setup_api_urls(o: SetupObjects) -> list[str]:
    """Return the setup API endpoints that name the body's objects (GET: 404 to others)."""
    body = f"?body={o.body.code}"
    return [
        f"{reverse('appraiser-assignment-list-api')}?period={o.period.pk}",
        reverse("unit-group-list-api") + body,
        reverse("unit-group-detail-api", args=[o.group.pk]),
        reverse("unit-kind-list-api") + body,
        reverse("unit-list-api") + body,
        reverse("unit-detail-api", args=[o.unit.pk]),
        reverse("period-list-api") + body,
        reverse("period-detail-api", args=[o.period.pk]),
        reverse("period-checklist-api", args=[o.period.pk]),
        reverse("period-bands-api", args=[o.period.pk]),
        reverse("people-list-api") + body,
        reverse("person-detail-api", args=[o.person.pk]) + body,
        reverse("person-roles-api", args=[o.person.pk]) + body,
        f"{reverse('exemption-list-api')}?period={o.period.pk}",
    ]
