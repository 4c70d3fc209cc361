"""HTTP tests of the steps that ask first: bulk actions that would replace what a person entered, sending round 1,
submitting the explanation. Nothing is replaced or sent without the explicit second POST."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from appraisal.models import ItemAppraisal
from scoring.workflow import Status
from tests.appraisal.helpers import appraise, appraise_all, explain, set_status
from tests.appraisal.view_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    assessment_fixture,
    assigned_fixture,
    explaining_fixture,
    items_fixture,
    login,
)


def _accept_url(assessment):
    return reverse("appraisal:accept", args=[assessment.pk])


def _row(assessment, item):
    return ItemAppraisal.objects.get(assessment=assessment, item=item, round=1)


# --- bulk accept ----------------------------------------------------------------------------------------


def test_bulk_accept_keeps_a_lowered_item_and_lists_it_for_confirmation(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    appraise(
        assessment=assessment,
        item=items[0],
        points=Decimal("0.25"),
        comment="Thiếu số liệu",
        needs_explanation=True,
        by=assigned,
    )

    response = login(client, assigned).post(_accept_url(assessment), {"items": [i.pk for i in items]})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="bulk-confirm"' in html
    assert f"Đã chấp nhận điểm tự chấm của {len(items) - 1} tiêu chí chưa thẩm định." in html
    assert f'data-testid="held-{items[0].code}"' in html
    assert "0,25" in html and "1,00" in html  # current appraised value and the self-score
    assert f'name="version-{items[0].pk}" value="1"' in html
    row = _row(assessment, items[0])
    assert (row.points, row.comment, row.needs_explanation) == (Decimal("0.25"), "Thiếu số liệu", True)
    assert ItemAppraisal.objects.filter(assessment=assessment, round=1, points=Decimal("1.00")).count() == (
        len(items) - 1
    )


def test_bulk_accept_replaces_only_the_items_confirmed_in_the_second_post(
    client, assigned, assessment, items
):
    set_status(assessment, Status.ROUND_1)
    appraise(assessment=assessment, item=items[0], points=Decimal("0.25"), by=assigned)
    appraise(assessment=assessment, item=items[1], points=Decimal("0.50"), by=assigned)
    login(client, assigned)

    response = client.post(
        _accept_url(assessment),
        {
            "confirm": "1",
            "overwrite": [items[0].pk],
            f"version-{items[0].pk}": "1",
            f"version-{items[1].pk}": "1",
        },
        follow=True,
    )

    assert "Đã thay điểm thẩm định của 1 tiêu chí bằng điểm tự chấm" in response.content.decode()
    assert _row(assessment, items[0]).points == Decimal("1.00")
    assert _row(assessment, items[1]).points == Decimal("0.50")


def test_bulk_accept_confirmation_of_an_item_saved_since_does_not_replace_it(
    client, assigned, assessment, items
):
    set_status(assessment, Status.ROUND_1)
    row = appraise(assessment=assessment, item=items[0], points=Decimal("0.25"), by=assigned)
    ItemAppraisal.objects.filter(pk=row.pk).update(points=Decimal("0.50"), version=2)  # a colleague saved

    response = login(client, assigned).post(
        _accept_url(assessment),
        {"confirm": "1", "overwrite": [items[0].pk], f"version-{items[0].pk}": "1"},
        follow=True,
    )

    assert f"Tiêu chí {items[0].code} vừa được lưu lại sau khi bạn xác nhận" in response.content.decode()
    assert (_row(assessment, items[0]).points, _row(assessment, items[0]).version) == (Decimal("0.50"), 2)


def test_bulk_confirmation_without_a_choice_replaces_nothing(client, assigned, assessment, items):
    set_status(assessment, Status.ROUND_1)
    appraise(assessment=assessment, item=items[0], points=Decimal("0.25"), by=assigned)

    response = login(client, assigned).post(_accept_url(assessment), {"confirm": "1"}, follow=True)

    assert "các giá trị đã nhập được giữ nguyên" in response.content.decode()
    assert _row(assessment, items[0]).points == Decimal("0.25")


# --- bulk flag of items without evidence ----------------------------------------------------------------


def test_flag_missing_evidence_lists_items_appraised_without_the_flag_and_flags_them_only_when_chosen(
    client, assigned, assessment, items
):
    set_status(assessment, Status.ROUND_1)
    appraise(assessment=assessment, item=items[0], points=Decimal("1.00"), by=assigned)
    url = reverse("appraisal:flag_missing", args=[assessment.pk])
    login(client, assigned)

    response = client.post(url)

    html = response.content.decode()
    assert response.status_code == 200 and f'data-testid="held-{items[0].code}"' in html
    assert f"Đã đánh dấu {len(items) - 1} tiêu chí thiếu tài liệu kiểm chứng." in html
    assert _row(assessment, items[0]).needs_explanation is False

    client.post(url, {"confirm": "1", "overwrite": [items[0].pk], f"version-{items[0].pk}": "1"})

    row = _row(assessment, items[0])
    assert (row.points, row.needs_explanation) == (Decimal("1.00"), True)


# --- sending round 1 and submitting the explanation ---------------------------------------------------------


def test_sending_round_1_first_says_how_many_items_are_not_appraised(client, body_admin, assessment, items):
    set_status(assessment, Status.ROUND_1)
    appraise(assessment=assessment, item=items[0], points=Decimal("0.50"), needs_explanation=True)
    url = reverse("appraisal:send", args=[assessment.pk])
    login(client, body_admin)

    response = client.post(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"{len(items) - 1}/{len(items)} tiêu chí chưa có điểm thẩm định vòng 1" in html
    assert "1 tiêu chí cần đơn vị giải trình/bổ sung." in html
    assert items[1].code in html and 'name="confirmed" value="1"' in html
    assessment.refresh_from_db()
    assert assessment.status == Status.ROUND_1

    client.post(url, {"confirmed": "1"})
    assessment.refresh_from_db()
    assert assessment.status == Status.EXPLANATION


def test_submitting_the_explanation_first_says_how_many_flagged_items_are_unanswered(
    client, unit_head, assessment, items, appraiser
):
    appraise_all(assessment=assessment, flagged=[items[0].code, items[1].code], by=appraiser)
    set_status(assessment, Status.EXPLANATION)
    explain(assessment=assessment, item=items[0], text="Đã bổ sung quyết định", by=unit_head)
    url = reverse("appraisal:explanation_submit", args=[assessment.pk])
    login(client, unit_head)

    response = client.post(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "1/2 tiêu chí cần giải trình chưa có nội dung giải trình." in html
    assert items[1].code in html
    assessment.refresh_from_db()
    assert assessment.status == Status.EXPLANATION

    client.post(url, {"confirmed": "1"})
    assessment.refresh_from_db()
    assert assessment.status == Status.ROUND_2


def test_the_units_history_page_links_back_to_the_explanation_by_that_name(
    client, unit_officer, explaining, items
):
    html = (
        login(client, unit_officer)
        .get(reverse("appraisal:history", args=[explaining.pk, items[0].pk]))
        .content.decode()
    )
    explanation = reverse("appraisal:explanation", args=[explaining.pk])
    assert f'<a href="{explanation}#item-{items[0].code}">← Về trang giải trình</a>' in html
    assert "Về trang thẩm định" not in html
