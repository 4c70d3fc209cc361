"""Publication pages for the body's administrators: record a decision, publish, amend, see a decision's diff."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reports.access import publishing_bodies
from reports.models import PublicationDecision
from scoring.models import EvaluatingBody, Period

from . import selectors as publication_selectors
from . import services as publication_services
from .forms import PublicationDecisionForm


def _admin_body(request: HttpRequest, code: str) -> tuple[EvaluatingBody, list[EvaluatingBody]]:
    """Return the body asked for (or the first) among those the user administers; 404 otherwise."""
    bodies = list(publishing_bodies(request.user))
    # A body the user does not administer is reported as missing, so its existence is not revealed.
    body = next((b for b in bodies if b.code == code), None) if code else next(iter(bodies), None)
    if body is None:
        raise Http404
    return body, bodies


@login_required
@require_GET
def publication(request: HttpRequest) -> HttpResponse:
    body, bodies = _admin_body(request, request.GET.get("body") or "")
    context = {
        "body": body,
        "bodies": bodies,
        "periods": publication_selectors.publication_overview(body=body),
        "form": PublicationDecisionForm(),
    }
    return render(request, "reports/publication/publication.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_publish(request: HttpRequest, period_id: int, amend: bool = False) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("body"), pk=period_id)
    body, _bodies = _admin_body(request, period.body.code)
    form = PublicationDecisionForm(request.POST or None, request.FILES or None)
    candidates = publication_selectors.publication_candidates(period=period)
    choice = _scope_choice(request, candidates, amend=amend)
    if request.method == "POST" and form.is_valid():
        publish = (
            publication_services.period_publish_amendment if amend else publication_services.period_publish
        )
        try:
            decision = publish(
                period=period,
                actor=request.user,
                groups=choice.groups,
                exclusions=choice.exclusions,
                **form.cleaned_data,
            )
        except publication_services.PublicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã công bố kết quả theo %(number)s.") % {"number": decision.number})
            return redirect("reports:publication_decision", pk=decision.pk)
    context = {
        "body": body,
        "period": period,
        "form": form,
        "amend": amend,
        "candidates": candidates,
        "choice": choice,
    }
    return render(
        request, "reports/publication/publication_form.html", context, status=400 if form.errors else 200
    )


@dataclass(frozen=True, slots=True)
class ScopeChoice:
    """The groups ticked and the units left out (unit id → reason) on the publication page."""

    groups: list[int] | None
    exclusions: dict[int, str]
    left_out_ids: frozenset[int]


def _scope_choice(request: HttpRequest, candidates, *, amend: bool) -> ScopeChoice:
    """Read the page's group ticks and left-out units; the rules about them are the service's."""
    if request.method != "POST":
        # Shown ticked for a first publication: every group; an amendment keeps the published groups and adds
        # only those the administrator ticks.
        ticked = [] if amend else [c.group.pk for c in candidates]
        return ScopeChoice(groups=ticked, exclusions={}, left_out_ids=frozenset())
    known = {a.unit_id for c in candidates for a in c.assessments}
    left_out = {int(v) for v in request.POST.getlist("leave_out") if v.isdigit() and int(v) in known}
    exclusions = {pk: request.POST.get(f"reason-{pk}", "") for pk in left_out}
    groups = [int(v) for v in request.POST.getlist("groups") if v.isdigit()]
    # A form without the group list (an older client): the original publishes every group, as before.
    if "groups_shown" not in request.POST and not amend:
        return ScopeChoice(groups=None, exclusions=exclusions, left_out_ids=frozenset(left_out))
    return ScopeChoice(groups=groups, exclusions=exclusions, left_out_ids=frozenset(left_out))


@login_required
@require_GET
def publication_decision(request: HttpRequest, pk: int) -> HttpResponse:
    _body, bodies = _admin_body(request, "")
    # Among every body the user administers; another body's decision is reported as missing.
    detail = publication_selectors.decision_detail(bodies=bodies, pk=pk)
    if detail is None:
        raise Http404
    return render(request, "reports/publication/publication_decision.html", {"detail": detail})


@require_GET
def publication_decision_file(request: HttpRequest, pk: int) -> FileResponse:
    """Stream a decision's signed file to anyone: a publication decision is public once it is recorded.

    Decisions exist only once published (period_publish writes them with their snapshot), so no login is asked;
    the file still goes through this view, never through /media/, so that nothing else stored there is reachable.
    """
    decision = get_object_or_404(PublicationDecision.objects.select_related("snapshot"), pk=pk)
    if not decision.file:
        raise Http404(_("Quyết định này không có tệp đính kèm."))
    try:
        handle = decision.file.open("rb")
    except OSError:
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(decision.number) or 'quyet-dinh'}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
