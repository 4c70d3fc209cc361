"""The progress board: every unit with its stage, filters, sort orders, counters, Excel, who may see it."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from scoring.models import Assessment, DeadlineExtension, Role
from tests.conftest_constants import PASSWORD
from tests.scoring.assessment_helpers import appraisal_items, assessment_for, fill_scores
from tests.scoring.board_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    VN,
    board_url,
    districts_fixture,
    evidence_for,
    period_fixture,
    stages_fixture,
)
from tests.scoring.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _units(response) -> list[str]:
    return [line.row.unit_name for line in response.context["lines"]]


def _states(response) -> dict[str, str]:
    return {line.row.unit_name: line.state for line in response.context["lines"]}


@time_machine.travel(BEFORE_DEADLINE, tick=False)
def test_board_shows_every_unit_with_its_stage_including_not_started(client, body_admin, stages):
    response = _login(client, body_admin).get(board_url())

    assert response.status_code == 200
    assert _states(response) == {
        "Sở Nội vụ": "self_assessment",
        "Sở Tư pháp": "submitted",
        "Sở Tài chính": "not_started",
        "Thành phố Lai Châu": "self_assessment",
    }
    html = response.content.decode()
    row = html[html.index('data-unit="so-noi-vu"') :].split("</tr>")[0]
    assert "Đang tự đánh giá" in row
    assert "50,0\xa0%" in row  # 4 of 8 items
    assert "20/11/2026 10:30" in row
    assert "15/12/2026 17:00" in row
    assert "Chưa bắt đầu" in html
    counts = response.context["board"].counts
    assert (counts.submitted, counts.in_progress, counts.not_started, counts.late) == (1, 2, 1, 0)


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_board_marks_and_counts_units_late_after_the_deadline(client, body_admin, stages):
    response = _login(client, body_admin).get(board_url())

    counts = response.context["board"].counts
    assert counts.late == 3  # everyone but the unit that submitted
    late = _login(client, body_admin).get(board_url(status="late"))
    assert sorted(_units(late)) == ["Sở Nội vụ", "Sở Tài chính", "Thành phố Lai Châu"]
    assert "Quá hạn" in late.content.decode()


@time_machine.travel(BEFORE_DEADLINE, tick=False)
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "not_started"}, ["Sở Tài chính"]),
        ({"status": "submitted"}, ["Sở Tư pháp"]),
        ({"status": "self_assessment"}, ["Sở Nội vụ", "Thành phố Lai Châu"]),
        ({"group": "huyen"}, ["Thành phố Lai Châu"]),
        ({"group": "so-ban-nganh", "status": "self_assessment"}, ["Sở Nội vụ"]),
        ({"status": "late"}, []),
        ({"status": "no-such-status"}, ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Thành phố Lai Châu"]),
    ],
)
def test_board_filters_by_group_and_status(client, body_admin, stages, params, expected):
    response = _login(client, body_admin).get(board_url(**params))

    assert sorted(_units(response)) == expected


@time_machine.travel(BEFORE_DEADLINE, tick=False)
def test_board_counters_follow_the_group_filter(client, body_admin, stages):
    response = _login(client, body_admin).get(board_url(group="so-ban-nganh", status="submitted"))

    counts = response.context["board"].counts
    assert (counts.total, counts.submitted, counts.in_progress, counts.not_started) == (3, 1, 1, 1)


@time_machine.travel(BEFORE_DEADLINE, tick=False)
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("unit", ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Thành phố Lai Châu"]),
        ("-unit", ["Thành phố Lai Châu", "Sở Tư pháp", "Sở Tài chính", "Sở Nội vụ"]),
        ("-scored", ["Sở Tư pháp", "Sở Nội vụ", "Thành phố Lai Châu", "Sở Tài chính"]),
        ("scored", ["Sở Tài chính", "Thành phố Lai Châu", "Sở Nội vụ", "Sở Tư pháp"]),
        ("status", ["Sở Tài chính", "Sở Nội vụ", "Thành phố Lai Châu", "Sở Tư pháp"]),
        # Units without a value come last in both directions.
        ("-activity", ["Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Thành phố Lai Châu"]),
        ("activity", ["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Thành phố Lai Châu"]),
        ("submitted", ["Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Thành phố Lai Châu"]),
        ("-evidence", ["Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Thành phố Lai Châu"]),
    ],
)
def test_board_sorts_by_the_column_asked(client, body_admin, stages, sort, expected):
    response = _login(client, body_admin).get(board_url(sort=sort))

    assert _units(response) == expected


@time_machine.travel(BEFORE_DEADLINE, tick=False)
def test_column_header_links_toggle_the_direction_and_keep_the_filters(client, body_admin, stages):
    response = _login(client, body_admin).get(board_url(group="so-ban-nganh", sort="scored"))

    columns = response.context["columns"]
    assert "sort=-scored" in columns["scored"].url
    assert "group=so-ban-nganh" in columns["scored"].url
    assert columns["scored"].arrow == "▲"
    assert "sort=activity" in columns["activity"].url


@pytest.mark.parametrize("unit_count", [5, 50])
def test_board_query_count_does_not_grow_with_units(
    client, body_admin, period, departments, django_assert_max_num_queries, unit_count
):
    for n in range(unit_count):
        unit = UnitFactory(body=period.body, group=departments, name=f"Đơn vị số {n:02d}")
        if n % 3:
            assessment = assessment_for(unit=unit, period=period)
            fill_scores(assessment=assessment, count=n % 8)
            evidence_for(assessment, 1)
            if n % 5 == 0:
                DeadlineExtension.objects.create(
                    assessment=assessment, new_deadline=datetime(2027, 1, 5, tzinfo=VN), reason="Bão lũ"
                )
    _login(client, body_admin)

    with django_assert_max_num_queries(13):
        response = client.get(board_url())

    assert len(response.context["lines"]) == unit_count


@pytest.mark.parametrize("persona", ["unit_officer", "unit_head", "appraiser", "council_member", "viewer"])
def test_board_and_its_actions_are_404_for_everyone_but_the_body_admin(client, request, stages, persona):
    user = request.getfixturevalue(persona)
    period = Assessment.objects.get(unit=stages["half"]).period
    _login(client, user)
    extension = reverse(
        "assessment:board_extension", kwargs={"period_id": period.pk, "unit_id": stages["half"].pk}
    )

    assert client.get(board_url()).status_code == 404
    assert client.get(reverse("assessment:board_xlsx") + "?body=lai-chau&year=2026").status_code == 404
    assert client.get(extension).status_code == 404
    assert client.post(extension, {"new_deadline": "05/01/2027 17:00", "reason": "x"}).status_code == 404
    assert client.post(reverse("assessment:board_remind", kwargs={"period_id": period.pk})).status_code == 404
    assert not DeadlineExtension.objects.exists()


def test_admin_of_another_body_gets_404_for_this_body(client, outsider, stages):
    period = Assessment.objects.get(unit=stages["half"]).period
    _login(client, outsider)

    assert client.get(board_url()).status_code == 404
    assert (
        client.get(
            reverse(
                "assessment:board_extension", kwargs={"period_id": period.pk, "unit_id": stages["half"].pk}
            )
        ).status_code
        == 404
    )
    assert client.post(reverse("assessment:board_remind", kwargs={"period_id": period.pk})).status_code == 404


def test_extension_of_a_unit_of_another_body_is_404(client, body_admin, period, other_body):
    stranger = UnitFactory(body=other_body, name="Sở Nội vụ Điện Biên")
    _login(client, body_admin)

    url = reverse("assessment:board_extension", kwargs={"period_id": period.pk, "unit_id": stranger.pk})
    assert client.get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, stages):
    response = client.get(board_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_board_without_periods_says_so(client, body_admin):
    response = _login(client, body_admin).get(reverse("assessment:board"))

    assert response.status_code == 200
    assert "chưa có kỳ đánh giá" in response.content.decode()


def test_board_of_an_unknown_year_is_404(client, body_admin, stages):
    assert _login(client, body_admin).get(board_url(year="2019")).status_code == 404


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_board_excel_has_vietnamese_headers_and_the_filtered_rows(client, body_admin, stages):
    response = _login(client, body_admin).get(
        reverse("assessment:board_xlsx") + "?body=lai-chau&year=2026&status=late&sort=-scored"
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tien-do-lai-chau-2026-late.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    assert rows[header_at][:6] == (
        "STT",
        "Đơn vị",
        "Nhóm đơn vị",
        "Trạng thái",
        "Đã chấm (%)",
        "Số tài liệu kiểm chứng",
    )
    body_rows = [r for r in rows[header_at + 1 :] if r and r[0]]
    assert [r[1] for r in body_rows] == ["Sở Nội vụ", "Thành phố Lai Châu", "Sở Tài chính"]
    first = body_rows[0]
    assert first[3] == "Đang tự đánh giá (Quá hạn)"
    assert first[4] == 50
    assert first[5] == 2
    assert first[6] == datetime(2026, 11, 20, 10, 30)


def test_board_for_a_body_admin_of_two_bodies_switches_by_code(client, body_admin, other_body, stages):
    from tests.scoring.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=body_admin, body=other_body, role=Role.BODY_ADMIN)
    _login(client, body_admin)

    own = client.get(board_url())
    other = client.get(f"{reverse('assessment:board')}?body=dien-bien")

    assert own.status_code == 200 and len(own.context["lines"]) == 4
    assert other.status_code == 200 and other.context["board"].period is None


# --- deadline extensions ----------------------------------------------------------------------------------


def _extension_url(period, unit) -> str:
    return reverse("assessment:board_extension", kwargs={"period_id": period.pk, "unit_id": unit.pk})


def _score(assessment, actor, points="0.50"):
    from decimal import Decimal

    from scoring.assessment.services import self_score_save

    item = appraisal_items(assessment.criteria_set)[0]
    return self_score_save(
        assessment=assessment,
        item=item,
        points=Decimal(points),
        justification="Đã ban hành kế hoạch",
        no_evidence_reason="",
        expected_version=0,
        actor=actor,
    )


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_extension_records_who_why_and_new_date_and_lets_a_late_unit_edit_again(
    client, body_admin, unit_officer, period, unit
):
    from decimal import Decimal

    from scoring.assessment.services import AssessmentError

    assessment = assessment_for(unit=unit, period=period)
    with pytest.raises(AssessmentError):
        _score(assessment, unit_officer)
    _login(client, body_admin)

    response = client.post(
        _extension_url(period, unit),
        {
            "new_deadline": "05/01/2027 17:00",
            "reason": "Đơn vị bị ảnh hưởng bởi mưa lũ",
            "next": "body=lai-chau&year=2026&status=late",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:board") + "?body=lai-chau&year=2026&status=late"
    extension = DeadlineExtension.objects.get(assessment=assessment)
    assert extension.granted_by == body_admin
    assert extension.reason == "Đơn vị bị ảnh hưởng bởi mưa lũ"
    assert extension.new_deadline == datetime(2027, 1, 5, 17, 0, tzinfo=VN)
    assert _score(assessment, unit_officer).points == Decimal("0.50")

    board = client.get(board_url())
    line = next(li for li in board.context["lines"] if li.row.unit_id == unit.pk)
    assert (line.row.is_late, line.is_extended) == (False, True)
    assert "Đã gia hạn tự đánh giá cho Sở Nội vụ đến 05/01/2027 17:00." in board.content.decode()
    history = client.get(_extension_url(period, unit)).content.decode()
    assert "Đơn vị bị ảnh hưởng bởi mưa lũ" in history
    assert "05/01/2027 17:00" in history
    assert str(body_admin) in history


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_extension_for_a_unit_that_has_not_started_opens_its_assessment(
    client, body_admin, period, other_unit
):
    response = _login(client, body_admin).post(
        _extension_url(period, other_unit), {"new_deadline": "05/01/2027 17:00", "reason": "Đổi thủ trưởng"}
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get(period=period, unit=other_unit)
    assert assessment.deadline() == datetime(2027, 1, 5, 17, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("now", "typed", "reason", "error"),
    [
        (AFTER_DEADLINE, "01/12/2026 08:00", "Mưa lũ", "Hạn mới phải ở trong tương lai."),
        (BEFORE_DEADLINE, "10/12/2026 17:00", "Mưa lũ", "Hạn mới phải sau hạn hiện hành (15/12/2026 17:00)."),
        (AFTER_DEADLINE, "05/01/2027 17:00", "   ", "Hãy ghi lý do gia hạn."),
        (AFTER_DEADLINE, "ngày mai", "Mưa lũ", "Hạn mới phải có dạng dd/mm/yyyy HH:MM"),
        (AFTER_DEADLINE, "", "Mưa lũ", "Hãy nhập hạn mới."),
    ],
)
def test_invalid_extension_redisplays_what_was_typed_with_a_vietnamese_error(
    client, body_admin, period, unit, other_unit, now, typed, reason, error
):
    assessment_for(unit=unit, period=period)

    with time_machine.travel(now, tick=False):
        _login(client, body_admin)
        for target in (unit, other_unit):
            response = client.post(_extension_url(period, target), {"new_deadline": typed, "reason": reason})

            assert response.status_code == 200
            html = response.content.decode()
            assert error in html
            assert f'value="{typed}"' in html or not typed
            assert reason.strip() in html
    assert not DeadlineExtension.objects.exists()
    # The unit that had not started is left as it was.
    assert not Assessment.objects.filter(unit=other_unit).exists()


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_second_extension_must_go_beyond_the_first(client, body_admin, period, unit):
    assessment = assessment_for(unit=unit, period=period)
    DeadlineExtension.objects.create(
        assessment=assessment, new_deadline=datetime(2027, 1, 5, 17, 0, tzinfo=VN), reason="Lần 1"
    )

    response = _login(client, body_admin).post(
        _extension_url(period, unit), {"new_deadline": "31/12/2026 17:00", "reason": "Lần 2"}
    )

    assert "Hạn mới phải sau hạn hiện hành (05/01/2027 17:00)." in response.content.decode()
    assert DeadlineExtension.objects.count() == 1
