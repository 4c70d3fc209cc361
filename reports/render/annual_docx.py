"""The annual report as a Word document (.docx) for the province to edit before signing: an AnnualReport in, bytes out.

The same content as the PDF (reports/pdf/annual.html): the header block of Nghị định 30/2020/NĐ-CP, the
sections I–IV with their tables, then "Nơi nhận" and the signer. Charts are left out (Word users redraw them);
the tables carry the same figures. Nothing here queries.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from scoring import calc
from scoring.formatting import format_number, format_percent

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.table import _Cell

    from reports.annual.data import AnnualReport, GroupSection
    from reports.papers.data import Particulars

FONT = "Times New Roman"  # the font of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP)
NO_CHANGE = "–"


def _vn(value) -> str:
    return format_number(value) if value is not None else NO_CHANGE


def _pct(value) -> str:
    return format_percent(value) if value is not None else NO_CHANGE


def _index_change(value) -> str:
    if value is None:
        return NO_CHANGE
    rounded = calc.quantize_score(value)
    if rounded > 0:
        return f"▲ {format_number(rounded)}"
    if rounded < 0:
        return f"▼ {format_number(-rounded)}"
    return format_number(rounded)


def _rank_change(value: int | None) -> str:
    if value is None:
        return NO_CHANGE
    return f"▲ {value}" if value > 0 else f"▼ {-value}" if value < 0 else "="


def _paragraph(
    doc_or_cell, text: str = "", *, bold=False, italic=False, size=None, align=None, space_after=3
):
    paragraph = doc_or_cell.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _cell_text(cell: _Cell, lines: Sequence[tuple[str, dict]], align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """Write lines (text, run options) into a cell, one paragraph each (the cell's first paragraph reused)."""
    for index, (text, options) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = options.get("bold", False)
        run.italic = options.get("italic", False)
        run.underline = options.get("underline", False)
        run.font.size = Pt(options.get("size", 12))


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _header_block(doc: DocumentType, particulars: Particulars) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    org = []
    if particulars.issuer_parent and particulars.issuer_parent != particulars.issuer:
        org.append((particulars.issuer_parent.upper(), {"size": 12}))
    org += [(particulars.issuer.upper(), {"bold": True, "size": 12}), (particulars.number_line, {"size": 13})]
    _cell_text(left, org)
    _cell_text(
        right,
        [
            (_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), {"bold": True, "size": 12}),
            (_("Độc lập - Tự do - Hạnh phúc"), {"bold": True, "underline": True, "size": 13}),
            (particulars.place_date, {"italic": True, "size": 13}),
        ],
    )


def _closing(doc: DocumentType, particulars: Particulars) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _cell_text(
        left,
        [(_("Nơi nhận:"), {"bold": True, "italic": True, "size": 12})]
        + [(line, {"size": 11}) for line in particulars.recipient_lines],
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    lines = [(line, {"bold": True, "size": 13}) for line in particulars.signer_title]
    lines += [("", {})] * 4 + [(particulars.signer_name, {"bold": True, "size": 13})]
    _cell_text(right, lines)


def _table(doc: DocumentType, headers: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 2):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, [(text, {"bold": True, "size": 10})])
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if index >= numeric_from else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cell, [(str(text), {"size": 10})], align=align)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def _ranking(doc: DocumentType, report: AnnualReport, group: GroupSection) -> None:
    headers = [_("STT"), _("Đơn vị"), _("Điểm thẩm định"), _("Điểm điều tra XHH"), _("Tổng điểm"),
               _("Thang điểm"), _("Chỉ số (%)"), _("Xếp loại"), _("Xếp hạng")]  # fmt: skip
    if report.has_changes:
        headers += [_("Chỉ số so với %(year)s") % {"year": report.previous_year}, _("Thứ hạng")]
    rows = []
    for number, row in enumerate(group.rows, start=1):
        values = [str(number), row.unit_name + (" *" if row.reduced_scale else ""), _vn(row.appraisal_points),
                  _vn(row.survey_points), _vn(row.total_points), _vn(row.max_points), _vn(row.index),
                  row.band_label, str(row.rank)]  # fmt: skip
        if report.has_changes:
            values += [_index_change(row.index_change), _rank_change(row.rank_change)]
        rows.append(values)
    average = ["", _("Chỉ số trung bình của nhóm"), "", "", "", "", _vn(group.average_index), "", ""]
    rows.append(average + (["", ""] if report.has_changes else []))
    _table(doc, headers, rows)
    text = _("Chỉ số trung bình của nhóm: %(average)s.") % {"average": _pct(group.average_index)}
    if group.best and group.worst:
        text += " " + _("Cao nhất: %(best)s (%(best_index)s); thấp nhất: %(worst)s (%(worst_index)s).") % {
            "best": group.best.unit_name,
            "best_index": _pct(group.best.index),
            "worst": group.worst.unit_name,
            "worst_index": _pct(group.worst.index),
        }
    _paragraph(doc, text)
    counts = " · ".join(f"{c.label}: {c.count}" for c in group.class_counts)
    _paragraph(doc, f"{_('Số đơn vị theo xếp loại')}: {counts}.")


