"""Publication of a period's appraised results: the signed decision, its frozen snapshot, the published rows.

Each function is one named operation in one transaction; each refuses with a PublicationError whose
.message is Vietnamese, for the person at the screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.access import may_publish, publication_recipients
from reports.models import PublicationDecision, PublishedFieldResult, PublishedResult, ResultSnapshot
from reports.results.live import UnitResult, unit_results
from scoring import calc
from scoring.assessment.services import AssessmentError, assessment_transition
from scoring.audit.notifications import notify
from scoring.audit.services import audit_record
from scoring.evidence.files import EvidenceFileError, check_evidence_file
from scoring.models import Assessment, Period, UnitGroup, User
from scoring.workflow import Status

from .scope import PublicationError, PublicationScope, publication_scope
from .snapshot import SnapshotUnit, content_hash, snapshot_content

logger = logging.getLogger(__name__)

DECISION_FILE_MAX_BYTES = 20 * 1024 * 1024
DECISION_FILE_SUFFIXES = (".pdf",)

__all__ = ["PublicationError", "period_publish", "period_publish_amendment"]


def _check_input(
    *,
    period: Period,
    number: str,
    signed_on: date | None,
    signer: str,
    file: UploadedFile | None,
    actor: User,
) -> None:
    if not may_publish(actor, period):
        raise PublicationError(_("Chỉ quản trị của cơ quan đánh giá mới được công bố kết quả."))
    if not number.strip():
        raise PublicationError(_("Hãy nhập số quyết định."), field="number")
    if signed_on is None:
        raise PublicationError(_("Hãy nhập ngày ký quyết định."), field="signed_on")
    if not signer.strip():
        raise PublicationError(_("Hãy nhập người ký quyết định."), field="signer")
    if file is not None:
        _check_decision_file(file)


def _check_decision_file(file: UploadedFile) -> None:
    """Refuse a decision file that is not really a PDF: its content is read, as for evidence, not its name."""
    if not file.name.lower().endswith(DECISION_FILE_SUFFIXES):
        raise PublicationError(_("Tệp quyết định phải là tệp PDF."), field="file")
    try:
        checked = check_evidence_file(name=file.name, file=file, max_bytes=DECISION_FILE_MAX_BYTES)
    except EvidenceFileError as exc:
        raise PublicationError(exc.message, field="file") from exc
    except OSError as exc:  # the temporary file of a broken upload cannot be read
        raise PublicationError(
            _("Tệp bị hỏng hoặc tải lên chưa hết. Hãy kiểm tra tệp rồi tải lên lại."), field="file"
        ) from exc
    if checked.kind != "pdf":
        raise PublicationError(_("Tệp quyết định phải là tệp PDF."), field="file")
    file.seek(0)


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
    scope: PublicationScope,
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
    left_out = {entry.unit_code: entry.as_content() for entry in scope.left_out}
    decision = PublicationDecision.objects.create(
        period=period,
        number=number.strip(),
        signed_on=signed_on,
        signer=signer.strip(),
        file=file,
        amends=amends,
        published_by=actor,
        left_out=left_out,
    )
    content = snapshot_content(
        body_code=period.body.code,
        year=period.year,
        decision_number=decision.number,
        signed_on=signed_on,
        amends_number=amends.number if amends else None,
        bands=bands,
        units=units,
        groups=[g.code for g in scope.groups],
        left_out=left_out,
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
        note=_left_out_note(decision.number, scope),
    )
    _notify_publication(period=period, decision=decision)
    logger.info(
        "period %s published by %s: decision %s (%s)", period.pk, actor, decision.pk, snapshot.content_hash
    )
    return decision


def _left_out_note(number: str, scope: PublicationScope) -> str:
    # The audit row says what the decision left out and why, next to what it published.
    lines = [number] + [
        _("Không công bố %(unit)s: %(reason)s") % {"unit": e.unit_name, "reason": e.reason}
        for e in scope.left_out
    ]
    return "\n".join(lines)


def _notify_publication(*, period: Period, decision: PublicationDecision) -> None:
    """Tell everyone of the body (issue: "everyone of the body at publication") that the results are public."""
    users = list(publication_recipients(period).select_related("user").distinct())
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
    groups: Iterable[UnitGroup | int] | None = None,
    exclusions: Mapping[int, str] | None = None,
) -> PublicationDecision:
    """Return the decision publishing the rankings of the chosen groups (None: every group), now frozen.

    Every unit of a chosen group must be council-approved or left out (exclusions: unit id → reason); the
    left-out units and their reasons are kept on the decision and in the snapshot.
    """
    _check_input(period=period, number=number, signed_on=signed_on, signer=signer, file=file, actor=actor)
    period = _lock_period(period)
    if PublicationDecision.objects.filter(period=period).exists():
        raise PublicationError(_("Kỳ đánh giá này đã được công bố; hãy ban hành quyết định sửa đổi."))
    if PublishedResult.objects.filter(period=period, source=PublishedResult.Source.IMPORT).exists():
        raise PublicationError(_("Kỳ đánh giá này đã có kết quả công bố được nhập từ tệp."))
    scope = publication_scope(period=period, groups=groups, exclusions=exclusions, previous=None)
    return _publish_scope(period=period, scope=scope, amends=None, number=number, signed_on=signed_on,
                          signer=signer, file=file, actor=actor)  # fmt: skip


def _publish_scope(
    *,
    period: Period,
    scope: PublicationScope,
    amends: PublicationDecision | None,
    number: str,
    signed_on: date,
    signer: str,
    file: UploadedFile | None,
    actor: User,
) -> PublicationDecision:
    assessments = scope.published
    results = unit_results(assessments=assessments)
    _publish_assessments(assessments=assessments, actor=actor)
    return _write(
        period=period,
        number=number,
        signed_on=signed_on,
        signer=signer,
        file=file,
        amends=amends,
        results=results,
        scope=scope,
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
    groups: Iterable[UnitGroup | int] | None = (),
    exclusions: Mapping[int, str] | None = None,
) -> PublicationDecision:
    """Return a decision amending the period's latest one: a new snapshot, the published rows replaced.

    The amendment covers the groups already published plus `groups`; in them every unit published or approved
    by the council since (a reopened unit once approved again, with its corrected figures) is recomputed and
    ranked anew; a unit left out earlier stays out until approved. A reopened unit not yet approved again is
    refused unless left out. The earlier snapshot stays as it was, so the two can be compared.
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
    scope = publication_scope(
        period=period, groups=groups or (), exclusions=exclusions, previous=latest.snapshot.content
    )
    return _publish_scope(period=period, scope=scope, amends=latest, number=number, signed_on=signed_on,
                          signer=signer, file=file, actor=actor)  # fmt: skip
