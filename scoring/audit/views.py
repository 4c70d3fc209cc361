"""History of a dossier, the body administrator's audit log (with downloads), and the user's notifications.

A dossier's history is shown to whoever may see the dossier (404 otherwise); the log only to the body's
administrators (404 for anyone else, as if the body did not exist); notifications only to their recipient.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring.accounts.switcher import chosen_body_id
from scoring.assessment.selectors import assessment_get_for_user
from scoring.audit import notifications as notification_services
from scoring.audit.export import XLSX_CONTENT_TYPE, audit_csv, audit_workbook
from scoring.audit.forms import AuditLogFilterForm, NotificationPreferenceForm
from scoring.audit.selectors import (
    EXPORT_LIMIT,
    PAGE_SIZE,
    action_label,
    assessment_history,
    field_label,
    hidden_actions,
    history_item_codes,
    value_label,
)
from scoring.audit.selectors import audit_log as audit_log_events
from scoring.evaluation.selectors import bodies_administered_by
from scoring.models import EvaluatingBody, Notification

HISTORY_LIMIT = 500
NOTIFICATIONS_PAGE_SIZE = 50


def _labelled(events: list) -> list:
    # Labels are set on the rows here so that the template stays free of lookups.
    for event in events:
        event.action_label = action_label(event.action)
        event.field_label = field_label(event.field) if event.field else ""
        event.old_display = value_label(event.field, event.old_value)
        event.new_display = value_label(event.field, event.new_value)
    return events


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier's changes, newest first; ?item=CODE narrows them to one item."""
    assessment = assessment_get_for_user(user=request.user, pk=pk)
    item_code = request.GET.get("item", "").strip()[:40]
    hidden = hidden_actions(assessment=assessment, user=request.user)
    events = assessment_history(assessment=assessment, item_code=item_code, hidden=hidden)
    events = _labelled(list(events[:HISTORY_LIMIT]))
    context = {
        "assessment": assessment,
        "events": events,
        "item_code": item_code,
        "item_codes": history_item_codes(assessment=assessment, hidden=hidden),
        "limit": HISTORY_LIMIT,
    }
    return render(request, "scoring/audit/history.html", context)


def _admin_body(request: HttpRequest) -> tuple[EvaluatingBody, list[EvaluatingBody]]:
    """Return the body asked for (?body=code, or the first) among those the user administers; 404 otherwise."""
    code = request.GET.get("body", "")
    bodies = list(bodies_administered_by(user=request.user).order_by("name"))
    chosen = chosen_body_id(request)
    body = (
        next((b for b in bodies if b.code == code), None)
        if code
        else next((b for b in bodies if b.pk == chosen), None) or next(iter(bodies), None)
    )
    if body is None:
        raise Http404
    return body, bodies


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    body, bodies = _admin_body(request)
    form = AuditLogFilterForm(request.GET or None, body=body)
    events = audit_log_events(body=body, filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    _labelled(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"body": body, "bodies": bodies, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "scoring/audit/log.html", context)


@login_required
@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as Excel (default) or CSV (?format=csv)."""
    body, _bodies = _admin_body(request)
    form = AuditLogFilterForm(request.GET or None, body=body)
    events = audit_log_events(body=body, filters=form.filters())[:EXPORT_LIMIT]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if request.GET.get("format") == "csv":
        response = HttpResponse(audit_csv(events.iterator()), content_type="text/csv; charset=utf-8")
        filename = f"nhat-ky-{body.code}-{stamp}.csv"
    else:
        response = HttpResponse(audit_workbook(events.iterator()), content_type=XLSX_CONTENT_TYPE)
        filename = f"nhat-ky-{body.code}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user).select_related("body")
    page = Paginator(notifications, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    mode = notification_services.notification_mode(user=request.user)
    context = {
        "page": page,
        "unread_count": Notification.objects.filter(user=request.user).unread().count(),
        "preference_form": NotificationPreferenceForm(initial={"mode": mode}),
    }
    return render(request, "scoring/notifications/list.html", context)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (only to this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_services.notifications_mark_read(user=request.user, ids=[notification.pk])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("audit:notification_list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_services.notifications_mark_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("audit:notification_list")


@login_required
@require_POST
def notification_preference(request: HttpRequest) -> HttpResponse:
    form = NotificationPreferenceForm(request.POST)
    if form.is_valid():
        notification_services.notification_preference_set(user=request.user, mode=form.cleaned_data["mode"])
        messages.success(request, _("Đã lưu cách nhận thư thông báo."))
    else:
        messages.error(request, _("Hãy chọn một cách nhận thư thông báo."))
    return redirect("audit:notification_list")
