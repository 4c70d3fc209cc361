"""Publication of a period's appraised results: the signed decision, its frozen snapshot, the published rows.

Each function is one named operation in one transaction; each refuses with a PublicationError whose
.message is Vietnamese, for the person at the screen.
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from scoring import calc
from scoring.access import is_body_admin
from scoring.assessment_services import AssessmentError, assessment_transition
from scoring.audit import audit_record
from scoring.models import Assessment, Period, RoleAssignment, User
from scoring.notifications import notify
from scoring.workflow import Status

from .live_results import UnitResult, unit_results
from .models import PublicationDecision, PublishedFieldResult, PublishedResult, ResultSnapshot
from .snapshot import SnapshotUnit, content_hash, snapshot_content

logger = logging.getLogger(__name__)

DECISION_FILE_MAX_BYTES = 20 * 1024 * 1024
DECISION_FILE_SUFFIXES = (".pdf",)

__all__ = ["PublicationError", "period_publish", "period_publish_amendment"]


class PublicationError(Exception):
    """A publication refused; .message is for the user (Vietnamese), .field names the form field if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field


def _check_input(
    *,
    period: Period,
    number: str,
    signed_on: date | None,
    signer: str,
    file: UploadedFile | None,
    actor: User,
) -> None:
    if not is_body_admin(actor, period.body):
        raise PublicationError(_("Chỉ quản trị của cơ quan đánh giá mới được công bố kết quả."))
    if not number.strip():
        raise PublicationError(_("Hãy nhập số quyết định."), field="number")
    if signed_on is None:
        raise PublicationError(_("Hãy nhập ngày ký quyết định."), field="signed_on")
    if not signer.strip():
        raise PublicationError(_("Hãy nhập người ký quyết định."), field="signer")
    if file is not None:
        if not file.name.lower().endswith(DECISION_FILE_SUFFIXES):
            raise PublicationError(_("Tệp quyết định phải là tệp PDF."), field="file")
        if file.size > DECISION_FILE_MAX_BYTES:
            raise PublicationError(_("Tệp quyết định không được lớn hơn 20 MB."), field="file")


def _lock_period(period: Period) -> Period:
    # Two admins pressing "publish" at once: the second waits, then sees the first decision.
    return Period.objects.select_for_update().select_related("body").get(pk=period.pk)


def _publish_assessments(*, assessments: list[Assessment], actor: User) -> None:
    for assessment in assessments:
        if assessment.status == Status.COUNCIL_APPROVED:
            try:
                assessment_transition(assessment=assessment, to=Status.PUBLISHED, actor=actor)
            except AssessmentError as exc:
                raise PublicationError(exc.message) from exc


def _write(
    *,
    period: Period,
    number: str,
    signed_on: date,
    signer: str,
    file: UploadedFile | None,
    amends: PublicationDecision | None,
    results: list[UnitResult],
    actor: User,
) -> PublicationDecision:
    """Rank the results with the period's bands, then write the decision, its snapshot and the published rows."""
    bands = [b.as_band() for b in period.bands.all()]
    ranked = {r.unit_id: r for r in calc.rank_units((r.totals for r in results), bands)}
    units = [
        SnapshotUnit(
            unit_code=r.assessment.unit.code,
            unit_name=r.assessment.unit.name,
            group_name=r.assessment.unit.group.name,
            ranked=ranked[r.assessment.unit_id],
            item_points=r.item_points,
            not_applicable=r.not_applicable,
        )
        for r in results
    ]
    decision = PublicationDecision.objects.create(
        period=period,
        number=number.strip(),
        signed_on=signed_on,
        signer=signer.strip(),
        file=file,
        amends=amends,
        published_by=actor,
    )
    content = snapshot_content(
        body_code=period.body.code,
        year=period.year,
        decision_number=decision.number,
        signed_on=signed_on,
        amends_number=amends.number if amends else None,
        bands=bands,
        units=units,
    )
    snapshot = ResultSnapshot.objects.create(
        decision=decision, period=period, content=content, content_hash=content_hash(content)
    )

    # The published rows always mirror the latest snapshot; the earlier snapshots keep what was replaced.
    PublishedResult.objects.filter(period=period, source=PublishedResult.Source.APPRAISAL).delete()
    rows = PublishedResult.objects.bulk_create(
        PublishedResult(
            period=period,
            unit=r.assessment.unit,
            unit_group=r.assessment.unit.group,
            appraisal_points=r.totals.appraisal_points,
            survey_points=r.totals.survey_points,
            max_points=r.totals.max_points,
            source=PublishedResult.Source.APPRAISAL,
            created_by=actor,
        )
        for r in results
    )
    PublishedFieldResult.objects.bulk_create(
        PublishedFieldResult(result=row, field_code=f.code, points=f.points, max_points=f.max_points)
        for row, r in zip(rows, results, strict=True)
        for f in r.totals.fields
    )
    # The rankings page prints the decision from the period, as it does for imported results.
    period.publication_decision = decision.number
    period.published_on = signed_on
    period.save(update_fields=["publication_decision", "published_on"])

    audit_record(
        body=period.body,
        actor=actor,
        action="period_amendment_published" if amends else "period_published",
        obj=decision,
        old=amends.snapshot.content_hash if amends else None,
        new=snapshot.content_hash,
        note=decision.number,
    )
    _notify_publication(period=period, decision=decision)
    logger.info(
        "period %s published by %s: decision %s (%s)", period.pk, actor, decision.pk, snapshot.content_hash
    )
    return decision


