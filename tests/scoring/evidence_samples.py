"""Tiny but real files of each evidence type, built in memory, for the upload tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 64
)
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png() -> bytes:
    """Return a valid 1×1 white PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def _zip(entries: dict[str, bytes], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(first, entries[first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != first:
                archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def docx(*, with_macros: bool = False) -> bytes:
    entries = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": "<w:document><w:body><w:p>Báo cáo CCHC</w:p></w:body></w:document>".encode(),
    }
    if with_macros:
        entries["word/vbaProject.bin"] = OLE2 + b"\x00" * 64
    return _zip(entries)


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Số thủ tục hành chính"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf(kind: str) -> bytes:
    """Return a minimal OpenDocument file; kind is "text" (odt) or "spreadsheet" (ods)."""
    return _zip(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(),
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
        },
        first="mimetype",
    )


def plain_zip() -> bytes:
    return _zip({"readme.txt": b"not a document"})


def ole2(stream_name: str) -> bytes:
    """Return an OLE2 compound file whose directory names the given stream (WordDocument, Workbook…)."""
    directory_entry = stream_name.encode("utf-16-le") + b"\x00\x00"
    return OLE2 + b"\x00" * 504 + directory_entry.ljust(128, b"\x00") + b"\x00" * 384
