"""Correcting and voiding a ballot before publication, by the body's staff, always with a reason.

Both are version-checked: the page sends the version it showed, and a ballot changed since (by another person,
or by a resolution of double entry) is refused with BallotConflict; the page keeps what the user typed. Both
are audited with the old and new values and tell the results that the period's survey changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.audit.services import audit_record
from scoring.models import Unit, User
from scoring.results.state import results_changed_notify

from .. import calc
from ..ballots.services import _chosen_options, survey_frozen_check
from ..double_entry.calc import answers_key
from ..models import AnswerOption, Ballot, BallotAnswer, BallotStatus, Question, SamplePlan


class BallotConflict(ValidationError):
    """The ballot changed after the page showed it; nothing was written."""


def _locked(ballot: Ballot, expected_version: int) -> Ballot:
    """Return the ballot locked for the change, refusing a stale version, a voided ballot or a published unit."""
    locked = (
        Ballot.objects.select_for_update().select_related("form", "unit", "period__body").get(pk=ballot.pk)
    )
    if locked.version != expected_version:
        raise BallotConflict(
            _(
                "Phiếu số %(number)s (%(form)s) vừa được người khác sửa hoặc hủy sau khi bạn mở trang; chưa lưu gì. "
                "Nội dung bạn nhập vẫn ở dưới: hãy xem phiếu hiện tại rồi lưu lại."
            )
            % {"number": locked.number, "form": locked.form.code}
        )
    if locked.status == BallotStatus.VOIDED:
        raise ValidationError(_("Phiếu số %(number)s đã bị hủy.") % {"number": locked.number})
    survey_frozen_check(period_id=locked.period_id, unit_id=locked.unit_id)
    return locked


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message)
    return reason


def ballot_answer_codes(*, ballot: Ballot) -> dict[int, str]:
    """Return {question number: option code} of the ballot's answers ("" = left blank)."""
    return {
        n: code or ""
        for n, code in BallotAnswer.objects.filter(ballot=ballot).values_list(
            "question__number", "option__code"
        )
    }


def _codes_text(codes: Mapping[int, str]) -> str:
    return ", ".join(f"{n}={codes[n] or '—'}" for n in sorted(codes))


def ballot_answers_replace(
    *,
    ballot: Ballot,
    unit: Unit,
    questions: Mapping[int, Question],
    chosen: Mapping[int, AnswerOption | None],
) -> None:
    """Give the locked ballot this unit and these answers, decide its verdict again (form × unit, completeness,
    quota without itself) and raise its version. Inside the caller's transaction; no audit (the caller's)."""
    plan = SamplePlan.objects.select_for_update().filter(form_id=ballot.form_id, unit=unit).first()
    accepted_so_far = 0
    if plan is not None:
        accepted_so_far = (
            Ballot.objects.filter(
                form_id=ballot.form_id,
                unit=unit,
                status=BallotStatus.ACCEPTED,
                entry_round=ballot.entry_round,
            )
            .exclude(pk=ballot.pk)
            .count()
        )
    verdict = calc.ballot_verdict(
        target_group_id=ballot.form.target_group_id,
        unit_group_id=unit.group_id,
        question_numbers=questions,
        answered_numbers=[n for n, option in chosen.items() if option is not None],
        accepted_so_far=accepted_so_far,
        issued=plan.issued if plan is not None else None,
    )
    ballot.answers.all().delete()
    BallotAnswer.objects.bulk_create(
        BallotAnswer(ballot=ballot, question=questions[n], option=option) for n, option in chosen.items()
    )
    ballot.unit = unit
    ballot.answers_key = answers_key((questions[n].pk, o.pk if o else None) for n, o in chosen.items())
    ballot.status = verdict.status
    ballot.reject_reason = verdict.reject_reason
    ballot.version += 1
    ballot.save(update_fields=["unit", "answers_key", "status", "reject_reason", "version"])


@transaction.atomic
def ballot_correct(
    *, ballot: Ballot, answers: Mapping[int, str | None], reason: str, expected_version: int, actor: User
) -> Ballot:
    """Replace the ballot's answers, decide its verdict again (completeness, quota) and return it.

    Refused (ValidationError, nothing written): no reason, no change, a code the question does not have, a
    voided ballot, a unit whose result is published (SurveyFrozen), a version changed since (BallotConflict).
    """
    reason = _reason(reason, _("Hãy ghi lý do sửa phiếu."))
    locked = _locked(ballot, expected_version)
    questions = {q.number: q for q in locked.form.questions.prefetch_related("options")}
    chosen = _chosen_options(questions, answers)
    old = ballot_answer_codes(ballot=locked)
    new = {n: option.code if option else "" for n, option in chosen.items()}
    if old == new:
        raise ValidationError(_("Câu trả lời không thay đổi; không có gì để lưu."))
    old_status = locked.get_status_display()
    ballot_answers_replace(ballot=locked, unit=locked.unit, questions=questions, chosen=chosen)
    audit_record(
        body=locked.period.body,
        actor=actor,
        action="survey.ballot_correct",
        obj=locked,
        unit=locked.unit,
        field=f"{locked.form.code}/{locked.number}/{locked.entry_round}",
        old=f"{_codes_text(old)} ({old_status})",
        new=f"{_codes_text(new)} ({locked.get_status_display()})",
        note=reason,
    )
    results_changed_notify(period_id=locked.period_id)
    return locked


@transaction.atomic
def ballot_void(*, ballot: Ballot, reason: str, expected_version: int, actor: User) -> Ballot:
    """Void the paper ballot (both keyings of its form and number) with a reason and return the one given.

    A voided ballot counts nowhere (tracking, points, quota, reconciliation) but stays on record. Refused as
    ballot_correct is.
    """
    reason = _reason(reason, _("Hãy ghi lý do hủy phiếu."))
    locked = _locked(ballot, expected_version)
    keyings = list(
        Ballot.objects.select_for_update()
        .filter(period_id=locked.period_id, form_id=locked.form_id, number=locked.number)
        .exclude(status=BallotStatus.VOIDED)
    )
    for keying in keyings:
        survey_frozen_check(period_id=keying.period_id, unit_id=keying.unit_id)
        old_status = keying.get_status_display()
        keying.status = BallotStatus.VOIDED
        keying.reject_reason = ""
        keying.void_reason = reason
        keying.version += 1
        keying.save(update_fields=["status", "reject_reason", "void_reason", "version"])
        audit_record(
            body=locked.period.body,
            actor=actor,
            action="survey.ballot_void",
            obj=keying,
            unit=locked.unit,
            field=f"{locked.form.code}/{keying.number}/{keying.entry_round}",
            old=old_status,
            new=keying.get_status_display(),
            note=reason,
        )
        if keying.pk == locked.pk:
            locked = keying
    results_changed_notify(period_id=locked.period_id)
    return locked
