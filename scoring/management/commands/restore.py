"""Restore an archive made by `manage.py backup`: `manage.py restore ARCHIVE [--force | --noinput]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.backup.io import BackupError
from scoring.backup.services import backup_restore, database_has_data


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và tệp MEDIA_ROOT từ một tệp sao lưu. Khi cơ sở dữ liệu đang có dữ liệu, "
        "lệnh hỏi lại, hoặc cần --force / --noinput."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="tệp .tar do lệnh backup tạo")
        parser.add_argument(
            "--force",
            "--noinput",
            "--no-input",
            action="store_true",
            dest="force",
            help="thay dữ liệu đang có mà không hỏi",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        force = options["force"]
        # Asking needs a terminal; without one (cron, CI) the service refuses unless --force was given.
        if not force and database_has_data() and sys.stdin.isatty():
            answer = input(
                _("Cơ sở dữ liệu đang có dữ liệu; khôi phục sẽ thay toàn bộ. Gõ 'yes' để tiếp tục: ")
            )
            force = answer.strip().lower() == "yes"
            if not force:
                raise CommandError(_("Đã hủy; không thay đổi gì."))
        try:
            summary = backup_restore(archive=options["archive"], force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã khôi phục cơ sở dữ liệu (%(engine)s, sao lưu lúc %(created)s) và %(n)s tệp.")
                % {
                    "engine": summary.manifest.engine,
                    "created": summary.manifest.created_at,
                    "n": summary.media_files,
                }
            )
        )
