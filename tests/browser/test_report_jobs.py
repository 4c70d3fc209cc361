"""A body administrator asks for a report, watches its progress bar, and downloads the file."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from reports.jobs.services import report_job_run
from scoring.models import Job
from tests.reports.ranking_data import lai_chau_2020_create

pytestmark = pytest.mark.browser


@pytest.fixture
def lai_chau_2020(body):
    return lai_chau_2020_create(body=body)


def test_body_admin_requests_the_rankings_excel_and_downloads_it(
    logged_in_page, body_admin, lai_chau_2020, tmp_path
):
    page = logged_in_page(body_admin)
    page.goto("/ket-qua/bao-cao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo")

    form = page.locator("#report-request-form")
    form.locator("select[name=kind]").select_option("rankings")
    form.locator("select[name=year]").select_option("2020")
    form.locator("select[name=format]").select_option("xlsx")
    with page.expect_navigation():
        form.get_by_role("button", name="Tạo báo cáo").click()

    # No broker: the job ran in-process while the request was answered.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng xếp hạng năm 2020")
    expect(page.get_by_test_id("job-status")).to_have_text("Hoàn thành")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("job-progress")).to_have_text(re.compile(r"100\s%"))

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tải về xep-hang-lai-chau-2020.xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "xep-hang-lai-chau-2020.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    values = [c for row in openpyxl.load_workbook(saved).active.iter_rows(values_only=True) for c in row if c]
    assert "Sở Nội vụ" in values

    page.goto("/ket-qua/bao-cao/")
    expect(page.locator("tr[data-job]")).to_have_count(1)
    expect(page.locator("tr[data-job]")).to_contain_text("Hoàn thành")


def test_the_progress_bar_follows_a_job_run_elsewhere(logged_in_page, body, body_admin, lai_chau_2020):
    # Queued as a worker would find it; the page must follow it without being reloaded.
    job = Job.objects.create(
        body=body, kind="rankings", format="xlsx", period=lai_chau_2020, year=2020, requested_by=body_admin
    )
    page = logged_in_page(body_admin)
    page.goto(f"/ket-qua/bao-cao/{job.pk}/")
    expect(page.get_by_test_id("job-status")).to_have_text("Đang chờ xử lý")
    expect(page.locator("progress")).to_have_attribute("value", "0")

    report_job_run(job)

    expect(page.get_by_test_id("job-status")).to_have_text("Hoàn thành")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("button", name="Tải về xep-hang-lai-chau-2020.xlsx")).to_be_visible()
    # Finished: the fragment no longer asks to be polled.
    expect(page.locator("#report-job-status")).not_to_have_attribute("hx-get", re.compile(".*"))


def test_body_admin_recomputes_a_period_from_the_jobs_page(logged_in_page, body_admin, lai_chau_2020):
    page = logged_in_page(body_admin)
    page.goto("/ket-qua/bao-cao/")

    with page.expect_navigation():
        page.get_by_role("button", name="Tính lại kết quả năm 2020").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tính lại kết quả năm 2020")
    expect(page.get_by_test_id("job-status")).to_have_text("Hoàn thành")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("job-note")).to_have_text("Đã tính lại kết quả của 0 đơn vị năm 2020.")
