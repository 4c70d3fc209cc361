"""Who sees what, over HTTP: appraisers see their assignments only; drafts stay on their author's side.

Every page, download, history and API URL of one dossier is fetched by each persona. An appraiser without an
assignment gets 404 everywhere (the dossier does not exist for them); round 1 before it is sent is seen only by
the appraisers' side (the body administrator, the appraisers assigned to the dossier); the unit's explanation
before its head submits it only by the unit's officers and head.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.results.selectors import lost_items
from scoring.models import Evidence, EvidenceStage
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, assign, assigned_appraiser_for, set_status, submitted_assessment
from tests.appraisal.view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    HX,
    assessment_fixture,
    explanation_save_url,
    items_fixture,
    login,
    save_url,
)
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_api_helpers import LIST_URL, api_client, api_url
from tests.scoring.factories import UnitFactory, UserFactory

ROUND1_DRAFT = "Nhận xét nháp vòng 1 chưa gửi"
EXPLANATION_DRAFT = "Giải trình nháp chưa gửi"
STAFF = ["body_admin", "council_member", "viewer", "colleague"]


@pytest.fixture
def author(assessment):
    """An appraiser assigned to the whole unit: writes round 1."""
    return assigned_appraiser_for(assessment, username="td-tac-gia")


@pytest.fixture
def colleague(assessment):
    """Another appraiser of the same dossier, assigned to field 1 (every unit of the period)."""
    return assigned_appraiser_for(assessment, username="td-dong-nghiep", field_code="1")


def _self_evidence(assessment, item) -> Evidence:
    evidence = Evidence(
        assessment=assessment,
        original_name="ke-hoach.pdf",
        content_type="application/pdf",
        size=len(samples.PDF),
        sha256="a" * 64,
    )
    evidence.file.save("ke-hoach.pdf", SimpleUploadedFile("ke-hoach.pdf", samples.PDF), save=False)
    evidence.save()
    evidence.items.set([item])
    return evidence


def _pages(assessment, item) -> dict[str, str]:
    """Every page of the dossier that shows appraisal or explanation content, by name."""
    return {
        "scoring sheet": reverse("assessment:sheet", args=[assessment.pk]),
        "evidence list": reverse("assessment:evidence_list", args=[assessment.pk]),
        "history": reverse("assessment:history", args=[assessment.pk]),
        "item history": f"{reverse('assessment:history', args=[assessment.pk])}?item={item.code}",
        "appraisal sheet": reverse("appraisal:sheet", args=[assessment.pk]),
        "appraisal item history": reverse("appraisal:history", args=[assessment.pk, item.pk]),
        "explanation page": reverse("appraisal:explanation", args=[assessment.pk]),
    }


def _download(client, url) -> int:
    """Return the status of a file download, its content read to the end (which closes it as a server would)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def _text(client, url) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


# --- an appraiser sees only the dossiers assigned to them -----------------------------------------------


def test_an_appraiser_without_assignment_gets_404_on_every_url_of_the_dossier(
    client, appraiser, assessment, items
):
    self_file = _self_evidence(assessment, items[0])
    set_status(assessment, Status.ROUND_2)
    login(client, appraiser)

    for name, url in _pages(assessment, items[0]).items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("assessment:evidence_download", args=[self_file.pk])).status_code == 404
    api = api_client(appraiser)
    assert api.get(api_url("assessment-detail-api", assessment.pk)).status_code == 404
    assert api.get(api_url("assessment-evidence-api", assessment.pk)).status_code == 404
    assert api.get(api_url("evidence-download-api", self_file.pk)).status_code == 404
    assert api.get(LIST_URL).json() == []
    assert assessment.unit.name not in _text(client, reverse("appraisal:list"))


@pytest.mark.parametrize("field_code", ["", "1"], ids=["whole unit", "field 1"])
def test_an_assigned_appraiser_opens_the_dossier_its_files_history_and_api(
    client, assessment, items, field_code
):
    self_file = _self_evidence(assessment, items[0])
    set_status(assessment, Status.ROUND_2)
    user = assigned_appraiser_for(assessment, field_code=field_code)
    login(client, user)

    for name, url in _pages(assessment, items[0]).items():
        assert client.get(url, follow=True).status_code == 200, name
    assert _download(client, reverse("assessment:evidence_download", args=[self_file.pk])) == 200
    api = api_client(user)
    assert api.get(api_url("assessment-detail-api", assessment.pk)).status_code == 200
    assert [e["id"] for e in api.get(api_url("assessment-evidence-api", assessment.pk)).json()] == [
        self_file.pk
    ]
    assert [row["id"] for row in api.get(LIST_URL).json()] == [assessment.pk]


