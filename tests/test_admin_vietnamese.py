"""The Django admin in Vietnamese: its own titles, and the strings Django's vi catalog leaves in English."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ENGLISH = ("Skip to main content", "Toggle theme", "Toggle navigation", "Trang web admin Django", "Django")
CATALOG = Path(settings.BASE_DIR) / "parindex" / "admin_locale" / "vi" / "LC_MESSAGES"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/scoring/unit/"])
def test_admin_pages_have_no_english_chrome(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Quản trị hệ thống PAR INDEX" in text and "Chuyển đến nội dung chính" in text
    assert not [word for word in ENGLISH if word in text]


@pytest.mark.django_db
def test_admin_login_page_is_vietnamese(client):
    text = client.get("/admin/login/").content.decode()
    assert "Quản trị hệ thống PAR INDEX" in text
    assert "Django" not in text


def test_compiled_admin_catalog_matches_its_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOG / "django.po")], check=True)
    assert compiled.read_bytes() == (CATALOG / "django.mo").read_bytes()
