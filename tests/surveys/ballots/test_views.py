"""Survey pages over HTTP: ballot entry (saves, rejects, refuses with the typed values kept), tracking, access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Ballot, BallotStatus, RejectReason
from tests.surveys.helpers import ballot, survey_period

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=2)


@pytest.fixture
def admin_client(client, body_admin):
    client.force_login(body_admin)
    return client


def entry_url(survey, **kw) -> str:
    return reverse("surveys:ballot_entry", args=[survey.period.pk])


def save(client, survey, **fields):
    data = {"number": "1", "form_code": "M1", "unit": "Sở Nội vụ", "answers": "ABCD", "entry_round": "1"}
    data.update(fields)
    return client.post(reverse("surveys:ballot_save", args=[survey.period.pk]), data, **HTMX)


def test_entry_saves_an_accepted_ballot_and_clears_the_number_for_the_next(
    admin_client, survey, unit, body_admin
):
    response = save(admin_client, survey, form_code="m1", answers="abcd", respondent="Trưởng phòng")

    text = response.content.decode()
    assert "Đã lưu phiếu số 1 (M1 · Sở Nội vụ), chấp nhận." in text
    stored = Ballot.objects.get()
    assert (stored.unit, stored.form.code, stored.status, stored.entered_by) == (
        unit,
        "M1",
        BallotStatus.ACCEPTED,
        body_admin,
    )
    assert stored.respondent == {"position": "Trưởng phòng"}
    answers = dict(stored.answers.values_list("question__number", "option__code"))
    assert answers == {1: "A", 2: "B", 3: "C", 4: "D"}
    # Ready for the next ballot: number empty and focused, form and unit kept.
    assert 'name="number" id="id_number" value=""' in text and 'data-focus="number"' in text
    # No autofocus in a swapped panel: htmx would apply it ~20 ms later and steal the focus from a fast typist.
    assert "autofocus" not in text
    assert 'name="form_code" id="id_form_code" value="M1"' in text
    assert 'data-number="1"' in text


def test_entry_stores_an_incomplete_ballot_as_rejected_with_its_reason(admin_client, survey):
    response = save(admin_client, survey, answers="AB")

    assert "Đã lưu phiếu số 1 (M1 · Sở Nội vụ), bị loại: Trả lời không đầy đủ." in response.content.decode()
    assert Ballot.objects.get().reject_reason == RejectReason.INCOMPLETE


def test_entry_stores_a_ballot_over_the_quota_as_rejected(admin_client, survey, unit):
    ballot(form=survey.form("M1"), unit=unit, number="1")
    ballot(form=survey.form("M1"), unit=unit, number="2")

    response = save(admin_client, survey, number="3")

    assert "bị loại: Vượt số phiếu phát ra." in response.content.decode()
    assert Ballot.objects.get(number="3").reject_reason == RejectReason.OVER_QUOTA


def test_entry_refuses_a_duplicate_number_and_keeps_what_was_typed(admin_client, survey, unit):
    ballot(form=survey.form("M1"), unit=unit, number="7")

    response = save(admin_client, survey, number="7", answers="BBBB")

    text = response.content.decode()
    assert "Phiếu số 7 của mẫu M1 đã được nhập; không nhập lại." in text
    assert Ballot.objects.count() == 1
    assert 'value="7"' in text and 'value="BBBB"' in text and 'value="Sở Nội vụ"' in text


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"answers": "ABFD"}, "Câu 3 không có phương án “F” (có: A, B, C, D, E).", "answers"),
        ({"answers": "ABCDA"}, "Mẫu M1 có 4 câu hỏi, đã gõ 5 câu trả lời.", "answers"),
        ({"form_code": "M9"}, "Không có mẫu phiếu “M9” trong kỳ này (có: M1, M2).", "form_code"),
        ({"unit": "Sở Không Có"}, "Không tìm thấy đơn vị “Sở Không Có”.", "unit"),
        ({"number": " "}, "Trường này là bắt buộc.", "number"),
    ],
)
def test_entry_refuses_bad_input_with_a_vietnamese_message(admin_client, survey, fields, message, field):
    response = save(admin_client, survey, **fields)

    text = response.content.decode()
    assert message in text
    assert "Phiếu chưa được lưu: hãy sửa các ô báo lỗi." in text
    assert f'id="id_{field}"' in text and 'data-focus="' + field + '"' in text
    assert not Ballot.objects.exists()


def test_entry_of_a_unit_outside_the_form_target_is_stored_as_wrong_form_or_unit(admin_client, survey, body):
    from tests.scoring.factories import UnitFactory, UnitGroupFactory

    districts = UnitGroupFactory(body=body, code="huyen", name="UBND cấp huyện")
    UnitFactory(body=body, group=districts, code="muong-te", name="UBND huyện Mường Tè")

    response = save(admin_client, survey, unit="muong-te")

    assert "bị loại: Sai mẫu phiếu hoặc đơn vị." in response.content.decode()


def test_round_two_entry_stores_the_same_number_again_in_round_two(admin_client, survey, unit):
    ballot(form=survey.form("M1"), unit=unit, number="1")

    save(admin_client, survey, entry_round="2")

    assert sorted(Ballot.objects.values_list("entry_round", flat=True)) == [1, 2]


def test_entry_page_lists_only_the_clerks_own_last_ballots(admin_client, survey, unit, body_admin, appraiser):
    ballot(form=survey.form("M1"), unit=unit, number="11", entered_by=body_admin)
    ballot(form=survey.form("M1"), unit=unit, number="12", entered_by=appraiser)

    response = admin_client.get(entry_url(survey))

    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-number="11"' in text and 'data-number="12"' not in text
    assert 'id="entry-data"' in text and '"so-tu-phap"' in text


def test_entry_page_query_count_does_not_grow_with_ballots(
    admin_client, survey, unit, body_admin, django_assert_max_num_queries
):
    for n in range(25):
        ballot(form=survey.form("M1"), unit=unit, number=str(100 + n), entered_by=body_admin)

    with django_assert_max_num_queries(14):
        response = admin_client.get(entry_url(survey))
    assert response.content.decode().count("data-number=") == 20


def test_tracking_page_shows_the_totals_line_of_the_domain(admin_client, departments, unit, other_unit):
    survey = survey_period(unit_group=departments, issued=290)  # 2 forms × 2 units × 290 = 1,160
    rows = []
    for form in survey.forms:
        for u in (unit, other_unit):
            rows += [(form, u, BallotStatus.ACCEPTED, "")] * 283
    rows += [(survey.forms[0], unit, BallotStatus.ACCEPTED, "")] * 3
    rows += [(survey.forms[0], unit, BallotStatus.REJECTED, RejectReason.OVER_QUOTA)] * 3
    Ballot.objects.bulk_create(
        Ballot(period=survey.period, form=f, unit=u, number=str(i), status=s, reject_reason=r)
        for i, (f, u, s, r) in enumerate(rows)
    )

    response = admin_client.get(reverse("surveys:tracking", args=[survey.period.pk]))

    text = response.content.decode()
    assert "Phát ra 1.160, thu về 1.138 (98,1\xa0%), nghiệm thu 1.135, loại 3 (vượt số lượng)" in text
    assert "Vượt số phiếu phát ra" in text  # the reason column


def test_tracking_page_query_count_is_bounded(admin_client, survey, unit, django_assert_max_num_queries):
    for n in range(5):
        ballot(form=survey.form("M2"), unit=unit, number=str(n))
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("surveys:tracking", args=[survey.period.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["surveys:ballot_entry", "surveys:tracking"])
def test_pages_are_404_for_users_who_do_not_administer_the_body(
    client, survey, outsider, appraiser, unit_officer, name
):
    for user in (outsider, appraiser, unit_officer):
        client.force_login(user)
        assert client.get(reverse(name, args=[survey.period.pk])).status_code == 404


def test_saving_is_404_for_another_body_and_stores_nothing(client, survey, outsider):
    client.force_login(outsider)
    assert save(client, survey).status_code == 404
    assert not Ballot.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, survey):
    response = client.get(entry_url(survey))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_lists_the_periods_and_nav_links_to_it(admin_client, survey):
    response = admin_client.get(reverse("surveys:home"))
    text = response.content.decode()
    assert reverse("surveys:ballot_entry", args=[survey.period.pk]) in text
    assert "Điều tra XHH" in text


def test_statistics_page_carries_rates_and_answer_counts(admin_client, survey, unit, other_unit):
    ballot(form=survey.form("M1"), unit=unit, answers="A")
    ballot(form=survey.form("M1"), unit=unit, answers="B")
    ballot(form=survey.form("M1"), unit=other_unit, answers="B")

    url = reverse("surveys:statistics", args=[survey.period.pk])
    response = admin_client.get(url, {"mau": "m1", "don_vi": unit.pk})

    context = response.context
    assert context["answer_chart"]["datasets"] == [
        {"label": "A", "data": [1, 1, 1, 1]},
        {"label": "B", "data": [1, 1, 1, 1]},
    ]
    rates = {d["label"]: d["data"] for d in context["rate_chart"]["datasets"]}
    assert rates["M1"] == ["100.00", "50.00"]  # Sở Nội vụ 2/2, Sở Tư pháp 1/2
    assert "chart.umd.min.js" in response.content.decode()


def test_statistics_page_is_404_for_another_body(client, survey, outsider):
    client.force_login(outsider)
    assert client.get(reverse("surveys:statistics", args=[survey.period.pk])).status_code == 404


def test_round_two_by_the_clerk_of_round_one_is_stored_with_a_warning(admin_client, survey, unit, body_admin):
    ballot(form=survey.form("M1"), unit=unit, number="1", entered_by=body_admin)

    response = save(admin_client, survey, entry_round="2")

    assert "chính bạn đã nhập lần 1 phiếu này" in response.content.decode()
    assert Ballot.objects.filter(entry_round=2).count() == 1
