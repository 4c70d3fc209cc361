"""One truth: a published unit has the same index, class and rank on every page, report, export and API.

On the Lai Châu demo, whose 2026 departments were published by decision (some units left out with a reason)
while others are still in appraisal: the staff rankings API, the public API, the public page, the annual
report, the dashboards and the unit's own scoring sheet agree on every published unit.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reports.annual.selectors import annual_report_build
from reports.dashboards.selectors import dashboard_get
from reports.demo.load import demo_load
from reports.models import PublishedResult
from reports.results.services import period_results_recompute
from scoring.models import Assessment, Period, User
from scoring.workflow import Status

RANKINGS_API = "/api/v1/rankings/"
YEAR = 2026


def _two(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture
def demo(db):
    body = demo_load().body
    period = Period.objects.get(body=body, year=YEAR)
    # What the background recompute does after each change of the demo's services.
    period_results_recompute(period=period)
    return body, period


def _api_rows(client: APIClient, body_code: str) -> dict[str, tuple[str, str, int | None]]:
    response = client.get(RANKINGS_API, {"year": YEAR, "body": body_code})
    assert response.status_code == 200
    return {
        r["unit_code"]: (r["index_pct"], r["classification"]["label"], r["rank"])
        for r in response.json()["results"]
        if r["published"]
    }


def test_every_page_gives_a_published_unit_the_same_index_class_and_rank(demo, client):
    body, period = demo
    published = list(
        PublishedResult.objects.filter(period=period).select_related("unit").order_by("unit__name")
    )
    assert published, "the demo publishes the 2026 departments"
    admin = User.objects.get(username="admin")

    public = _api_rows(APIClient(), body.code)
    staff_client = APIClient()
    staff_client.force_authenticate(admin)
    staff = _api_rows(staff_client, body.code)
    report = annual_report_build(body=body, year=YEAR, draft=True)
    in_report = {
        r.unit_code: (_two(r.index), r.band_label, r.rank)
        for g in report.groups
        for r in g.rows
        if r.published
    }
    dashboard = dashboard_get(body=body, year=YEAR, draft=True)
    on_dashboard = {
        row.unit_code: (_two(row.index), row.band.label, row.rank)
        for group in dashboard.groups
        for row in group.rows
        if row.published
    }
    public_page = client.get(reverse("public_rankings:period", kwargs={"body": body.code, "year": YEAR}))
    assert public_page.status_code == 200
    public_html = public_page.content.decode()

    for result in published:
        code = result.unit.code
        index, label, rank = public[code]
        assert staff[code] == (index, label, rank), code
        assert in_report[code] == (index, label, rank), code
        assert on_dashboard[code] == (index, label, rank), code
        vn_index = index.replace(".", ",")
        row_html = re.search(rf'data-unit="{re.escape(code)}".*?</tr>', public_html, re.S)
        assert row_html and vn_index in row_html.group(0) and label in row_html.group(0), code

        # The unit's own sheet shows its published result, not its provisional self-score.
        assessment = Assessment.objects.get(period=period, unit=result.unit)
        client.force_login(admin)
        sheet = client.get(reverse("assessment:sheet", args=[assessment.pk])).content.decode()
        block = re.search(r'data-testid="published-result".*?</div>', sheet, re.S)
        assert block is not None, code
        assert vn_index in block.group(0) and label in block.group(0), code
        assert f"{rank}/" in block.group(0), code
        client.logout()


def test_staff_tables_tell_the_stages_apart_and_never_rank_self_scores(demo):
    body, period = demo
    report = annual_report_build(body=body, year=YEAR, draft=True)
    dashboard = dashboard_get(body=body, year=YEAR, draft=True)
    statuses = dict(Assessment.objects.filter(period=period).values_list("unit__code", "status"))

    for group in report.groups:
        for row in group.rows:
            # A ranked row is published, approved or appraised: never a self-score printed as appraisal points.
            assert row.stage in {"published", "approved", "appraised"}
            assert statuses[row.unit_code] not in {Status.SUBMITTED, Status.ROUND_1}
        for row in group.unranked:
            assert row.stage_label
    ranked = {row.unit_code for group in dashboard.groups for row in group.rows}
    assert ranked == {row.unit_code for group in report.groups for row in group.rows}
