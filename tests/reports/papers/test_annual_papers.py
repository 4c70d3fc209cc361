"""The annual report as a paper to sign: number, place and date, recipients and signer set per period."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from reports.annual.render import annual_report_render
from reports.models import ReportParticulars
from reports.papers.services import report_particulars_update
from scoring.models import AuditEvent, Period
from tests.conftest_constants import PASSWORD
from tests.reports.ranking_data import lai_chau_2020_create, results_create
from tests.scoring.factories import UnitGroupFactory

ANNUAL = reverse("reports:annual_report")
PARTICULARS = reverse("reports:annual_report_particulars")


@pytest.fixture
def lai_chau_2020(body):
    return lai_chau_2020_create(body=body)


def pdf_pages(content: bytes, tmp_path, name: str = "paper.pdf") -> list[str]:
    """Return the text of each page (pdftotext keeps the layout; pages split on form feed)."""
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def _signed(period: Period, admin) -> None:
    report_particulars_update(
        actor=admin,
        period=period,
        number="123/BC-SNV",
        place="Lai Châu",
        issued_on=date(2021, 4, 20),
        recipients="UBND tỉnh (b/c);\nCác sở, ban, ngành;\nLưu: VT, XDCQ.",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn An",
    )


def test_pdf_carries_number_recipients_and_signer(body, body_admin, lai_chau_2020, tmp_path):
    _signed(lai_chau_2020, body_admin)

    pages = pdf_pages(annual_report_render(body=body, year=2020, format="pdf").content, tmp_path)

    first, last = pages[0], pages[-1]
    assert "Số: 123/BC-SNV" in first
    assert "Lai Châu, ngày 20 tháng 04 năm 2021" in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Độc lập - Tự do - Hạnh phúc" in first
    assert "SỞ NỘI VỤ TỈNH LAI CHÂU" in first
    assert "Nơi nhận:" in last
    assert "- UBND tỉnh (b/c);" in last and "- Lưu: VT, XDCQ." in last
    assert "KT. GIÁM ĐỐC" in last and "PHÓ GIÁM ĐỐC" in last and "Nguyễn Văn An" in last
    # The signature never stands alone: the last page also holds the report's last section.
    assert "Kiến nghị" in last or "IV. ĐÁNH GIÁ CHUNG" in last
    assert f"Trang {len(pages)}/{len(pages)}" in last


def test_pdf_without_particulars_leaves_the_number_to_fill_by_hand(body, lai_chau_2020, tmp_path):
    pages = pdf_pages(annual_report_render(body=body, year=2020, format="pdf").content, tmp_path)

    assert "/BC-SNV" in pages[0]
    assert "Số: 123" not in pages[0]
    assert "Nơi nhận:" in pages[-1] and "- Lưu: VT." in pages[-1]


def test_signature_stays_with_the_last_paragraph_whatever_the_length(
    body, body_admin, lai_chau_2020, tmp_path
):
    """Tables of growing length push the end of the report down the page: the closing never goes alone."""
    _signed(lai_chau_2020, body_admin)
    group = UnitGroupFactory(body=body, code="ubnd-xa", name="UBND cấp xã", order=3)
    for batch, count in enumerate((3, 9, 14)):
        results_create(period=lai_chau_2020, group=group, count=count, prefix=f"x{batch}")
        pages = pdf_pages(annual_report_render(body=body, year=2020, format="pdf").content, tmp_path)
        last = pages[-1]
        assert "Nguyễn Văn An" in last
        lines = [line.strip() for line in last.splitlines() if line.strip()]
        before = lines[: next(i for i, line in enumerate(lines) if line.startswith("Nơi nhận:"))]
        # A paragraph of the report (not only a heading) stands above the closing on its page.
        assert any(len(line) > 30 for line in before), last


# --- the form on the annual report page -------------------------------------------------------------------


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _form(**changes):
    data = {
        "body": "lai-chau",
        "year": "2020",
        "number": "45/BC-SNV",
        "place": "Lai Châu",
        "issued_on": "02/05/2021",
        "recipients": "UBND tỉnh (b/c);\nLưu: VT.",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Trần Thị Bình",
    }
    return data | changes


def test_admin_saves_the_particulars_and_each_change_is_audited(client, body_admin, lai_chau_2020):
    _login(client, body_admin)
    page = client.get(ANNUAL, {"body": "lai-chau", "year": 2020})
    assert b'data-testid="particulars-form"' in page.content

    response = client.post(PARTICULARS, _form())

    assert response.status_code == 302
    row = ReportParticulars.objects.get(period=lai_chau_2020)
    assert (row.number, row.signer_name, row.issued_on) == ("45/BC-SNV", "Trần Thị Bình", date(2021, 5, 2))
    assert row.recipients == "UBND tỉnh (b/c);\nLưu: VT."
    events = AuditEvent.objects.filter(action="report_particulars")
    assert {e.field for e in events} == {
        "number",
        "place",
        "issued_on",
        "recipients",
        "signer_title",
        "signer_name",
    }
    assert events.get(field="number").new_value == "45/BC-SNV"

    client.post(PARTICULARS, _form(signer_name="Lê Văn Cường"))
    assert AuditEvent.objects.filter(action="report_particulars").count() == 7  # only the name changed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "BC-SNV 45", "không đúng dạng"),
        ("issued_on", "31/02/2021", "ngày/tháng/năm"),
        ("issued_on", "02/05/2030", "2020–2022"),
        ("signer_name", "Nguyễn Văn 4n", "chỉ gồm chữ"),
        ("signer_title", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nA\nB", "tối đa 3 dòng"),
    ],
)
def test_bad_particulars_are_refused_with_a_message_and_kept(
    client, body_admin, lai_chau_2020, field, value, message
):
    _login(client, body_admin)

    response = client.post(PARTICULARS, _form(**{field: value}))

    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert value.splitlines()[0] in text and "Lai Châu" in text  # what was typed is shown again
    assert not ReportParticulars.objects.exists()
    assert not AuditEvent.objects.filter(action="report_particulars").exists()


def test_only_the_body_admin_sets_the_particulars(client, viewer, appraiser, outsider, lai_chau_2020):
    _login(client, viewer)
    assert b"particulars-form" not in client.get(ANNUAL, {"body": "lai-chau", "year": 2020}).content
    assert client.post(PARTICULARS, _form()).status_code == 403
    _login(client, appraiser)
    assert client.post(PARTICULARS, _form()).status_code == 403
    _login(client, outsider)
    assert client.post(PARTICULARS, _form()).status_code == 404
    assert not ReportParticulars.objects.exists()


# --- the Word document -------------------------------------------------------------------------------------


def test_word_document_has_the_reports_headings_tables_and_signer(client, body, body_admin, lai_chau_2020):
    import io

    from docx import Document

    _signed(lai_chau_2020, body_admin)

    rendered = annual_report_render(body=body, year=2020, format="docx")

    assert rendered.filename == "bao-cao-chi-so-cchc-lai-chau-2020.docx"
    assert rendered.content_type.endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(rendered.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["I. TÌNH HÌNH TỔ CHỨC ĐÁNH GIÁ", "II. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"]
    assert "IV. ĐÁNH GIÁ CHUNG" in headings
    header, *tables, closing = doc.tables
    header_text = "\n".join(c.text for c in header.rows[0].cells)
    assert "Số: 123/BC-SNV" in header_text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header_text
    assert "Lai Châu, ngày 20 tháng 04 năm 2021" in header_text
    ranking = next(t for t in tables if t.rows[0].cells[1].text == "Đơn vị")
    first = [c.text for c in ranking.rows[1].cells]
    assert first[1] == "Sở Nội vụ" and first[6] == "87,42"
    recipients, signer = (c.text for c in closing.rows[0].cells)
    assert recipients.startswith("Nơi nhận:") and "- Lưu: VT, XDCQ." in recipients
    assert "KT. GIÁM ĐỐC" in signer and signer.rstrip().endswith("Nguyễn Văn An")

    _login(client, body_admin)
    page = client.get(ANNUAL, {"body": "lai-chau", "year": 2020}).content.decode()
    assert 'name="format" value="docx"' in page and "Tải Word" in page
