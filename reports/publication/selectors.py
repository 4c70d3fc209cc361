"""Read-only queries of publication decisions and snapshots, for the admin and public pages."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from reports.models import PublicationDecision, PublishedResult
from reports.rankings.selectors import published_results
from scoring.models import Assessment, EvaluatingBody, Period, UnitGroup
from scoring.workflow import Status

from .diff import UnitChange, snapshot_diff
from .snapshot import content_hash


@dataclass(slots=True)
class PeriodPublication:
    """One period of the body, what is ready to publish and the decisions that published it."""

    period: Period
    status_counts: dict[str, int]
    decisions: list[PublicationDecision] = field(default_factory=list)
    imported: bool = False

    @property
    def approved_count(self) -> int:
        return self.status_counts.get(Status.COUNCIL_APPROVED, 0)

    @property
    def published_count(self) -> int:
        return self.status_counts.get(Status.PUBLISHED, 0)

    @property
    def latest(self) -> PublicationDecision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def can_publish(self) -> bool:
        return not self.decisions and not self.imported and self.approved_count > 0

    @property
    def can_amend(self) -> bool:
        return bool(self.decisions)


def publication_overview(*, body: EvaluatingBody) -> list[PeriodPublication]:
    """Return the body's periods, newest first, each with its assessments per status and its decisions."""
    periods = list(Period.objects.filter(body=body).order_by("-year"))
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = Assessment.objects.filter(period__body=body).values("period_id", "status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["period_id"]][row["status"]] = row["n"]
    decisions: dict[int, list[PublicationDecision]] = defaultdict(list)
    for decision in (
        PublicationDecision.objects.filter(period__body=body)
        .select_related("snapshot", "amends", "published_by")
        .order_by("published_at", "pk")
    ):
        decisions[decision.period_id].append(decision)
    imported = set(
        PublishedResult.objects.filter(period__body=body, source=PublishedResult.Source.IMPORT)
        .values_list("period_id", flat=True)
        .distinct()
    )
    return [
        PeriodPublication(
            period=p, status_counts=dict(counts[p.pk]), decisions=decisions[p.pk], imported=p.pk in imported
        )
        for p in periods
    ]


@dataclass(frozen=True, slots=True)
class DecisionDetail:
    decision: PublicationDecision
    units: list[
        tuple[str, dict, str]
    ]  # (unit code, snapshot content of the unit, class label), by group, rank
    hash_verified: bool
    changes: list[UnitChange] | None  # None for an original decision
    left_out: list[tuple[str, dict]]  # (unit code, name/group/status/reason), by group and name


def decision_detail(*, bodies: Iterable[EvaluatingBody], pk: int) -> DecisionDetail | None:
    """Return the decision (of one of the bodies) with its snapshot, hash re-checked, diff to what it amends."""
    decision = (
        PublicationDecision.objects.filter(period__body__in=list(bodies), pk=pk)
        .select_related("period", "snapshot", "amends__snapshot", "published_by")
        .first()
    )
    if decision is None:
        return None
    content = decision.snapshot.content
    labels = {band["code"]: band["label"] for band in content.get("bands", [])}
    units = [
        (code, unit, labels.get(unit["class"], unit["class"]))
        for code, unit in sorted(
            content.get("units", {}).items(),
            key=lambda kv: (kv[1]["group_name"], kv[1]["rank"], kv[1]["name"]),
        )
    ]
    changes = None
    if decision.amends is not None:
        changes = snapshot_diff(decision.amends.snapshot.content, content)
    return DecisionDetail(
        decision=decision,
        units=units,
        hash_verified=content_hash(content) == decision.snapshot.content_hash,
        changes=changes,
        left_out=sorted(
            content.get("left_out", {}).items(), key=lambda kv: (kv[1]["group_name"], kv[1]["name"])
        ),
    )


@dataclass(frozen=True, slots=True)
class PublicBody:
    body: EvaluatingBody
    years: list[int]


def public_body_list() -> list[PublicBody]:
    """Return the bodies that have published results, each with its published years, newest first."""
    years: dict[int, set[int]] = defaultdict(set)
    for body_id, year in published_results().values_list("period__body_id", "period__year").distinct():
        years[body_id].add(year)
    bodies = EvaluatingBody.objects.filter(pk__in=years).order_by("name")
    return [PublicBody(body=b, years=sorted(years[b.pk], reverse=True)) for b in bodies]


def latest_decision(*, body: EvaluatingBody, year: int) -> PublicationDecision | None:
    """Return the decision in force for the body's year (the latest amendment), with its snapshot."""
    return (
        PublicationDecision.objects.filter(period__body=body, period__year=year, amended_by__isnull=True)
        .select_related("snapshot")
        .first()
    )


@dataclass(frozen=True, slots=True)
class PublicationExclusion:
    """A unit of a published group that the decision in force left out, with the reason (a report footnote)."""

    unit_code: str
    unit_name: str
    group_code: str
    group_name: str
    reason: str


def publication_exclusions(period: Period) -> list[PublicationExclusion]:
    """Return the units the period's decision in force left out of their group's ranking, by group and name.

    Read from the snapshot of the latest decision (what was signed), so that the report prints the same
    footnotes whatever happened since; empty when the period is not published by a decision.
    """
    decision = (
        PublicationDecision.objects.filter(period=period, amended_by__isnull=True)
        .select_related("snapshot")
        .first()
    )
    if decision is None:
        return []
    left_out = decision.snapshot.content.get("left_out", {})
    return sorted(
        (
            PublicationExclusion(
                unit_code=code,
                unit_name=entry["name"],
                group_code=entry["group"],
                group_name=entry["group_name"],
                reason=entry["reason"],
            )
            for code, entry in left_out.items()
        ),
        key=lambda e: (e.group_name, e.unit_name),
    )


@dataclass(frozen=True, slots=True)
class GroupCandidates:
    """A group the decision may publish: its units with an assessment in the period, and which are ready."""

    group: UnitGroup
    assessments: list[Assessment]
    published: bool  # already in the decision in force (an amendment keeps it)

    @property
    def not_ready(self) -> list[Assessment]:
        return [a for a in self.assessments if a.status not in (Status.COUNCIL_APPROVED, Status.PUBLISHED)]


def publication_candidates(*, period: Period) -> list[GroupCandidates]:
    """Return every group with an assessment in the period, its units and whether it is published already."""
    groups: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in (
        Assessment.objects.filter(period=period)
        .select_related("unit__group")
        .order_by("unit__group__order", "unit__group__name", "unit__name")
    ):
        groups[assessment.unit.group_id].append(assessment)
    latest = latest_decision(body=period.body, year=period.year)
    content = latest.snapshot.content if latest else {}
    published_codes = set(content.get("groups", [])) | {
        u["group"]
        for u in list(content.get("units", {}).values()) + list(content.get("left_out", {}).values())
    }
    return [
        GroupCandidates(
            group=rows[0].unit.group, assessments=rows, published=rows[0].unit.group.code in published_codes
        )
        for rows in groups.values()
    ]
