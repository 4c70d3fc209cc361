"""`<app>/access.py` is the only place that decides who may see or do what (issue 12, step 3).

The source of the four apps is read as text: a role check (a role lookup, a role constant, a query on the role
rows) outside an access module fails the test, naming the file and the line. So does another app's module
reaching for scoring.access without going through its own app's access module.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("scoring", "appraisal", "surveys", "reports")

ROLE_CHECK = re.compile(
    r"has_role\(|is_body_admin\(|BODY_WIDE_ROLES|UNIT_ROLES\b|RoleAssignment\.objects|roles__role|"
    r"role_assignments__role|\.roles\.filter|Role\.(BODY_ADMIN|APPRAISER|UNIT_OFFICER|UNIT_HEAD|VIEWER|COUNCIL_MEMBER)"
)

# Where roles are defined or created, not decided: the models, their migrations, the Django admin (platform
# operators), management commands, the demo loaders, and the user import (which writes role rows).
NOT_DECISIONS = (
    "*/models/*",
    "*/models.py",
    "*/migrations/*",
    "*/admin.py",
    "*/management/*",
    "reports/demo/*",
    "scoring/accounts/services.py",
)

# Files of the job-model work (another worktree) that still check roles themselves. The lead folds them into
# reports.access / surveys.access after merging both branches; then this list is emptied.
ALLOW_UNTIL_JOBS_MERGE: tuple[str, ...] = ()


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if path.name == "access.py":
                continue
            if any(Path(rel).match(pattern) or _under(rel, pattern) for pattern in NOT_DECISIONS):
                continue
            if any(_under(rel, pattern) for pattern in ALLOW_UNTIL_JOBS_MERGE):
                continue
            yield rel, path.read_text(encoding="utf-8")


def _under(rel: str, pattern: str) -> bool:
    return pattern.endswith("/*") and rel.startswith(pattern[:-1])


def test_no_role_check_outside_the_access_modules():
    found = [
        f"{rel}:{number}: {line.strip()}"
        for rel, text in _sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if ROLE_CHECK.search(line)
    ]
    assert found == [], "role checks outside <app>/access.py:\n" + "\n".join(found)


def test_other_apps_reach_scoring_access_only_through_their_own_access_module():
    pattern = re.compile(r"from scoring\.access import|import scoring\.access|from scoring import access")
    found = [
        f"{rel}:{number}"
        for rel, text in _sources()
        if not rel.startswith("scoring/")
        for number, line in enumerate(text.splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ("    if is_body_admin(user, body):", True),
        ("    return has_role(user, body, *BODY_WIDE_ROLES)", True),
        ("    if Role.APPRAISER in roles:", True),
        ("RoleAssignment.objects.filter(user=user, role=role)", True),
        ("    if may_publish(actor, period):", False),
        ("    units = units_readable(request.user, body)", False),
    ],
)
def test_the_check_recognises_role_checks(line, caught):
    assert bool(ROLE_CHECK.search(line)) is caught


def test_the_allow_list_names_files_that_exist():
    for pattern in ALLOW_UNTIL_JOBS_MERGE:
        assert (ROOT / pattern[:-2]).is_dir(), pattern
