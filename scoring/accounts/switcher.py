"""The body switcher of the header: which of their bodies a person with roles in several is working in now.

The choice is a default, never a permission: pages pick it only among the bodies the person may open there
(each page asks scoring.access first), and anything named in the URL (?body=code) still wins.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scoring.access import bodies_for_user
from scoring.models import EvaluatingBody

SESSION_KEY = "chosen_body_id"
# The people pages remember the body last opened there; a switch replaces that memory too.
PEOPLE_SESSION_KEY = "people_body"


def chosen_body_id(request: HttpRequest) -> int | None:
    """Return the id of the body chosen in the header, if any (not checked here: pages pick among their own)."""
    value = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return value if isinstance(value, int) else None


def body_pick(
    bodies: QuerySet[EvaluatingBody], *, code: str | None = None, chosen_id: int | None = None
) -> EvaluatingBody | None:
    """Return the body named by code among `bodies`; else the chosen one if it is among them; else the first by name."""
    if code:
        return bodies.filter(code=code).first()
    if chosen_id is not None:
        chosen = bodies.filter(pk=chosen_id).first()
        if chosen is not None:
            return chosen
    return bodies.order_by("name").first()


def _without_body_param(url: str) -> str:
    # A page opened with ?body=<code> would keep showing that body; the switch must show the chosen one.
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "body"]
    return urlunsplit(parts._replace(query=urlencode(query)))


@login_required
@require_POST
def body_switch(request: HttpRequest) -> HttpResponse:
    """Remember the body chosen in the header (one the user holds a role in), then go back to the page."""
    body = bodies_for_user(request.user).filter(code=request.POST.get("body", "")).first()
    if body is None:
        raise Http404(_("Không tìm thấy cơ quan đánh giá."))
    request.session[SESSION_KEY] = body.pk
    request.session.pop(PEOPLE_SESSION_KEY, None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    return redirect(_without_body_param(target))
