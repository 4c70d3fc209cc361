"""Demo dossiers for `make run`: units at different stages of self-assessment (not started, half done, submitted).

Scores go through the same services as the page, so the demo obeys every rule a user would meet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from scoring.assessment import services as assessment_services
from scoring.evidence import services as evidence_services
from scoring.models import Assessment, CriteriaItem, Method, Period, Unit, User


@dataclass(frozen=True)
class DemoDossier:
    unit_code: str
    officer: str
    head: str
    share_scored: Decimal  # part of the appraisal items the unit has scored
    submit: bool


def demo_pdf(title: str) -> bytes:
    """Return a small valid one-page PDF whose page shows the title (ASCII only, for the standard font)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _points_for(unit_code: str, item: CriteriaItem) -> Decimal:
    # Stable "realistic" scores: most items full, some a step or two below, never random between runs.
    digest = int(hashlib.sha256(f"{unit_code}:{item.code}".encode()).hexdigest(), 16)
    step = Decimal(item.step)
    lost_steps = [0, 0, 0, 1, 2][digest % 5]
    return max(Decimal(0), item.max_points - step * lost_steps)


def period_deadline_default(period: Period, *, now: datetime | None = None) -> None:
    """Give the demo period a deadline three weeks ahead if it has none, so the demo is open for editing."""
    if period.self_assessment_deadline is None:
        now = now or timezone.now()
        day = timezone.localdate(now) + timedelta(days=21)
        period.self_assessment_deadline = timezone.make_aware(datetime.combine(day, time(17, 0)))
        period.save(update_fields=["self_assessment_deadline"])


@transaction.atomic
def demo_dossier_load(*, period: Period, dossier: DemoDossier) -> Assessment | None:
    """Create one unit's demo dossier at its stage; leave an existing dossier exactly as it is."""
    unit = Unit.objects.get(body=period.body, code=dossier.unit_code)
    if Assessment.objects.filter(period=period, unit=unit).exists():
        return None
    officer = User.objects.get(username=dossier.officer)
    head = User.objects.get(username=dossier.head)
    assessment = assessment_services.assessment_get_or_create(period=period, unit=unit)
    items = list(
        CriteriaItem.objects.scored()
        .filter(criteria_set=assessment.criteria_set, method=Method.APPRAISAL)
        .order_by("order")
    )
    count = int(len(items) * dossier.share_scored)
    for index, item in enumerate(items[:count]):
        has_evidence = index % 3 != 2
        if has_evidence:
            upload = SimpleUploadedFile(
                f"Tài liệu kiểm chứng {item.code}.pdf",
                demo_pdf(f"Tai lieu kiem chung tieu chi {item.code} - {unit.code}"),
                content_type="application/pdf",
            )
            evidence_services.evidence_upload(
                assessment=assessment, uploaded_file=upload, item_ids=[item.pk], actor=officer
            )
        assessment_services.self_score_save(
            assessment=assessment,
            item=item,
            points=_points_for(unit.code, item),
            justification=f"Đơn vị đã thực hiện nội dung {item.code} theo kế hoạch CCHC năm {period.year}.",
            no_evidence_reason=""
            if has_evidence
            else "Nội dung đã thể hiện trong báo cáo CCHC năm của đơn vị.",
            expected_version=0,
            actor=officer,
        )
    if dossier.submit:
        assessment_services.assessment_submit(assessment=assessment, actor=head)
    return assessment
