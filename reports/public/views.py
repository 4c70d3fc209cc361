"""The public rankings: no login, published results only (imported, or published by a decision)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from reports.publication import selectors as publication_selectors
from reports.rankings import selectors
from scoring.models import EvaluatingBody


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/public/public_index.html", {"bodies": publication_selectors.public_body_list()}
    )


@require_GET
def public_rankings(request: HttpRequest, body: str, year: int) -> HttpResponse:
    evaluating_body = get_object_or_404(EvaluatingBody, code=body)
    try:
        table = selectors.ranking_table(
            body=evaluating_body, year=year, group=request.GET.get("group") or None
        )
    except selectors.RankingNotFound as exc:
        raise Http404(str(exc)) from exc
    context = {
        "body": evaluating_body,
        "years": selectors.ranking_year_list(body=evaluating_body),
        "table": table,
        "decision": publication_selectors.latest_decision(body=evaluating_body, year=year),
    }
    return render(request, "reports/public/public_rankings.html", context)
