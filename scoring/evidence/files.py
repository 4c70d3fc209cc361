"""Checks on an uploaded evidence file: what it really is, and a name that is safe to show; no database.

The type is decided from the content, never from the name or the browser's Content-Type, and the
name's extension must then agree with it: a program renamed "baocao.pdf" is refused, and so is a PDF
renamed ".png" (the unit would open it with the wrong program and think the file broken).
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import filetype
from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 200
# Enough for every signature below and for the OLE2 header; the whole file is only read when hashing.
HEAD_BYTES = 8192
TAIL_BYTES = 1024
CHUNK_BYTES = 64 * 1024

OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class Kind:
    code: str
    label: str
    content_type: str
    # Extensions accepted for this content. Word and Excel accept both their old and new extension:
    # Office opens a .doc that is really a .docx without complaint, and units rename files that way.
    extensions: frozenset[str]


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("pdf", "PDF", "application/pdf", frozenset({".pdf"})),
        Kind("doc", "Word", "application/msword", frozenset({".doc", ".docx"})),
        Kind(
            "docx",
            "Word",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            frozenset({".docx", ".doc"}),
        ),
        Kind("xls", "Excel", "application/vnd.ms-excel", frozenset({".xls", ".xlsx"})),
        Kind(
            "xlsx",
            "Excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            frozenset({".xlsx", ".xls"}),
        ),
        Kind("odt", "OpenDocument Text", "application/vnd.oasis.opendocument.text", frozenset({".odt"})),
        Kind(
            "ods",
            "OpenDocument Spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
            frozenset({".ods"}),
        ),
        Kind("jpeg", "JPEG", "image/jpeg", frozenset({".jpg", ".jpeg"})),
        Kind("png", "PNG", "image/png", frozenset({".png"})),
    )
}
ALLOWED_EXTENSIONS: frozenset[str] = frozenset().union(*(k.extensions for k in KINDS.values()))
ALLOWED_LABEL = "PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, JPG, PNG"

ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


class EvidenceFileError(Exception):
    """The file cannot be accepted; .message says why, in Vietnamese, for the person uploading it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class CheckedFile:
    display_name: str
    kind: str
    content_type: str
    size: int
    sha256: str


# --- names ------------------------------------------------------------------------------------------


def _is_unsafe_char(char: str) -> bool:
    # Cc: control characters (NUL, newline...); Cf: invisible format characters, among them U+202E
    # RIGHT-TO-LEFT OVERRIDE, which makes "hoso\u202efdp.exe" look like "hosoexe.pdf".
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def safe_display_name(name: str) -> str:
    """Return the file name to keep and show: no directories, no control characters, at most 200 characters.

    Vietnamese letters are kept (in NFC, so that a name typed on a Mac matches one typed on Windows).
    Raises EvidenceFileError when nothing usable is left.
    """
    name = unicodedata.normalize("NFC", name or "")
    # Browsers on Windows may send "C:\\Users\\...\\file.pdf"; a hostile client may send "../../x".
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if char in "\t\r\n" else char for char in name)
    name = "".join(char for char in name if not _is_unsafe_char(char))
    name = " ".join(name.split())
    # A leading dot would make a hidden file of it on download; trailing dots and spaces are dropped
    # by Windows, which would change the extension the user sees.
    name = name.lstrip(". ").rstrip(". ")
    if not name:
        raise EvidenceFileError(_("Tên tệp không hợp lệ. Hãy đổi tên tệp rồi tải lên lại."))
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(suffix) - 1].rstrip(". ") + "." + suffix
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension_of(name: str) -> str:
    """Return the lower-case extension with its dot (".pdf"), or "" when the name has none."""
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


# --- content ----------------------------------------------------------------------------------------


def _read_at(file: IO[bytes], offset: int, size: int) -> bytes:
    file.seek(offset)
    return file.read(size)


def _file_size(file: IO[bytes]) -> int:
    file.seek(0, 2)
    return file.tell()


