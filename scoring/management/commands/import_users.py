"""Create a province's accounts from an .xlsx/.csv file; prints every problem and saves nothing if there is one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.accounts import io as users_io
from scoring.accounts import services as users_services


class Command(BaseCommand):
    help = (
        "Nhập tài khoản người dùng từ tệp .xlsx/.csv (cột username, full_name, email, role, unit_code, "
        "body_code). Có lỗi thì không lưu gì. Mật khẩu tạm của tài khoản mới được ghi vào --output "
        "(tệp mới) hoặc in ra màn hình."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--output",
            type=Path,
            help="tệp CSV (chưa tồn tại) nhận mật khẩu tạm của tài khoản mới; mặc định in ra màn hình",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        output: Path | None = options["output"]
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        # Created before importing: once the accounts exist their passwords can be handed over only from
        # this output, so a path that cannot be written must fail before anything is saved. An existing
        # file is refused, so that re-running an import never wipes the passwords of an earlier run.
        out_fd = _create_private(output) if output else None
        try:
            summary = users_services.users_import_file(content=path.read_bytes(), filename=path.name)
        except BaseException as exc:
            if out_fd is not None:
                os.close(out_fd)
                output.unlink()
            if not isinstance(exc, users_io.UsersImportError):
                raise
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(_("%(n)s lỗi; không lưu gì.") % {"n": len(exc.errors)}) from exc
        self.stdout.write(self.style.SUCCESS(summary.as_text()))
        text = users_io.credentials_csv(summary.credentials)
        if out_fd is not None:
            # The BOM makes Excel open the file as UTF-8, so the names keep their diacritics.
            with os.fdopen(out_fd, "w", encoding="utf-8-sig", newline="") as out:
                out.write(text)
        if not summary.credentials:
            return
        where = _("đã ghi vào %(path)s") % {"path": output} if output else _("in ở dưới")
        warning = _(
            "Mật khẩu tạm của %(n)s tài khoản mới %(where)s. Hãy trao riêng cho từng người qua kênh an "
            "toàn rồi xóa tệp; mỗi người phải đặt mật khẩu mới ở lần đăng nhập đầu."
        ) % {"n": len(summary.credentials), "where": where}
        self.stderr.write(self.style.WARNING(warning))
        if out_fd is None:
            self.stdout.write(text, ending="")


def _create_private(output: Path) -> int:
    """Return a descriptor of a new output file readable by its owner only."""
    try:
        return os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise CommandError(
            _("Tệp %(path)s đã tồn tại; hãy chọn tên tệp khác để không ghi đè.") % {"path": output}
        ) from exc
    except OSError as exc:
        raise CommandError(
            _("Không ghi được tệp %(path)s: %(reason)s") % {"path": output, "reason": exc.strerror}
        ) from exc
