"""Every page, for the role that opens it, at a phone's width (390 px) and a laptop's (1366 px): no page is
wider than the screen, axe-core finds no serious or critical accessibility violation, and a full-page screenshot
of each is kept in test-artifacts/screenshots/ (CI keeps them as artifacts).

The pages are visited in several items (every_page.visit_parts: one per person, the administrator's pages by
area), so that pytest-xdist can run them side by side (`-n 2 --dist loadgroup`); the demo is loaded once per
process and restored for each item (every_page_demo.DemoSnapshot). One browser per process and one context per
item (logged in by session cookie, not by the form: the login page itself is one of the pages visited); each page
is loaded once and looked at in both widths. EVERY_PAGE_ONLY=<parts of pages' slugs, comma-separated> visits only
the matching pages (to work on a few).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import ARTIFACTS, TIMEOUT_MS
from tests.browser.every_page import visit_parts
from tests.browser.every_page_demo import DemoPages, DemoSnapshot

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)
HEIGHT = 900
SCREENSHOTS = ARTIFACTS / "screenshots"
MAX_SHOT = 6000
# The whole page is checked at the phone's width; at the laptop's only the header differs (the menu is
# unfolded), so only it is checked again: axe over a 200-item dossier takes seconds.
TWO_FRAMES = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
AXE_CONTEXT = {390: "document", 1366: "header"}
# The innermost elements that reach past the right edge of the screen, to say what made a page too wide.
TOO_WIDE = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")].filter(
    el => el.getBoundingClientRect().right > width + 1 && !el.closest(".table-scroll, .overflow-auto")
      && ![...el.children].some(
      child => child.getBoundingClientRect().right > width + 1));
  return wide.slice(0, 4).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + " (" + Math.round(el.getBoundingClientRect().right) + " px)").join(", ");
}"""
BLOCKING = {"serious", "critical"}


PARTS = visit_parts()
ONLY = [piece for piece in os.environ.get("EVERY_PAGE_ONLY", "").split(",") if piece]


def _chosen(visits) -> list:
    return [visit for visit in visits if not ONLY or any(piece in visit.slug for piece in ONLY)]


def _part_params() -> list:
    # Parts without a page chosen by EVERY_PAGE_ONLY are skipped before the demo is loaded for them.
    skip = pytest.mark.skip(reason="EVERY_PAGE_ONLY chooses no page of this part")
    return [pytest.param(name, marks=() if _chosen(visits) else skip) for name, visits in PARTS.items()]


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory) -> Iterator[DemoSnapshot]:
    snapshot = DemoSnapshot(tmp_path_factory.mktemp("every-page-media") / "media")
    yield snapshot
    snapshot.close()


@pytest.fixture
def demo(transactional_db, demo_snapshot) -> DemoPages:
    return DemoPages(demo_snapshot.body())


def _session_cookie(live_server, username: str) -> list[dict]:
    if not username:
        return []
    from scoring.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}]


def _violations(page, context: str) -> list[str]:
    # axe.min.js is put in the page once per load (by _axe_inject), then run for each width.
    results = page.evaluate(
        "context => axe.run(context === 'document' ? document : context, {resultTypes: ['violations']})",
        context,
    )
    found = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found


def _screenshot(page, path, width: int) -> None:
    # The whole page, but not past MAX_SHOT px: a dossier of 200 items is as tall as a hundred screens, and
    # its picture would cost seconds while showing only more of the same rows.
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(
        path=path,
        type="jpeg",
        quality=70,
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": min(height, MAX_SHOT)},
    )


def _axe_inject(page) -> None:
    from axe_playwright_python import sync_playwright as axe_package

    global _AXE_SCRIPT
    if _AXE_SCRIPT is None:
        _AXE_SCRIPT = (Path(axe_package.__file__).parent / "axe.min.js").read_text()
    page.evaluate(_AXE_SCRIPT)


_AXE_SCRIPT: str | None = None


@pytest.mark.parametrize("part", _part_params())
def test_every_page_fits_the_screen_and_passes_axe(browser, live_server, demo, part):
    visits = _chosen(PARTS[part])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    try:
        context.set_default_timeout(TIMEOUT_MS)
        # A part is one person's pages (every_page.visit_parts).
        context.add_cookies(_session_cookie(live_server, visits[0].user))
        page = context.new_page()
        for visit in visits:
            problems.extend(_look_at(page, visit, visit.url(demo)))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def _look_at(page, visit, url: str) -> list[str]:
    """Open the page and return what is wrong with it at each width; keep its screenshots."""
    started = time.monotonic()
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    response = page.goto(url)
    if response is None or response.status >= 400:
        return [f"{visit.slug} {url}: HTTP {response.status if response else '?'}"]
    _axe_inject(page)
    problems: list[str] = []
    timings = [time.monotonic() - started]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        # Two frames: the page's resize handlers (static/js/app.js) have run.
        page.evaluate(TWO_FRAMES)
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            wide = page.evaluate(TOO_WIDE)
            problems.append(f"{visit.slug} {url} @{width}px: page is {scroll_width} px wide: {wide}")
        problems.extend(f"{visit.slug} {url} @{width}px: {v}" for v in _violations(page, AXE_CONTEXT[width]))
        timings.append(time.monotonic() - started)
        _screenshot(page, SCREENSHOTS / f"{visit.slug}-{width}.jpg", width)
        timings.append(time.monotonic() - started)
    print(" ".join(f"{t:5.1f}" for t in timings), visit.slug, file=sys.stderr)
    return problems


def test_the_folded_menu_reaches_logout_management_and_language_at_390_px(logged_in_page, body_admin):
    from playwright.sync_api import expect

    page = logged_in_page(body_admin)
    page.set_viewport_size({"width": 390, "height": HEIGHT})
    page.goto("/")
    toggle = page.locator("[data-nav-toggle]")
    logout = page.get_by_role("button", name=re.compile("^Đăng xuất"))
    # Folded: only the button shows, and it says so to screen readers.
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(logout).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    manage = page.locator("details.nav-manage > summary")
    language = page.get_by_label("Ngôn ngữ")
    for control in (logout, manage, language):
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    manage.click()
    expect(page.get_by_role("link", name="Năm đánh giá")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "menu-open-admin-390.png", full_page=True)

    # At a laptop's width the menu is simply there.
    page.set_viewport_size({"width": 1366, "height": HEIGHT})
    expect(toggle).to_be_hidden()
    expect(logout).to_be_visible()
