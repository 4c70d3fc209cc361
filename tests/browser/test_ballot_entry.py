"""A clerk enters three paper ballots with the keyboard only: no click after the page has loaded."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from surveys.models import Ballot, BallotStatus
from tests.browser.conftest import ARTIFACTS
from tests.surveys.helpers import survey_period

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=5)


def answers_of(number: str) -> str:
    ballot = Ballot.objects.get(number=number)
    return "".join(ballot.answers.order_by("question__number").values_list("option__code", flat=True))


def test_clerk_enters_three_ballots_by_keyboard_only(logged_in_page, body_admin, survey, unit, other_unit):
    page = logged_in_page(body_admin)
    page.goto(f"/dieu-tra/ky/{survey.period.pk}/nhap-phieu/")
    number = page.locator("#id_number")
    result = page.get_by_test_id("entry-result")
    expect(number).to_be_focused()

    # Ballot 1: every field typed; the unit found without accents, picked with Enter.
    page.keyboard.type("101")
    page.keyboard.press("Enter")
    expect(page.locator("#id_form_code")).to_be_focused()
    page.keyboard.type("m1")
    expect(page.locator("#form-name")).to_have_text("Phiếu M1: đánh giá Sở, ban, ngành")
    page.keyboard.press("Enter")
    page.keyboard.type("noi vu")
    expect(page.locator("#unit-matches li.highlighted")).to_have_text("Sở Nội vụ")
    page.keyboard.press("Enter")
    expect(page.locator("#id_answers")).to_be_focused()
    page.keyboard.type("ab")
    expect(page.locator("#question-list li.current")).to_have_attribute("data-number", "3")
    page.keyboard.type("cd")
    page.keyboard.press("Enter")
    expect(result).to_have_text("Đã lưu phiếu số 101 (M1 · Sở Nội vụ), chấp nhận.")
    expect(number).to_be_focused()

    # Ballot 2: same form and unit, so Enter after the number goes straight to the answers.
    page.keyboard.type("102")
    page.keyboard.press("Enter")
    expect(page.locator("#id_answers")).to_be_focused()
    page.keyboard.type("bbbb")
    page.keyboard.press("Enter")
    expect(result).to_have_text("Đã lưu phiếu số 102 (M1 · Sở Nội vụ), chấp nhận.")
    expect(number).to_be_focused()

    # Ballot 3: another unit; a wrong key is ignored and Backspace takes the last answer back.
    page.keyboard.type("103")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#id_unit")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("tu phap")
    page.keyboard.press("Enter")
    expect(page.locator("#id_unit")).to_have_value("Sở Tư pháp")
    page.keyboard.type("ccxa")
    expect(page.locator("#id_answers")).to_have_value("CCA")
    page.keyboard.press("Backspace")
    page.keyboard.type("dd")
    expect(page.locator("#question-list li.answered")).to_have_count(4)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-ballot-entry-typing.png", full_page=True)
    page.keyboard.press("Enter")
    expect(result).to_have_text("Đã lưu phiếu số 103 (M1 · Sở Tư pháp), chấp nhận.")
    expect(page.locator("[data-testid=recent-ballots] tbody tr")).to_have_count(3)

    stored = {b.number: (b.unit_id, b.status, b.entered_by_id) for b in Ballot.objects.all()}
    assert stored == {
        "101": (unit.pk, BallotStatus.ACCEPTED, body_admin.pk),
        "102": (unit.pk, BallotStatus.ACCEPTED, body_admin.pk),
        "103": (other_unit.pk, BallotStatus.ACCEPTED, body_admin.pk),
    }
    assert (answers_of("101"), answers_of("102"), answers_of("103")) == ("ABCD", "BBBB", "CCDD")
