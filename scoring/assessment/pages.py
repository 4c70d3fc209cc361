"""What the self-assessment pages need besides the core selectors: page state, small look-ups, rendering.

Nothing here decides a rule: edits go through scoring.assessment.services, which refuses what is not allowed;
the look-ups only choose what to show (a button, a link) and always scope by what the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from scoring.access import bodies_administered, may_see_evidence, own_unit_ids
from scoring.assessment.selectors import (
    ScoringSheet,
    SheetField,
    SheetItem,
    assessment_get_for_user,
    scoring_sheet,
)
from scoring.models import (
    Assessment,
    CriteriaSet,
    EvaluatingBody,
    Evidence,
    Period,
    PeriodStatus,
    SelfScore,
    Unit,
    User,
)
from scoring.results.figures import UnitFigures, results_figures
from scoring.workflow import Status

SHEET_TEMPLATE = "scoring/assessment/sheet.html"
ITEM_RESPONSE_TEMPLATE = "scoring/assessment/item_response.html"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Someone saved the item after this page was loaded: both values, for the user to choose."""

    typed_points: str
    saved_points: Decimal | None
    saved_justification: str
    saved_by: str
    saved_at: datetime | None
    saved_version: int


@dataclass(frozen=True, slots=True)
class EditState:
    """One item as the user left it when a save or an upload was refused: message and typed values."""

    item_id: int
    error: str = ""
    # The form field the error is about ("points", "justification"...), marked invalid on the page.
    error_field: str = "points"
    points: str = ""
    justification: str = ""
    no_evidence_reason: str = ""
    conflict: Conflict | None = None
    upload_errors: tuple[str, ...] = ()
    notice: str = ""
    # The typed values are shown instead of the stored ones only after a refused save.
    keeps_typed: bool = False


@dataclass(frozen=True, slots=True)
class Located:
    """One item of a sheet with the field it belongs to (the field's progress is updated with it)."""

    item: SheetItem
    field: SheetField


@dataclass(slots=True)
class StartableAssessment:
    """A period in which one of the user's units may open its self-assessment."""

    unit: Unit
    period: Period


@dataclass(slots=True)
class ListPage:
    by_year: list[tuple[int, list[Assessment]]] = field(default_factory=list)
    startable: list[StartableAssessment] = field(default_factory=list)
    # Periods of the user's bodies still being set up: named, with no way in, until the administrator opens them.
    in_setup: list[Period] = field(default_factory=list)
    board_bodies: list[EvaluatingBody] = field(default_factory=list)


def conflict_from(*, current: SelfScore | None, typed_points: str) -> Conflict:
    """Return the conflict shown to the user from the newer row the service reported."""
    if current is None:
        return Conflict(typed_points, None, "", "", None, 0)
    by = current.updated_by
    return Conflict(
        typed_points=typed_points,
        saved_points=current.points,
        saved_justification=current.justification,
        saved_by=(str(by) if by else _("người khác")),
        saved_at=current.updated_at,
        saved_version=current.version,
    )


def locate(sheet: ScoringSheet, item_id: int) -> Located:
    """Return the sheet's item with that id and its field; Http404 when the item is not in the sheet."""
    for sheet_field in sheet.fields:
        for criterion in sheet_field.criteria:
            for item in criterion.items:
                if item.id == item_id:
                    return Located(item=item, field=sheet_field)
    raise Http404(_("Không tìm thấy tiêu chí trong hồ sơ."))


def evidence_get_for_user(*, user: User, evidence_id: int) -> tuple[Evidence, Assessment]:
    """Return the evidence and its assessment if the user may see them; Http404 otherwise."""
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404(_("Không tìm thấy tài liệu."))
    assessment = assessment_get_for_user(user=user, pk=evidence.assessment_id)
    if not may_see_evidence(user, assessment, evidence.stage):
        raise Http404(_("Không tìm thấy tài liệu."))
    return evidence, assessment


