"""Publication of appraised results: the decision, the frozen snapshot, amendments, the public page and the API."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from reports.models import PublicationDecision, PublishedResult, ResultSnapshot, SnapshotImmutable
from reports.publication.diff import ADDED, snapshot_diff
from reports.publication.services import PublicationError, period_publish, period_publish_amendment
from reports.publication.snapshot import canonical_json
from reports.results.services import period_results_recompute
from scoring.models import Assessment, AssessmentTransition, AuditEvent, Notification
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, appraise_all, set_status, submitted_assessment
from tests.conftest_constants import PASSWORD
from tests.reports.ranking_data import lai_chau_2020_create
from tests.scoring.assessment_helpers import appraisal_items, mark_not_applicable
from tests.scoring.factories import PeriodFactory, UnitFactory

YEAR = 2026
RANKINGS_API = reverse("rankings-api")
PUBLIC = reverse("public_rankings:index")
SIGNED_ON = date(2027, 3, 15)


def _public_period(body_code: str = "lai-chau", year: int = YEAR) -> str:
    return reverse("public_rankings:period", kwargs={"body": body_code, "year": year})


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=YEAR)


def _approved(unit, *, period, appraised: Decimal | None = None) -> Assessment:
    """Return the unit's assessment self-scored at the maximum, appraised in round 1, approved by the council."""
    assessment = submitted_assessment(unit=unit, period=period, status=Status.ROUND_1)
    appraise_all(assessment=assessment, round=1, points=appraised)
    return set_status(assessment, Status.COUNCIL_APPROVED)


@pytest.fixture
def approved_pair(period, unit, other_unit):
    """Sở Nội vụ appraised at 0.75 per item (6 of 8 points, 75 %), Sở Tư pháp at the maximum (100 %)."""
    return _approved(unit, period=period, appraised=Decimal("0.75")), _approved(other_unit, period=period)


def _publish(period, actor, number="Quyết định 123/QĐ-UBND", **kwargs):
    return period_publish(
        period=period, number=number, signed_on=SIGNED_ON, signer="Chủ tịch UBND tỉnh", file=None, actor=actor,
        **kwargs,
    )  # fmt: skip


def _amend(period, actor, number="Quyết định 456/QĐ-UBND"):
    return period_publish_amendment(
        period=period, number=number, signed_on=date(2027, 5, 2), signer="Chủ tịch UBND tỉnh", file=None,
        actor=actor,
    )  # fmt: skip


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


# --- publishing --------------------------------------------------------------------------------------


def test_publish_moves_only_council_approved_assessments_to_published(
    period, approved_pair, body_admin, body
):
    in_round_2 = submitted_assessment(
        unit=UnitFactory(body=body, group=approved_pair[0].unit.group, code="so-y-te", name="Sở Y tế"),
        period=period,
        status=Status.ROUND_2,
    )

    decision = _publish(period, body_admin, exclusions={in_round_2.unit_id: "Chưa thẩm định xong"})

    statuses = dict(Assessment.objects.values_list("unit__code", "status"))
    assert statuses == {
        "so-noi-vu": Status.PUBLISHED,
        "so-tu-phap": Status.PUBLISHED,
        "so-y-te": Status.ROUND_2,
    }
    assert AssessmentTransition.objects.filter(to_status=Status.PUBLISHED, actor=body_admin).count() == 2
    assert set(decision.snapshot.content["units"]) == {"so-noi-vu", "so-tu-phap"}
    assert not PublishedResult.objects.filter(unit=in_round_2.unit).exists()


def test_publish_writes_results_from_appraised_points_ranked_with_the_periods_bands(
    period, approved_pair, body_admin
):
    decision = _publish(period, body_admin)

    rows = {r.unit.code: r for r in PublishedResult.objects.select_related("unit").prefetch_related("fields")}
    assert rows["so-noi-vu"].appraisal_points == Decimal(6)
    assert rows["so-noi-vu"].max_points == Decimal(8)
    assert rows["so-tu-phap"].appraisal_points == Decimal(8)
    assert {r.source for r in rows.values()} == {PublishedResult.Source.APPRAISAL}
    assert [(f.field_code, f.points) for f in rows["so-noi-vu"].fields.all()] == [
        ("1", Decimal(3)),
        ("2", Decimal(3)),
    ]
    units = decision.snapshot.content["units"]
    assert (units["so-tu-phap"]["rank"], units["so-tu-phap"]["class"], units["so-tu-phap"]["index"]) == (
        1,
        "tot",
        "100.0000",
    )
    assert (units["so-noi-vu"]["rank"], units["so-noi-vu"]["class"], units["so-noi-vu"]["index"]) == (
        2,
        "kha",
        "75.0000",
    )
    assert units["so-noi-vu"]["items"]["1.1.1"] == "0.75"
    assert units["so-noi-vu"]["fields"]["1"] == {"points": "3.00", "max_points": "4.00", "index": "75.0000"}
    period.refresh_from_db()
    assert (period.publication_decision, period.published_on) == ("Quyết định 123/QĐ-UBND", SIGNED_ON)


