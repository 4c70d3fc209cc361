"""Two people save one item at the same moment, on a real SQLite file behind a real multi-process server.

pytest-django's in-memory SQLite cannot show file locking, so this test migrates a database file and serves it
with gunicorn (3 processes × 2 threads) in subprocesses, then fires pairs of saves through a barrier.

A pair is two saves of the same item that both read version v (the version before the pair) and post different
points. Whichever the database serialises first stores v + 1; the other must then fail the version check:
exactly one 200 and one 409 per pair, never a 500 ("database is locked"), and the item ends at version N.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from tests.scoring import evidence_samples as samples

ROOT = Path(__file__).resolve().parents[3]
PAIRS = 40
UPLOAD_PAIRS = 10
CSRF = "simultaneoussavescsrftoken0000ab"  # an unmasked 32-character CSRF secret, sent as cookie and header


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "PARINDEX_INTEGRATION"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="parindex.settings",
        DEBUG="false",
    )
    return env


@pytest.fixture(name="server", scope="module")
def server_fixture(tmp_path_factory):
    """Return (base URL, seed, database file) of a gunicorn serving a freshly migrated and seeded SQLite file."""
    tmp_path = tmp_path_factory.mktemp("simultaneous")
    env = _env(tmp_path)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [
            python,
            "manage.py",
            "shell",
            "-c",
            "from tests.scoring.assessment.concurrent_seed import main; main()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = _free_port()
    gunicorn = Path(python).with_name("gunicorn")
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(gunicorn), "parindex.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "3", "--threads", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, seed, tmp_path / "db.sqlite3"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def _page_headers(seed: dict, content_type: str) -> dict[str, str]:
    """Return the headers of an htmx POST from the officer's browser: session, CSRF cookie and token."""
    return {
        "Content-Type": content_type,
        "Cookie": f"sessionid={seed['session']}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "HX-Request": "true",
    }


def _score(points: str, version: int) -> dict:
    return {
        "points": points,
        "justification": "Đã ban hành kế hoạch",
        "no_evidence_reason": "",
        "version": version,
    }


def _post_form(base: str, seed: dict, *, points: str, version: int) -> int:
    request = urllib.request.Request(
        base + seed["save_url"],
        data=urllib.parse.urlencode(_score(points, version)).encode(),
        method="POST",
        headers=_page_headers(seed, "application/x-www-form-urlencoded"),
    )
    return _status(request)


def _put_api(base: str, seed: dict, *, points: str, version: int) -> int:
    request = urllib.request.Request(
        base + seed["api_url"],
        data=json.dumps(_score(points, version)).encode(),
        method="PUT",
        headers={"Content-Type": "application/json", "Authorization": f"Token {seed['token']}"},
    )
    return _status(request)


def _upload(base: str, seed: dict, *, key: str) -> int:
    """Post one evidence file for the item as the sheet's upload form does (multipart, with its key)."""
    boundary = "----parindex-simultaneous"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in (("item", seed["item"]), ("submission_key", key))
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="bao-cao.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + samples.PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + seed["upload_url"],
        data=b"".join(parts),
        method="POST",
        headers=_page_headers(seed, f"multipart/form-data; boundary={boundary}"),
    )
    return _status(request)


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _one_pair(save, base: str, seed: dict, *, version: int) -> tuple[int, int]:
    """Return the statuses of two saves released together, both expecting `version`, with different points."""
    barrier = threading.Barrier(2)
    statuses = [0, 0]

    def one(slot: int, points: str) -> None:
        barrier.wait()
        statuses[slot] = save(base, seed, points=points, version=version)

    threads = [threading.Thread(target=one, args=(0, "0,25")), threading.Thread(target=one, args=(1, "0,75"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses[0], statuses[1]


def fire_pairs(save, base: str, seed: dict, *, pairs: int, first_version: int = 0) -> list[tuple[int, int]]:
    """Return the two statuses of each pair of simultaneous saves, both expecting the version before the pair."""
    results: list[tuple[int, int]] = []
    version = first_version
    for _ in range(pairs):
        pair = _one_pair(save, base, seed, version=version)
        results.append(pair)
        version += pair.count(200)
    return results


def test_simultaneous_saves_of_one_item_answer_one_200_and_one_409_never_500(server):
    base, seed, _database = server
    form_pairs = fire_pairs(_post_form, base, seed, pairs=PAIRS)
    api_pairs = fire_pairs(_put_api, base, seed, pairs=PAIRS // 2, first_version=PAIRS)

    for label, pairs in (("form", form_pairs), ("api", api_pairs)):
        counts = Counter(status for pair in pairs for status in pair)
        assert counts[500] == 0, (label, counts)
        assert all(sorted(pair) == [200, 409] for pair in pairs), (label, pairs)
    # Every winner stored exactly one new version: the item is at version 40 + 20.
    final = _put_api(base, seed, points="1", version=PAIRS + PAIRS // 2)
    assert final == 200


def test_a_double_submit_racing_on_one_key_stores_one_file(server):
    """Both POSTs of a double click arrive together: one stores the file, the other waits and replays it."""
    base, seed, database = server
    statuses = []
    for n in range(UPLOAD_PAIRS):
        barrier = threading.Barrier(2)
        pair = [0, 0]

        def one(slot: int, key: str = f"{n:032x}", pair: list[int] = pair, barrier=barrier) -> None:
            barrier.wait()
            pair[slot] = _upload(base, seed, key=key)

        threads = [threading.Thread(target=one, args=(slot,)) for slot in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses.extend(pair)

    assert statuses == [200] * 2 * UPLOAD_PAIRS
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT COUNT(*) FROM scoring_evidence").fetchone() == (UPLOAD_PAIRS,)
