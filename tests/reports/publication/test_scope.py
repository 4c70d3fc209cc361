"""Publishing a group's ranking as a whole: every unit approved or left out with a reason, per chosen group."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import PublicationDecision, PublishedResult
from reports.publication.selectors import publication_exclusions
from reports.publication.services import PublicationError, period_publish, period_publish_amendment
from reports.publication.snapshot import content_hash
from scoring.models import Assessment, AuditEvent
from scoring.workflow import Status
from tests.appraisal.helpers import appraise_all, set_status, submitted_assessment
from tests.conftest_constants import PASSWORD
from tests.scoring.factories import PeriodFactory, UnitFactory, UnitGroupFactory

YEAR = 2026


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=YEAR)


@pytest.fixture
def districts(body):
    return UnitGroupFactory(body=body, code="huyen", name="UBND huyện", order=2)


def _approved(unit, period, points: Decimal | None = None) -> Assessment:
    assessment = submitted_assessment(unit=unit, period=period, status=Status.ROUND_1)
    appraise_all(assessment=assessment, points=points)
    return set_status(assessment, Status.COUNCIL_APPROVED)


@pytest.fixture
def mixed(body, period, unit, other_unit, departments, districts):
    """Departments: Sở Nội vụ and Sở Tư pháp approved, Sở Y tế not started; districts: Tam Đường approved."""
    not_started = submitted_assessment(
        unit=UnitFactory(body=body, group=departments, code="so-y-te", name="Sở Y tế"),
        period=period,
        status=Status.SELF_ASSESSMENT,
    )
    tam_duong = _approved(UnitFactory(body=body, group=districts, code="tam-duong", name="Tam Đường"), period)
    return _approved(unit, period), _approved(other_unit, period), not_started, tam_duong


def _publish(period, actor, **kwargs):
    return period_publish(
        period=period, number="QĐ 1", signed_on=date(2027, 3, 15), signer="Chủ tịch", file=None, actor=actor,
        **kwargs,
    )  # fmt: skip


def _amend(period, actor, number="QĐ 2", **kwargs):
    return period_publish_amendment(
        period=period, number=number, signed_on=date(2027, 5, 2), signer="Chủ tịch", file=None, actor=actor,
        **kwargs,
    )  # fmt: skip


def test_a_group_with_a_unit_not_approved_is_refused_naming_it(period, mixed, departments, body_admin):
    with pytest.raises(PublicationError) as error:
        _publish(period, body_admin, groups=[departments])

    assert "Sở, ban, ngành" in error.value.message and "Sở Y tế" in error.value.message
    assert not PublicationDecision.objects.exists()
    assert Assessment.objects.filter(status=Status.PUBLISHED).count() == 0


def test_a_unit_left_out_needs_a_reason(period, mixed, departments, body_admin):
    with pytest.raises(PublicationError, match="lý do"):
        _publish(period, body_admin, groups=[departments], exclusions={mixed[2].unit_id: "  "})


def test_only_units_of_the_chosen_groups_may_be_left_out(period, mixed, districts, body_admin):
    with pytest.raises(PublicationError):
        _publish(period, body_admin, groups=[districts], exclusions={mixed[2].unit_id: "Chưa nộp"})


def test_left_out_units_are_kept_with_the_decision_the_snapshot_and_the_audit(
    period, mixed, departments, body_admin
):
    decision = _publish(
        period, body_admin, groups=[departments], exclusions={mixed[2].unit_id: "Chưa tự đánh giá"}
    )

    content = decision.snapshot.content
    assert set(content["units"]) == {"so-noi-vu", "so-tu-phap"}
    assert content["groups"] == ["so-ban-nganh"]
    assert content["left_out"] == {
        "so-y-te": {
            "name": "Sở Y tế",
            "group": "so-ban-nganh",
            "group_name": "Sở, ban, ngành",
            "status": Status.SELF_ASSESSMENT,
            "reason": "Chưa tự đánh giá",
        }
    }
    assert decision.left_out == content["left_out"]
    assert content_hash(content) == decision.snapshot.content_hash
    assert [(e.unit_code, e.reason) for e in publication_exclusions(period)] == [
        ("so-y-te", "Chưa tự đánh giá")
    ]
    assert "Sở Y tế: Chưa tự đánh giá" in AuditEvent.objects.get(action="period_published").note
    mixed[2].refresh_from_db()
    assert mixed[2].status == Status.SELF_ASSESSMENT


def test_publication_is_per_group_and_an_amendment_adds_a_group(
    period, mixed, departments, districts, body_admin
):
    _publish(period, body_admin, groups=[districts])

    assert set(PublishedResult.objects.values_list("unit__code", flat=True)) == {"tam-duong"}
    assert mixed[0].__class__.objects.get(pk=mixed[0].pk).status == Status.COUNCIL_APPROVED
    assert publication_exclusions(period) == []

    second = _amend(
        period, body_admin, groups=[departments], exclusions={mixed[2].unit_id: "Chưa tự đánh giá"}
    )

    assert set(second.snapshot.content["units"]) == {"tam-duong", "so-noi-vu", "so-tu-phap"}
    assert second.snapshot.content["groups"] == ["huyen", "so-ban-nganh"]
    assert Assessment.objects.filter(status=Status.PUBLISHED).count() == 3


def test_a_left_out_unit_stays_out_until_approved_then_an_amendment_adds_it(
    period, mixed, departments, districts, body_admin, appraiser
):
    _publish(period, body_admin, exclusions={mixed[2].unit_id: "Chưa tự đánh giá"})

    kept = _amend(period, body_admin)
    assert kept.snapshot.content["left_out"]["so-y-te"]["reason"] == "Chưa tự đánh giá"

    set_status(mixed[2], Status.ROUND_1)
    appraise_all(assessment=mixed[2])
    set_status(mixed[2], Status.COUNCIL_APPROVED)
    added = _amend(period, body_admin, number="QĐ 3")

    assert "so-y-te" in added.snapshot.content["units"]
    assert added.snapshot.content["left_out"] == {}
    assert publication_exclusions(period) == []


def test_without_groups_every_group_is_published_and_every_unit_must_be_ready(period, mixed, body_admin):
    with pytest.raises(PublicationError, match="Sở Y tế"):
        _publish(period, body_admin)


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_the_page_lists_the_units_not_approved_and_publishes_the_chosen_groups(
    client, period, mixed, departments, districts, body_admin
):
    url = reverse("reports:publication_publish", kwargs={"period_id": period.pk})
    page = _login(client, body_admin).get(url).content.decode()
    assert 'data-unit="so-y-te"' in page and "Sở Y tế" in page

    data = {"number": "QĐ 12", "signed_on": "15/03/2027", "signer": "Chủ tịch", "groups_shown": "1"}
    refused = client.post(url, data | {"groups": [departments.pk, districts.pk]})
    assert refused.status_code == 400
    assert "Sở Y tế" in refused.content.decode()

    response = client.post(
        url,
        data
        | {
            "groups": [departments.pk, districts.pk],
            "leave_out": [mixed[2].unit_id],
            f"reason-{mixed[2].unit_id}": "Chưa tự đánh giá",
        },
    )
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert 'id="khong-cong-bo"' in detail and "Chưa tự đánh giá" in detail

    nothing = client.post(
        reverse("reports:publication_amend", kwargs={"period_id": period.pk}), data | {"number": "QĐ 13"}
    )
    assert nothing.status_code == 302  # the amendment keeps the published groups
