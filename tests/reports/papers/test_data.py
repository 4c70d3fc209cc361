"""The particulars of a paper (pure): number line, place and date, recipients and signer with their defaults."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from reports.papers.data import NUMBER_BLANK, abbreviation, lines, particulars_build

TODAY = date(2021, 4, 20)


def test_short_names_of_issuers():
    assert abbreviation("Sở Nội vụ") == "SNV"
    assert abbreviation("Sở Nội vụ tỉnh Lai Châu") == "SNV"
    assert abbreviation("UBND tỉnh Lai Châu") == "UBND"
    assert abbreviation("Đài Phát thanh và Truyền hình") == "DPTVTH"


def test_empty_particulars_print_blanks_to_fill_by_hand():
    paper = particulars_build(issuer_parent="UBND tỉnh Lai Châu", issuer="Sở Nội vụ", today=TODAY)
    assert paper.number_line == f"Số: {NUMBER_BLANK}/BC-SNV"
    assert paper.place_date == "Lai Châu, ngày 20 tháng 04 năm 2021"
    assert paper.recipient_lines == ("- Lưu: VT.",)
    assert paper.signer_title == ("SỞ NỘI VỤ",)
    assert paper.signer_name == ""


def test_stored_particulars_are_printed_as_typed():
    paper = particulars_build(
        issuer_parent="UBND tỉnh Lai Châu",
        issuer="Sở Nội vụ",
        today=TODAY,
        number="123/BC-SNV",
        place="Điện Biên Phủ",
        issued_on=date(2021, 5, 2),
        recipients="UBND tỉnh (b/c);\n\n- Lưu: VT, XDCQ.",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn An",
    )
    assert paper.number_line == "Số: 123/BC-SNV"
    assert paper.place_date == "Điện Biên Phủ, ngày 02 tháng 05 năm 2021"
    assert paper.recipient_lines == ("- UBND tỉnh (b/c);", "- Lưu: VT, XDCQ.")
    assert paper.signer_title == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


@given(st.text())
def test_lines_are_never_empty_and_stripped(text):
    for line in lines(text):
        assert line and line == line.strip()