def item_anchor(assessment_id: int, code: str) -> str:
    """Return the sheet URL scrolled to one item, where a plain (non-htmx) form returns."""
    return f"{reverse('assessment:sheet', args=[assessment_id])}#item-{code}"


def list_page(*, user: User, assessments: list[Assessment]) -> ListPage:
    """Return the list page: assessments by year, periods the user's units may start, bodies with a board."""
    page = ListPage()
    years: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        years.setdefault(assessment.period.year, []).append(assessment)
    page.by_year = sorted(years.items(), key=lambda pair: -pair[0])
    page.board_bodies = list(bodies_administered(user))
    if not user.is_authenticated:
        return page
    started = {(a.unit_id, a.period_id) for a in assessments}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=own_unit_ids(user)).select_related("group")}
    # A unit may open its self-assessment in a period once its group has a criteria set there.
    sets = CriteriaSet.objects.filter(
        unit_group_id__in={u.group_id for u in units.values()},
        period__body_id__in={u.body_id for u in units.values()},
    ).select_related("period")
    body_ids = {u.body_id for u in units.values()}
    if body_ids:
        page.in_setup = list(
            Period.objects.filter(body_id__in=body_ids).exclude(status=PeriodStatus.OPEN).order_by("-year")
        )
    for criteria_set in sets.order_by("-period__year"):
        if criteria_set.period.status != PeriodStatus.OPEN:
            continue
        for unit in units.values():
            if (
                unit.group_id == criteria_set.unit_group_id
                and unit.body_id == criteria_set.period.body_id
                and (unit.pk, criteria_set.period_id) not in started
            ):
                page.startable.append(StartableAssessment(unit=unit, period=criteria_set.period))
    return page


def _published_result(assessment: Assessment) -> UnitFigures | None:
    """Return the unit's published figures once its result is published (the sheet shows them, not its own)."""
    if assessment.status in (Status.SELF_ASSESSMENT, Status.SUBMITTED):
        return None
    figures = results_figures(period_id=assessment.period_id, unit_ids=[assessment.unit_id]).get(
        assessment.unit_id
    )
    return figures if figures is not None and figures.published else None


def render_sheet(
    request: HttpRequest,
    *,
    assessment: Assessment,
    edit_state: EditState | None = None,
    status: int = 200,
) -> HttpResponse:
    """Return the whole scoring page (also after a refused plain-form save, with the typed values)."""
    sheet = scoring_sheet(assessment=assessment, user=request.user)
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "published_result": _published_result(assessment),
        "edit_state": edit_state,
        "oob": False,
        "item_oob": False,
    }
    return render(request, SHEET_TEMPLATE, context, status=status)


def render_item(
    request: HttpRequest,
    *,
    assessment: Assessment,
    item_id: int,
    edit_state: EditState | None = None,
    status: int = 200,
    whole_item: bool = True,
) -> HttpResponse:
    """Return the item fragment and, out of band, the progress of its field and the dossier summary.

    whole_item=False is the answer to a successful autosave: the form the user is typing in stays as it is
    (replacing it would drop keystrokes typed while the request was in flight); only the item's state line,
    its version and the progress boxes are swapped, out of band.
    """
    sheet = scoring_sheet(assessment=assessment, user=request.user)
    located = locate(sheet, item_id)
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "item": located.item,
        "field": located.field,
        "edit_state": edit_state,
        # Items are saved only before publication: the summary shows the dossier's own provisional points.
        "published_result": None,
        # Autosave: the item's state line, version and error line are swapped out of band, nothing else.
        "item_oob": not whole_item,
    }
    response = render(request, ITEM_RESPONSE_TEMPLATE, context, status=status)
    if whole_item:
        # The form asked for swap "none" (autosave); a refused save or a resolved conflict replaces the item.
        response["HX-Retarget"] = "closest .item"
        response["HX-Reswap"] = "outerHTML"
    return response
