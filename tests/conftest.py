"""Personas and shared fixtures: one evaluating body (Lai Châu) and the people who work in it."""

import pytest

from scoring.models import Role
from tests.conftest_constants import PASSWORD  # noqa: F401
from tests.scoring.factories import (
    EvaluatingBodyFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UnitGroupFactory,
    UserFactory,
)

# Fixtures shared by several test modules are plugged in here rather than imported (an imported fixture reads as
# an unused name to linters, and pytest only honours pytest_plugins in the top-level conftest).
pytest_plugins = ["tests.scoring.dossier_fixtures"]


@pytest.fixture(autouse=True)
def _vietnamese():
    """Start every test in Vietnamese, so that one test switching to English cannot leak into the next."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # PBKDF2 at full strength costs ~0.2 s per hash; tests that are about hashing set it back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production asks body administrators and council members for a one-time code after the password; the
    # tests of the second factor (tests/scoring/accounts/test_two_factor.py) switch it back on.
    settings.TWO_FACTOR_REQUIRED_ROLES = []


@pytest.fixture
def body(db):
    return EvaluatingBodyFactory(
        code="lai-chau", name="UBND tỉnh Lai Châu", administrator_name="Sở Nội vụ tỉnh Lai Châu"
    )


@pytest.fixture
def other_body(db):
    return EvaluatingBodyFactory(code="dien-bien", name="UBND tỉnh Điện Biên")


@pytest.fixture
def departments(body):
    return UnitGroupFactory(body=body, code="so-ban-nganh", name="Sở, ban, ngành", order=1)


@pytest.fixture
def unit(body, departments):
    return UnitFactory(body=body, group=departments, code="so-noi-vu", name="Sở Nội vụ")


@pytest.fixture
def other_unit(body, departments):
    return UnitFactory(body=body, group=departments, code="so-tu-phap", name="Sở Tư pháp")


def _person(username, body, role, unit=None):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, body=body, role=role, unit=unit)
    return user


@pytest.fixture
def body_admin(body):
    return _person("admin-snv", body, Role.BODY_ADMIN)


@pytest.fixture
def unit_officer(body, unit):
    return _person("canbo-snv", body, Role.UNIT_OFFICER, unit)


@pytest.fixture
def unit_head(body, unit):
    return _person("thutruong-snv", body, Role.UNIT_HEAD, unit)


@pytest.fixture
def appraiser(body):
    return _person("tham-dinh", body, Role.APPRAISER)


@pytest.fixture
def council_member(body):
    return _person("hoi-dong", body, Role.COUNCIL_MEMBER)


@pytest.fixture
def viewer(body):
    return _person("xem", body, Role.VIEWER)


@pytest.fixture
def outsider(other_body):
    """Return an administrator of another province, who must see nothing of Lai Châu."""
    return _person("admin-dien-bien", other_body, Role.BODY_ADMIN)


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "admin_client", "django_user_model"}


def _uses_the_database(item) -> bool:
    """Return whether the test touches the database or the real Redis (its fixtures include the database's)."""
    if item.get_closest_marker("integration") or item.get_closest_marker("django_db"):
        return True
    return bool(DATABASE_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, run every test that uses the real Redis broker and workers in one process, one at a
    time: their Celery workers consume shared queues and must not pick up another test's tasks.

    With PARINDEX_DATABASE_TESTS_ONLY=1 (CI's PostgreSQL run) the tests that touch no database are left out: they
    ran in `make test` already, and a second run on PostgreSQL would prove nothing more. The integration tests
    (real PostgreSQL and Redis) always stay.
    """
    import os

    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.xdist_group("redis"))
    if os.environ.get("PARINDEX_DATABASE_TESTS_ONLY") == "1":
        kept = [item for item in items if _uses_the_database(item)]
        config.hook.pytest_deselected(items=[item for item in items if not _uses_the_database(item)])
        items[:] = kept