def test_snapshot_hash_is_the_sha256_of_its_canonical_json(period, approved_pair, body_admin):
    snapshot = _publish(period, body_admin).snapshot
    snapshot.refresh_from_db()

    text = json.dumps(snapshot.content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert snapshot.content_hash == hashlib.sha256(text.encode()).hexdigest()
    assert snapshot.content["decision"] == {
        "number": "Quyết định 123/QĐ-UBND",
        "signed_on": "2027-03-15",
        "amends": None,
    }


def test_snapshot_takes_round_2_over_round_1_over_the_self_score(period, unit, body_admin):
    assessment = submitted_assessment(unit=unit, period=period, status=Status.ROUND_1)
    first, second, *_rest = appraisal_items(assessment.criteria_set)
    appraise(assessment=assessment, item=first, points=Decimal("0.50"), needs_explanation=True)
    appraise(assessment=assessment, item=second, points=Decimal("0.75"))
    appraise(assessment=assessment, item=first, points=Decimal("0.25"), round=2)
    set_status(assessment, Status.COUNCIL_APPROVED)

    items = _publish(period, body_admin).snapshot.content["units"]["so-noi-vu"]["items"]

    assert (items[first.code], items[second.code], items["2.2.2"]) == ("0.25", "0.75", "1.00")


def test_not_applicable_items_leave_the_points_and_the_scale(period, unit, other_unit, body_admin):
    first = _approved(unit, period=period)
    item = appraisal_items(first.criteria_set)[0]
    mark_not_applicable(item=item, unit=unit)
    _approved(other_unit, period=period)

    units = _publish(period, body_admin).snapshot.content["units"]

    assert units["so-noi-vu"]["max_points"] == "7.00"
    assert units["so-noi-vu"]["not_applicable"] == [item.code]
    assert item.code not in units["so-noi-vu"]["items"]
    assert units["so-tu-phap"]["max_points"] == "8.00"


def test_publish_stores_the_decision_file(period, approved_pair, body_admin):
    pdf = SimpleUploadedFile("qd-123.pdf", b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf")

    decision = period_publish(
        period=period, number="QĐ 1", signed_on=SIGNED_ON, signer="A", file=pdf, actor=body_admin
    )

    assert decision.file.name.startswith("decisions/") and decision.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("number", {"number": "  "}),
        ("signed_on", {"signed_on": None}),
        ("signer", {"signer": ""}),
        ("file", {"file": SimpleUploadedFile("qd.docx", b"x")}),
    ],
)
def test_publish_refuses_incomplete_decisions(period, approved_pair, body_admin, field, kwargs):
    arguments = {"number": "QĐ 1", "signed_on": SIGNED_ON, "signer": "A", "file": None} | kwargs
    with pytest.raises(PublicationError) as error:
        period_publish(period=period, actor=body_admin, **arguments)
    assert error.value.field == field
    assert not PublicationDecision.objects.exists()


def test_only_a_body_admin_may_publish(period, approved_pair, viewer, outsider):
    for user in (viewer, outsider):
        with pytest.raises(PublicationError):
            _publish(period, user)
    assert Assessment.objects.filter(status=Status.COUNCIL_APPROVED).count() == 2


def test_publish_refuses_without_approved_assessments_and_a_second_time(period, unit, body_admin):
    submitted_assessment(unit=unit, period=period, status=Status.ROUND_2)
    with pytest.raises(PublicationError, match="Hội đồng"):
        _publish(period, body_admin)

    set_status(Assessment.objects.get(), Status.COUNCIL_APPROVED)
    _publish(period, body_admin)
    with pytest.raises(PublicationError, match="sửa đổi"):
        _publish(period, body_admin, number="QĐ khác")


def test_publish_is_audited_and_tells_everyone_of_the_body(
    period, approved_pair, body_admin, unit_officer, viewer
):
    decision = _publish(period, body_admin)

    event = AuditEvent.objects.get(action="period_published")
    assert (event.actor, event.new_value, event.note) == (
        body_admin,
        decision.snapshot.content_hash,
        decision.number,
    )
    notices = Notification.objects.filter(verb="period_published")
    assert {unit_officer, viewer, body_admin} <= {n.user for n in notices}
    assert {n.url for n in notices} == {_public_period()}