def annual_document(report: AnnualReport) -> bytes:
    """Return the annual report as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for level, size in ((1, 13), (2, 13)):
        heading = doc.styles[f"Heading {level}"]
        heading.font.name, heading.font.size, heading.font.bold = FONT, Pt(size), True
        heading.font.italic = level == 2
        heading.font.color.rgb = RGBColor(0, 0, 0)

    if report.particulars:
        _header_block(doc, report.particulars)
    _paragraph(doc, _("Báo cáo").upper(), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    for text in (
        _("Kết quả xác định Chỉ số cải cách hành chính năm %(year)s") % {"year": report.year},
        _("của các cơ quan, đơn vị thuộc %(body)s") % {"body": report.body_name},
    ):
        _paragraph(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    if not report.published:
        _paragraph(doc, _("DỰ THẢO — kết quả chưa công bố"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    doc.add_heading(_("I. TÌNH HÌNH TỔ CHỨC ĐÁNH GIÁ"), level=1)
    if report.guidance_reference:
        _paragraph(
            doc,
            _("Việc xác định Chỉ số cải cách hành chính năm %(year)s được thực hiện theo %(ref)s.")
            % {"year": report.year, "ref": report.guidance_reference},
        )
    groups = "; ".join(f"{g.name}: {g.unit_count}" for g in report.groups)
    _paragraph(
        doc,
        _("Năm %(year)s có %(count)s cơ quan, đơn vị được xác định chỉ số:")
        % {"year": report.year, "count": report.unit_count}
        + f" {groups}.",
    )
    if report.process:
        _table(
            doc,
            [
                _("Nhóm đơn vị"),
                _("Số hồ sơ"),
                _("Đã gửi tự đánh giá"),
                _("Đã thẩm định"),
                _("Hội đồng đã thông qua"),
            ],
            [(p.group_name, p.dossiers, p.submitted, p.appraised, p.approved) for p in report.process],
            numeric_from=1,
        )
    if report.published and report.publication_decision:
        _paragraph(
            doc, _("Kết quả được công bố tại %(decision)s.") % {"decision": report.publication_decision}
        )

    doc.add_heading(_("II. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"), level=1)
    _paragraph(
        doc,
        _(
            "Thang điểm chung là %(scale)s điểm. Chỉ số trung bình chung của các cơ quan, đơn vị là %(average)s."
        )
        % {"scale": _vn(report.common_max_points), "average": _pct(report.common_average)},
    )
    for note in report.reduced_notes:
        reasons = "; ".join(note.reasons)
        _paragraph(
            doc,
            f"* {note.unit_name}: {_('thang điểm')} {_vn(note.max_points)}"
            + (f" — {reasons}" if reasons else "")
            + ".",
        )
    for number, group in enumerate(report.groups, start=2):
        doc.add_heading(f"{number}. " + _("Kết quả xếp hạng: %(name)s") % {"name": group.name}, level=2)
        _ranking(doc, report, group)

    doc.add_heading(_("III. KẾT QUẢ THEO LĨNH VỰC"), level=1)
    if not report.fields:
        _paragraph(doc, _("Kết quả năm này không có điểm chi tiết theo lĩnh vực."))
    for field in report.fields:
        doc.add_heading(_("Lĩnh vực %(code)s: %(name)s") % {"code": field.code, "name": field.name}, level=2)
        _table(
            doc,
            [_("Nhóm đơn vị"), _("Số đơn vị"), _("Chỉ số thành phần TB (%)"), _("Cao nhất"), _("Thấp nhất")],
            [
                (
                    s.group_name,
                    s.unit_count,
                    _vn(s.average_index),
                    f"{s.best.unit_name} ({_vn(s.best.index)})",
                    f"{s.worst.unit_name} ({_vn(s.worst.index)})",
                )
                for s in field.groups
            ],  # fmt: skip
            numeric_from=1,
        )
        for reason in field.lost:
            doc.add_paragraph(
                _("%(item)s: %(count)s đơn vị bị trừ, tổng %(points)s điểm.")
                % {"item": reason.label, "count": reason.unit_count, "points": _vn(reason.lost_points)},
                style="List Bullet",
            )

    doc.add_heading(_("IV. ĐÁNH GIÁ CHUNG"), level=1)
    for title, texts, empty in (
        (_("1. Kết quả đạt được"), report.assessment, ""),
        (_("2. Tồn tại, hạn chế"), report.limitations, _("Không có hạn chế nổi bật theo số liệu.")),
        (
            _("3. Kiến nghị"),
            report.recommendations,
            _("Các cơ quan, đơn vị tiếp tục duy trì kết quả đạt được."),
        ),
    ):
        doc.add_heading(title, level=2)
        for text in texts:
            doc.add_paragraph(text, style="List Bullet")
        if not texts and empty:
            _paragraph(doc, empty)
    if report.particulars:
        _closing(doc, report.particulars)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
