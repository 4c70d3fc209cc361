"""The English interface: Vietnamese stays the default, the switcher turns English on, and every string is translated."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest_constants import PASSWORD

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
HOME = "/"
RANKINGS = "/ket-qua/xep-hang/"
LOGIN = "/accounts/login/"


@dataclass
class PoEntry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def _parse_po(text: str) -> list[PoEntry]:
    """Read a .po file: enough of the format for our own catalog (no obsolete `#~` entries)."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target: tuple[str, int] | None = None  # which string the continuation lines extend

    def start(number: int) -> PoEntry:
        nonlocal current
        if current is None or current.msgid or current.msgstr:
            current = PoEntry(line=number)
            entries.append(current)
        return current

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
        elif line.startswith("#,"):
            start(number).flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            start(number)
        elif line.startswith('"'):
            assert target is not None, f"line {number}: string outside an entry"
            _append(current, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            entry = start(number) if keyword in ("msgctxt", "msgid") else current
            assert entry is not None, f"line {number}: {keyword} outside an entry"
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr", int(match.group(1))) if match else (keyword, 0)
            _append(entry, target, ast.literal_eval(value), first=True)
    return entries


def _append(entry: PoEntry, target: tuple[str, int], value: str, *, first: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ("" if first else entry.msgstr[index]) + value
    else:
        setattr(entry, name, ("" if first else getattr(entry, name)) + value)


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    return _parse_po(PO_PATH.read_text(encoding="utf-8"))


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _switch_to_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


# (a) Vietnamese by default, whatever the browser asks for.


def test_home_page_is_vietnamese_even_when_the_browser_prefers_english(client, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    page = _html(client.get(HOME, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="vi"' in page
    assert "Bộ tiêu chí" in page
    assert "Criteria sets" not in page


def test_rankings_page_is_vietnamese_even_when_the_browser_prefers_english(client, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    page = _html(client.get(RANKINGS, HTTP_ACCEPT_LANGUAGE="en-US"))
    assert '<html lang="vi"' in page
    assert "Kết quả xếp hạng chỉ số cải cách hành chính" in page


# (b) The language switcher turns English on.


def test_switching_to_english_translates_the_navigation(client, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    _switch_to_english(client)
    page = _html(client.get(HOME))
    assert '<html lang="en"' in page
    for text in ("Self-assessment", "Ranking", "Criteria sets", "Progress", "Import results", "Log out"):
        assert f">{text}" in page, text
    assert "Bộ tiêu chí" not in page


def test_switching_to_english_translates_the_rankings_page(client, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    _switch_to_english(client)
    page = _html(client.get(RANKINGS))
    assert '<html lang="en"' in page
    assert "Public administration reform index ranking results" in page
    assert "No published results for this evaluating body yet." in page


def test_switching_to_english_translates_the_login_page(client):
    _switch_to_english(client)
    page = _html(client.get(LOGIN))
    assert '<html lang="en"' in page
    assert "Username" in page
    assert "Password" in page
    assert "Tên đăng nhập" not in page


def test_switching_back_to_vietnamese_restores_it(client):
    _switch_to_english(client)
    client.post("/i18n/setlang/", {"language": "vi", "next": HOME})
    page = _html(client.get(LOGIN))
    assert '<html lang="vi"' in page
    assert "Tên đăng nhập" in page


# (d) Messages produced by forms and views follow the language.


def test_login_error_is_shown_in_english(client, db):
    _switch_to_english(client)
    page = _html(client.post(LOGIN, {"username": "nobody", "password": "wrong"}))
    assert "Incorrect username or password." in page
    assert "Tên đăng nhập hoặc mật khẩu không đúng." not in page


def test_form_validation_error_is_shown_in_english(client, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    _switch_to_english(client)
    data = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    page = _html(client.post("/accounts/password_change/", data))
    assert "The new password must differ from the current one." in page
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." not in page


def test_view_error_is_shown_in_english(client, body_admin):
    client.login(username=body_admin.username, password=PASSWORD)
    _switch_to_english(client)
    response = client.get(RANKINGS, {"year": "20x0"})
    assert response.status_code == 404
    assert "Invalid year “20x0”." in response.content.decode()


# (c) The catalog: every string translated, none fuzzy, and the compiled file up to date.


def test_catalog_has_entries(po_entries):
    assert len(po_entries) > 100


def test_every_catalog_entry_is_translated(po_entries):
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in po_entries
        if e.msgid and (not e.msgstr or any(not text.strip() for text in e.msgstr.values()))
    ]
    assert not untranslated, "Run makemessages and translate:\n" + "\n".join(untranslated)


def test_no_catalog_entry_is_fuzzy(po_entries):
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in po_entries if "fuzzy" in e.flags]
    assert not fuzzy, "Check and unflag:\n" + "\n".join(fuzzy)


def test_plural_entries_have_both_english_forms(po_entries):
    plurals = [e for e in po_entries if e.msgid_plural is not None]
    assert plurals
    assert all(set(e.msgstr) == {0, 1} for e in plurals)


def test_placeholders_are_kept_in_translations(po_entries):
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}|</?\w+>")
    wrong = [
        f"line {e.line}: {e.msgid!r}"
        for e in po_entries
        if e.msgid
        for text in e.msgstr.values()
        if sorted(set(placeholder.findall(text))) != sorted(set(placeholder.findall(e.msgid)))
    ]
    assert not wrong, "\n".join(wrong)


def test_compiled_catalog_matches_the_po_file(po_entries):
    """The .mo is what Django reads: a .po edited without compilemessages changes nothing on screen."""
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for e in po_entries:
        if not e.msgid:
            continue
        if e.msgid_plural is not None:
            shown = [catalog.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            expected = [e.msgstr[0], e.msgstr[1]]
        elif e.msgctxt is not None:
            shown, expected = [catalog.pgettext(e.msgctxt, e.msgid)], [e.msgstr[0]]
        else:
            shown, expected = [catalog.gettext(e.msgid)], [e.msgstr[0]]
        if shown != expected:
            stale.append(f"line {e.line}: {e.msgid!r}")
    assert not stale, "Run compilemessages:\n" + "\n".join(stale)


def test_every_string_of_the_code_and_templates_is_in_the_catalog(tmp_path):
    """makemessages over a copy of the sources finds no msgid that the English catalog lacks or leaves empty.

    The catalog tests above only read the catalog; this one catches a page whose strings were never added to it.
    """
    import shutil
    import subprocess
    import sys

    base = Path(settings.BASE_DIR)
    for name in ("parindex", "scoring", "appraisal", "surveys", "reports", "templates", "locale"):
        shutil.copytree(
            base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations")
        )
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "parindex.settings"},
        check=True,
        capture_output=True,
        timeout=240,
    )
    entries = _parse_po((tmp_path / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    untranslated = [
        e.msgid for e in entries if e.msgid and (not all(e.msgstr.values()) or "fuzzy" in e.flags)
    ]
    assert untranslated == [], (
        f"{len(untranslated)} strings without an English translation: {untranslated[:20]}"
    )