# --- the snapshot never changes -------------------------------------------------------------------


def test_a_published_snapshot_refuses_every_change(period, approved_pair, body_admin):
    snapshot = _publish(period, body_admin).snapshot
    original = (snapshot.content_hash, canonical_json(snapshot.content))

    snapshot.content["units"]["so-noi-vu"]["rank"] = 1
    with pytest.raises(SnapshotImmutable):
        snapshot.save()
    with pytest.raises(SnapshotImmutable):
        ResultSnapshot.objects.filter(pk=snapshot.pk).update(content_hash="0" * 64)
    with pytest.raises(SnapshotImmutable):
        snapshot.delete()
    with pytest.raises(SnapshotImmutable):
        ResultSnapshot.objects.all().delete()

    stored = ResultSnapshot.objects.get(pk=snapshot.pk)
    assert (stored.content_hash, canonical_json(stored.content)) == original


# --- amendments ------------------------------------------------------------------------------------


def test_amendment_adds_late_approvals_replaces_rows_and_keeps_the_old_snapshot(
    period, approved_pair, body_admin, body, departments
):
    first = _publish(period, body_admin)
    first_hash = first.snapshot.content_hash
    late = _approved(UnitFactory(body=body, group=departments, code="so-y-te", name="Sở Y tế"), period=period)
    mark_not_applicable(item=appraisal_items(late.criteria_set)[0], unit=approved_pair[0].unit)

    second = _amend(period, body_admin)

    assert second.amends == first
    assert ResultSnapshot.objects.get(decision=first).content_hash == first_hash
    assert second.snapshot.content_hash != first_hash
    assert second.snapshot.content["decision"]["amends"] == "Quyết định 123/QĐ-UBND"
    assert PublishedResult.objects.count() == 3
    late.refresh_from_db()
    assert late.status == Status.PUBLISHED
    amended = AuditEvent.objects.get(action="period_amendment_published")
    assert (amended.old_value, amended.new_value) == (first_hash, second.snapshot.content_hash)
    changes = {c.unit_code: c for c in snapshot_diff(first.snapshot.content, second.snapshot.content)}
    assert changes["so-y-te"].kind == ADDED
    noi_vu = {c.key: (c.old, c.new) for c in changes["so-noi-vu"].changes}
    assert noi_vu["max_points"] == ("8.00", "7.00")
    assert noi_vu["appraisal_points"] == ("6.00", "5.25")
    assert noi_vu["item 1.1.1"] == ("0.75", None)
    period.refresh_from_db()
    assert period.publication_decision == "Quyết định 456/QĐ-UBND"


def test_amendment_needs_a_publication_and_a_new_number(period, approved_pair, body_admin):
    with pytest.raises(PublicationError, match="chưa được công bố"):
        _amend(period, body_admin)
    _publish(period, body_admin)
    with pytest.raises(PublicationError) as error:
        _amend(period, body_admin, number="Quyết định 123/QĐ-UBND")
    assert error.value.field == "number"


def test_second_amendment_amends_the_first_amendment(period, approved_pair, body_admin):
    first = _publish(period, body_admin)
    second = _amend(period, body_admin)
    third = _amend(period, body_admin, number="QĐ 789")

    assert (second.amends, third.amends) == (first, second)
    assert snapshot_diff(second.snapshot.content, third.snapshot.content) == []


# --- admin pages -----------------------------------------------------------------------------------


def test_admin_publishes_through_the_page_and_sees_the_decision_with_its_hash(
    client, period, approved_pair, body_admin
):
    _login(client, body_admin)
    assert client.get(reverse("reports:publication")).status_code == 200
    form = client.get(reverse("reports:publication_publish", kwargs={"period_id": period.pk}))
    assert form.status_code == 200 and 'name="signed_on"' in form.content.decode()

    response = client.post(
        reverse("reports:publication_publish", kwargs={"period_id": period.pk}),
        {"number": "QĐ 12/QĐ-UBND", "signed_on": "15/03/2027", "signer": "Chủ tịch"},
    )

    decision = PublicationDecision.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:publication_decision", kwargs={"pk": decision.pk})
    page = client.get(reverse("reports:publication")).content.decode()
    assert decision.snapshot.content_hash in page
    assert "QĐ 12/QĐ-UBND" in page
    detail = client.get(response.url).content.decode()
    assert decision.snapshot.content_hash in detail
    assert "khớp nội dung" in detail


