"""Evidence file checks: type by content, extension agreeing with it, safe names; no database."""

import io
import unicodedata

import pytest

from scoring.evidence.files import (
    MAX_NAME_LENGTH,
    EvidenceFileError,
    check_evidence_file,
    safe_display_name,
    sniff_kind,
)
from tests.scoring import evidence_samples as samples

MB = 1024 * 1024


def check(name: str, data: bytes, max_bytes: int = 20 * MB):
    return check_evidence_file(name=name, file=io.BytesIO(data), max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("bao-cao.pdf", samples.PDF, "pdf", "application/pdf"),
        ("anh.jpg", samples.JPEG, "jpeg", "image/jpeg"),
        ("anh.JPEG", samples.JPEG, "jpeg", "image/jpeg"),
        ("chup-man-hinh.png", samples.png(), "png", "image/png"),
        (
            "quyet-dinh.docx",
            samples.docx(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so-lieu.xlsx",
            samples.xlsx(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("van-ban.odt", samples.odf("text"), "odt", "application/vnd.oasis.opendocument.text"),
        ("bang.ods", samples.odf("spreadsheet"), "ods", "application/vnd.oasis.opendocument.spreadsheet"),
        ("cong-van.doc", samples.ole2("WordDocument"), "doc", "application/msword"),
        ("thong-ke.xls", samples.ole2("Workbook"), "xls", "application/vnd.ms-excel"),
    ],
)
def test_each_allowed_type_is_recognised_by_content(name, data, kind, content_type):
    checked = check(name, data)

    assert (checked.kind, checked.content_type, checked.size) == (kind, content_type, len(data))
    assert checked.display_name == name
    assert len(checked.sha256) == 64


def test_word_file_with_old_extension_is_accepted_as_word():
    # Units rename .docx to .doc (and back); Word opens both, so the family is what must agree.
    assert check("bao-cao.doc", samples.docx()).kind == "docx"


def test_program_renamed_pdf_is_refused_and_named():
    with pytest.raises(EvidenceFileError) as error:
        check("bao-cao.pdf", samples.EXE)

    assert "không phải là PDF" in error.value.message
    assert "EXE" in error.value.message


def test_pdf_renamed_png_is_refused():
    with pytest.raises(EvidenceFileError) as error:
        check("anh.png", samples.PDF)

    assert "đuôi .png" in error.value.message and "PDF" in error.value.message


def test_spreadsheet_renamed_docx_is_refused():
    with pytest.raises(EvidenceFileError, match="Excel"):
        check("bao-cao.docx", samples.xlsx())


@pytest.mark.parametrize("name", ["ghi-chu.txt", "trang.html", "script.js", "khong-duoi"])
def test_forbidden_extension_is_refused_even_with_pdf_content(name):
    with pytest.raises(EvidenceFileError, match="chỉ nhận các loại"):
        check(name, samples.PDF)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tai-lieu.zip.docx", samples.plain_zip()),
        ("macro.docx", samples.docx(with_macros=True)),
        ("trinh-chieu.doc", samples.ole2("PowerPoint Document")),
        ("trang-web.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_content_of_another_kind_is_refused(name, data):
    with pytest.raises(EvidenceFileError, match="không phải là"):
        check(name, data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cat-ngang.pdf", samples.PDF[:30]),
        ("cat-ngang.png", samples.png()[:40]),
        ("cat-ngang.xlsx", samples.xlsx()[:200]),
    ],
)
def test_truncated_upload_is_refused_as_broken(name, data):
    with pytest.raises(EvidenceFileError, match="bị hỏng hoặc tải lên chưa hết"):
        check(name, data)


def test_empty_file_is_refused():
    with pytest.raises(EvidenceFileError, match="rỗng"):
        check("trong.pdf", b"")


def test_file_above_the_limit_is_refused_with_both_sizes():
    data = samples.PDF + b"%" + b"x" * (2 * MB) + b"\n%%EOF\n"

    with pytest.raises(EvidenceFileError) as error:
        check("lon.pdf", data, max_bytes=1 * MB)

    assert "quá lớn" in error.value.message and "tối đa 1 MB" in error.value.message


def test_file_exactly_at_the_limit_is_accepted():
    data = samples.PDF.ljust(MB - 7, b" ") + b"\n%%EOF\n"
    assert len(data) == MB

    assert check("vua-du.pdf", data, max_bytes=MB).size == MB


def test_sniffing_leaves_the_file_at_its_start():
    file = io.BytesIO(samples.docx())

    assert sniff_kind(file) == "docx"
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\canbo\\Desktop\\Báo cáo.pdf", "Báo cáo.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("/var/www/.htaccess.pdf", "htaccess.pdf"),
        ("bao\x00cao\r\n2025.pdf", "baocao 2025.pdf"),
        ("hoso\u202efdp.exe", "hosofdp.exe"),
        ("  Quyết định   số 701/QĐ-UBND.pdf", "QĐ-UBND.pdf"),
        (
            "Kế hoạch cải cách hành chính năm 2025 – Sở Nội vụ.docx",
            "Kế hoạch cải cách hành chính năm 2025 – Sở Nội vụ.docx",
        ),
        ("ten-tep.pdf. . ", "ten-tep.pdf"),
    ],
)
def test_unsafe_names_are_cleaned(raw, expected):
    assert safe_display_name(raw) == expected


def test_decomposed_vietnamese_name_is_stored_composed():
    typed_on_a_mac = unicodedata.normalize("NFD", "Báo cáo tổng hợp.pdf")

    assert safe_display_name(typed_on_a_mac) == unicodedata.normalize("NFC", "Báo cáo tổng hợp.pdf")


def test_long_name_is_cut_to_200_characters_keeping_the_extension():
    name = safe_display_name("Tài liệu kiểm chứng " * 20 + ".pdf")

    assert len(name) <= MAX_NAME_LENGTH
    assert name.endswith(".pdf")


@pytest.mark.parametrize("raw", ["", "   ", "..", "../", "C:\\", "\x00\x01", "\u202e"])
def test_name_with_nothing_usable_is_refused(raw):
    with pytest.raises(EvidenceFileError, match="Tên tệp không hợp lệ"):
        safe_display_name(raw)


def test_path_traversal_upload_keeps_only_the_clean_name():
    checked = check("../../../../tmp/bao-cao.pdf", samples.PDF)

    assert checked.display_name == "bao-cao.pdf"