def _notify_publication(*, period: Period, decision: PublicationDecision) -> None:
    """Tell everyone of the body (issue: "everyone of the body at publication") that the results are public."""
    users = list(
        RoleAssignment.objects.filter(body=period.body, user__is_active=True)
        .select_related("user")
        .distinct()
    )
    if not users:
        return
    notify(
        users=sorted({a.user for a in users}, key=lambda u: u.pk),
        body=period.body,
        verb="period_published",
        text=_("Kết quả chỉ số CCHC năm %(year)s đã được công bố theo %(number)s.")
        % {"year": period.year, "number": decision.number},
        url=reverse("public_rankings:period", kwargs={"body": period.body.code, "year": period.year}),
    )


@transaction.atomic
def period_publish(
    *,
    period: Period,
    number: str,
    signed_on: date | None,
    signer: str,
    file: UploadedFile | None,
    actor: User,
) -> PublicationDecision:
    """Return the decision publishing the period's council-approved assessments, now PUBLISHED and frozen."""
    _check_input(period=period, number=number, signed_on=signed_on, signer=signer, file=file, actor=actor)
    period = _lock_period(period)
    if PublicationDecision.objects.filter(period=period).exists():
        raise PublicationError(_("Kỳ đánh giá này đã được công bố; hãy ban hành quyết định sửa đổi."))
    if PublishedResult.objects.filter(period=period, source=PublishedResult.Source.IMPORT).exists():
        raise PublicationError(_("Kỳ đánh giá này đã có kết quả công bố được nhập từ tệp."))
    assessments = list(
        Assessment.objects.filter(period=period, status=Status.COUNCIL_APPROVED)
        .select_related("unit__group")
        .order_by("unit__group__order", "unit__name", "pk")
    )
    if not assessments:
        raise PublicationError(_("Chưa có hồ sơ nào được Hội đồng thẩm định thông qua."))
    results = unit_results(assessments=assessments)
    _publish_assessments(assessments=assessments, actor=actor)
    return _write(
        period=period,
        number=number,
        signed_on=signed_on,
        signer=signer,
        file=file,
        amends=None,
        results=results,
        actor=actor,
    )


@transaction.atomic
def period_publish_amendment(
    *,
    period: Period,
    number: str,
    signed_on: date | None,
    signer: str,
    file: UploadedFile | None,
    actor: User,
) -> PublicationDecision:
    """Return a decision amending the period's latest one: results recomputed, published rows replaced.

    The amendment covers every assessment already published plus those approved by the council since;
    the earlier snapshot stays as it was, so the two can be compared.
    """
    _check_input(period=period, number=number, signed_on=signed_on, signer=signer, file=file, actor=actor)
    period = _lock_period(period)
    latest = (
        PublicationDecision.objects.filter(period=period, amended_by__isnull=True)
        .select_related("snapshot")
        .first()
    )
    if latest is None:
        raise PublicationError(_("Kỳ đánh giá này chưa được công bố nên chưa thể sửa đổi."))
    if PublicationDecision.objects.filter(period=period, number=number.strip()).exists():
        raise PublicationError(_("Số quyết định này đã được dùng trong kỳ."), field="number")
    assessments = list(
        Assessment.objects.filter(period=period, status__in=(Status.PUBLISHED, Status.COUNCIL_APPROVED))
        .select_related("unit__group")
        .order_by("unit__group__order", "unit__name", "pk")
    )
    if not assessments:
        raise PublicationError(_("Không có hồ sơ nào đã công bố hoặc được Hội đồng thẩm định thông qua."))
    results = unit_results(assessments=assessments)
    _publish_assessments(assessments=assessments, actor=actor)
    return _write(
        period=period,
        number=number,
        signed_on=signed_on,
        signer=signer,
        file=file,
        amends=latest,
        results=results,
        actor=actor,
    )
