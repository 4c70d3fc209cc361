"""Survey design writes: questions, sample plans, and the ballot forms' Excel import, export and copy from
another period."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.audit.services import audit_record
from scoring.models import CriteriaItem, Method, Period, Unit, UnitGroup, User
from scoring.results.state import results_changed_notify

from ..ballots.services import survey_frozen_check
from ..models import (
    DEFAULT_OPTIONS,
    AnswerOption,
    BallotForm,
    Question,
    SamplePlan,
)
from .io import FormRow, OptionRow, QuestionRow, RowError, forms_from_workbook, forms_to_workbook


class FormsImportError(ValidationError):
    """The workbook was refused; `errors` lists every problem (sheet, row, column, reason)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__([str(e) for e in self.errors])


# --- Design: questions and sample plans ------------------------------------------------------------------------


def _check_survey_item(*, form: BallotForm, item: CriteriaItem) -> None:
    if (
        item.method != Method.SURVEY
        or item.criteria_set.period_id != form.period_id
        or item.criteria_set.unit_group_id != form.target_group_id
    ):
        raise ValidationError(
            _("Tiêu chí %(code)s không phải tiêu chí điều tra xã hội học của nhóm đơn vị được đánh giá.")
            % {"code": item.code}
        )


@transaction.atomic
def question_create(
    *,
    form: BallotForm,
    number: int,
    text: str,
    item: CriteriaItem,
    options: Sequence[tuple[str, str, Decimal]] | None = None,
) -> Question:
    """Return a new question on a survey item of the form's target group, with the default options unless given."""
    survey_frozen_check(period_id=form.period_id)
    _check_survey_item(form=form, item=item)
    if form.questions.filter(number=number).exists():
        raise ValidationError(_("Câu %(number)s đã có trong mẫu phiếu.") % {"number": number})
    question = Question.objects.create(form=form, number=number, text=text, item=item, order=number)
    AnswerOption.objects.bulk_create(
        AnswerOption(question=question, code=code, label=label, share=share)
        for code, label, share in (options or DEFAULT_OPTIONS)
    )
    results_changed_notify(period_id=form.period_id)
    return question


@transaction.atomic
def sample_plan_set(
    *, form: BallotForm, unit: Unit, issued: int, actor: User | None = None
) -> SamplePlan | None:
    """Set how many ballots of the form are issued about the unit; 0 removes the plan. Return the plan."""
    if issued < 0:
        raise ValidationError(_("Số phiếu phát ra không được âm."))
    survey_frozen_check(period_id=form.period_id)
    if unit.group_id != form.target_group_id:
        raise ValidationError(_("Đơn vị không thuộc nhóm mà mẫu phiếu đánh giá."))
    previous = SamplePlan.objects.filter(form=form, unit=unit).first()
    old = previous.issued if previous else 0
    plan: SamplePlan | None = None
    if issued == 0:
        SamplePlan.objects.filter(form=form, unit=unit).delete()
    else:
        plan, _created = SamplePlan.objects.update_or_create(
            form=form, unit=unit, defaults={"issued": issued}
        )
    if old != issued:
        audit_record(
            body=unit.body,
            actor=actor,
            action="survey.sample_plan_set",
            obj=plan,
            unit=unit,
            field=form.code,
            old=old,
            new=issued,
        )
        results_changed_notify(period_id=form.period_id)
    return plan


# --- Ballot forms: Excel export, import, copy ------------------------------------------------------------------


def _form_rows(period: Period) -> list[FormRow]:
    forms = (
        BallotForm.objects.filter(period=period)
        .select_related("target_group")
        .prefetch_related("questions__item", "questions__options")
        .order_by("order", "code")
    )
    return [
        FormRow(
            code=form.code,
            name=form.name,
            respondent_group=form.respondent_group,
            group_code=form.target_group.code,
            group_weight=form.group_weight,
            order=form.order,
            questions=tuple(
                QuestionRow(
                    number=q.number,
                    text=q.text,
                    item_code=q.item.code,
                    options=tuple(
                        OptionRow(code=o.code, label=o.label, share=o.share, counts=o.counts)
                        for o in sorted(q.options.all(), key=lambda o: o.code)
                    ),
                )
                for q in sorted(form.questions.all(), key=lambda q: q.number)
            ),
        )
        for form in forms
    ]


def ballot_forms_export(*, period: Period) -> bytes:
    """Return the period's ballot forms, questions and options as an .xlsx (the layout the import reads)."""
    return forms_to_workbook(_form_rows(period))