def test_publish_page_shows_the_services_refusal(client, period, unit, body_admin):
    submitted_assessment(unit=unit, period=period, status=Status.ROUND_2)
    _login(client, body_admin)

    response = client.post(
        reverse("reports:publication_publish", kwargs={"period_id": period.pk}),
        {"number": "QĐ 12", "signed_on": "15/03/2027", "signer": "Chủ tịch"},
    )

    assert response.status_code == 400
    assert "Hội đồng thẩm định thông qua" in response.content.decode()
    assert not PublicationDecision.objects.exists()


def test_amendment_page_shows_the_diff(client, period, approved_pair, body_admin, body, departments):
    _publish(period, body_admin)
    _approved(UnitFactory(body=body, group=departments, code="so-y-te", name="Sở Y tế"), period=period)
    _login(client, body_admin)

    response = client.post(
        reverse("reports:publication_amend", kwargs={"period_id": period.pk}),
        {"number": "QĐ 2", "signed_on": "02/05/2027", "signer": "Chủ tịch"},
    )
    page = client.get(response.url).content.decode()

    assert 'id="thay-doi"' in page
    assert "Sở Y tế" in page and "Bổ sung vào kết quả" in page
    # Sở Nội vụ moved from rank 2 to rank 3 behind the new unit's full score.
    assert "<td>Xếp hạng</td><td>2</td><td>3</td>" in page


@pytest.mark.parametrize("persona", ["viewer", "unit_officer", "outsider"])
def test_publication_pages_are_for_the_bodys_admins_only(
    client, request, period, approved_pair, body_admin, persona
):
    decision = _publish(period, body_admin)
    _login(client, request.getfixturevalue(persona))

    assert client.get(reverse("reports:publication"), {"body": "lai-chau"}).status_code == 404
    assert client.get(reverse("reports:publication_decision", kwargs={"pk": decision.pk})).status_code == 404
    publish = reverse("reports:publication_amend", kwargs={"period_id": period.pk})
    assert client.post(publish, {"number": "X", "signed_on": "02/05/2027", "signer": "Y"}).status_code == 404
    assert PublicationDecision.objects.count() == 1


# --- the public page -------------------------------------------------------------------------------


def test_public_page_without_login_shows_only_published_periods(client, period, approved_pair, body_admin):
    assert "lai-chau" not in client.get(PUBLIC).content.decode()
    assert client.get(_public_period()).status_code == 404

    decision = _publish(period, body_admin)

    index = client.get(PUBLIC)
    assert index.status_code == 200
    assert _public_period() in index.content.decode()
    page = client.get(_public_period())
    html = page.content.decode()
    assert page.status_code == 200
    assert decision.snapshot.content_hash in html
    assert "Quyết định 123/QĐ-UBND" in html and "15/03/2027" in html
    assert html.index('data-unit="so-tu-phap"') < html.index('data-unit="so-noi-vu"')
    assert "75,00" in html


def test_public_page_lists_imported_results_and_hides_unpublished_years(client, body, period, unit):
    lai_chau_2020_create(body=body)
    submitted_assessment(unit=unit, period=period, status=Status.COUNCIL_APPROVED)

    html = client.get(PUBLIC).content.decode()

    assert _public_period(year=2020) in html
    assert _public_period(year=YEAR) not in html
    assert client.get(_public_period(year=2020)).status_code == 200
    assert client.get(_public_period(year=YEAR)).status_code == 404
    assert client.get(_public_period(body_code="khong-co")).status_code == 404


# --- the API -----------------------------------------------------------------------------------------


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_api_gives_the_public_nothing_before_publication_and_the_staff_live_results(
    period, approved_pair, viewer, unit_officer
):
    period_results_recompute(period=period)
    assert _api().get(RANKINGS_API, {"year": YEAR}).status_code == 404
    assert _api(unit_officer).get(RANKINGS_API, {"year": YEAR}).status_code == 404

    live = _api(viewer).get(RANKINGS_API, {"year": YEAR})

    assert live.status_code == 200
    data = live.json()
    assert data["published"] is False
    assert [(r["unit_code"], r["rank"], r["index_pct"], r["published"]) for r in data["results"]] == [
        ("so-tu-phap", 1, "100.00", False),
        ("so-noi-vu", 2, "75.00", False),
    ]


