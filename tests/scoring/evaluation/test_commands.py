"""manage.py import_criteria_set / export_criteria_set / clone_criteria_sets."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from scoring.evaluation import selectors
from scoring.evaluation.io import read_criteria
from scoring.models import CriteriaItem, CriteriaSet, Period
from tests.scoring.criteria_helpers import GOOD_ROWS, bad_workbook, good_workbook


def stored():
    return (Period.objects.count(), CriteriaSet.objects.count(), CriteriaItem.objects.count())


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "bo-tieu-chi.xlsx"
    path.write_bytes(good_workbook())
    return path


LAI_CHAU_DEPARTMENTS = ("--body", "lai-chau", "--group", "so-ban-nganh")


def import_2025(good_file):
    """Import the good workbook as Lai Châu's 2025 department set."""
    return run("import_criteria_set", str(good_file), *LAI_CHAU_DEPARTMENTS, "--year", "2025")


def test_import_prints_every_error_exits_non_zero_and_saves_nothing(tmp_path, body, departments):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(bad_workbook())
    before = stored()
    err = StringIO()
    with pytest.raises(CommandError, match="2 lỗi; không lưu gì."):
        call_command(
            "import_criteria_set",
            str(path),
            "--body",
            "lai-chau",
            "--year",
            "2025",
            "--group",
            "so-ban-nganh",
            stderr=err,
        )
    assert stored() == before
    lines = err.getvalue().splitlines()
    assert lines == [
        "Trang 'Tiêu chí', dòng 5, cột C (Điểm tối đa): 1,1 không phải bội số của bước điểm 0,25",
        "Trang 'Tiêu chí', dòng 9, cột A (Mã): Tiêu chí 3.1 nằm ngoài mọi lĩnh vực: chưa có dòng lĩnh vực 3.",
    ]


def test_import_finds_the_group_by_name_and_marks_illustrative(good_file, body, departments):
    out, _err = run(
        "import_criteria_set",
        str(good_file),
        "--body",
        "lai-chau",
        "--year",
        "2025",
        "--group",
        "sở, ban, ngành",
        "--illustrative",
    )
    criteria_set = CriteriaSet.objects.get()
    assert (criteria_set.name, criteria_set.is_illustrative) == ("Bộ tiêu chí Sở, ban, ngành năm 2025", True)
    assert "7 mục" in out


def test_import_refuses_an_existing_set_unless_replace(good_file, body, departments):
    args = (
        "import_criteria_set",
        str(good_file),
        "--body",
        "lai-chau",
        "--year",
        "2025",
        "--group",
        "so-ban-nganh",
    )
    run(*args)
    with pytest.raises(CommandError):
        run(*args)
    run(*args, "--replace", "--name", "Bộ thay thế")
    assert CriteriaSet.objects.get().name == "Bộ thay thế"


def test_import_names_unknown_body_and_group(good_file, body, departments):
    with pytest.raises(CommandError, match="không có nhóm đơn vị 'xa'.*so-ban-nganh"):
        run("import_criteria_set", str(good_file), "--body", "lai-chau", "--year", "2025", "--group", "xa")
    with pytest.raises(CommandError, match="Không có cơ quan đánh giá mã 'ha-noi'"):
        run("import_criteria_set", str(good_file), "--body", "ha-noi", "--year", "2025", "--group", "xa")


def test_export_writes_a_workbook_that_reads_back(good_file, tmp_path, body, departments):
    import_2025(good_file)
    out_path = tmp_path / "xuat.xlsx"
    run("export_criteria_set", str(out_path), *LAI_CHAU_DEPARTMENTS, "--year", "2025")
    assert read_criteria(out_path.read_bytes()).rows == GOOD_ROWS
    with pytest.raises(CommandError, match="chưa có bộ tiêu chí năm 2024"):
        run("export_criteria_set", str(out_path), *LAI_CHAU_DEPARTMENTS, "--year", "2024")


def test_clone_copies_a_year_into_the_next(good_file, body, departments):
    import_2025(good_file)
    out, _err = run("clone_criteria_sets", "--body", "lai-chau", "--from", "2025", "--to", "2026")
    assert "Đã sao chép 1 bộ tiêu chí (7 mục) sang năm 2026." in out
    assert "Đã chép kèm 1 tiêu chí không đánh giá" in out
    copy = selectors.criteria_set_find(body=body, year=2026, group="so-ban-nganh")
    assert tuple(selectors.criteria_set_rows(criteria_set=copy)) == GOOD_ROWS
    with pytest.raises(CommandError, match="Năm 2026 đã có bộ tiêu chí"):
        run("clone_criteria_sets", "--body", "lai-chau", "--from", "2025", "--to", "2026")
