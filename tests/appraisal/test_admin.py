"""The admin edits appraiser assignments (audited) and shows scores, explanations and meetings read-only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from appraisal.models import AppraiserAssignment
from scoring.models import AuditEvent
from tests.appraisal.helpers import appraise, submitted_assessment
from tests.scoring.assessment_helpers import appraisal_items
from tests.scoring.factories import UserFactory


@pytest.fixture
def superadmin(db):
    return UserFactory(username="superadmin", is_staff=True, is_superuser=True)


def test_assignment_added_in_the_admin_is_audited(client, superadmin, unit, appraiser):
    dossier = submitted_assessment(unit=unit)
    client.force_login(superadmin)

    response = client.post(
        reverse("admin:appraisal_appraiserassignment_add"),
        {"period": dossier.period.pk, "appraiser": appraiser.pk, "unit": unit.pk, "field_code": ""},
    )

    assert response.status_code == 302
    assignment = AppraiserAssignment.objects.get()
    event = AuditEvent.objects.get(action="appraiser_assignment_added")
    assert (event.actor, event.unit, event.new_value) == (superadmin, unit, str(assignment))


def test_assignment_to_both_a_unit_and_a_field_is_refused(client, superadmin, unit, appraiser):
    dossier = submitted_assessment(unit=unit)
    client.force_login(superadmin)

    response = client.post(
        reverse("admin:appraisal_appraiserassignment_add"),
        {"period": dossier.period.pk, "appraiser": appraiser.pk, "unit": unit.pk, "field_code": "1"},
    )

    assert response.status_code == 200  # the form again, with the constraint's error
    assert not AppraiserAssignment.objects.exists()


def test_appraised_scores_are_shown_never_edited(client, superadmin, unit):
    dossier = submitted_assessment(unit=unit)
    row = appraise(assessment=dossier, item=appraisal_items(dossier.criteria_set)[0], points=Decimal("0.50"))
    client.force_login(superadmin)

    assert client.get(reverse("admin:appraisal_itemappraisal_changelist")).status_code == 200
    page = client.get(reverse("admin:appraisal_itemappraisal_change", args=[row.pk]))
    assert page.status_code == 200
    assert 'name="points"' not in page.content.decode()
    assert client.get(reverse("admin:appraisal_itemappraisal_add")).status_code == 403
    assert client.get(reverse("admin:appraisal_councilmeeting_add")).status_code == 403
    assert client.get(reverse("admin:appraisal_explanation_add")).status_code == 403
