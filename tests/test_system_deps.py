"""Every program the code or the tests run is installed by scripts/system-deps.sh, and those the running
application needs by the Dockerfile too: a fresh machine must not skip or fail a test for a missing tool."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = (ROOT / "scripts" / "system-deps.sh").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
# A program named as the first item of an argv list, looked up with shutil.which, or by the backup service's helper.
CALLS = re.compile(
    r"""subprocess\.\w+\(\s*\[\s*"([\w.-]+)"|which\(\s*"([\w.-]+)"\s*\)|_pg_command\(\s*"([\w.-]+)\""""
)
# Programs the running application calls (the image has them); the others only serve the tests.
APPLICATION = {"pg_dump": "postgresql-client", "pg_restore": "postgresql-client"}


def _programs(folders: list[str]) -> set[str]:
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for match in CALLS.finditer(path.read_text(encoding="utf-8")):
                found.add(next(group for group in match.groups() if group))
    return found


def test_every_program_the_tests_and_the_code_run_is_checked_by_system_deps():
    programs = _programs(["tests", "scoring", "appraisal", "surveys", "reports", "parindex"])
    assert {"pdftotext", "pdftoppm", "pg_dump", "pg_restore"} <= programs
    unchecked = sorted(p for p in programs if f"command -v {p} " not in SCRIPT)
    assert not unchecked, f"scripts/system-deps.sh does not install {unchecked}"


def test_the_image_installs_what_the_application_runs():
    programs = _programs(["scoring", "appraisal", "surveys", "reports", "parindex"])
    assert set(programs) <= set(APPLICATION), f"add the Debian package of {programs - set(APPLICATION)}"
    missing = sorted({APPLICATION[p] for p in programs} - set(re.findall(r"[\w.+-]+", DOCKERFILE)))
    assert not missing, f"the Dockerfile does not install {missing}"
