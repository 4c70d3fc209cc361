"""Backup and restore on SQLite: one archive, checked by its manifest; a restore brings back the snapshots' hashes
and the evidence files byte for byte, and refuses a tampered archive or a database that holds data."""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from reports.models import PublicationDecision, ResultSnapshot
from reports.publication.snapshot import content_hash
from scoring.backup import io as archive_io
from scoring.backup.services import backup_create, backup_restore, database_has_data
from scoring.models import Evidence
from tests.scoring.backup.fingerprint import fingerprint
from tests.scoring.evidence_samples import JPEG, PDF

# The PostgreSQL path (pg_dump/pg_restore) is tested in test_backup_integration.py, on a database of its own:
# under `make test-integration` these would dump and replace the suite's shared test database.
sqlite_only = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite variant; see test_backup_integration.py",
)


@pytest.fixture
def published(assessment):
    """Return an assessment with two evidence files and a published snapshot of its period."""
    for name, content in (("quyet-dinh.pdf", PDF), ("anh.jpg", JPEG)):
        Evidence.objects.create(
            assessment=assessment,
            file=ContentFile(content, name=name),
            original_name=name,
            content_type="application/octet-stream",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    decision = PublicationDecision.objects.create(
        period=assessment.period, number="12/QĐ-UBND", signed_on=date(2027, 3, 1), signer="Chủ tịch"
    )
    content = {"units": [{"code": assessment.unit.code, "index": "81.25", "rank": 1}], "year": 2026}
    ResultSnapshot.objects.create(
        decision=decision, period=assessment.period, content=content, content_hash=content_hash(content)
    )
    return assessment


def _drop_all_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'DROP TABLE "{table}"')
        cursor.execute("PRAGMA foreign_keys = ON")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_then_drop_then_restore_gives_back_the_same_hashes_and_files(published, tmp_path):
    before = fingerprint()
    assert len(before["snapshots"]) == 1 and len(before["evidence"]) == 2
    assert all(stored == computed for stored, computed in before["evidence"].values())

    call_command("backup", "--output", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("parindex-backup-*.tar")
    with tarfile.open(archive) as tar:
        assert tar.getnames() == ["manifest.json", "database.sqlite3", "media.tar"]

    _drop_all_tables()
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not database_has_data()

    call_command("restore", str(archive))

    assert fingerprint() == before


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data_unless_forced(published, tmp_path):
    archive = backup_create(output_dir=tmp_path)
    assert database_has_data()
    with pytest.raises(CommandError, match="đang có dữ liệu"):
        call_command("restore", str(archive))
    Evidence.objects.filter(original_name="anh.jpg").delete()

    call_command("restore", str(archive), "--noinput")

    assert Evidence.objects.filter(original_name="anh.jpg").count() == 1


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_manifest_lists_every_media_file_with_its_checksum(published, tmp_path):
    archive = backup_create(output_dir=tmp_path / "out")
    manifest = archive_io.archive_extract(archive=archive, into=tmp_path / "x")

    evidence = {e.file.name: e.sha256 for e in Evidence.objects.all()}
    assert manifest.engine == "sqlite"
    assert manifest.media_files == evidence
    assert manifest.migrations["scoring"].startswith("00")
    assert manifest.database.sha256 == archive_io.file_sha256(tmp_path / "x" / "database.sqlite3")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused_before_anything_changes(published, tmp_path):
    archive = backup_create(output_dir=tmp_path / "out")
    parts = tmp_path / "parts"
    with tarfile.open(archive) as tar:
        tar.extractall(parts, filter="data")
    media = parts / "media.tar"
    media.write_bytes(media.read_bytes()[:-10] + b"x" * 10)
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(tampered, "w") as tar:
        for name in ("manifest.json", "database.sqlite3", "media.tar"):
            tar.add(parts / name, arcname=name)
    count = Evidence.objects.count()

    with pytest.raises(archive_io.BackupError, match="media.tar"):
        backup_restore(archive=tampered, force=True)

    assert Evidence.objects.count() == count


def test_an_archive_of_another_format_or_not_a_tar_is_refused(tmp_path):
    not_tar = tmp_path / "x.tar"
    not_tar.write_bytes(b"not a tar")
    with pytest.raises(archive_io.BackupError, match="không phải tệp sao lưu"):
        archive_io.archive_extract(archive=not_tar, into=tmp_path / "a")

    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 99}))
    future = tmp_path / "future.tar"
    with tarfile.open(future, "w") as tar:
        tar.add(manifest, arcname="manifest.json")
    with pytest.raises(archive_io.BackupError, match="định dạng 99"):
        archive_io.archive_extract(archive=future, into=tmp_path / "b")


def test_media_extraction_keeps_files_inside_media_root(tmp_path):
    evil = tmp_path / "evil.tar"
    payload = tmp_path / "payload"
    payload.write_bytes(b"x")
    with tarfile.open(evil, "w") as tar:
        tar.add(payload, arcname="../outside.txt")
    with pytest.raises(tarfile.OutsideDestinationError):
        archive_io.media_tar_extract(source=evil, media_root=tmp_path / "media")
    assert not (tmp_path / "outside.txt").exists()


def test_media_tar_round_trip_keeps_paths_and_checksums(tmp_path):
    root = tmp_path / "media"
    (root / "evidence" / "2026").mkdir(parents=True)
    (root / "evidence" / "2026" / "a.pdf").write_bytes(PDF)
    (root / "top.txt").write_text("tệp")
    written = archive_io.media_tar_write(media_root=root, target=tmp_path / "m.tar")

    restored = tmp_path / "restored"
    assert archive_io.media_tar_extract(source=tmp_path / "m.tar", media_root=restored) == 2
    assert archive_io.media_checksums(restored) == written == archive_io.media_checksums(root)
    assert set(written) == {"evidence/2026/a.pdf", "top.txt"}
    assert Path(restored / "top.txt").read_text() == "tệp"
