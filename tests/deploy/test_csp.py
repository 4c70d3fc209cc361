"""Content-Security-Policy: scripts and styles only from this site, and templates that need nothing else."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# The PDF templates are rendered by WeasyPrint on the server, never served to a browser: their <style> is fine.
COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)
BROWSER_TEMPLATES = [t for t in TEMPLATES if "pdf" not in t.relative_to(ROOT / "templates").parts]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "login", "public_rankings:index"])
def test_pages_carry_a_strict_policy(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_policy_is_on_signed_in_pages_too(client, body_admin):
    client.force_login(body_admin)
    response = client.get(reverse("assessment:list"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("template", BROWSER_TEMPLATES, ids=lambda t: str(t.relative_to(ROOT / "templates")))
def test_no_template_has_inline_script_handler_or_style(template):
    text = COMMENTS.sub("", template.read_text(encoding="utf-8"))
    handlers = re.findall(r"\son[a-z]+\s*=", text)
    inline_scripts = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", text)
        if "src=" not in tag and "application/json" not in tag
    ]
    assert handlers == []
    assert inline_scripts == []
    assert re.findall(r"\sstyle\s*=", text) == []
    assert "<style" not in text
    assert "javascript:" not in text
    assert "hx-on" not in text


def test_templates_and_static_files_load_nothing_from_another_site():
    # Licence headers and SVG namespaces name URLs without loading them; src=/href=/url() must stay local.
    loads = re.compile(
        r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?https?:"""
    )
    files = (
        TEMPLATES + sorted((ROOT / "static").rglob("*.css")) + sorted((ROOT / "static" / "js").rglob("*.js"))
    )
    remote = [str(f.relative_to(ROOT)) for f in files if loads.search(f.read_text(encoding="utf-8"))]
    assert remote == []


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "spec-url") and value:
                self.urls.append(value)


@pytest.mark.parametrize("url_name", ["api-docs", "api-redoc"])
def test_api_docs_pages_use_only_local_assets(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    parser = _Assets()
    parser.feed(response.content.decode())
    assert parser.urls, "the page loads its UI"
    assert [u for u in parser.urls if not u.startswith("/")] == []
    # Every asset is really served here (sidecar through the static files, the schema, Swagger's start script).
    for url in parser.urls:
        if url.startswith("/static/"):
            from django.contrib.staticfiles import finders

            assert finders.find(url.removeprefix("/static/").split("?")[0]), url
    # No inline <script> on the docs pages either; only their styles are relaxed, and only there.
    assert not re.search(r"<script>", response.content.decode())
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]


def test_swagger_start_script_is_served_by_the_site(client):
    response = client.get(reverse("api-docs") + "?script=")
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


@pytest.mark.parametrize("template", BROWSER_TEMPLATES, ids=lambda t: str(t.relative_to(ROOT / "templates")))
def test_every_htmx_config_forbids_eval_and_injected_styles(template):
    # htmx reads only the first htmx-config meta of a page: a page's own must carry these settings too.
    for content in re.findall(r"""<meta name="htmx-config" content='([^']*)'""", template.read_text("utf-8")):
        config = json.loads(content)
        assert config["includeIndicatorStyles"] is False
        assert config["allowEval"] is False
