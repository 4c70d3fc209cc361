"""The header's body switcher in a real browser: choosing a body (no script of the page's own, CSP-safe) reloads
the page on it, and the pages that pick a body open the chosen one."""

import pytest
from playwright.sync_api import expect

from scoring.models import Role
from tests.browser.conftest import session_page
from tests.scoring.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.browser


def test_person_of_two_bodies_switches_in_the_header(browser, live_server, body, other_body):
    user = UserFactory(username="admin-hai-tinh")
    RoleAssignmentFactory(user=user, body=body, role=Role.BODY_ADMIN)
    RoleAssignmentFactory(user=user, body=other_body, role=Role.BODY_ADMIN)
    page = session_page(browser, live_server, user)
    try:
        page.goto("/quan-ly/don-vi/")
        heading = page.locator("main hgroup p").first
        switcher = page.get_by_test_id("body-switcher").locator("select")
        first = heading.inner_text()
        other = other_body.name if first == body.name else body.name

        with page.expect_navigation():
            switcher.select_option(label=other)
        expect(heading).to_have_text(other)
        expect(switcher.locator("option:checked")).to_have_text(other)

        page.goto("/quan-ly/don-vi/")
        expect(heading).to_have_text(other)
    finally:
        page.context.close()
