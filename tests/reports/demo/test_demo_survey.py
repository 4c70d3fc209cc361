"""The demo's 2026 survey: six forms, ≈1,200 ballots, SIPAS; loaded once, fast, and its points in the rankings."""

from __future__ import annotations

import time
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from rest_framework.test import APIClient

from reports.demo import data as demo_data
from reports.models import PublishedResult
from scoring.formatting import format_number
from scoring.models import Period, User
from surveys.models import Ballot, BallotAnswer, BallotForm, SamplePlan, SipasConversion, SipasResult
from surveys.points.selectors import survey_item_points
from surveys.stats.selectors import tracking_table

# Generous on a slow CI machine; the whole demo (2020 results, dossiers, appraisal, survey) loads in a few seconds.
LOAD_DEMO_SECONDS = 60


def _survey_counts():
    return (
        BallotForm.objects.count(),
        SamplePlan.objects.count(),
        Ballot.objects.count(),
        BallotAnswer.objects.count(),
        SipasResult.objects.count(),
        SipasConversion.objects.count(),
    )


def test_demo_survey_has_six_forms_about_1200_ballots_a_few_rejected_and_loads_once(db):
    started = time.perf_counter()
    call_command("load_demo", demo_passwords=True)
    elapsed = time.perf_counter() - started
    first = _survey_counts()
    call_command("load_demo", demo_passwords=True)

    assert _survey_counts() == first
    assert elapsed < LOAD_DEMO_SECONDS
    forms = {f.code: f for f in BallotForm.objects.select_related("target_group")}
    assert sorted(forms) == ["M1", "M2", "M3", "M4", "M5", "M6"]
    assert {c for c, f in forms.items() if f.target_group.code == "ubnd-huyen"} == {"M1", "M3", "M6"}
    assert 1100 <= first[2] <= 1300
    rejected = dict(
        Ballot.objects.filter(status="rejected").values_list("reject_reason").annotate(n=Count("pk"))
    )
    assert rejected == {"over_quota": 3, "incomplete": 2}
    # The tracking totals line, as the survey team would read it: 1,200 issued, 98.4 % returned.
    total = tracking_table(period=Period.objects.get(body__code="lai-chau", year=2026)).tracking.total
    assert (total.issued, total.returned, total.accepted) == (1200, 1181, 1176)
    # Every district has its SIPAS.
    assert SipasResult.objects.filter(unit__group__code="ubnd-huyen").count() == 8


def test_demo_survey_points_are_in_the_2026_rankings_api_for_staff(db):
    call_command("load_demo", demo_passwords=True)
    period = Period.objects.get(body__code="lai-chau", year=2026)
    points = survey_item_points(period=period)  # ballots, and SIPAS where converted

    client = APIClient()
    client.force_authenticate(User.objects.get(username="admin"))
    rows = client.get("/api/v1/rankings/", {"year": 2026}).json()["results"]

    published = {r.unit.code: r for r in PublishedResult.objects.filter(period=period).select_related("unit")}
    assert {r["unit_code"] for r in rows} == set(published) == {"so-y-te", "ubnd-huyen-phong-tho"}
    for row in rows:
        unit = published[row["unit_code"]].unit
        expected = sum(points[unit.pk].values(), Decimal(0))
        assert Decimal(row["survey_points"]) == expected.quantize(Decimal("0.01"))
        assert Decimal(row["survey_points"]) > 10  # ≈ a quarter of the scale comes from the survey

    # The rankings page prints the same survey points, the Vietnamese way.
    page = Client()
    assert page.login(username="xem", password=demo_data.DEMO_PASSWORD)
    html = page.get("/ket-qua/xep-hang/", {"year": 2026}).content.decode()
    for row in rows:
        assert format_number(Decimal(row["survey_points"])) in html