def test_api_live_results_follow_the_current_appraisal(period, unit, viewer):
    submitted_assessment(unit=unit, period=period, status=Status.SELF_ASSESSMENT)
    # A self-assessment in progress is a draft, not a result.
    assert _api(viewer).get(RANKINGS_API, {"year": YEAR}).status_code == 404

    period_results_recompute(period=period)
    assert _api(viewer).get(RANKINGS_API, {"year": YEAR}).status_code == 404

    # Round 1 sent: the appraised points, recomputed after the change.
    assessment = set_status(Assessment.objects.get(), Status.EXPLANATION)
    appraise_all(assessment=assessment, round=1, points=Decimal("0.50"))
    period_results_recompute(period=period)

    row = _api(viewer).get(RANKINGS_API, {"year": YEAR}).json()["results"][0]
    assert (row["appraisal_points"], row["index_pct"], row["published"]) == ("4.00", "50.00", False)


def test_api_gives_everyone_the_published_results_once_published(
    period, approved_pair, body_admin, viewer, unit
):
    _publish(period, body_admin)
    # A later change to the appraisal does not move the published table.
    set_status(approved_pair[0], Status.PUBLISHED)

    for client in (_api(), _api(viewer)):
        response = client.get(RANKINGS_API, {"year": YEAR})
        assert response.status_code == 200
        data = response.json()
        assert data["published"] is True
        assert data["publication_decision"] == "Quyết định 123/QĐ-UBND"
        assert data["published_on"] == "2027-03-15"
        assert [(r["unit_code"], r["index_pct"], r["published"]) for r in data["results"]] == [
            ("so-tu-phap", "100.00", True),
            ("so-noi-vu", "75.00", True),
        ]


def test_api_gives_the_public_imported_results(body):
    lai_chau_2020_create(body=body)

    data = _api().get(RANKINGS_API, {"year": 2020}).json()

    assert data["published"] is True
    assert len(data["results"]) == 16


def test_api_asks_the_public_to_choose_among_several_bodies(body, other_body):
    lai_chau_2020_create(body=body)

    assert _api().get(RANKINGS_API, {"year": 2020}).status_code == 400
    assert _api().get(RANKINGS_API, {"year": 2020, "body": "lai-chau"}).status_code == 200
    assert _api().get(RANKINGS_API, {"year": 2020, "body": "khong-co"}).status_code == 404


def test_api_staff_of_another_body_get_no_live_results(period, approved_pair, outsider):
    assert _api(outsider).get(RANKINGS_API, {"year": YEAR, "body": "lai-chau"}).status_code == 404


# --- queries do not grow with the number of units ---------------------------------------------------


def _units(body, departments, period, count: int) -> None:
    for n in range(count):
        unit = UnitFactory(body=body, group=departments, code=f"don-vi-{n}", name=f"Đơn vị {n}")
        _approved(unit, period=period)


# Live API (24 today): body, the published try (periods, bands, results), staff role, periods and bands again,
# published checks, assessments, final item points (5), items, exemptions; issue 5 adds the survey points (the
# period, then 6 in surveys.points.selectors.survey_item_points). Public: the index page 2, the period page 7, the
# anonymous API 5. What matters is that the bounds hold for 3 and for 12 units.
MAX_LIVE_QUERIES = 24
MAX_PUBLIC_QUERIES = 7


@pytest.mark.parametrize("count", [3, 12])
def test_live_api_public_page_and_public_api_run_a_fixed_number_of_queries(
    client, body, departments, period, body_admin, viewer, count, django_assert_max_num_queries
):
    _units(body, departments, period, count)
    period_results_recompute(period=period)
    with django_assert_max_num_queries(MAX_LIVE_QUERIES):
        assert len(_api(viewer).get(RANKINGS_API, {"year": YEAR}).json()["results"]) == count
    _publish(period, body_admin)

    for url in (PUBLIC, _public_period()):
        with django_assert_max_num_queries(MAX_PUBLIC_QUERIES):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(MAX_PUBLIC_QUERIES):
        assert len(_api().get(RANKINGS_API, {"year": YEAR}).json()["results"]) == count


def test_publishing_runs_the_same_queries_for_3_and_12_units(body, departments, body_admin):
    counts = []
    for year, count in ((YEAR, 3), (YEAR + 1, 12)):
        period = PeriodFactory(body=body, year=year)
        for n in range(count):
            unit = UnitFactory(body=body, group=departments, code=f"dv-{year}-{n}", name=f"Đơn vị {year} {n}")
            _approved(unit, period=period)
        with CaptureQueriesContext(connection) as queries:
            _publish(period, body_admin)
        counts.append(len(queries))
    # Each assessment's move to PUBLISHED goes through the one writer of the status: savepoint, lock, save,
    # transition row, audit row, release. Everything else (points, snapshot, published rows) is fixed.
    assert (counts[1] - counts[0]) / 9 <= 6
