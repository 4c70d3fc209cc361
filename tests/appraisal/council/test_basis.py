"""The council decides on a visible basis; a published dossier is reopened only by the council, with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.council.services import assessment_reopen, council_meeting_record
from appraisal.models import CouncilDecision
from appraisal.rules import AppraisalError, AppraisalPermissionDenied
from reports.models import ComputedResult, PublishedResult, ResultSnapshot
from reports.publication.diff import CHANGED, snapshot_diff
from reports.publication.services import PublicationError, period_publish, period_publish_amendment
from reports.publication.snapshot import content_hash
from scoring.models import AuditEvent
from scoring.results.state import ResultsFrozen, results_frozen_check
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, appraise_all, explain, set_status, submitted_assessment
from tests.appraisal.view_fixtures import MEETING_DAY, login
from tests.scoring.assessment_helpers import appraisal_items
from tests.scoring.factories import UnitFactory


def _round_2(unit, *, flagged=(), explained=(), reappraised=(), period=None, comment=""):
    """Return the unit's dossier in round 2: round 1 at the self-score, `flagged` codes flagged with a comment."""
    assessment = submitted_assessment(unit=unit, period=period, status=Status.ROUND_1)
    items = {i.code: i for i in appraisal_items(assessment.criteria_set)}
    appraise_all(assessment=assessment, flagged=flagged)
    for code in flagged:
        row = assessment.item_appraisals.get(item=items[code], round=1)
        row.points, row.comment = Decimal("0.25"), comment or f"Thiếu tài liệu {code}"
        row.save()
    for code in explained:
        explain(assessment=assessment, item=items[code], text="Đã bổ sung văn bản.")
    for code in reappraised:
        appraise(assessment=assessment, item=items[code], points=Decimal("0.75"), round=2)
    return set_status(assessment, Status.ROUND_2)


def _codes(assessment):
    return [i.code for i in appraisal_items(assessment.criteria_set)]


# --- the basis on the page ------------------------------------------------------------------------------


def test_the_council_page_shows_each_units_basis(client, unit, body_admin):
    probe = submitted_assessment(unit=unit)
    a, b, c = _codes(probe)[:3]
    dossier = _round_2(unit, flagged=[a, b, c], explained=[a, b], reappraised=[a, c])
    band = dossier.period.bands.order_by("-min_index").first()
    ComputedResult.objects.create(
        period=dossier.period, unit=unit, unit_group=unit.group, appraisal_points=Decimal("7"),
        survey_points=Decimal("0"), max_points=Decimal("8"), index=Decimal("87.5"), band_code=band.code, rank=1,
        computed_at=timezone.now(),
    )  # fmt: skip

    html = (
        login(client, body_admin).get(reverse("appraisal:council", args=[dossier.period_id])).content.decode()
    )

    row = html[html.index(f'data-unit="{unit.code}"') :]
    row = row[: row.index("</tr>")]
    # 8 items self-scored 1,00; round 1 lowers 3 to 0,25; round 2 raises 2 of them to 0,75.
    assert "8,00" in row and "5,75" in row and "6,75" in row
    assert "87,50" in row and band.label in row
    # b not re-appraised, c not explained: 2 of 3 flagged items unresolved.
    assert "2 chưa giải quyết" in row and f"{b}, {c}" in row
    assert f"Thiếu tài liệu {a}" in row
    assert f'name="approval-reason-{dossier.pk}"' in row


def _units(body, group, period, count):
    for n in range(count):
        unit = UnitFactory(body=body, group=group, code=f"u{n}", name=f"Đơn vị {n}")
        codes = _codes(submitted_assessment(unit=unit, period=period))
        unit.assessments.all().delete()
        _round_2(unit, period=period, flagged=codes[:2], explained=codes[:1], reappraised=codes[:1])


@pytest.mark.parametrize("count", [3, 12])
def test_the_council_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, body, departments, unit, body_admin, count
):
    period = submitted_assessment(unit=unit).period
    unit.assessments.all().delete()
    _units(body, departments, period, count)
    login(client, body_admin)

    # Measured 17 at 3 units and at 12: one query per kind of figure (published ones too), none per unit.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("appraisal:council", args=[period.pk]))
    assert response.content.decode().count('class="flagged"') == count


# --- approving with unresolved flagged items ------------------------------------------------------------


