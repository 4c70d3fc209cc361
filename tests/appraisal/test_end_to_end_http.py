"""One unit from self-assessment to publication, through HTTP only, each step by the persona who takes it.

Set-up that has no page of its own here (the period, its criteria set, the appraiser's assignment) is written
straight; every move of the dossier goes through the pages and the public API, as the users would make it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appraisal.models import CouncilMeeting, Explanation, ItemAppraisal
from reports.models import PublicationDecision, PublishedResult
from scoring.models import Assessment, Evidence, Notification, SelfScore
from scoring.workflow import Status
from tests.appraisal.helpers import assign
from tests.appraisal.view_fixtures import HX, MEETING_DAY, login
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import appraisal_items, build_criteria_set
from tests.scoring.factories import PeriodFactory

YEAR = 2026
DECISION = "Quyết định 345/QĐ-UBND"
PUBLIC_PAGE = f"/cong-khai/lai-chau/{YEAR}/"
RANKINGS_API = f"/api/v1/rankings/?year={YEAR}&body=lai-chau"

SELF_JUSTIFICATION = "Đã ban hành kế hoạch CCHC năm"
ROUND_1_COMMENT = "Kế hoạch ban hành muộn, thiếu quyết định"
EXPLANATION_TEXT = "Đã bổ sung Quyết định số 12/QĐ-SNV ngày 10/01"
ROUND_2_COMMENT = "Chấp nhận một phần giải trình"

# Round 1 gives 0,50 to the first two items (the first flagged for explanation) and the maximum to the rest;
# round 2 raises the flagged item to 0,75. Final: 0,75 + 0,50 + 6 × 1,00 = 7,25 of 8, index 90,625 %, which
# rounds half up to 90,63 (half even would give 90,62).
ROUND_1_LOW = Decimal("0.50")
ROUND_2_POINTS = Decimal("0.75")


@pytest.fixture
def period(body):
    period = PeriodFactory(body=body, year=YEAR)
    period.self_assessment_deadline = timezone.now() + timedelta(days=10)
    period.explanation_deadline = timezone.now() + timedelta(days=20)
    period.save(update_fields=["self_assessment_deadline", "explanation_deadline"])
    return period


@pytest.fixture
def criteria_set(period, departments):
    # 2 fields × 2 criteria × 2 sub-criteria, 1 point each, all appraisal items: a scale of 8 points.
    return build_criteria_set(period=period, unit_group=departments)


def _as(user) -> Client:
    return login(Client(), user)


def _status(assessment: Assessment) -> str:
    assessment.refresh_from_db()
    return assessment.status


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.PDF, content_type="application/pdf")


def _unit_row(response, unit_code: str) -> dict | None:
    return next((r for r in response.json()["results"] if r["unit_code"] == unit_code), None)


@pytest.fixture
def tasks_in_process():
    """Run queued tasks in this process, broker or not: the journey needs no worker of its own."""
    from parindex.celery import app
    from tests.scoring.jobs.broker_fixtures import celery_pointed_at

    with celery_pointed_at(app, task_always_eager=True):
        yield


# Real commits: the live results follow each change through the recompute queued when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_one_unit_goes_from_self_assessment_to_publication_over_http(
    tasks_in_process,
    body,
    unit,
    period,
    criteria_set,
    unit_officer,
    unit_head,
    body_admin,
    appraiser,
    council_member,
):
    items = appraisal_items(criteria_set)
    assert len(items) == 8
    flagged, second, *_rest = items
    officer, head, admin = _as(unit_officer), _as(unit_head), _as(body_admin)
    assessor, anonymous = _as(appraiser), Client()

    # --- self-assessment: the officer opens the dossier, scores every item, attaches evidence ---------------
    response = officer.post(reverse("assessment:start"), {"unit": unit.pk, "period": period.pk})
    assessment = Assessment.objects.get(unit=unit, period=period)
    assert response.status_code == 302 and response.url == reverse("assessment:sheet", args=[assessment.pk])
    assert _status(assessment) == Status.SELF_ASSESSMENT

    upload = officer.post(
        reverse("assessment:evidence_upload", args=[assessment.pk]),
        {"item": flagged.pk, "files": [_pdf("Ke hoach CCHC 2026.pdf")]},
        **HX,
    )
    assert upload.status_code == 200, upload.content.decode()
    assert list(Evidence.objects.get(assessment=assessment).items.all()) == [flagged]

    for item in items:
        # The first item has its file; the others say why there is none.
        reason = "" if item == flagged else "Không phát sinh văn bản trong năm"
        response = officer.post(
            reverse("assessment:item_save", args=[assessment.pk, item.pk]),
            {
                "points": "1,00",
                "justification": SELF_JUSTIFICATION,
                "no_evidence_reason": reason,
                "version": "0",
            },
        )
        assert response.status_code == 302, response.content.decode()
    self_scores = SelfScore.objects.filter(assessment=assessment)
    assert self_scores.count() == 8 and {s.points for s in self_scores} == {Decimal("1.00")}
    assert _status(assessment) == Status.SELF_ASSESSMENT

    # --- the head submits -----------------------------------------------------------------------------------
    response = head.post(reverse("assessment:submit", args=[assessment.pk]))
    assert response.status_code == 302, response.content.decode()
    assert _status(assessment) == Status.SUBMITTED
    assert assessment.submitted_by == unit_head

    # --- the administrator starts round 1 on the appraisal sheet -----------------------------------------------
    assign(appraiser, unit, period=period)
    sheet = reverse("appraisal:sheet", args=[assessment.pk])
    assert "Bắt đầu thẩm định" in admin.get(sheet).content.decode()
    assert admin.post(reverse("appraisal:start", args=[assessment.pk])).status_code == 302
    assert _status(assessment) == Status.ROUND_1

    # --- the assigned appraiser scores every item and flags one ---------------------------------------------
    for item in items:
        data = {"points": "1", "comment": "", "version": "0"}
        if item == flagged:
            data = {"points": "0,50", "comment": ROUND_1_COMMENT, "needs_explanation": "1", "version": "0"}
        elif item == second:
            data = {"points": "0,50", "comment": "Báo cáo chưa đủ số liệu", "version": "0"}
        response = assessor.post(reverse("appraisal:item_save", args=[assessment.pk, item.pk]), data, **HX)
        assert response.status_code == 200, response.content.decode()
    round_1 = ItemAppraisal.objects.filter(assessment=assessment, round=1)
    assert round_1.count() == 8
    assert list(round_1.filter(needs_explanation=True).values_list("item_id", flat=True)) == [flagged.pk]
    assert _status(assessment) == Status.ROUND_1

    # --- the administrator sends round-1 results -------------------------------------------------------------
    confirm = admin.post(reverse("appraisal:send", args=[assessment.pk]))
    assert confirm.status_code == 200 and _status(assessment) == Status.ROUND_1  # asks first
    assert admin.post(reverse("appraisal:send", args=[assessment.pk]), {"confirmed": "1"}).status_code == 302
    assert _status(assessment) == Status.EXPLANATION
    # Both the officer and the head are told, with a link to the explanation page.
    sent = Notification.objects.filter(verb="round1_sent")
    assert {n.user for n in sent} == {unit_officer, unit_head}
    assert {n.url for n in sent} == {reverse("appraisal:explanation", args=[assessment.pk])}
    sheet = officer.get(reverse("assessment:sheet", args=[assessment.pk])).content.decode()
    assert 'data-testid="explanation-link">Giải trình</a>' in sheet

    # --- the unit explains the flagged item; the head submits the explanation --------------------------------
    page = officer.get(reverse("appraisal:explanation", args=[assessment.pk])).content.decode()
    assert ROUND_1_COMMENT in page
    response = officer.post(
        reverse("appraisal:explanation_save", args=[assessment.pk, flagged.pk]),
        {"text": EXPLANATION_TEXT, "version": "0"},
        **HX,
    )
    assert response.status_code == 200, response.content.decode()
    assert Explanation.objects.get(assessment=assessment, item=flagged).text == EXPLANATION_TEXT
    assert _status(assessment) == Status.EXPLANATION

    confirm = head.post(reverse("appraisal:explanation_submit", args=[assessment.pk]))
    assert confirm.status_code == 200 and _status(assessment) == Status.EXPLANATION  # asks first
    submit = head.post(reverse("appraisal:explanation_submit", args=[assessment.pk]), {"confirmed": "1"})
    assert submit.status_code == 302
    assert _status(assessment) == Status.ROUND_2

    # --- the appraiser re-scores the flagged item in round 2 ---------------------------------------------------
    response = assessor.post(
        reverse("appraisal:item_save", args=[assessment.pk, flagged.pk]),
        {"points": "0,75", "comment": ROUND_2_COMMENT, "version": "0"},
        **HX,
    )
    assert response.status_code == 200, response.content.decode()
    round_2 = ItemAppraisal.objects.get(assessment=assessment, item=flagged, round=2)
    assert round_2.points == ROUND_2_POINTS
    assert _status(assessment) == Status.ROUND_2

    # --- the administrator records the council meeting approving the unit ------------------------------------
    response = admin.post(
        reverse("appraisal:council", args=[period.pk]),
        {
            "held_on": MEETING_DAY,
            "members": [council_member.pk],
            "minutes": _pdf("bien-ban-hop-hoi-dong.pdf"),
            "note": "",
            f"decision-{assessment.pk}": "approve",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert CouncilMeeting.objects.filter(period=period).count() == 1
    assert _status(assessment) == Status.COUNCIL_APPROVED
    approved = Notification.objects.filter(verb="council_approved")
    assert {n.user for n in approved} == {unit_officer, unit_head}

    # --- the expected index, from the final appraised points (round 2 over round 1) --------------------------
    final_by_item = dict(round_1.values_list("item_id", "points"))
    final_by_item[flagged.pk] = round_2.points
    final_points = sum(final_by_item.values(), Decimal(0))
    max_scale = sum((i.max_points for i in items), Decimal(0))
    assert (final_points, max_scale) == (Decimal("7.25"), Decimal("8.00"))
    expected_index = (final_points / max_scale * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert expected_index == Decimal("90.63")

    # --- before publication: nothing for the public, live results for the body's staff -----------------------
    response = anonymous.get(RANKINGS_API)
    assert response.status_code == 404
    assert unit.code not in response.content.decode()
    assert anonymous.get(PUBLIC_PAGE).status_code == 404

    live = admin.get(RANKINGS_API)
    assert live.status_code == 200
    assert live.json()["published"] is False
    row = _unit_row(live, unit.code)
    assert row is not None
    assert row["published"] is False
    assert Decimal(row["index_pct"]) == expected_index

    # --- the administrator publishes with the decision -----------------------------------------------------
    response = admin.post(
        reverse("reports:publication_publish", kwargs={"period_id": period.pk}),
        {
            "number": DECISION,
            "signed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "signer": "Chủ tịch UBND tỉnh Lai Châu",
            "file": _pdf("qd-345.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    decision = PublicationDecision.objects.get(period=period)
    assert decision.number == DECISION
    assert _status(assessment) == Status.PUBLISHED
    published = PublishedResult.objects.get(period=period, unit=unit)
    assert (published.appraisal_points, published.max_points) == (final_points, max_scale)

    # --- after publication: the public page and the public API ---------------------------------------------
    assert reverse("public_rankings:period", kwargs={"body": body.code, "year": YEAR}) == PUBLIC_PAGE
    response = anonymous.get(PUBLIC_PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-unit="{unit.code}"' in html and unit.name in html
    assert DECISION in html

    response = anonymous.get(RANKINGS_API)
    assert response.status_code == 200
    data = response.json()
    assert (data["published"], data["publication_decision"]) == (True, DECISION)
    row = _unit_row(response, unit.code)
    assert row is not None
    assert row["published"] is True
    assert (Decimal(row["appraisal_points"]), Decimal(row["max_points"])) == (final_points, max_scale)
    assert row["index_pct"] == f"{expected_index:f}"

    # --- the item's history: self | round 1 | explanation | round 2 | final ----------------------------------
    response = admin.get(reverse("appraisal:history", args=[assessment.pk, flagged.pk]))
    assert response.status_code == 200
    history = response.content.decode()
    history = history[history.index('data-testid="history"') :]
    in_order = [
        "Tự chấm",
        SELF_JUSTIFICATION,
        "Vòng 1",
        ROUND_1_COMMENT,
        "Giải trình",
        EXPLANATION_TEXT,
        "Vòng 2",
        ROUND_2_COMMENT,
        "Kết quả cuối",
        'data-testid="final">0,75<',
    ]
    cursor = 0
    for text in in_order:
        # Each piece after the one before it: the columns stand in the order of the dossier's life.
        cursor = history.index(text, cursor)
    for shown in ("1,00", "0,50", "0,75"):
        assert shown in history
