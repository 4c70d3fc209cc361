"""Read-only queries of criteria-set editing: what dossiers hold about the items, whether the set is in use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from scoring.evaluation.editing.rules import ItemUsage
from scoring.evaluation.rows import CriteriaRow
from scoring.models import CriteriaItem, CriteriaSet, CriteriaSetVersion, NotApplicableItem, PeriodStatus


def _dossier_relations() -> list:
    """Return the relations from other models to CriteriaItem whose rows belong to a unit's dossier.

    Self-scores and evidence are scoring's, appraisals and explanations are appraisal's, which scoring may not
    import: each is a model with an `assessment` foreign key pointing at the item, found through the model's
    reverse relations so that an app adding another kind of record about an item is counted without change here.
    """
    relations = []
    for relation in CriteriaItem._meta.related_objects:
        names = {f.name for f in relation.related_model._meta.concrete_fields}
        if "assessment" in names:
            relations.append(relation)
    return relations


def item_usage(*, criteria_set: CriteriaSet) -> dict[int, ItemUsage]:
    """Return {item id: usage} for the items of the set some dossier or a unit's exemption refers to; two queries
    per kind of record."""
    units: dict[int, set[int]] = defaultdict(set)
    highest: dict[int, Decimal] = {}
    for relation in _dossier_relations():
        model, item_field = relation.related_model, relation.field.name
        records = model._default_manager.filter(**{f"{item_field}__criteria_set": criteria_set})
        for item_id, unit_id in records.values_list(item_field, "assessment__unit_id").distinct():
            units[item_id].add(unit_id)
        if "points" in {f.name for f in model._meta.concrete_fields}:
            peaks = records.exclude(points__isnull=True).values(item_field).annotate(peak=Max("points"))
            for row in peaks:
                item_id, peak = row[item_field], row["peak"]
                highest[item_id] = max(peak, highest.get(item_id, peak))
    # A unit's not-applicable decision carries a reason someone typed: deleting the item would delete it too.
    exempted = NotApplicableItem.objects.filter(item__criteria_set=criteria_set, unit__isnull=False)
    for item_id, unit_id in exempted.values_list("item_id", "unit_id"):
        units[item_id].add(unit_id)
    return {
        item_id: ItemUsage(units=len(unit_ids), highest_points=highest.get(item_id))
        for item_id, unit_ids in units.items()
    }


@dataclass(frozen=True, slots=True)
class SetUse:
    """Whether a set is in use and why (the reasons are shown on the page)."""

    period_open: bool
    used_items: int  # items some dossier refers to
    usage: dict[int, ItemUsage]

    @property
    def in_use(self) -> bool:
        return self.period_open or self.used_items > 0


def criteria_set_use(*, criteria_set: CriteriaSet) -> SetUse:
    """Return whether the set is in use: its period is open, or a score, appraisal, explanation or evidence
    refers to one of its items."""
    usage = item_usage(criteria_set=criteria_set)
    return SetUse(
        period_open=criteria_set.period.status == PeriodStatus.OPEN,
        used_items=len(usage),
        usage=usage,
    )


def criteria_set_versions(*, criteria_set: CriteriaSet) -> list[CriteriaSetVersion]:
    """Return the frozen versions of the set, newest first, with who made them; one query."""
    return list(criteria_set.versions.select_related("created_by").order_by("-number"))


def version_rows(version: CriteriaSetVersion) -> list[CriteriaRow]:
    """Return the tree frozen in a version as rows."""
    return [
        CriteriaRow(
            code=row["code"],
            name=row["name"],
            max_points=Decimal(row["max_points"]),
            step=row["step"],
            method=row["method"],
            guidance=row.get("guidance", ""),
            not_applicable_reason=row.get("not_applicable_reason", ""),
        )
        for row in version.rows
    ]