def _record(dossier, actor, members, **kwargs):
    return council_meeting_record(
        period=dossier.period, held_on=timezone.localdate(), members=members, minutes=None, note="",
        approved_ids=[dossier.pk], returned={}, actor=actor, **kwargs,
    )  # fmt: skip


def test_approving_with_unresolved_flagged_items_needs_a_reason_kept_on_the_decision_and_audit(
    unit, body_admin, council_member
):
    a, b = _codes(submitted_assessment(unit=unit))[:2]
    dossier = _round_2(unit, flagged=[a, b], explained=[a], reappraised=[a])

    with pytest.raises(AppraisalError) as error:
        _record(dossier, body_admin, [council_member])
    assert "Sở Nội vụ" in error.value.message and b in error.value.message
    dossier.refresh_from_db()
    assert dossier.status == Status.ROUND_2

    _record(
        dossier,
        body_admin,
        [council_member],
        approval_reasons={dossier.pk: "Hội đồng chấp nhận theo báo cáo"},
    )

    decision = CouncilDecision.objects.get(assessment=dossier)
    assert decision.reason == "Hội đồng chấp nhận theo báo cáo"
    event = AuditEvent.objects.get(action="council_approved_unresolved")
    assert b in event.note and "Hội đồng chấp nhận theo báo cáo" in event.note
    dossier.refresh_from_db()
    assert dossier.status == Status.COUNCIL_APPROVED


def test_a_resolved_dossier_is_approved_without_a_reason(unit, body_admin, council_member):
    a = _codes(submitted_assessment(unit=unit))[0]
    dossier = _round_2(unit, flagged=[a], explained=[a], reappraised=[a])

    _record(dossier, body_admin, [council_member])

    assert CouncilDecision.objects.get(assessment=dossier).reason == ""


def test_the_page_asks_for_the_approval_reason(client, unit, body_admin, council_member):
    a = _codes(submitted_assessment(unit=unit))[0]
    dossier = _round_2(unit, flagged=[a])
    url = reverse("appraisal:council", args=[dossier.period_id])
    data = {"held_on": MEETING_DAY, "members": [council_member.pk], f"decision-{dossier.pk}": "approve"}

    refused = login(client, body_admin).post(url, data)
    assert refused.status_code == 422
    assert "phải nêu lý do" in refused.content.decode()

    accepted = client.post(url, data | {f"approval-reason-{dossier.pk}": "Đã kiểm tra trực tiếp"})
    assert accepted.status_code == 302
    assert CouncilDecision.objects.get(assessment=dossier).reason == "Đã kiểm tra trực tiếp"


# --- reopening and the amending decision ----------------------------------------------------------------


def _published(unit, other_unit, admin):
    """Sở Nội vụ and Sở Tư pháp approved at their self-scores (8 of 8) and published by QĐ 1."""
    first = _round_2(unit)
    set_status(first, Status.COUNCIL_APPROVED)
    second = _round_2(other_unit, period=first.period)
    set_status(second, Status.COUNCIL_APPROVED)
    decision = period_publish(
        period=first.period,
        number="QĐ 1",
        signed_on=date(2027, 3, 15),
        signer="Chủ tịch",
        file=None,
        actor=admin,
    )
    first.refresh_from_db()
    return first, decision


def test_only_a_body_admin_reopens_only_a_published_dossier_and_only_with_a_reason(
    unit, other_unit, body_admin, council_member, unit_head
):
    dossier, _decision = _published(unit, other_unit, body_admin)
    with pytest.raises(AppraisalPermissionDenied):
        assessment_reopen(assessment=dossier, reason="Sai điểm", actor=council_member)
    with pytest.raises(AppraisalError, match="lý do"):
        assessment_reopen(assessment=dossier, reason="  ", actor=body_admin)

    assessment_reopen(assessment=dossier, reason="Sai điểm tiêu chí 1.1.1", actor=body_admin)

    dossier.refresh_from_db()
    assert dossier.status == Status.ROUND_2
    assert AuditEvent.objects.get(action="council_reopened").note == "Sai điểm tiêu chí 1.1.1"
    assert unit_head.notifications.filter(verb="council_reopened").exists()
    with pytest.raises(AppraisalError, match="đã công bố"):
        assessment_reopen(assessment=dossier, reason="Lần nữa", actor=body_admin)


