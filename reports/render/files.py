"""What a renderer hands back: the bytes of a file, the name a reader sees, and its content type."""

from __future__ import annotations

from dataclasses import dataclass

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": PDF_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE, "docx": DOCX_CONTENT_TYPE}


@dataclass(frozen=True, slots=True)
class RenderedFile:
    content: bytes
    filename: str  # e.g. "bao-cao-chi-so-cchc-2020.pdf"; ASCII, the download view sends it as is
    content_type: str
