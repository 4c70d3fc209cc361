"""A unit officer's whole journey with the keyboard only: log in, open the dossier, score an item, save it and
reach the submission check — Tab, Shift+Tab, Enter and typing, never the mouse, and every element that takes
the focus on the way shows it (WCAG 2.1.1 keyboard, 2.4.7 focus visible)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scoring.models import Method, SelfScore
from tests.browser.conftest import ARTIFACTS
from tests.conftest_constants import PASSWORD
from tests.scoring.assessment_helpers import assessment_for, build_criteria_set, leaf_items
from tests.scoring.factories import PeriodFactory

pytestmark = pytest.mark.browser

MAX_TABS = 120

# What the focused element looks like: its computed outline (the :focus-visible ring of static/css/app.css).
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 60),
    id: el.id,
    testid: el.getAttribute("data-testid"),
    visible: outline,
  };
}"""


@pytest.fixture
def dossier(unit, unit_officer):
    period = PeriodFactory(body=unit.body, year=2026)
    period.self_assessment_deadline = timezone.now() + timedelta(days=12)
    period.save()
    criteria_set = build_criteria_set(period=period, unit_group=unit.group, survey_every=4)
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    leaves = [leaf for leaf in leaf_items(criteria_set) if leaf.method == Method.APPRAISAL]
    return assessment, leaves


def _focus(page) -> dict | None:
    return page.evaluate(FOCUS_STYLE)


def _tab_until(page, matches, *, seen: list[dict], backwards: bool = False) -> dict:
    """Press Tab until the focused element matches; every element focused on the way must show its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = _focus(page)
        if focus is None:
            continue
        seen.append(focus)
        assert focus["visible"], f"focus not visible on {focus}"
        if matches(focus):
            return focus
    pytest.fail(f"not reached with {MAX_TABS} presses of Tab; last focused: {seen[-5:]}")


def test_unit_officer_scores_and_reaches_the_submission_check_by_keyboard(page, unit_officer, dossier):
    assessment, leaves = dossier
    item = leaves[0]
    seen: list[dict] = []
    page.goto("/accounts/login/")

    # The login page puts the cursor in the user name box.
    assert _focus(page)["id"] == "" and page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type(unit_officer.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url

    # On every page the skip link comes first and takes the reader past the menu.
    focus = _tab_until(page, lambda f: f["tag"] == "a", seen=seen)
    assert focus["text"] == "Bỏ qua, đến nội dung chính"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Back up into the menu for its link to the dossiers, then open the dossier itself.
    _tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "Tự đánh giá", seen=seen, backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_until(page, lambda f: f["tag"] == "a" and f["text"] == assessment.unit.name, seen=seen)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(assessment.unit.name)

    # Score the first item: points, then the justification, then Enter-free saving by leaving the field.
    _tab_until(page, lambda f: f["id"] == f"points-{item.pk}", seen=seen)
    page.keyboard.type("1")
    _tab_until(page, lambda f: f["id"] == f"justification-{item.pk}", seen=seen)
    page.keyboard.type("Đã ban hành kế hoạch CCHC năm")
    _tab_until(page, lambda f: f["id"] == f"no-evidence-{item.pk}", seen=seen)
    page.keyboard.type("Không phát sinh văn bản")
    with page.expect_response(lambda r: r.request.method == "POST" and "/tieu-chi/" in r.url):
        page.keyboard.press("Tab")
    expect(page.locator(f"#item-state-{item.pk}")).to_contain_text("Đã chấm")
    saved = SelfScore.objects.get(assessment=assessment, item=item)
    assert saved.points == 1
    assert saved.justification == "Đã ban hành kế hoạch CCHC năm"

    # Back up to the check link (above the items; the head sends, the officer checks) and open the check.
    _tab_until(page, lambda f: f["testid"] == "submit-check-link", seen=seen, backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi hồ sơ tự đánh giá")
    expect(page.locator(".check-list")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "keyboard-journey-submission-check.png", full_page=True)
    assert len(seen) > 5
