"""The demo data the browser test of every page opens its pages over (tests/browser/every_page.py lists them).

Loading the Lai Châu demo takes 15-30 s; the test is split into several items (so that pytest-xdist can
spread them), and each would load it again. `DemoSnapshot` loads it once per process and copies the database
(and the uploaded files) aside; each later item restores that copy in a fraction of a second.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.browser.every_page import ADMIN, OFFICER


class DemoPages:
    """The demo's objects that page arguments point at, looked up once each."""

    def __init__(self, body) -> None:
        from scoring.models import Period

        self.body = body
        self.period = Period.objects.get(body=body, year=2026)
        self._cache: dict[tuple, Any] = {}

    def _once(self, key: tuple, get: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = get()
        return self._cache[key]

    def unit(self, code: str):
        from scoring.models import Unit

        return self._once(("unit", code), lambda: Unit.objects.get(body=self.body, code=code))

    def user(self, username: str):
        from scoring.models import User

        return self._once(("user", username), lambda: User.objects.get(username=username))

    def assessment(self, unit_code: str):
        from scoring.models import Assessment

        return self._once(
            ("assessment", unit_code),
            lambda: Assessment.objects.get(period=self.period, unit__code=unit_code, unit__body=self.body),
        )

    def scored_item(self, unit_code: str):
        from scoring.models import SelfScore

        return SelfScore.objects.filter(assessment=self.assessment(unit_code)).order_by("pk").first().item

    def appraised_item(self, unit_code: str):
        from appraisal.models import ItemAppraisal

        return ItemAppraisal.objects.filter(assessment=self.assessment(unit_code)).order_by("pk").first().item

    @property
    def criteria_set(self):
        return self.assessment("so-noi-vu").criteria_set

    @property
    def criteria_version(self):
        from scoring.models import CriteriaSetVersion

        return self._once(
            ("criteria_version",),
            lambda: (
                CriteriaSetVersion.objects.filter(criteria_set__period=self.period).order_by("pk").first()
            ),
        )

    @property
    def unit_kind(self):
        from scoring.models import UnitKind

        return self._once(
            ("unit_kind",), lambda: UnitKind.objects.filter(body=self.body).order_by("pk").first()
        )

    @property
    def decision(self):
        from reports.models import PublicationDecision

        return PublicationDecision.objects.filter(period__body=self.body).order_by("pk").first()

    @property
    def target_year(self) -> int:
        from reports.models import FieldTarget

        return FieldTarget.objects.filter(body=self.body).order_by("year").first().year

    @property
    def plan_action(self):
        from reports.models import RecoveryAction

        return RecoveryAction.objects.filter(body=self.body).order_by("pk").first()

    @property
    def survey_item(self):
        from scoring.models import CriteriaItem
        from scoring.models.evaluation import Method

        items = CriteriaItem.objects.filter(criteria_set=self.criteria_set, method=Method.SURVEY)
        return items.order_by("pk").first()

    @property
    def ballot(self):
        from surveys.models import Ballot

        return Ballot.objects.filter(period=self.period).order_by("pk").first()

    def _job(self, kind: str, **values):
        from scoring.models import Job

        return self._once(
            ("job", kind),
            lambda: Job.objects.create(
                body=self.body,
                kind=kind,
                requested_by=self.user(ADMIN),
                status=Job.Status.SUCCEEDED,
                progress=100,
                **values,
            ),
        )

    @property
    def import_job(self):
        from reports.published.selectors import IMPORT_KIND

        return self._job(IMPORT_KIND, original_filename="ket-qua-2020.csv", summary={})

    @property
    def report_job(self):
        return self._job("rankings", format="xlsx", period=self.period, year=self.period.year)

    @property
    def ballots_job(self):
        from surveys.ballot_import.services import BALLOT_IMPORT_KIND

        return self._job(BALLOT_IMPORT_KIND, period=self.period, original_filename="phieu.xlsx")

    def reset_link_kwargs(self) -> dict:
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        user = self.user(OFFICER)
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }


def demo_complete(body) -> None:
    """Add to the demo what some pages need and the demo lacks: a kind of unit, and a saved version of the
    districts' criteria set (not the departments' set, whose pages other visits open at its first version)."""
    from unittest import mock

    from reports.demo.data import DISTRICTS_GROUP
    from scoring.evaluation.editing import services as editing_services
    from scoring.models import CriteriaSet, UnitKind, User
    from scoring.units.services import unit_kind_create

    admin = User.objects.get(username=ADMIN)
    if not UnitKind.objects.filter(body=body).exists():
        unit_kind_create(actor=admin, body=body, code="so-nganh", name="Sở, ban, ngành")
    districts = CriteriaSet.objects.filter(
        period__body=body, period__year=2026, unit_group__code=DISTRICTS_GROUP[0], versions__isnull=True
    )
    # The demo publishes 2026 in one go, and a published year's sets refuse new versions: this one stands for
    # a version saved before publication, so the freeze is lifted for it alone.
    with mock.patch.object(editing_services.frozen_guards, "criteria_set_check"):
        for criteria_set in districts:
            editing_services.criteria_set_version_create(
                criteria_set=criteria_set, reason="Sửa hướng dẫn chấm", actor=admin
            )


class DemoSnapshot:
    """The completed demo of this process, loaded by the first item that asks and restored for the others.

    Each item runs in a transactional test (pytest-django gives one to every test of the live server), which
    empties the database when it ends; the copy is taken on SQLite (the suite's database, in memory and shared
    with the live server's thread) with its backup API. On another database (PostgreSQL, `make test-integration`)
    the demo is loaded for every item: a copy through Django's serializers takes about as long to put back.
    """

    def __init__(self, media_copy: Path) -> None:
        self._database: sqlite3.Connection | None = None
        self._media_copy = media_copy
        self._body_pk: int | None = None

    def body(self):
        from django.conf import settings
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        from scoring.models import EvaluatingBody

        media = Path(settings.MEDIA_ROOT)
        if self._database is not None:
            connection.ensure_connection()
            self._database.backup(connection.connection)
            # The emptied database's content types were made again with other ids; the copy has the old ones.
            ContentType.objects.clear_cache()
            if self._media_copy.exists():
                shutil.copytree(self._media_copy, media, dirs_exist_ok=True)
            return EvaluatingBody.objects.get(pk=self._body_pk)

        from reports.demo.load import demo_load

        body = demo_load().body
        demo_complete(body)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self._database = sqlite3.connect(":memory:")
            connection.connection.backup(self._database)
            if media.exists():
                shutil.copytree(media, self._media_copy, dirs_exist_ok=True)
            self._body_pk = body.pk
        return body

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
