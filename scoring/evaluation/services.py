"""Writes to the evaluation model; each function is one named operation in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from scoring import calc
from scoring.evaluation.demo import demo_criteria_sets
from scoring.evaluation.editing.selectors import criteria_set_use
from scoring.evaluation.editing.texts import in_use_refusal
from scoring.evaluation.io import read_criteria, validate_rows
from scoring.evaluation.rows import CriteriaRow, WorkbookError
from scoring.evaluation.selectors import criteria_set_rows
from scoring.models import (
    ClassificationBand,
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Level,
    NotApplicableItem,
    Period,
    PeriodStatus,
    UnitGroup,
    User,
)
from scoring.results import guards as frozen_guards
from scoring.results.state import ResultsFrozen, results_changed_notify, results_frozen_check

logger = logging.getLogger(__name__)

# Lai Châu's bands (Tốt ≥ 80, Khá ≥ 70, Trung bình ≥ 50, Yếu below): the default a new period starts from.
DEFAULT_BANDS: tuple[calc.Band, ...] = calc.LAI_CHAU_BANDS


def code_from_name(name: str, max_length: int = 80) -> str:
    """Return a stable slug for a Vietnamese name ("Sở Nội vụ" -> "so-noi-vu")."""
    # slugify drops đ/Đ instead of transliterating it, which would turn "Đài" into "ai".
    return slugify(name.replace("đ", "d").replace("Đ", "D"))[:max_length].strip("-") or "x"


@transaction.atomic
def body_get_or_create(*, code: str, name: str, administrator_name: str = "") -> EvaluatingBody:
    body, _ = EvaluatingBody.objects.get_or_create(
        code=code, defaults={"name": name, "administrator_name": administrator_name}
    )
    return body


@transaction.atomic
def period_get_or_create(*, body: EvaluatingBody, year: int, opened: bool = False) -> tuple[Period, bool]:
    """Return the body's period for the year, creating it with the previous period's bands or the default.

    A new period is being set up (opened by its administrator through the setup checklist), unless `opened`: a
    year whose results are imported as published, or the demo's year, is already in use.
    """
    defaults = {"status": PeriodStatus.OPEN, "opened_at": timezone.now()} if opened else {}
    period, created = Period.objects.get_or_create(body=body, year=year, defaults=defaults)
    if created:
        previous = Period.objects.filter(body=body, year__lt=year).order_by("-year").first()
        bands = (
            [b.as_band() for b in previous.bands.all()]
            if previous and previous.bands.exists()
            else DEFAULT_BANDS
        )
        ClassificationBand.objects.bulk_create(
            ClassificationBand(period=period, code=b.code, label=b.label, min_index=Decimal(b.min_index))
            for b in bands
        )
    return period, created


@transaction.atomic
def unit_group_get_or_create(*, body: EvaluatingBody, name: str, code: str = "") -> tuple[UnitGroup, bool]:
    """Return the body's unit group matched by code or name, creating it when neither exists."""
    code = code or code_from_name(name)
    group = (
        UnitGroup.objects.filter(body=body, code=code).first()
        or UnitGroup.objects.filter(body=body, name=name).first()
    )
    if group:
        return group, False
    order = UnitGroup.objects.filter(body=body).count() + 1
    return UnitGroup.objects.create(body=body, code=code, name=name, order=order), True


# --- criteria sets: import, clone, demo ----------------------------------------------------------


