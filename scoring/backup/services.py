"""Back up and restore the database and MEDIA_ROOT: pg_dump/pg_restore for PostgreSQL, the backup API for SQLite.

The database tools are used directly rather than through a library: two subprocess calls and sqlite3's own
backup API are all it takes, and the archive (see io.py) keeps both parts and their checksums in one file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from . import io as archive_io
from .io import BackupError, Manifest

# Rows that `migrate` writes by itself: a freshly migrated database holds them and is still "empty".
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_session"}


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    manifest: Manifest
    media_files: int


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in archive_io.DATABASE_FILES:
        raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s.") % {"vendor": vendor})
    return vendor


def _pg_command(tool: str, alias: str) -> tuple[list[str], dict[str, str]]:
    """Return the tool's connection arguments and an environment carrying the password (never on argv)."""
    if shutil.which(tool) is None:
        raise BackupError(
            _("Không tìm thấy %(tool)s; hãy cài gói postgresql-client (scripts/system-deps.sh).")
            % {"tool": tool}
        )
    db = connections[alias].settings_dict
    command = [tool, "--no-owner", "--no-privileges", "--dbname", db["NAME"]]
    if db.get("HOST"):
        command += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    if db.get("USER"):
        command += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return command, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s thất bại: %(error)s") % {"tool": command[0], "error": result.stderr.strip()[-2000:]}
        )


def _database_dump(*, alias: str, engine: str, target: Path) -> None:
    if engine == "postgresql":
        command, env = _pg_command("pg_dump", alias)
        _run([*command, "--format", "custom", "--file", str(target)], env)
        return
    # The backup API copies a consistent page-by-page image even while other connections write.
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _database_load(*, alias: str, engine: str, source: Path) -> None:
    connection = connections[alias]
    if engine == "postgresql":
        # Our own open connection would hold locks that pg_restore's DROP TABLE waits for.
        connection.close()
        command, env = _pg_command("pg_restore", alias)
        _run(
            [*command, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", str(source)], env
        )
        return
    # The backup API the other way round rather than copying the file over the live one: it replaces every page
    # of the open database in place, so connections stay valid and an in-memory database is restored too.
    connection.ensure_connection()
    origin = sqlite3.connect(source)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()


def _latest_migrations(alias: str) -> dict[str, str]:
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    latest: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def database_has_data(*, alias: str = "default") -> bool:
    """Return whether any table of the installed models holds a row beyond what `migrate` writes itself."""
    tables = set(connections[alias].introspection.table_names())
    for model in apps.get_models():
        table = model._meta.db_table
        if table in tables and table not in BOOKKEEPING_TABLES and model._base_manager.using(alias).exists():
            return True
    return False


def backup_create(*, output_dir: Path, alias: str = "default") -> Path:
    """Write one archive of the database and MEDIA_ROOT into output_dir and return its path."""
    engine = _engine(alias)
    output_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    target = output_dir / f"parindex-backup-{now:%Y%m%d-%H%M%S}.tar"
    if target.exists():
        raise BackupError(_("Tệp %(path)s đã tồn tại; không ghi đè.") % {"path": target})
    # The parts are staged beside the archive (same file system), and the archive appears under its name only
    # once complete: an interrupted backup leaves no file that looks like a good one.
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as staging:
        staging_dir = Path(staging)
        database = staging_dir / archive_io.DATABASE_FILES[engine]
        _database_dump(alias=alias, engine=engine, target=database)
        media = staging_dir / archive_io.MEDIA_TAR
        media_files = archive_io.media_tar_write(media_root=Path(settings.MEDIA_ROOT), target=media)
        manifest = Manifest(
            format=archive_io.FORMAT,
            created_at=now.isoformat(),
            engine=engine,
            database=archive_io.part_of(database),
            media=archive_io.part_of(media),
            media_files=media_files,
            migrations=_latest_migrations(alias),
        )
        partial = staging_dir / "archive.tar"
        archive_io.archive_write(target=partial, manifest=manifest, parts=[database, media])
        os.replace(partial, target)
    return target


def backup_restore(*, archive: Path, force: bool = False, alias: str = "default") -> RestoreSummary:
    """Replace the database and add the media files from an archive made by backup_create.

    Refuses, before touching anything, when the archive fails its checksums, was made by another database engine,
    or when the database holds data and `force` is not set.
    """
    engine = _engine(alias)
    with tempfile.TemporaryDirectory(prefix="parindex-restore-") as staging:
        staging_dir = Path(staging)
        manifest = archive_io.archive_extract(archive=archive, into=staging_dir)
        if manifest.engine != engine:
            raise BackupError(
                _("Tệp sao lưu là của %(archive)s, cơ sở dữ liệu hiện tại là %(current)s.")
                % {"archive": manifest.engine, "current": engine}
            )
        if not force and database_has_data(alias=alias):
            raise BackupError(
                _("Cơ sở dữ liệu đang có dữ liệu; dùng --force để thay toàn bộ bằng bản sao lưu.")
            )
        _database_load(alias=alias, engine=engine, source=staging_dir / manifest.database.name)
        count = archive_io.media_tar_extract(
            source=staging_dir / manifest.media.name, media_root=Path(settings.MEDIA_ROOT)
        )
    return RestoreSummary(manifest=manifest, media_files=count)