def _resolve(period: Period, rows: Sequence[FormRow]) -> tuple[dict[str, UnitGroup], dict, list[RowError]]:
    """Return the unit groups and survey items the rows name, and an error for each one that does not exist."""
    groups = {g.code: g for g in UnitGroup.objects.filter(body_id=period.body_id)}
    items = {
        (i.criteria_set.unit_group_id, i.code): i
        for i in CriteriaItem.objects.filter(
            criteria_set__period=period, method=Method.SURVEY
        ).select_related("criteria_set")
    }
    errors: list[RowError] = []
    for form in rows:
        group = groups.get(form.group_code)
        if group is None:
            errors.append(
                RowError(
                    "Mẫu phiếu",
                    form.row,
                    "Mã nhóm đơn vị được đánh giá",
                    _("Không có nhóm đơn vị mã “%(code)s”.") % {"code": form.group_code},
                )
            )
            continue
        for question in form.questions:
            if (group.pk, question.item_code) not in items:
                errors.append(
                    RowError(
                        "Câu hỏi",
                        question.row,
                        "Mã tiêu chí",
                        _(
                            "Không có tiêu chí điều tra xã hội học mã “%(code)s” trong bộ tiêu chí của nhóm %(group)s."
                        )
                        % {"code": question.item_code, "group": group.name},
                    )
                )
    return groups, items, errors


def _write_forms(*, period: Period, rows: Sequence[FormRow], groups: dict, items: dict) -> list[BallotForm]:
    """Create or update each form by code, its questions by number and their options by code."""
    written: list[BallotForm] = []
    for row in rows:
        group = groups[row.group_code]
        form, _created = BallotForm.objects.update_or_create(
            period=period,
            code=row.code,
            defaults={
                "name": row.name,
                "respondent_group": row.respondent_group,
                "target_group": group,
                "group_weight": row.group_weight,
                "order": row.order,
            },
        )
        for q in row.questions:
            question, _created = Question.objects.update_or_create(
                form=form,
                number=q.number,
                defaults={"text": q.text, "item": items[(group.pk, q.item_code)], "order": q.number},
            )
            options = q.options or tuple(OptionRow(code=c, label=lb, share=s) for c, lb, s in DEFAULT_OPTIONS)
            for o in options:
                AnswerOption.objects.update_or_create(
                    question=question,
                    code=o.code,
                    defaults={"label": o.label, "share": o.share, "counts": o.counts},
                )
            # Options dropped from the file go, unless a ballot already chose them (PROTECT keeps the answer).
            AnswerOption.objects.filter(question=question, answers__isnull=True).exclude(
                code__in=[o.code for o in options]
            ).delete()
        form.questions.filter(answers__isnull=True).exclude(
            number__in=[q.number for q in row.questions]
        ).delete()
        written.append(form)
    return written


@transaction.atomic
def ballot_forms_import(*, period: Period, workbook: bytes, actor: User | None = None) -> list[BallotForm]:
    """Create or update the period's forms from the workbook, all or nothing; raise FormsImportError on any error.

    Forms are matched by code, questions by number, options by code. Forms absent from the file are kept.
    """
    survey_frozen_check(period_id=period.pk)
    parsed = forms_from_workbook(workbook)
    if parsed.errors:
        raise FormsImportError(parsed.errors)
    groups, items, errors = _resolve(period, parsed.forms)
    if errors:
        raise FormsImportError(errors)
    written = _write_forms(period=period, rows=parsed.forms, groups=groups, items=items)
    audit_record(
        body=period.body,
        actor=actor,
        action="survey.forms_import",
        note=", ".join(f.code for f in written),
    )
    results_changed_notify(period_id=period.pk)
    return written


@transaction.atomic
def ballot_forms_clone(
    *, source_period: Period, target_period: Period, actor: User | None = None, with_plans: bool = True
) -> list[BallotForm]:
    """Copy the source period's forms (questions, options and, unless told, sample plans) into the target period.

    Items are matched by code in the target period's criteria set of the same unit group; refused (nothing
    copied) when the target already has a form of the same code or lacks an item.
    """
    if source_period.body_id != target_period.body_id:
        raise ValidationError(_("Chỉ sao chép được giữa các kỳ của cùng một cơ quan đánh giá."))
    survey_frozen_check(period_id=target_period.pk)
    rows = _form_rows(source_period)
    taken = set(BallotForm.objects.filter(period=target_period).values_list("code", flat=True))
    clashes = sorted(taken & {r.code for r in rows})
    if clashes:
        raise ValidationError(
            _("Kỳ đích đã có mẫu phiếu %(codes)s; không sao chép đè.") % {"codes": ", ".join(clashes)}
        )
    groups, items, errors = _resolve(target_period, rows)
    if errors:
        raise ValidationError([e.message for e in errors])
    written = _write_forms(period=target_period, rows=rows, groups=groups, items=items)
    if with_plans:
        by_code = {f.code: f for f in written}
        SamplePlan.objects.bulk_create(
            SamplePlan(form=by_code[plan.form.code], unit_id=plan.unit_id, issued=plan.issued)
            for plan in SamplePlan.objects.filter(form__period=source_period).select_related("form")
        )
    audit_record(
        body=target_period.body,
        actor=actor,
        action="survey.forms_clone",
        note=f"{source_period.year} → {target_period.year}",
    )
    results_changed_notify(period_id=target_period.pk)
    return written