def _zip_kind(file: IO[bytes]) -> str | None:
    """Return docx, xlsx, odt or ods from the zip's entries, None for any other zip."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # ODF puts its type, uncompressed, in the first entry "mimetype"; read only a few bytes of it.
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return ODF_MIMETYPES.get(declared)
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                # A macro-enabled document renamed .docx/.xlsx: macros are how such files carry malware.
                return None
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise EvidenceFileError(
            _("Tệp bị hỏng hoặc tải lên chưa hết. Hãy kiểm tra tệp rồi tải lên lại.")
        ) from exc


def _ole2_kind(file: IO[bytes]) -> str | None:
    """Return doc or xls for an OLE2 compound file, by the name of its main stream; None otherwise."""
    # Stream names are stored in UTF-16LE in the directory sectors; a PowerPoint or an installer (.msi)
    # is also OLE2 and has neither stream.
    word = "WordDocument".encode("utf-16-le")
    excel = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
    file.seek(0)
    previous = b""
    found_excel = False
    while chunk := file.read(CHUNK_BYTES):
        window = previous + chunk
        if word in window:
            return "doc"
        if any(marker in window for marker in excel):
            found_excel = True
        previous = chunk[-32:]
    return "xls" if found_excel else None


def sniff_kind(file: IO[bytes]) -> str | None:
    """Return the kind code (see KINDS) of a seekable binary file from its content; None if not allowed.

    Raises EvidenceFileError when the file is of an allowed kind but visibly broken (a truncated upload).
    """
    head = _read_at(file, 0, HEAD_BYTES)
    size = _file_size(file)
    tail = _read_at(file, max(size - TAIL_BYTES, 0), TAIL_BYTES)
    broken = EvidenceFileError(_("Tệp bị hỏng hoặc tải lên chưa hết. Hãy kiểm tra tệp rồi tải lên lại."))
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        # A PDF ends with %%EOF (within the last 1024 bytes, as readers tolerate); without it the upload
        # was cut short.
        if b"%%EOF" not in tail:
            raise broken
        kind = "pdf"
    elif head.startswith(PNG_SIGNATURE):
        if b"IEND" not in tail:
            raise broken
        kind = "png"
    elif head.startswith(JPEG_SIGNATURE):
        kind = "jpeg"
    elif head.startswith(ZIP_SIGNATURE):
        kind = _zip_kind(file)
    elif head.startswith(OLE2_SIGNATURE):
        kind = _ole2_kind(file)
    file.seek(0)
    return kind


def describe_content(file: IO[bytes]) -> str:
    """Return a short name for what the file really is (for the refusal message), e.g. "EXE"."""
    guess = filetype.guess(_read_at(file, 0, HEAD_BYTES))
    file.seek(0)
    return guess.extension.upper() if guess else _("không xác định")


def sha256_and_size(chunks: Iterable[bytes]) -> tuple[str, int]:
    """Return the SHA-256 hex digest and byte count of the chunks."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _chunks(file: IO[bytes]) -> Iterable[bytes]:
    file.seek(0)
    while chunk := file.read(CHUNK_BYTES):
        yield chunk
    file.seek(0)


def check_evidence_file(*, name: str, file: IO[bytes], max_bytes: int) -> CheckedFile:
    """Return what an upload is, or raise EvidenceFileError with the reason in Vietnamese.

    `file` must be seekable (Django's uploaded files are). Checks, in order: a usable name, not empty,
    not above max_bytes, a content of an allowed kind that is not broken, an extension matching it.
    """
    display_name = safe_display_name(name)
    size = _file_size(file)
    if size == 0:
        raise EvidenceFileError(_("Tệp «%(name)s» rỗng (0 byte).") % {"name": display_name})
    if size > max_bytes:
        raise EvidenceFileError(
            _("Tệp «%(name)s» quá lớn: %(size)s MB, tối đa %(max)s MB.")
            % {
                "name": display_name,
                "size": _megabytes(size),
                "max": _megabytes(max_bytes),
            }
        )
    extension = extension_of(display_name)
    if extension not in ALLOWED_EXTENSIONS:
        raise EvidenceFileError(
            _("Không nhận tệp «%(name)s»: chỉ nhận các loại %(allowed)s.")
            % {"name": display_name, "allowed": ALLOWED_LABEL}
        )
    kind_code = sniff_kind(file)
    if kind_code is None:
        raise EvidenceFileError(
            _("Nội dung tệp «%(name)s» không phải là %(allowed)s (nhận ra: %(found)s).")
            % {"name": display_name, "allowed": ALLOWED_LABEL, "found": describe_content(file)}
        )
    kind = KINDS[kind_code]
    if extension not in kind.extensions:
        raise EvidenceFileError(
            _(
                "Tên tệp «%(name)s» có đuôi %(extension)s nhưng nội dung là tệp %(kind)s. Hãy đổi đúng đuôi tệp."
            )
            % {"name": display_name, "extension": extension, "kind": kind.label}
        )
    digest, read_size = sha256_and_size(_chunks(file))
    if read_size != size:  # the temporary file changed under us; never store what was not checked
        raise EvidenceFileError(_("Tệp bị hỏng hoặc tải lên chưa hết. Hãy kiểm tra tệp rồi tải lên lại."))
    return CheckedFile(
        display_name=display_name,
        kind=kind.code,
        content_type=kind.content_type,
        size=size,
        sha256=digest,
    )


def _megabytes(size: int) -> str:
    # Vietnamese decimal comma, one place: "20,5". Integer arithmetic, no float.
    tenths = (size * 10 + 524288) // 1048576
    whole, fraction = divmod(tenths, 10)
    return f"{whole},{fraction}" if fraction else str(whole)
