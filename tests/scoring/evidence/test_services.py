"""Evidence services: upload checked by content, stored under a random name, linked, deleted; nothing half-saved."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from scoring.assessment.services import (
    AssessmentError,
    PermissionDenied,
    assessment_submit,
    evidence_delete,
    evidence_link,
    evidence_unlink,
    evidence_upload,
)
from scoring.models import CriteriaItem, Evidence
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import (
    appraisal_items,
    build_criteria_set,
    fill_scores,
    leaf_items,
    mark_not_applicable,
)
from tests.scoring.dossier_fixtures import AFTER, BEFORE, DEADLINE, HCM  # noqa: F401
from tests.scoring.factories import PeriodFactory

# The fixtures assessment, item, with_deadline and other_officer come from tests/scoring/dossier_fixtures.py
# through pytest_plugins in tests/conftest.py.


def pdf_upload(name="bao-cao.pdf", data=samples.PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_stores_the_file_under_a_random_name_and_keeps_the_original(assessment, item, unit_officer):
    evidence = evidence_upload(
        assessment=assessment,
        uploaded_file=pdf_upload("Báo cáo CCHC 2026.pdf"),
        item_ids=[item.pk],
        actor=unit_officer,
    )

    evidence.refresh_from_db()
    assert evidence.original_name == "Báo cáo CCHC 2026.pdf"
    assert evidence.file.name.startswith("evidence/2026/") and evidence.file.name.endswith(".pdf")
    assert "Báo cáo" not in evidence.file.name
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(samples.PDF))
    assert len(evidence.sha256) == 64
    assert list(evidence.items.all()) == [item]
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == samples.PDF


def test_one_file_can_back_several_items_and_be_unlinked(assessment, unit_officer):
    first, second, third = appraisal_items(assessment.criteria_set)[:3]
    evidence = evidence_upload(
        assessment=assessment, uploaded_file=pdf_upload(), item_ids=[first.pk, second.pk], actor=unit_officer
    )

    evidence_link(evidence=evidence, item_ids=[third.pk], actor=unit_officer)
    evidence_unlink(evidence=evidence, item=first, actor=unit_officer)

    assert set(evidence.items.all()) == {second, third}


def test_several_files_per_item(assessment, item, unit_officer):
    for name in ("a.pdf", "b.pdf"):
        evidence_upload(
            assessment=assessment, uploaded_file=pdf_upload(name), item_ids=[item.pk], actor=unit_officer
        )

    assert item.evidence.count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bao-cao.pdf", samples.EXE), "không phải là PDF"),
        (SimpleUploadedFile("anh.png", samples.PDF), "đuôi .png"),
        (SimpleUploadedFile("cat-ngang.pdf", samples.PDF[:20]), "tải lên chưa hết"),
        (SimpleUploadedFile("trong.pdf", b""), "rỗng"),
        (SimpleUploadedFile("\u202e\x00 . ", samples.PDF), "Tên tệp không hợp lệ"),
    ],
)
def test_bad_file_is_refused_and_leaves_nothing(assessment, item, unit_officer, settings, upload, message):
    with pytest.raises(AssessmentError) as error:
        evidence_upload(assessment=assessment, uploaded_file=upload, item_ids=[item.pk], actor=unit_officer)

    assert message in error.value.message
    assert error.value.field == "file"
    assert not Evidence.objects.exists()
    assert media_files(settings) == []


def test_file_over_the_size_in_settings_is_refused(assessment, item, unit_officer, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    data = samples.PDF + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n"

    with pytest.raises(AssessmentError, match="quá lớn.*tối đa 1 MB"):
        evidence_upload(
            assessment=assessment, uploaded_file=pdf_upload(data=data), item_ids=[item.pk], actor=unit_officer
        )
    assert media_files(settings) == []


def test_unsafe_name_is_cleaned_before_it_is_kept(assessment, item, unit_officer):
    evidence = evidence_upload(
        assessment=assessment,
        uploaded_file=pdf_upload("../../etc/bao\x00cao.pdf"),
        item_ids=[item.pk],
        actor=unit_officer,
    )

    assert evidence.original_name == "baocao.pdf"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the failing trigger is written for SQLite")
def test_database_failure_after_the_file_was_written_removes_the_file(
    assessment, item, unit_officer, settings
):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TRIGGER evidence_fails BEFORE INSERT ON scoring_evidence "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    try:
        with pytest.raises(DatabaseError):
            evidence_upload(
                assessment=assessment, uploaded_file=pdf_upload(), item_ids=[item.pk], actor=unit_officer
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS evidence_fails")

    assert media_files(settings) == []
    assert not Evidence.objects.exists()


def test_evidence_cannot_back_a_container_or_a_foreign_item(assessment, unit_officer, body, settings):
    criterion = CriteriaItem.objects.get(criteria_set=assessment.criteria_set, code="1.1")
    foreign = leaf_items(
        build_criteria_set(period=PeriodFactory(body=body, year=2025), unit_group=assessment.unit.group)
    )[0]

    for ids in ([criterion.pk], [foreign.pk], [999_999]):
        with pytest.raises(AssessmentError, match="tiêu chí được chấm điểm của bộ tiêu chí này"):
            evidence_upload(
                assessment=assessment, uploaded_file=pdf_upload(), item_ids=ids, actor=unit_officer
            )
    assert media_files(settings) == []


def test_evidence_cannot_back_a_not_applicable_item(assessment, item, unit_officer):
    mark_not_applicable(item=item, unit=assessment.unit)

    with pytest.raises(AssessmentError, match="không đánh giá đối với đơn vị"):
        evidence_upload(
            assessment=assessment, uploaded_file=pdf_upload(), item_ids=[item.pk], actor=unit_officer
        )


def test_upload_by_another_unit_is_refused(assessment, item, other_officer, settings):
    with pytest.raises(PermissionDenied):
        evidence_upload(
            assessment=assessment, uploaded_file=pdf_upload(), item_ids=[item.pk], actor=other_officer
        )
    assert media_files(settings) == []


def test_upload_after_submission_is_refused(assessment, item, unit_officer, unit_head):
    fill_scores(assessment=assessment)
    assessment_submit(assessment=assessment, actor=unit_head)

    with pytest.raises(AssessmentError, match="đã được gửi"):
        evidence_upload(
            assessment=assessment, uploaded_file=pdf_upload(), item_ids=[item.pk], actor=unit_officer
        )


def test_delete_removes_the_row_and_the_file_once_committed(
    assessment, item, unit_officer, django_capture_on_commit_callbacks
):
    evidence = evidence_upload(
        assessment=assessment, uploaded_file=pdf_upload(), item_ids=[item.pk], actor=unit_officer
    )
    name = evidence.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_delete(evidence=evidence, actor=unit_officer)
    assert default_storage.exists(name)  # not before the commit: a rollback must still find it

    for callback in callbacks:
        callback()
    assert not Evidence.objects.exists()
    assert not default_storage.exists(name)


def test_delete_after_the_deadline_is_refused_and_keeps_the_file(
    with_deadline, item, unit_officer, time_machine
):
    time_machine.move_to(BEFORE, tick=False)
    evidence = evidence_upload(
        assessment=with_deadline, uploaded_file=pdf_upload(), item_ids=[item.pk], actor=unit_officer
    )
    time_machine.move_to(AFTER, tick=False)

    with pytest.raises(AssessmentError, match="quá hạn"):
        evidence_delete(evidence=evidence, actor=unit_officer)
    assert default_storage.exists(evidence.file.name)
