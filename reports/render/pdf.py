"""PDF rendering with WeasyPrint: a Django template in, PDF bytes out; no queries (the caller built the data).

Templates extend `reports/pdf/base.html` (A4, the body's header block, page numbers, fonts with Vietnamese
glyphs). Fonts come from the system (Noto Serif / Noto Sans, DejaVu as a fallback), installed by
scripts/system-deps.sh; no network access is ever made: the only URLs WeasyPrint may fetch are data: URIs.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class PdfFetchRefused(Exception):
    """A template asked WeasyPrint to fetch a URL: reports must be self-contained."""


def _fetch_nothing(url: str, *args, **kwargs):
    # Reports are rendered on closed provincial networks: a stray <img src="http…"> must fail loudly here.
    if url.startswith("data:"):
        from weasyprint import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise PdfFetchRefused(url)


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of a complete HTML document."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render the template (which extends reports/pdf/base.html) and return the PDF bytes."""
    context = {"generated_label": _("Tạo bởi PAR INDEX"), **context}
    return html_to_pdf(render_to_string(template_name, context))
