"""Shared by the self-assessment API tests: token clients, URLs, uploads, and a snapshot of what is stored."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from scoring.assessment import services
from scoring.models import Assessment, Evidence, Role, SelfScore
from tests.scoring.assessment_helpers import appraisal_items
from tests.scoring.evidence_samples import PDF
from tests.scoring.factories import RoleAssignmentFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime(2026, 12, 31, 17, 0, tzinfo=VN)
BEFORE_DEADLINE = datetime(2026, 12, 20, 9, 0, tzinfo=VN)
AFTER_DEADLINE = datetime(2027, 1, 2, 9, 0, tzinfo=VN)
LIST_URL = reverse("assessment-list-api")
PDF_NAME = "Báo cáo CCHC 2026.pdf"


def api_client(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def api_url(name: str, pk: int, **extra) -> str:
    return reverse(name, kwargs={"pk": pk, **extra})


def pdf_upload(name: str = PDF_NAME, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def score_version(assessment, code: str) -> int:
    """Return the stored version of the item's score, 0 when none: what a fresh page would send."""
    row = SelfScore.objects.filter(assessment=assessment, item__code=code).first()
    return row.version if row else 0


def put_score(client, assessment, code, **body):
    payload = {
        "points": "0.75",
        "justification": "Đã ban hành kế hoạch",
        "no_evidence_reason": "",
        "version": 0,
    }
    payload.update(body)
    return client.put(api_url("assessment-item-score-api", assessment.pk, code=code), payload, format="json")


def upload_evidence(client, assessment, *, file=None, items=("1.1.1",)):
    return client.post(
        api_url("assessment-evidence-api", assessment.pk),
        {"file": file or pdf_upload(), "items": list(items)},
        format="multipart",
    )


def evidence_of(assessment, *, officer=None) -> Evidence:
    if officer is None:
        officer = UserFactory()
        RoleAssignmentFactory(
            user=officer, body=assessment.unit.body, role=Role.UNIT_OFFICER, unit=assessment.unit
        )
    item = appraisal_items(assessment.criteria_set)[0]
    return services.evidence_upload(
        assessment=assessment, uploaded_file=pdf_upload(), item_ids=[item.pk], actor=officer
    )


def snapshot(assessment):
    """Return what a refused request must leave untouched: status, scores, evidence rows and stored files."""
    return (
        Assessment.objects.get(pk=assessment.pk).status,
        list(SelfScore.objects.filter(assessment=assessment).values_list("item_id", "points", "version")),
        sorted(Evidence.objects.filter(assessment=assessment).values_list("pk", flat=True)),
        len(stored_files()),
    )
