"""A zip bomb and a million-row sheet sent to every import page: refused in seconds, with a clear error, nothing saved.

The readers' time and memory are measured in a process of their own in tests/scoring/spreadsheets/test_limits.py;
here the same files go through the pages, the forms and, where the import is a job, the job.
"""

from __future__ import annotations

import html
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import NationalResult, PublishedResult
from scoring.models import CriteriaSet, Job, User
from surveys.models import Ballot, BallotForm, SipasResult
from tests.scoring.factories import PeriodFactory, UserFactory
from tests.scoring.spreadsheets.bombs import many_rows, zip_bomb
from tests.surveys.helpers import survey_period

BOMB = ("giải nén có 300 MB dữ liệu", "nén bất thường")
TOO_LONG = ("Tệp có hơn 20000 dòng",)


@pytest.fixture(scope="module")
def hostile():
    return {"bomb": zip_bomb(megabytes=300), "rows": many_rows(rows=1_000_000)}


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=3)


def _stored() -> tuple[int, ...]:
    models = (CriteriaSet, User, BallotForm, Ballot, SipasResult, PublishedResult, NationalResult)
    return tuple(m.objects.count() for m in models)


def _post(client, url: str, field: str, content: bytes, **data):
    return client.post(url, {field: SimpleUploadedFile("tep.xlsx", content), **data}, follow=True)


# (import, who, expected messages for the zip bomb, for the million rows)
CASES = [
    ("criteria", "body_admin", BOMB, ("Tệp không có trang",)),
    ("users", "superuser", BOMB, ("Tệp lớn hơn",)),  # the admin form takes 2 MB at most
    ("survey_forms", "body_admin", BOMB, ("Thiếu trang “Mẫu phiếu”",)),
    ("ballots", "body_admin", BOMB, ("Thiếu cột bắt buộc",)),
    ("sipas", "body_admin", BOMB, TOO_LONG),
    ("published", "body_admin", BOMB, TOO_LONG),
    ("national", "body_admin", BOMB, TOO_LONG),
]


@pytest.mark.parametrize("kind", ["bomb", "rows"])
@pytest.mark.parametrize(("name", "who", "bomb_says", "rows_say"), CASES)
def test_every_import_page_refuses_hostile_workbooks_quickly_and_saves_nothing(
    client,
    request,
    body,
    departments,
    survey,
    hostile,
    django_capture_on_commit_callbacks,
    name,
    who,
    bomb_says,
    rows_say,
    kind,
):
    if who == "superuser":
        client.force_login(UserFactory(username="quan-tri", is_staff=True, is_superuser=True))
    else:
        client.force_login(request.getfixturevalue(who))
    period = survey.period
    PeriodFactory(body=body, year=2025)
    before = _stored()
    content = hostile[kind]
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        if name == "criteria":
            url = reverse("scoring:criteria_set_import", args=[body.code])
            data = {"year": 2025, "unit_group": departments.pk, "name": "Bộ tiêu chí"}
            response = _post(client, url, "workbook", content, **data)
        elif name == "users":
            response = _post(client, reverse("admin:scoring_user_import"), "file", content)
        elif name == "survey_forms":
            response = _post(client, reverse("surveys:forms_import", args=[period.pk]), "workbook", content)
        elif name == "ballots":
            response = _post(client, reverse("surveys:ballots_upload", args=[period.pk]), "file", content)
        elif name == "sipas":
            response = _post(client, reverse("surveys:sipas_results", args=[period.pk]), "file", content)
        elif name == "published":
            url = reverse("reports:published_results_import")
            response = _post(client, url, "file", content, year="2020", body=body.code)
        else:
            url = f"{reverse('reports:province_import')}?body={body.code}"
            response = _post(client, url, "file", content)
    seconds = time.perf_counter() - started
    shown = html.unescape(response.content.decode()) + " ".join(str(j.errors) for j in Job.objects.all())
    expected = bomb_says if kind == "bomb" else rows_say
    assert any(message in shown for message in expected), f"{name}: none of {expected} shown"
    assert _stored() == before
    assert seconds < 10
