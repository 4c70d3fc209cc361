"""Writes of a year's setup; each is one named operation in one transaction, with its audit rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.audit.services import audit_fields_set, audit_record
from scoring.evaluation.services import DEFAULT_BANDS, CriteriaCloneError, criteria_set_clone
from scoring.formatting import format_points
from scoring.models import ClassificationBand, CriteriaSet, EvaluatingBody, Period, PeriodStatus, User
from scoring.results.state import ResultsFrozen, results_changed_notify, results_frozen_check

from . import calc
from .hooks import copy_from
from .selectors import checklist_inputs, deadlines_of, period_previous
from .texts import problem_text


@dataclass(frozen=True, slots=True)
class PeriodCreated:
    period: Period
    source_year: int | None
    counts: dict[str, int] = field(default_factory=dict)


def _bands_text(bands: list[calc.BandInput]) -> str:
    return "; ".join(f"{b.label} ({b.code}) ≥ {format_points(Decimal(b.min_index))}" for b in bands)


@transaction.atomic
def period_create(
    *, body: EvaluatingBody, year: int, actor: User | None, copy_previous: bool = True
) -> PeriodCreated:
    """Return the new period of the year, with last year's setup copied when asked and one exists.

    Copied here: the bands, every group's criteria set with its period-wide not-applicable items (the per-unit
    ones are decided again each year, see criteria_set_clone). The other apps copy theirs on period_copied.
    """
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm đánh giá phải trong khoảng 2000–2100.")})
    if Period.objects.filter(body=body, year=year).exists():
        raise ValidationError({"year": _("Đã có kỳ đánh giá năm %(year)s.") % {"year": year}})
    try:
        # Two administrators creating the same year at once: the second insert loses on the unique constraint.
        with transaction.atomic():
            period = Period.objects.create(body=body, year=year, status=PeriodStatus.SETUP)
    except IntegrityError:
        raise ValidationError({"year": _("Đã có kỳ đánh giá năm %(year)s.") % {"year": year}}) from None
    source = period_previous(period=period) if copy_previous else None
    bands = [b.as_band() for b in source.bands.all()] if source is not None else []
    ClassificationBand.objects.bulk_create(
        ClassificationBand(period=period, code=b.code, label=b.label, min_index=Decimal(b.min_index))
        for b in (bands or DEFAULT_BANDS)
    )
    counts: dict[str, int] = {}
    if source is not None:
        counts[_("Mức xếp loại")] = len(bands)
        if CriteriaSet.objects.filter(period=source).exists():
            try:
                cloned = criteria_set_clone(source_period=source, target_period=period)
            except CriteriaCloneError as exc:
                raise ValidationError(str(exc)) from exc
            counts[_("Bộ tiêu chí")] = len(cloned.criteria_sets)
            counts[_("Tiêu chí")] = cloned.item_count
            counts[_("Tiêu chí không đánh giá (toàn kỳ)")] = cloned.exemption_count
        counts.update(copy_from(source=source, target=period, actor=actor))
    audit_record(
        body=body,
        actor=actor,
        action="period_create",
        obj=period,
        field="year",
        new=year,
        note=(
            _("Sao chép từ năm %(year)s: %(counts)s")
            % {"year": source.year, "counts": ", ".join(f"{k}: {v}" for k, v in counts.items())}
            if source is not None
            else ""
        ),
    )
    return PeriodCreated(period=period, source_year=source.year if source else None, counts=counts)


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def deadlines_seen(period: Period) -> str:
    """Return a short token of the period's deadlines as read now; the edit form sends it back (stale check)."""
    return _fingerprint(repr(deadlines_of(period)))


def bands_seen(period: Period) -> str:
    """Return a short token of the period's bands as read now; the edit form sends it back (stale check)."""
    return _fingerprint(
        _bands_text([calc.BandInput(b.code, b.label, Decimal(b.min_index)) for b in period.bands.all()])
    )


def _stale(message: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [message]})


