"""Seed a real database file for the simultaneous-saves test (run in a subprocess by `manage.py shell`).

Prints one JSON line: the item-save URL, a logged-in officer's session key and API token, and the item code.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from scoring.models import Method, Role
from tests.scoring.assessment_helpers import assessment_for, build_criteria_set, leaf_items
from tests.scoring.factories import (
    EvaluatingBodyFactory,
    PeriodFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UnitGroupFactory,
    UserFactory,
)


def main() -> None:
    body = EvaluatingBodyFactory(code="lai-chau", name="UBND tỉnh Lai Châu")
    group = UnitGroupFactory(body=body, code="so-ban-nganh", name="Sở, ban, ngành", order=1)
    unit = UnitFactory(body=body, group=group, code="so-noi-vu", name="Sở Nội vụ")
    officer = UserFactory(username="canbo-snv")
    RoleAssignmentFactory(user=officer, body=body, role=Role.UNIT_OFFICER, unit=unit)
    period = PeriodFactory(body=body, year=2026)
    period.self_assessment_deadline = timezone.now() + timedelta(days=10)
    period.save()
    criteria_set = build_criteria_set(period=period, unit_group=group, survey_every=4)
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    item = next(i for i in leaf_items(criteria_set) if i.method != Method.SURVEY)

    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    # The backend that checks passwords and loads users (the first one, django-axes, only counts failures).
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    print(
        json.dumps(
            {
                "save_url": reverse("assessment:item_save", args=[assessment.pk, item.pk]),
                "api_url": reverse("assessment-item-score-api", args=[assessment.pk, item.code]),
                "session": session.session_key,
                "token": Token.objects.create(user=officer).key,
                "code": item.code,
                "item": item.pk,
                "upload_url": reverse("assessment:evidence_upload", args=[assessment.pk]),
                "assessment": assessment.pk,
            }
        )
    )