class CriteriaImportError(Exception):
    """Raised with every problem found in a criteria workbook; nothing has been saved."""

    def __init__(self, errors: Sequence[WorkbookError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class CriteriaCloneError(Exception):
    """Raised when a period's criteria sets cannot be cloned; nothing has been saved."""


@dataclass(frozen=True, slots=True)
class CriteriaCloneResult:
    criteria_sets: list[CriteriaSet]
    item_count: int
    exemption_count: int


def _general_error(message: str) -> WorkbookError:
    return WorkbookError(sheet="", message=message)


def _criteria_items_create(*, criteria_set: CriteriaSet, rows: Sequence[CriteriaRow]) -> int:
    """Create the items of valid rows (tree order) with their period-wide exemptions; return the item count."""
    levels = {1: Level.FIELD, 2: Level.CRITERION, 3: Level.SUB_CRITERION}
    order = {row.code: index for index, row in enumerate(rows, start=1)}
    by_code: dict[str, CriteriaItem] = {}
    # One insert per level, so that every parent has its primary key before its children are built.
    for depth in (1, 2, 3):
        batch = [
            CriteriaItem(
                criteria_set=criteria_set,
                parent=by_code.get(row.parent_code),
                level=levels[depth],
                code=row.code,
                name=row.name,
                guidance=row.guidance,
                max_points=row.max_points,
                step=row.step,
                method=row.method,
                order=order[row.code],
            )
            for row in rows
            if row.depth == depth
        ]
        by_code.update((item.code, item) for item in CriteriaItem.objects.bulk_create(batch))
    NotApplicableItem.objects.bulk_create(
        NotApplicableItem(item=by_code[row.code], unit=None, reason=row.not_applicable_reason)
        for row in rows
        if row.not_applicable_reason
    )
    return len(by_code)


def _criteria_set_save(
    *,
    period: Period,
    unit_group: UnitGroup,
    rows: Sequence[CriteriaRow],
    name: str,
    is_illustrative: bool,
    replace: bool,
) -> CriteriaSet:
    existing = CriteriaSet.objects.select_for_update().filter(period=period, unit_group=unit_group).first()
    if existing is None:
        criteria_set = CriteriaSet.objects.create(
            period=period, unit_group=unit_group, name=name, is_illustrative=is_illustrative
        )
    elif not replace:
        raise CriteriaImportError([_criteria_set_exists_error(period=period, unit_group=unit_group)])
    else:
        criteria_set = existing
        try:
            frozen_guards.criteria_set_check(criteria_set)
        except ResultsFrozen as exc:
            raise CriteriaImportError([_general_error(exc.message)]) from exc
        _check_replaceable(criteria_set)
        try:
            criteria_set.items.all().delete()
        except ProtectedError as exc:
            message = _("Bộ tiêu chí %(name)s đã được dùng để chấm điểm nên không thể thay thế.") % {
                "name": criteria_set.name
            }
            raise CriteriaImportError([_general_error(message)]) from exc
        criteria_set.name = name
        criteria_set.is_illustrative = is_illustrative
        criteria_set.save(update_fields=["name", "is_illustrative"])
    _criteria_items_create(criteria_set=criteria_set, rows=rows)
    # A replaced set changes the maxima and scales of every unit scored on it.
    results_changed_notify(period_id=period.pk)
    return criteria_set


def _check_replaceable(criteria_set: CriteriaSet) -> None:
    """Refuse to replace a set in use as the editor does: a file replaces every item, which loses the links of the
    units' evidence and cannot keep their scores; an open period's set changes only through a new version."""
    use = criteria_set_use(criteria_set=criteria_set)
    if use.used_items:
        message = _(
            "Bộ tiêu chí %(name)s đã có điểm, thẩm định, giải trình hoặc tài liệu kiểm chứng của %(n)s mục nên không "
            "thể thay thế bằng tệp: hãy sửa từng mục trên trang bộ tiêu chí."
        ) % {"name": criteria_set.name, "n": use.used_items}
        raise CriteriaImportError([_general_error(message)])
    if use.in_use and criteria_set.version <= 1:
        raise CriteriaImportError([_general_error(in_use_refusal(criteria_set))])


def _criteria_set_exists_error(*, period: Period, unit_group: UnitGroup) -> WorkbookError:
    message = _(
        'Nhóm %(group)s đã có bộ tiêu chí năm %(year)s. Chọn "Thay thế bộ tiêu chí đã có" nếu muốn nhập đè.'
    ) % {"group": unit_group.name, "year": period.year}
    return _general_error(message)


@transaction.atomic
def criteria_set_import(
    *,
    period: Period,
    unit_group: UnitGroup,
    workbook_file: IO[bytes] | bytes | Any,
    name: str,
    is_illustrative: bool = False,
    replace: bool = False,
    actor: User | None = None,
) -> CriteriaSet:
    """Return the criteria set created (or, with replace, refilled) from a workbook; all or nothing.

    Raises CriteriaImportError with every problem of the file, and with the clash when the group
    already has a set for the period and replace is False.
    """
    if unit_group.body_id != period.body_id:
        raise CriteriaImportError([_general_error(_("Nhóm đơn vị không thuộc cơ quan đánh giá của kỳ này."))])
    errors: list[WorkbookError] = []
    if not replace and CriteriaSet.objects.filter(period=period, unit_group=unit_group).exists():
        errors.append(_criteria_set_exists_error(period=period, unit_group=unit_group))
    parsed = read_criteria(workbook_file)
    errors.extend(parsed.errors)
    if errors:
        raise CriteriaImportError(errors)
    criteria_set = _criteria_set_save(
        period=period,
        unit_group=unit_group,
        rows=parsed.rows,
        name=name,
        is_illustrative=is_illustrative,
        replace=replace,
    )
    logger.info(
        "criteria set %s imported for %s %s (%s items, replace=%s) by %s",
        criteria_set.pk,
        period.body.code,
        period.year,
        len(parsed.rows),
        replace,
        actor,
    )
    return criteria_set


@transaction.atomic
def criteria_set_import_for_year(
    *,
    body: EvaluatingBody,
    year: int,
    unit_group: UnitGroup,
    workbook_file: IO[bytes] | bytes | Any,
    name: str,
    is_illustrative: bool = False,
    replace: bool = False,
    actor: User | None = None,
) -> CriteriaSet:
    """Return the set imported into the body's period for the year, creating the period only on success."""
    # The import is the first act of a new year, so the period may not exist yet; the outer atomic block
    # rolls the new period back with everything else when the file has errors.
    period, _created = period_get_or_create(body=body, year=year)
    return criteria_set_import(
        period=period,
        unit_group=unit_group,
        workbook_file=workbook_file,
        name=name,
        is_illustrative=is_illustrative,
        replace=replace,
        actor=actor,
    )


def _name_for_year(name: str, source_year: int, target_year: int) -> str:
    if str(source_year) in name:
        return name.replace(str(source_year), str(target_year))
    return _("%(name)s (năm %(year)s)") % {"name": name, "year": target_year}


@transaction.atomic
def criteria_set_clone(*, source_period: Period, target_period: Period) -> CriteriaCloneResult:
    """Return the copies of every criteria set of source_period made in target_period; all or nothing.

    Period-wide exemptions are copied with the items: such a decision (2020: no DDCI survey, so
    everyone is scored on 98) is usually re-made the next year, and a copy the administrator reviews
    is safer than a silent 100-point scale. The UI says so. Per-unit exemptions are not copied: units
    merge and split between years, so those are decided again for each unit.
    """
    if source_period.body_id != target_period.body_id or source_period.pk == target_period.pk:
        raise CriteriaCloneError(_("Chỉ sao chép giữa hai kỳ khác nhau của cùng một cơ quan đánh giá."))
    try:
        # Copying is setting up a year; a year already published is not set up again.
        results_frozen_check(period_id=target_period.pk)
    except ResultsFrozen as exc:
        raise CriteriaCloneError(exc.message) from exc
    sources = list(CriteriaSet.objects.filter(period=source_period).select_related("unit_group"))
    if not sources:
        raise CriteriaCloneError(
            _("Năm %(year)s chưa có bộ tiêu chí nào để sao chép.") % {"year": source_period.year}
        )
    taken = list(
        CriteriaSet.objects.filter(
            period=target_period, unit_group__in=[s.unit_group_id for s in sources]
        ).select_related("unit_group")
    )
    if taken:
        raise CriteriaCloneError(
            _("Năm %(year)s đã có bộ tiêu chí cho nhóm: %(groups)s. Không sao chép gì.")
            % {"year": target_period.year, "groups": ", ".join(s.unit_group.name for s in taken)}
        )
    created: list[CriteriaSet] = []
    item_count = exemption_count = 0
    for source in sources:
        rows = criteria_set_rows(criteria_set=source)
        copy = CriteriaSet.objects.create(
            period=target_period,
            unit_group=source.unit_group,
            name=_name_for_year(source.name, source_period.year, target_period.year),
            is_illustrative=source.is_illustrative,
            note=source.note,
        )
        item_count += _criteria_items_create(criteria_set=copy, rows=rows)
        exemption_count += sum(1 for row in rows if row.not_applicable_reason)
        created.append(copy)
    results_changed_notify(period_id=target_period.pk)
    return CriteriaCloneResult(criteria_sets=created, item_count=item_count, exemption_count=exemption_count)


@transaction.atomic
def criteria_set_clone_for_years(
    *, body: EvaluatingBody, source_year: int, target_year: int
) -> CriteriaCloneResult:
    """Return the result of cloning the body's sets of source_year into target_year (period made if needed)."""
    source = Period.objects.filter(body=body, year=source_year).first()
    if source is None:
        raise CriteriaCloneError(_("Chưa có kỳ đánh giá năm %(year)s.") % {"year": source_year})
    target, _created = period_get_or_create(body=body, year=target_year)
    return criteria_set_clone(source_period=source, target_period=target)


@transaction.atomic
def criteria_demo_load(*, period: Period, unit_group: UnitGroup, kind: str) -> CriteriaSet:
    """Return the group's set for the period, loading the illustrative demo set of that kind if it has none.

    kind is "departments" or "districts" (see demo.py). Idempotent: an existing set is left alone.
    """
    existing = CriteriaSet.objects.filter(period=period, unit_group=unit_group).first()
    if existing is not None:
        return existing
    demo = demo_criteria_sets()[kind]
    parsed = validate_rows(demo.rows)
    if not parsed.ok:  # project data, checked by tests; never reached unless the JSON was edited badly
        raise CriteriaImportError(parsed.errors)
    return _criteria_set_save(
        period=period,
        unit_group=unit_group,
        rows=parsed.rows,
        name=demo.name,
        is_illustrative=True,
        replace=False,
    )
