"""The reports as their readers fetch them: from the report's own page, through a job, to a file on disk."""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.reports.ranking_data import lai_chau_2020_create

pytestmark = pytest.mark.browser


@pytest.fixture
def lai_chau_2020(body, unit):
    # `unit` (Sở Nội vụ) is one of the 16 departments: the 2020 results attach to it.
    return lai_chau_2020_create(body=body)


def _download(page, button_name: str, tmp_path):
    expect(page.get_by_test_id("job-status")).to_have_text("Hoàn thành")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button_name).click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    return saved


def test_body_admin_downloads_the_annual_report_pdf_from_its_page(
    logged_in_page, body_admin, lai_chau_2020, tmp_path
):
    page = logged_in_page(body_admin)
    page.goto("/ket-qua/bao-cao-nam/?year=2020")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2020")
    expect(page.locator("table").first).to_contain_text("Sở Tài nguyên và Môi trường")

    with page.expect_navigation():
        page.get_by_role("button", name="Tải PDF").click()
    saved = _download(page, "Tải về bao-cao-chi-so-cchc-lai-chau-2020.pdf", tmp_path)

    assert saved.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], capture_output=True, check=True).stdout
    text = text.decode()
    assert "Sở Tài nguyên và Môi trường" in text
    assert "87,42" in text  # Sở Nội vụ's index as published


def test_unit_officer_downloads_the_units_analysis_in_excel(
    logged_in_page, unit_officer, lai_chau_2020, tmp_path
):
    page = logged_in_page(unit_officer)
    page.goto("/ket-qua/phan-tich/")
    # A unit user goes straight to their own unit's analysis.
    expect(page).to_have_url(re.compile(r"/ket-qua/phan-tich/so-noi-vu/"))
    expect(page.locator("main")).to_contain_text("Sở Nội vụ")
    page.goto("/ket-qua/phan-tich/so-noi-vu/?year=2020")

    with page.expect_navigation():
        page.get_by_role("button", name="Tải Excel").click()
    saved = _download(page, "Tải về phan-tich-so-noi-vu-2020.xlsx", tmp_path)

    summary = openpyxl.load_workbook(saved)["Tổng hợp"]
    values = [c for row in summary.iter_rows(values_only=True) for c in row if c is not None]
    assert 87.42 in values or any(isinstance(v, float) and abs(v - 87.42) < 0.005 for v in values)
