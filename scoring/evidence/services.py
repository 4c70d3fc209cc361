"""Evidence of a self-assessment: upload (checked by content, stored under a random name), link, unlink, delete.

On any failure nothing remains: no row and no file in storage.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.assessment.rules import (
    AssessmentError,
    lock_assessment,
    require_editable,
    require_editor,
    touch_activity,
)
from scoring.audit.services import audit_record
from scoring.evidence.files import EvidenceFileError, check_evidence_file
from scoring.models import Assessment, CriteriaItem, Evidence, Method, NotApplicableItem, User

logger = logging.getLogger(__name__)


def _evidence_items(*, assessment: Assessment, item_ids: Sequence[int]) -> list[CriteriaItem]:
    """Return the items that evidence may back: applicable appraisal leaves of the assessment's set."""
    try:
        wanted = {int(i) for i in item_ids}
    except (TypeError, ValueError) as exc:
        raise AssessmentError(_("Tiêu chí không hợp lệ."), field="items") from exc
    if not wanted:
        return []
    items = list(
        CriteriaItem.objects.filter(pk__in=wanted, criteria_set_id=assessment.criteria_set_id).scored()
    )
    if len(items) != len(wanted):
        raise AssessmentError(
            _("Chỉ gắn tài liệu kiểm chứng vào tiêu chí được chấm điểm của bộ tiêu chí này."), field="items"
        )
    for item in items:
        if item.method == Method.SURVEY:
            raise AssessmentError(
                _("Tiêu chí %(code)s được chấm qua điều tra xã hội học, không cần tài liệu kiểm chứng.")
                % {"code": item.code},
                field="items",
            )
    exempt = set(
        NotApplicableItem.objects.filter(item__in=items)
        .filter(Q(unit__isnull=True) | Q(unit_id=assessment.unit_id))
        .values_list("item__code", flat=True)
    )
    if exempt:
        raise AssessmentError(
            _("Tiêu chí %(codes)s không đánh giá đối với đơn vị.") % {"codes": ", ".join(sorted(exempt))},
            field="items",
        )
    return items


def _delete_stored(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # the row is gone either way; an orphan file is logged for the operator
        logger.exception("could not delete evidence file %s", name)


def _audit_evidence(
    *, locked: Assessment, evidence: Evidence, action: str, items: Sequence[CriteriaItem], actor: User
) -> None:
    """Record the change once per item it touched, so that each item's history shows its evidence."""
    name = evidence.original_name
    old, new = (name, None) if action in ("evidence_unlink", "evidence_delete") else (None, name)
    for item in items or [None]:
        audit_record(
            body=locked.period.body,
            actor=actor,
            action=action,
            obj=evidence,
            unit=locked.unit,
            item_code=item.code if item is not None else "",
            field="evidence",
            old=old,
            new=new,
        )


@transaction.atomic
def evidence_upload(
    *,
    assessment: Assessment,
    uploaded_file: IO[bytes] | Any,
    item_ids: Sequence[int],
    actor: User,
    now: datetime | None = None,
) -> Evidence:
    """Return the evidence stored under a random name after the file is checked by its content.

    On any failure nothing remains: no row, no file in storage.
    """
    now = now or timezone.now()
    require_editor(actor=actor, assessment=assessment)
    locked = lock_assessment(assessment)
    require_editable(assessment=locked, now=now)
    items = _evidence_items(assessment=locked, item_ids=item_ids)
    max_bytes = settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024
    try:
        checked = check_evidence_file(
            name=getattr(uploaded_file, "name", "") or "", file=uploaded_file, max_bytes=max_bytes
        )
    except EvidenceFileError as exc:
        raise AssessmentError(exc.message, field="file") from exc
    except OSError as exc:  # the temporary file of a broken upload cannot be read
        raise AssessmentError(
            _("Tệp bị hỏng hoặc tải lên chưa hết. Hãy kiểm tra tệp rồi tải lên lại."), field="file"
        ) from exc

    evidence = Evidence(
        assessment=locked,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    content = uploaded_file if isinstance(uploaded_file, File) else File(uploaded_file)
    content.seek(0)
    stored_name = ""
    try:
        evidence.file.save(checked.display_name, content, save=False)
        stored_name = evidence.file.name
        evidence.save()
        evidence.items.set(items)
        _audit_evidence(locked=locked, evidence=evidence, action="evidence_upload", items=items, actor=actor)
        touch_activity(locked=locked, assessment=assessment, now=now)
    except BaseException:
        # The database rolls back by itself; the file written to storage does not.
        if stored_name:
            _delete_stored(evidence.file.storage, stored_name)
        raise
    logger.info(
        "evidence %s (%s, %s bytes) uploaded to assessment %s by %s",
        evidence.pk,
        checked.kind,
        checked.size,
        locked.pk,
        actor,
    )
    return evidence


def _evidence_guard(*, evidence: Evidence, actor: User, now: datetime | None) -> Assessment:
    """Return the evidence's assessment, locked, after the edit rights, status and deadline are checked."""
    now = now or timezone.now()
    require_editor(actor=actor, assessment=evidence.assessment)
    locked = lock_assessment(evidence.assessment)
    require_editable(assessment=locked, now=now)
    return locked


@transaction.atomic
def evidence_link(
    *, evidence: Evidence, item_ids: Sequence[int], actor: User, now: datetime | None = None
) -> Evidence:
    """Return the evidence with the items added to those it backs (one file may back several items)."""
    now = now or timezone.now()
    locked = _evidence_guard(evidence=evidence, actor=actor, now=now)
    items = _evidence_items(assessment=locked, item_ids=item_ids)
    evidence.items.add(*items)
    _audit_evidence(locked=locked, evidence=evidence, action="evidence_link", items=items, actor=actor)
    touch_activity(locked=locked, assessment=evidence.assessment, now=now)
    return evidence


@transaction.atomic
def evidence_unlink(
    *, evidence: Evidence, item: CriteriaItem, actor: User, now: datetime | None = None
) -> Evidence:
    """Return the evidence no longer backing the item; the file stays in the dossier."""
    now = now or timezone.now()
    locked = _evidence_guard(evidence=evidence, actor=actor, now=now)
    evidence.items.remove(item)
    _audit_evidence(locked=locked, evidence=evidence, action="evidence_unlink", items=[item], actor=actor)
    touch_activity(locked=locked, assessment=evidence.assessment, now=now)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: User, now: datetime | None = None) -> None:
    """Delete the evidence; its file is removed from storage once the deletion is committed."""
    now = now or timezone.now()
    locked = _evidence_guard(evidence=evidence, actor=actor, now=now)
    storage, name, pk = evidence.file.storage, evidence.file.name, evidence.pk
    # Recorded before the delete: the items it backed are gone with the row.
    _audit_evidence(
        locked=locked,
        evidence=evidence,
        action="evidence_delete",
        items=list(evidence.items.all()),
        actor=actor,
    )
    evidence.delete()
    touch_activity(locked=locked, assessment=evidence.assessment, now=now)
    # After the commit only: a rolled-back deletion must still find its file.
    transaction.on_commit(partial(_delete_stored, storage, name))
    logger.info("evidence %s deleted from assessment %s by %s", pk, locked.pk, actor)
