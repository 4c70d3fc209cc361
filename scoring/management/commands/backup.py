"""Write one archive of the database and the media files: `manage.py backup [--output DIR]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.backup.io import BackupError
from scoring.backup.services import backup_create


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (pg_dump hoặc SQLite) và toàn bộ tệp trong MEDIA_ROOT vào một tệp .tar "
        "có manifest và mã băm SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=Path("backups"),
            help="thư mục nhận tệp sao lưu (mặc định backups/)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup_create(output_dir=options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("Đã sao lưu vào %(path)s") % {"path": path}))