def test_an_appraiser_assigned_to_one_unit_does_not_open_another(client, assessment, other_unit, appraiser):
    other = submitted_assessment(unit=other_unit, period=assessment.period)
    assign(appraiser, other_unit, period=assessment.period)
    login(client, appraiser)

    assert client.get(reverse("assessment:sheet", args=[other.pk])).status_code == 200
    assert client.get(reverse("assessment:sheet", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("appraisal:sheet", args=[assessment.pk])).status_code == 404


# --- round 1 before it is sent: the appraisers' side only -----------------------------------------------


@pytest.fixture
def round1_draft(client, assessment, items, author):
    """Round 1 open, with the author's comment saved through the page (so the audit trail records it)."""
    set_status(assessment, Status.ROUND_1)
    response = login(client, author).post(
        save_url(assessment, items[0]),
        {"points": "0,5", "comment": ROUND1_DRAFT, "needs_explanation": "1", "version": "0"},
        **HX,
    )
    assert response.status_code == 200, response.content.decode()
    client.logout()
    return assessment


@pytest.mark.parametrize(
    ("persona", "sees_draft"),
    [
        ("author", True),
        ("colleague", True),
        ("body_admin", True),
        ("council_member", False),
        ("viewer", False),
        ("unit_officer", False),
        ("unit_head", False),
    ],
)
def test_round_1_before_it_is_sent_is_on_the_appraisers_side_only(
    client, request, round1_draft, items, persona, sees_draft
):
    login(client, request.getfixturevalue(persona))
    pages = _pages(round1_draft, items[0])

    if sees_draft:
        for name in ("history", "item history", "appraisal sheet", "appraisal item history"):
            assert ROUND1_DRAFT in _text(client, pages[name]), name
    else:
        for name, url in pages.items():
            assert ROUND1_DRAFT not in _text(client, url), name

    set_status(round1_draft, Status.EXPLANATION)  # sent to the unit: everyone of the dossier sees it
    for url in (
        reverse("assessment:history", args=[round1_draft.pk]),
        reverse("appraisal:history", args=[round1_draft.pk, items[0].pk]),
    ):
        assert ROUND1_DRAFT in _text(client, url)


def test_an_unassigned_appraiser_never_reads_another_appraisers_round_1(
    client, round1_draft, items, appraiser
):
    login(client, appraiser)
    for name, url in _pages(round1_draft, items[0]).items():
        assert client.get(url).status_code == 404, name
    set_status(round1_draft, Status.EXPLANATION)
    assert client.get(reverse("assessment:history", args=[round1_draft.pk])).status_code == 404


def test_unsent_round_1_comments_stay_out_of_the_reports(round1_draft, items):
    # The unit lost points on the item by its own score: the report lists it, quoting no draft comment.
    round1_draft.scores.filter(item=items[0]).update(points=Decimal("0.25"))

    def comments():
        return [i.comment for i in lost_items(period=round1_draft.period).get(round1_draft.unit_id, [])]

    assert ROUND1_DRAFT not in comments()
    set_status(round1_draft, Status.EXPLANATION)
    assert ROUND1_DRAFT in comments()


# --- the explanation before its head submits it: the unit's side only -----------------------------------


@pytest.fixture
def explanation_draft(client, assessment, items, author, unit_officer):
    """The unit explaining item 1: a text and a supplementary file saved through its page."""
    appraise(assessment=assessment, item=items[0], points=None, needs_explanation=True, by=author)
    set_status(assessment, Status.EXPLANATION)
    login(client, unit_officer)
    saved = client.post(
        explanation_save_url(assessment, items[0]), {"text": EXPLANATION_DRAFT, "version": "0"}
    )
    assert saved.status_code == 302
    upload = SimpleUploadedFile("bo-sung-nhap.pdf", samples.PDF, "application/pdf")
    uploaded = client.post(
        reverse("appraisal:explanation_upload", args=[assessment.pk, items[0].pk]), {"files": [upload]}, **HX
    )
    assert uploaded.status_code == 200, uploaded.content.decode()
    client.logout()
    return assessment


def _explanation_file(assessment) -> Evidence:
    return assessment.evidence.get(stage=EvidenceStage.EXPLANATION)


def _sees_the_explanation(client, user, assessment, item) -> dict[str, bool]:
    """Return, per page, download and API, whether the user sees the explanation's text or its file."""
    login(client, user)
    seen = {}
    for name, url in _pages(assessment, item).items():
        html = _text(client, url)
        seen[name] = EXPLANATION_DRAFT in html or "bo-sung-nhap.pdf" in html
    file = _explanation_file(assessment)
    seen["download"] = _download(client, reverse("assessment:evidence_download", args=[file.pk])) == 200
    api = api_client(user)
    listed = api.get(api_url("assessment-evidence-api", assessment.pk)).json()
    seen["api evidence"] = file.pk in {e["id"] for e in listed}
    seen["api download"] = _download(api, api_url("evidence-download-api", file.pk)) == 200
    client.logout()
    return seen


# The pages where the explanation or its file appears to someone who may see it.
SHOWN_ON = {"evidence list", "history", "item history", "appraisal item history", "download", "api evidence"}
SHOWN_ON |= {"api download", "explanation page"}


@pytest.mark.parametrize("persona", STAFF + ["author"])
def test_the_explanation_draft_is_hidden_from_staff_council_and_appraisers_until_submitted(
    client, request, explanation_draft, items, unit_head, persona
):
    user = request.getfixturevalue(persona)

    before = _sees_the_explanation(client, user, explanation_draft, items[0])
    assert not any(before.values()), before

    login(client, unit_head).post(
        reverse("appraisal:explanation_submit", args=[explanation_draft.pk]), {"confirmed": "1"}
    )
    explanation_draft.refresh_from_db()
    assert explanation_draft.status == Status.ROUND_2
    after = _sees_the_explanation(client, user, explanation_draft, items[0])
    assert {name for name, seen in after.items() if seen} >= SHOWN_ON - {"explanation page"}
    assert after["appraisal sheet"]


@pytest.mark.parametrize("persona", ["unit_officer", "unit_head"])
def test_the_unit_sees_its_own_explanation_draft(client, request, explanation_draft, items, persona):
    seen = _sees_the_explanation(client, request.getfixturevalue(persona), explanation_draft, items[0])

    assert {name for name, shown in seen.items() if shown} >= SHOWN_ON


def test_the_audit_log_and_its_export_leave_the_draft_out_until_submitted(
    client, explanation_draft, body_admin, unit_head
):
    login(client, body_admin)
    log_url = reverse("audit:log")
    export_url = reverse("audit:log_export")
    assert EXPLANATION_DRAFT not in _text(client, log_url)
    assert EXPLANATION_DRAFT not in client.get(export_url, {"format": "csv"}).content.decode()

    login(client, unit_head).post(
        reverse("appraisal:explanation_submit", args=[explanation_draft.pk]), {"confirmed": "1"}
    )
    login(client, body_admin)
    assert EXPLANATION_DRAFT in _text(client, log_url)
    assert EXPLANATION_DRAFT in client.get(export_url, {"format": "csv"}).content.decode()


# --- list pages keep a fixed number of queries ----------------------------------------------------------


@pytest.mark.parametrize("url_name", ["assessment:list", "appraisal:list"])
def test_an_appraisers_lists_do_not_grow_in_queries_with_the_dossiers(
    client, body, departments, assessment, colleague, django_assert_max_num_queries, url_name
):
    login(client, colleague)  # field 1: every dossier of the period
    url = reverse(url_name)
    counts = []
    for extra in (1, 10):
        for _ in range(extra):
            submitted_assessment(unit=UnitFactory(body=body, group=departments), period=assessment.period)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- the matrix: every persona × every URL of one dossier -----------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def other_unit_appraiser(assessment, other_unit):
    """An appraiser of the body assigned to Sở Tư pháp only (other_officer: tests/scoring/dossier_fixtures.py)."""
    return assigned_appraiser_for(assessment, username="td-stp", unit=other_unit)


SEES_THE_DOSSIER = {
    "body_admin": True,
    "council_member": True,
    "viewer": True,
    "author": True,
    "colleague": True,
    "superuser": True,
    "unit_officer": True,
    "unit_head": True,
    "appraiser": False,
    "other_unit_appraiser": False,
    "other_officer": False,
    "outsider": False,
}


@pytest.mark.parametrize(("persona", "sees"), SEES_THE_DOSSIER.items(), ids=list(SEES_THE_DOSSIER))
def test_every_persona_gets_the_dossier_or_404_on_every_url(
    client, request, assessment, items, persona, sees
):
    self_file = _self_evidence(assessment, items[0])
    set_status(assessment, Status.ROUND_2)
    user = request.getfixturevalue(persona)
    login(client, user)
    api = api_client(user)

    statuses = {
        name: client.get(url, follow=True).status_code for name, url in _pages(assessment, items[0]).items()
    }
    statuses["download"] = _download(client, reverse("assessment:evidence_download", args=[self_file.pk]))
    statuses["api detail"] = api.get(api_url("assessment-detail-api", assessment.pk)).status_code
    statuses["api evidence"] = api.get(api_url("assessment-evidence-api", assessment.pk)).status_code
    statuses["api download"] = _download(api, api_url("evidence-download-api", self_file.pk))

    expected = 200 if sees else 404
    assert statuses == dict.fromkeys(statuses, expected)
    assert (assessment.pk in {row["id"] for row in api.get(LIST_URL).json()}) is sees
