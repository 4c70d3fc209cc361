"""The backup archive: one uncompressed tar holding the database dump, a tar of MEDIA_ROOT and a manifest.

Uncompressed because both parts are already compact (pg_dump's custom format is compressed; the media are PDFs,
spreadsheets and images), so gzip would cost time for almost nothing. The manifest carries a SHA-256 of each part
and of every media file, and a restore checks them all before it touches the database.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
# The database part's name says which engine made it: a PostgreSQL dump cannot be restored into SQLite.
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, for the operator."""


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    format: int
    created_at: str
    engine: str
    database: Part
    media: Part
    # Relative path → SHA-256 of every file under MEDIA_ROOT, to compare a restored tree with the backed-up one.
    media_files: dict[str, str] = field(default_factory=dict)
    migrations: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BackupError(
                _("Tệp sao lưu có định dạng %(format)s, không đọc được.") % {"format": data.get("format")}
            )
        return cls(
            format=data["format"],
            created_at=data["created_at"],
            engine=data["engine"],
            database=Part(**data["database"]),
            media=Part(**data["media"]),
            media_files=data.get("media_files", {}),
            migrations=data.get("migrations", {}),
        )


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in chunks so that a large dump never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def part_of(path: Path) -> Part:
    """Return the manifest entry of one file of the archive."""
    return Part(name=path.name, sha256=file_sha256(path), size=path.stat().st_size)


def _media_paths(media_root: Path) -> Iterator[Path]:
    if media_root.is_dir():
        yield from sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def media_tar_write(*, media_root: Path, target: Path) -> dict[str, str]:
    """Write every regular file under media_root into the tar `target`; return relative path → SHA-256."""
    checksums: dict[str, str] = {}
    with tarfile.open(target, "w") as tar:
        for path in _media_paths(media_root):
            relative = path.relative_to(media_root).as_posix()
            checksums[relative] = file_sha256(path)
            tar.add(path, arcname=relative, recursive=False)
    return checksums


def media_tar_extract(*, source: Path, media_root: Path) -> int:
    """Extract the media tar into media_root (files of the same name are replaced); return the file count."""
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        # The "data" filter refuses absolute paths, "..", links out of the tree and device files.
        tar.extractall(media_root, members=members, filter="data")
    return len(members)


def media_checksums(media_root: Path) -> dict[str, str]:
    """Return relative path → SHA-256 of every file under media_root."""
    return {p.relative_to(media_root).as_posix(): file_sha256(p) for p in _media_paths(media_root)}


def archive_write(*, target: Path, manifest: Manifest, parts: list[Path]) -> None:
    """Write the archive: the manifest first, so that `tar tf` shows what the archive holds at once."""
    manifest_path = parts[0].parent / MANIFEST
    manifest_path.write_text(manifest.to_json(), encoding="utf-8")
    with tarfile.open(target, "w") as tar:
        for path in [manifest_path, *parts]:
            tar.add(path, arcname=path.name, recursive=False)


def archive_extract(*, archive: Path, into: Path) -> Manifest:
    """Extract the archive into `into`, check every part against the manifest, and return the manifest."""
    if not archive.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": archive})
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(into, filter="data")
    except tarfile.TarError as exc:
        raise BackupError(
            _("Tệp %(path)s không phải tệp sao lưu: %(error)s") % {"path": archive, "error": exc}
        ) from exc
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(_("Tệp sao lưu %(path)s thiếu manifest.json.") % {"path": archive})
    manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    if manifest.database.name != DATABASE_FILES.get(manifest.engine):
        raise BackupError(
            _("Manifest ghi cơ sở dữ liệu không hợp lệ: %(name)s.") % {"name": manifest.database.name}
        )
    for part in (manifest.database, manifest.media):
        path = into / part.name
        if not path.is_file() or file_sha256(path) != part.sha256:
            raise BackupError(
                _("Phần %(name)s của tệp sao lưu bị thiếu hoặc sai mã băm; không khôi phục gì.")
                % {"name": part.name}
            )
    return manifest
