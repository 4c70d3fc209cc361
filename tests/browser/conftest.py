"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live_server.

Chromium is the Debian package at /usr/bin/chromium (Playwright's own browser download is not used);
without it every test here is skipped with the reason below. Each test leaves a screenshot of its
page in test-artifacts/ (gitignored), to look at when a test fails or a page changes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest_constants import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# No GPU, no sandbox (CI runs as root), and nothing that phones home: the network is closed here,
# and Chromium's background requests would only fail and slow every start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Return a headless Chromium, shared by the tests of one module."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser test skipped"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would refuse every
    # ORM call from the test ("cannot call this from an async context"). The calls are in fact
    # synchronous; allow them while the browser lives, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    """Return a fresh page (own cookies) of a Vietnamese-speaking browser, screenshotted at the end."""
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        page.screenshot(path=ARTIFACTS / f"browser-{name}.png", full_page=True)
    finally:
        context.close()


@pytest.fixture
def logged_in_page(page) -> Callable:
    """Return a function that logs a user in through the login form and returns the page."""

    def log_in(user):
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill(user.username)
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if "/accounts/login/" in page.url:
            pytest.fail(f"login as {user.username} failed: still on {page.url}")
        return page

    return log_in


def session_page(browser, live_server, user, *, locale: str = "vi-VN"):
    """Return a page logged in as the user, in a browser context of its own (each persona keeps its cookies)."""
    context = browser.new_context(locale=locale, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/accounts/login/" in page.url:
        pytest.fail(f"login as {user.username} failed: still on {page.url}")
    return page
