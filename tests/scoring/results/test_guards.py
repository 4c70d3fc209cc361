"""After publication, what feeds a published result refuses changes with a Vietnamese message, until reopened."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from appraisal.council.services import assessment_reopen
from reports.publication.services import period_publish
from reports.published import services as report_services
from reports.published.data import PublishedResultsImportError, PublishedRow
from scoring.evaluation import services
from scoring.evaluation.not_applicable import not_applicable_delete, not_applicable_save
from scoring.models import AuditEvent, NotApplicableItem
from scoring.results.state import ResultsFrozen, results_changed
from scoring.workflow import Status
from tests.appraisal.helpers import set_status, submitted_assessment
from tests.scoring.assessment_helpers import appraisal_items
from tests.scoring.criteria_helpers import good_workbook
from tests.scoring.factories import PeriodFactory, UnitGroupFactory, UserFactory

FROZEN = "đã được công bố"


@pytest.fixture
def published(unit, other_unit):
    """Sở Nội vụ published, Sở Tư pháp in round 2, both on the same criteria set of 2026."""
    dossier = submitted_assessment(unit=unit, status=Status.PUBLISHED)
    other = submitted_assessment(unit=other_unit, period=dossier.period, status=Status.ROUND_2)
    return dossier, other


@pytest.fixture
def changes():
    """Collect the period ids of every results_changed signal sent."""
    seen: list[int] = []

    def receiver(sender, period_id, **kwargs):
        seen.append(period_id)

    results_changed.connect(receiver, dispatch_uid="test-frozen-guards")
    yield seen
    results_changed.disconnect(dispatch_uid="test-frozen-guards")


def test_a_unit_exemption_of_a_published_unit_is_refused_of_another_unit_saved_audited_and_signalled(
    published, unit, other_unit, body_admin, changes
):
    dossier, other = published
    item = appraisal_items(dossier.criteria_set)[0]

    with pytest.raises(ResultsFrozen, match=FROZEN):
        not_applicable_save(item=item, unit=unit, reason="Không có đơn vị sự nghiệp", actor=body_admin)
    row = not_applicable_save(
        item=item, unit=other_unit, reason="Không có đơn vị sự nghiệp", actor=body_admin
    )

    assert row.pk and AuditEvent.objects.filter(action="not_applicable_saved").count() == 1
    assert changes == [dossier.period_id]


def test_a_period_wide_exemption_of_a_set_with_a_published_unit_is_refused(published, body_admin):
    item = appraisal_items(published[0].criteria_set)[0]
    with pytest.raises(ResultsFrozen, match=FROZEN):
        not_applicable_save(item=item, unit=None, reason="Không khảo sát DDCI", actor=body_admin)


def test_an_existing_exemption_cannot_be_removed_or_moved_after_publication(
    published, unit, other_unit, body_admin
):
    item = appraisal_items(published[0].criteria_set)[0]
    row = NotApplicableItem.objects.create(item=item, unit=unit, reason="Cũ")

    with pytest.raises(ResultsFrozen):
        not_applicable_delete(row=row, actor=body_admin)
    with pytest.raises(ResultsFrozen):  # moving it to another unit changes the published unit too
        not_applicable_save(row=row, item=item, unit=other_unit, reason="Cũ", actor=body_admin)
    assert NotApplicableItem.objects.get(pk=row.pk).unit == unit


def test_once_reopened_the_units_exemption_may_be_corrected(published, unit, body_admin, changes):
    dossier = published[0]
    item = appraisal_items(dossier.criteria_set)[0]
    row = NotApplicableItem.objects.create(item=item, unit=unit, reason="Nhầm")
    assessment_reopen(assessment=dossier, reason="Miễn trừ nhầm tiêu chí", actor=body_admin)

    not_applicable_delete(row=row, actor=body_admin)

    assert not NotApplicableItem.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(action="not_applicable_deleted").exists()
    assert dossier.period_id in changes


def test_replacing_a_criteria_set_with_a_published_unit_is_refused(body, departments, unit, changes):
    period = PeriodFactory(body=body, year=2025)
    criteria_set = services.criteria_set_import(
        period=period, unit_group=departments, workbook_file=good_workbook(), name="Bộ 2025"
    )
    assert changes == [period.pk]
    submitted_assessment(unit=unit, period=period, criteria_set=criteria_set, status=Status.PUBLISHED)

    with pytest.raises(services.CriteriaImportError) as error:
        services.criteria_set_import(
            period=period, unit_group=departments, workbook_file=good_workbook(), name="Bộ mới", replace=True
        )
    assert FROZEN in str(error.value.errors[0].message)


def test_cloning_into_a_published_year_is_refused(published, body):
    source = PeriodFactory(body=body, year=2025)
    with pytest.raises(services.CriteriaCloneError, match=FROZEN):
        services.criteria_set_clone(source_period=source, target_period=published[0].period)


# --- the admin --------------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="superadmin", is_staff=True, is_superuser=True))
    return client


def test_admin_refuses_an_exemption_of_a_published_unit_with_the_message(superuser_client, published, unit):
    item = appraisal_items(published[0].criteria_set)[0]
    response = superuser_client.post(
        reverse("admin:scoring_notapplicableitem_add"),
        {"item": item.pk, "unit": unit.pk, "reason": "Không có"},
    )
    assert response.status_code == 200
    assert FROZEN in response.content.decode()
    assert not NotApplicableItem.objects.exists()


def test_admin_saves_an_exemption_through_the_service(superuser_client, published, other_unit):
    item = appraisal_items(published[0].criteria_set)[0]
    response = superuser_client.post(
        reverse("admin:scoring_notapplicableitem_add"),
        {"item": item.pk, "unit": other_unit.pk, "reason": "Không có"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="not_applicable_saved").exists()


def test_admin_refuses_deleting_an_exemption_of_a_published_unit(superuser_client, published, unit):
    row = NotApplicableItem.objects.create(
        item=appraisal_items(published[0].criteria_set)[0], unit=unit, reason="x"
    )
    response = superuser_client.post(
        reverse("admin:scoring_notapplicableitem_delete", args=[row.pk]), {"post": "yes"}, follow=True
    )
    assert FROZEN in response.content.decode()
    assert NotApplicableItem.objects.filter(pk=row.pk).exists()
    changelist = superuser_client.get(reverse("admin:scoring_notapplicableitem_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_admin_refuses_editing_an_item_of_a_published_set(superuser_client, published):
    item = appraisal_items(published[0].criteria_set)[0]
    url = reverse("admin:scoring_criteriaitem_change", args=[item.pk])
    data = {
        "criteria_set": item.criteria_set_id, "parent": item.parent_id or "", "level": item.level, "code": item.code,
        "name": item.name, "guidance": item.guidance, "max_points": "2.00", "step": item.step, "method": item.method,
        "order": item.order,
    }  # fmt: skip
    # Items are read-only in the admin: they are edited on the set's page, with the workbook's checks.
    response = superuser_client.post(url, data)
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.max_points == Decimal("1.00")


def test_admin_refuses_moving_a_published_unit_to_another_group(superuser_client, published, unit, body):
    districts = UnitGroupFactory(body=body, code="huyen", name="UBND huyện", order=2)
    url = reverse("admin:scoring_unit_change", args=[unit.pk])
    data = {"body": body.pk, "code": unit.code, "name": unit.name, "group": districts.pk, "order": unit.order}
    response = superuser_client.post(url, data)
    assert response.status_code == 200 and FROZEN in response.content.decode()

    renamed = superuser_client.post(url, data | {"group": unit.group_id, "name": "Sở Nội vụ tỉnh"})
    assert renamed.status_code == 302


def test_admin_refuses_changing_the_bands_of_a_published_period(superuser_client, published):
    period = published[0].period
    bands = list(period.bands.order_by("-min_index"))
    data = {
        "body": period.body_id, "year": period.year,
        "bands-TOTAL_FORMS": len(bands), "bands-INITIAL_FORMS": len(bands),
        "bands-MIN_NUM_FORMS": 0, "bands-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for n, band in enumerate(bands):
        data |= {
            f"bands-{n}-id": band.pk, f"bands-{n}-period": period.pk, f"bands-{n}-code": band.code,
            f"bands-{n}-label": band.label, f"bands-{n}-min_index": str(band.min_index + (1 if n == 0 else 0)),
        }  # fmt: skip
    response = superuser_client.post(reverse("admin:scoring_period_change", args=[period.pk]), data)
    assert response.status_code == 200 and FROZEN in response.content.decode()


# --- imported results over a period published by decision ----------------------------------------------------


def test_imported_results_never_publish_over_a_year_published_by_decision(body, unit, other_unit, body_admin):
    dossier = submitted_assessment(unit=unit, status=Status.COUNCIL_APPROVED)
    set_status(submitted_assessment(unit=other_unit, period=dossier.period), Status.COUNCIL_APPROVED)
    period_publish(
        period=dossier.period,
        number="QĐ 1",
        signed_on=date(2027, 3, 15),
        signer="A",
        file=None,
        actor=body_admin,
    )
    row = PublishedRow(
        line=2, year=2026, group=unit.group.name, unit_name="Sở Y tế", unit_code="so-y-te",
        appraisal_points=Decimal("60"), survey_points=Decimal("20"), max_points=Decimal("100"),
    )  # fmt: skip

    with pytest.raises(PublishedResultsImportError) as error:
        report_services.published_results_import(body=body, rows=[row], actor=body_admin)
    assert "QĐ 1" in str(error.value.errors[0].message)