DEADLINE_FIELDS = {
    "starts_on": "starts_on",
    "self_assessment": "self_assessment_deadline",
    "explanation": "explanation_deadline",
    "round2": "round2_deadline",
    "council": "council_deadline",
}


@transaction.atomic
def period_deadlines_set(
    *, period: Period, deadlines: calc.Deadlines, actor: User | None, seen: str | None = None
) -> list[str]:
    """Save the period's start and deadlines; return the names of the fields that changed.

    Refused (ValidationError keyed by deadline, nothing saved) when one is before the start or not after the
    step before it, or when `seen` (deadlines_seen of the form's reading) no longer matches: another
    administrator saved in between, and overwriting their dates unseen would lose them.
    """
    problems = calc.deadline_problems(deadlines)
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.kind, []).append(problem_text(problem))
        raise ValidationError(errors)
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if seen is not None and seen != deadlines_seen(locked):
        raise _stale(_("Người khác vừa sửa thời hạn của kỳ này: hãy xem lại rồi lưu lại."))
    changes = {model_field: getattr(deadlines, name) for name, model_field in DEADLINE_FIELDS.items()}
    return audit_fields_set(locked, changes, body=period.body, actor=actor, action="period_deadline")


@transaction.atomic
def period_bands_set(
    *, period: Period, bands: list[calc.BandInput], actor: User | None, seen: str | None = None
) -> None:
    """Replace the period's classification bands; refused (ValidationError, nothing changed) when they overlap,
    leave 0–100, repeat a code or a label, do not start at 0, or changed since the form read them (`seen`)."""
    problems = calc.band_problems(bands)
    if problems:
        raise ValidationError([problem_text(p) for p in problems])
    locked = Period.objects.select_for_update().get(pk=period.pk)
    try:
        # The bands classify every published result of the period: those are not re-classified silently.
        results_frozen_check(period_id=locked.pk)
    except ResultsFrozen as exc:
        raise ValidationError(exc.message) from exc
    if seen is not None and seen != bands_seen(locked):
        raise _stale(_("Người khác vừa sửa mức xếp loại của kỳ này: hãy xem lại rồi lưu lại."))
    old = [b.as_band() for b in locked.bands.all()]
    old_text = _bands_text([calc.BandInput(b.code, b.label, Decimal(b.min_index)) for b in old])
    new_text = _bands_text(sorted(bands, key=lambda b: -b.min_index))
    if old_text == new_text:
        return
    locked.bands.all().delete()
    ClassificationBand.objects.bulk_create(
        ClassificationBand(period=locked, code=b.code, label=b.label, min_index=b.min_index) for b in bands
    )
    audit_record(
        body=period.body,
        actor=actor,
        action="period_bands",
        obj=locked,
        field="bands",
        old=old_text,
        new=new_text,
    )
    results_changed_notify(period_id=locked.pk)


class PeriodOpenRefused(Exception):
    def __init__(self, problems: list[calc.Problem]) -> None:
        super().__init__(_("Chưa thể mở kỳ đánh giá: còn %(n)s việc chưa xong.") % {"n": len(problems)})
        self.problems = problems


@transaction.atomic
def period_open(*, period: Period, actor: User | None) -> Period:
    """Open the period for self-assessment: only from setup, and only when the checklist holds."""
    locked = Period.objects.select_for_update().select_related("body").get(pk=period.pk)
    if locked.status != PeriodStatus.SETUP:
        raise ValidationError(_("Kỳ đánh giá năm %(year)s đã mở.") % {"year": locked.year})
    problems = calc.checklist(checklist_inputs(period=locked))
    if problems:
        raise PeriodOpenRefused(problems)
    locked.status = PeriodStatus.OPEN
    locked.opened_at = timezone.now()
    locked.save(update_fields=["status", "opened_at"])
    audit_record(
        body=locked.body,
        actor=actor,
        action="period_open",
        obj=locked,
        field="status",
        old=PeriodStatus.SETUP.label,
        new=PeriodStatus.OPEN.label,
    )
    return locked
