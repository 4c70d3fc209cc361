"""Correcting and voiding one ballot ("Sửa phiếu", "Hủy phiếu"), reached from the entry, tracking and
reconciliation pages; and finding a ballot by form and number to do so.

Body administrators only (surveys.access.admin_period), as for entering ballots. A refused change shows the page
again with what the user typed; a conflict (the ballot changed since the page was shown) also shows the ballot
as it is now and takes the new version, so saving again is a deliberate second choice.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from scoring.models import Period

from ..access import admin_period
from ..ballots.forms import EntryQuestion
from ..models import Ballot, BallotStatus
from .forms import BallotCorrectionForm, BallotVoidForm
from .services import BallotConflict, ballot_answer_codes, ballot_correct, ballot_void


def _ballot(period: Period, pk: int) -> Ballot:
    return get_object_or_404(Ballot.objects.select_related("form", "unit"), period=period, pk=pk)


def _questions(ballot: Ballot) -> list[EntryQuestion]:
    return [
        EntryQuestion(number=q.number, text=q.text, options=tuple(sorted(o.code for o in q.options.all())))
        for q in ballot.form.questions.prefetch_related("options").order_by("number")
    ]


def _next_url(request: HttpRequest, period: Period) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("surveys:tracking", args=[period.pk])


def _refresh_version(request: HttpRequest, ballot: Ballot) -> dict:
    """Return the posted data with the ballot's current version, so the user's input survives a conflict."""
    data = request.POST.copy()
    data["version"] = str(ballot.version)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def ballot_correct_view(request: HttpRequest, period_id: int, pk: int) -> HttpResponse:
    """GET shows the ballot's answers to correct; POST saves them with the reason (ballot_correct)."""
    period = admin_period(request, period_id)
    ballot = _ballot(period, pk)
    questions = _questions(ballot)
    current = ballot_answer_codes(ballot=ballot)
    status = 200
    if request.method == "POST":
        form = BallotCorrectionForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                ballot_correct(
                    ballot=ballot,
                    answers=form.answer_map(),
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                    actor=request.user,
                )
            except BallotConflict as exc:
                ballot.refresh_from_db()
                current = ballot_answer_codes(ballot=ballot)
                form = BallotCorrectionForm(_refresh_version(request, ballot), questions=questions)
                form.is_valid()
                form.add_error(None, exc.messages)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
            else:
                messages.success(
                    request,
                    _("Đã sửa phiếu số %(number)s (%(form)s).")
                    % {"number": ballot.number, "form": ballot.form.code},
                )
                return redirect(_next_url(request, period))
        else:
            status = 400
    else:
        initial = {f"q{n}": code for n, code in current.items()}
        form = BallotCorrectionForm(
            initial={**initial, "version": ballot.version, "next": request.GET.get("next", "")},
            questions=questions,
        )
    rows = [(q, field, current.get(q.number)) for q, field in form.answer_fields()]
    context = {"period": period, "ballot": ballot, "form": form, "rows": rows, "voided": BallotStatus.VOIDED}
    return render(request, "surveys/correction/ballot_correct.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ballot_void_view(request: HttpRequest, period_id: int, pk: int) -> HttpResponse:
    """GET asks for the reason; POST voids the paper ballot (ballot_void)."""
    period = admin_period(request, period_id)
    ballot = _ballot(period, pk)
    status = 200
    if request.method == "POST":
        form = BallotVoidForm(request.POST)
        if form.is_valid():
            try:
                ballot_void(
                    ballot=ballot,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                    actor=request.user,
                )
            except BallotConflict as exc:
                ballot.refresh_from_db()
                form = BallotVoidForm(_refresh_version(request, ballot))
                form.is_valid()
                form.add_error(None, exc.messages)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
            else:
                messages.success(
                    request,
                    _("Đã hủy phiếu số %(number)s (%(form)s).")
                    % {"number": ballot.number, "form": ballot.form.code},
                )
                return redirect(_next_url(request, period))
        else:
            status = 400
    else:
        form = BallotVoidForm(initial={"version": ballot.version, "next": request.GET.get("next", "")})
    context = {
        "period": period,
        "ballot": ballot,
        "form": form,
        "answers": ballot_answer_codes(ballot=ballot),
        "voided": BallotStatus.VOIDED,
    }
    return render(request, "surveys/correction/ballot_void.html", context, status=status)


@login_required
@require_GET
def ballot_find(request: HttpRequest, period_id: int) -> HttpResponse:
    """Go to the correction page of the ballot with the typed form code, number and round."""
    period = admin_period(request, period_id)
    code = (request.GET.get("mau") or "").strip()
    number = (request.GET.get("so") or "").strip()
    entry_round = 2 if (request.GET.get("vong") or "").strip() == "2" else 1
    ballot = (
        Ballot.objects.filter(period=period, form__code__iexact=code, number=number, entry_round=entry_round)
        .only("pk")
        .first()
    )
    if ballot is None:
        messages.error(
            request,
            _("Không có phiếu số %(number)s của mẫu %(form)s ở lần nhập %(round)s.")
            % {"number": number or "—", "form": code or "—", "round": entry_round},
        )
        return redirect(_next_url(request, period))
    target = reverse("surveys:ballot_correct", args=[period.pk, ballot.pk])
    return redirect(f"{target}?{urlencode({'next': _next_url(request, period)})}")