def test_while_reopened_the_published_figures_stay_and_the_unit_is_no_longer_frozen(
    unit, other_unit, body_admin
):
    dossier, decision = _published(unit, other_unit, body_admin)
    with pytest.raises(ResultsFrozen):
        results_frozen_check(period_id=dossier.period_id, unit_id=unit.pk)
    rows = list(PublishedResult.objects.order_by("pk").values_list("unit__code", "appraisal_points"))

    assessment_reopen(assessment=dossier, reason="Sai điểm", actor=body_admin)

    results_frozen_check(period_id=dossier.period_id, unit_id=unit.pk)  # correctable now
    with pytest.raises(ResultsFrozen):
        results_frozen_check(period_id=dossier.period_id, unit_id=other_unit.pk)
    assert list(PublishedResult.objects.order_by("pk").values_list("unit__code", "appraisal_points")) == rows
    assert ResultSnapshot.objects.get().content["units"]["so-noi-vu"]["appraisal_points"] == "8.00"


def test_reopen_correct_approve_then_amend_replaces_the_units_figures_and_keeps_the_old_snapshot(
    unit, other_unit, body_admin, council_member
):
    dossier, first = _published(unit, other_unit, body_admin)
    old_content, old_hash = first.snapshot.content, first.snapshot.content_hash
    assessment_reopen(assessment=dossier, reason="Tiêu chí 1.1.1 chấm sai", actor=body_admin)
    item = appraisal_items(dossier.criteria_set)[0]
    appraise(assessment=dossier, item=item, points=Decimal("0.25"), round=2)

    with pytest.raises(PublicationError, match="Sở Nội vụ"):
        period_publish_amendment(
            period=dossier.period, number="QĐ 2", signed_on=date(2027, 5, 2), signer="Chủ tịch", file=None,
            actor=body_admin,
        )  # fmt: skip

    _record(dossier, body_admin, [council_member])
    second = period_publish_amendment(
        period=dossier.period, number="QĐ 2", signed_on=date(2027, 5, 2), signer="Chủ tịch", file=None,
        actor=body_admin,
    )  # fmt: skip

    assert PublishedResult.objects.get(unit=unit).appraisal_points == Decimal("7.25")
    dossier.refresh_from_db()
    assert dossier.status == Status.PUBLISHED
    changes = {c.unit_code: c for c in snapshot_diff(old_content, second.snapshot.content)}
    assert changes["so-noi-vu"].kind == CHANGED
    values = {c.key: (c.old, c.new) for c in changes["so-noi-vu"].changes}
    assert values["appraisal_points"] == ("8.00", "7.25")
    assert values[f"item {item.code}"] == ("1.00", "0.25")
    assert values["rank"] == (1, 2)
    # The earlier decision is still verifiable: its stored content hashes to its stored hash.
    first_again = ResultSnapshot.objects.get(decision=first)
    assert content_hash(first_again.content) == first_again.content_hash == old_hash


def test_the_council_page_reopens_a_published_dossier(client, unit, other_unit, body_admin, viewer):
    dossier, _decision = _published(unit, other_unit, body_admin)
    url = reverse("appraisal:council", args=[dossier.period_id])
    page = login(client, body_admin).get(url).content.decode()
    reopen = reverse("appraisal:reopen", args=[dossier.pk])
    assert reopen in page

    assert login(client, viewer).post(reopen, {"reason": "x"}).status_code == 404
    response = login(client, body_admin).post(reopen, {"reason": "Sai điểm"}, follow=True)

    assert "Đã ghi nhận Hội đồng mở lại hồ sơ Sở Nội vụ" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.ROUND_2


def test_a_council_meeting_tells_the_results_they_changed(unit, other_unit, body_admin, council_member):
    from scoring.results.state import results_changed

    seen = []

    def receiver(sender, period_id, **kwargs):
        seen.append(period_id)

    results_changed.connect(receiver, dispatch_uid="test-council-changes")
    try:
        dossier = _round_2(unit)
        _record(dossier, body_admin, [council_member])
        assert set(seen) == {dossier.period_id}
    finally:
        results_changed.disconnect(dispatch_uid="test-council-changes")


def test_a_published_dossier_is_not_returned_by_the_ordinary_return(unit, other_unit, body_admin):
    from appraisal.council.services import return_for_correction

    dossier, _decision = _published(unit, other_unit, body_admin)
    with pytest.raises(AppraisalError, match="mở lại"):
        return_for_correction(assessment=dossier, to=Status.ROUND_2, reason="Sai", actor=body_admin)
