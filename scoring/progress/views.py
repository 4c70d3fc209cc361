"""The body administrator's progress board: every unit's self-assessment at a glance, deadline extensions,
reminder e-mails and the Excel download.

Only a body administrator of the body gets these pages; anyone else gets 404, as if the body did not exist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.accounts.switcher import chosen_body_id
from scoring.assessment.selectors import progress_board
from scoring.assessment.services import AssessmentError, assessment_get_or_create, deadline_extension_grant
from scoring.evaluation.selectors import bodies_administered_by
from scoring.models import Assessment, EvaluatingBody, Period, Unit, UnitGroup
from scoring.progress import board as board_calc
from scoring.progress.forms import DeadlineExtensionForm
from scoring.progress.xlsx import XLSX_CONTENT_TYPE, board_workbook
from scoring.workflow import Status

logger = logging.getLogger(__name__)


def _admin_body(request: HttpRequest, code: str) -> tuple[EvaluatingBody, list[EvaluatingBody]]:
    """Return the body asked for (or the first) among those the user administers; 404 otherwise."""
    bodies = list(bodies_administered_by(user=request.user).order_by("name"))
    body = next((b for b in bodies if b.code == code), None) if code else _chosen_or_first(request, bodies)
    if body is None:
        raise Http404
    return body, bodies


def _chosen_or_first(request: HttpRequest, bodies: list[EvaluatingBody]) -> EvaluatingBody | None:
    chosen = chosen_body_id(request)
    return next((b for b in bodies if b.pk == chosen), None) or next(iter(bodies), None)


def _admin_period(request: HttpRequest, period_id: int) -> Period:
    """Return the period if the user administers its body; 404 otherwise."""
    period = (
        Period.objects.filter(pk=period_id, body__in=bodies_administered_by(user=request.user))
        .select_related("body")
        .first()
    )
    if period is None:
        raise Http404
    return period


def _period(body: EvaluatingBody, raw_year: str) -> tuple[Period | None, list[Period]]:
    """Return the year asked for (or the latest) and every period of the body, newest first."""
    periods = list(Period.objects.filter(body=body).order_by("-year"))
    if not raw_year:
        return (periods[0] if periods else None), periods
    period = next((p for p in periods if str(p.year) == raw_year.strip()), None)
    if period is None:
        raise Http404
    return period, periods


def sheet_url(*, assessment_id: int | None) -> str:
    """Return the unit's scoring page, or "" while the unit has not started or that page does not exist."""
    if assessment_id is None:
        return ""
    try:
        return reverse("assessment:sheet", kwargs={"pk": assessment_id})
    except NoReverseMatch:
        return ""


@dataclass(frozen=True, slots=True)
class BoardLine:
    """One row of the table: the selector's row plus what the page needs to link and print."""

    row: object
    state: str
    state_label: str
    scored_text: str
    is_extended: bool
    sheet_url: str
    extension_url: str


@dataclass(frozen=True, slots=True)
class SortColumn:
    key: str
    label: str
    url: str
    arrow: str


@dataclass(frozen=True, slots=True)
class Board:
    body: EvaluatingBody
    bodies: list[EvaluatingBody]
    period: Period | None
    periods: list[Period]
    groups: list[UnitGroup]
    group: str
    status: str
    sort: board_calc.Sort
    rows: list
    counts: board_calc.BoardCounts | None

    def params(self, **changes: str) -> dict[str, str]:
        """Return the query parameters of this view of the board, with some changed."""
        params = {
            "body": self.body.code,
            "year": str(self.period.year) if self.period else "",
            "group": self.group,
            "status": self.status,
            "sort": self.sort.param,
        }
        params.update(changes)
        return {k: v for k, v in params.items() if v and not (k == "sort" and v == board_calc.DEFAULT_SORT)}

    def query(self, **changes: str) -> str:
        return urlencode(self.params(**changes))


def status_label(state: str) -> str:
    if state == board_calc.NOT_STARTED:
        return _("Chưa bắt đầu")
    if state == board_calc.LATE:
        return _("Quá hạn")
    return str(Status(state).label)


def _status_choices() -> list[tuple[str, str]]:
    return [(value, status_label(value)) for value in board_calc.STATUS_FILTERS]


def _load_board(request: HttpRequest) -> Board:
    """Return the board for the body, year, group, status and order of the query string."""
    body, bodies = _admin_body(request, request.GET.get("body", "").strip())
    period, periods = _period(body, request.GET.get("year", ""))
    group = request.GET.get("group", "").strip()
    status = request.GET.get("status", "").strip()
    if status not in board_calc.STATUS_FILTERS:
        status = ""
    sort = board_calc.parse_sort(request.GET.get("sort"))
    rows: list = []
    counts = None
    if period is not None:
        # Every unit is loaded (a province has about a hundred); filtering and sorting happen in Python.
        in_group = board_calc.board_filter(progress_board(body=body, period=period), group=group or None)
        counts = board_calc.board_counts(in_group)
        rows = board_calc.board_sort(board_calc.board_filter(in_group, status=status or None), sort)
    return Board(
        body=body,
        bodies=bodies,
        period=period,
        periods=periods,
        groups=list(UnitGroup.objects.filter(body=body).order_by("order", "name")),
        group=group,
        status=status,
        sort=sort,
        rows=rows,
        counts=counts,
    )


def _lines(board: Board) -> list[BoardLine]:
    lines = []
    for row in board.rows:
        state = board_calc.row_state(row)
        extension_url = reverse(
            "assessment:board_extension", kwargs={"period_id": board.period.pk, "unit_id": row.unit_id}
        )
        lines.append(
            BoardLine(
                row=row,
                state=state,
                state_label=status_label(state),
                scored_text=board_calc.percent_text(row.scored_percent),
                is_extended=board_calc.is_extended(
                    row, period_deadline=board.period.self_assessment_deadline
                ),
                sheet_url=sheet_url(assessment_id=row.assessment_id),
                extension_url=f"{extension_url}?{urlencode({'next': board.query()})}",
            )
        )
    return lines


COLUMN_LABELS = {
    "unit": gettext_lazy("Đơn vị"),
    "status": gettext_lazy("Trạng thái"),
    "scored": gettext_lazy("Đã chấm"),
    "evidence": gettext_lazy("Tài liệu kiểm chứng"),
    "activity": gettext_lazy("Hoạt động gần nhất"),
    "submitted": gettext_lazy("Gửi lúc"),
    "deadline": gettext_lazy("Hạn nộp"),
}


def _columns(board: Board) -> dict[str, SortColumn]:
    base = reverse("assessment:board")
    columns = {}
    for key in board_calc.SORT_KEYS:
        arrow = ""
        if key == board.sort.key:
            arrow = "▼" if board.sort.descending else "▲"
        columns[key] = SortColumn(
            key=key,
            label=str(COLUMN_LABELS[key]),
            url=f"{base}?{board.query(sort=board.sort.toggled(key).param)}",
            arrow=arrow,
        )
    return columns


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    board = _load_board(request)
    context = {
        "board": board,
        "lines": _lines(board) if board.period else [],
        "columns": _columns(board),
        "status_choices": _status_choices(),
        "query": board.query(),
        "counter_links": {
            **{state: f"?{board.query(status=state)}" for state in board_calc.STATUS_FILTERS},
            "all": f"?{board.query(status='')}",
        },
        "reminder_days": settings.REMINDER_DAYS_BEFORE_DEADLINE,
    }
    return render(request, "scoring/progress/board.html", context)


@login_required
@require_GET
def board_xlsx(request: HttpRequest) -> HttpResponse:
    board = _load_board(request)
    if board.period is None:
        raise Http404
    content = board_workbook(
        rows=board.rows,
        title=_("Tiến độ tự đánh giá chỉ số CCHC năm %(year)s — %(body)s")
        % {"year": board.period.year, "body": board.body.name},
        status_label=status_label,
        period_deadline=board.period.self_assessment_deadline,
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    suffix = "".join(f"-{v}" for v in (board.group, board.status) if v)
    filename = f"tien-do-{board.body.code}-{board.period.year}{suffix}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


BOARD_PARAMS = ("body", "year", "group", "status", "sort")


def _back_to_board(request: HttpRequest, period: Period) -> str:
    """Return the board the administrator came from (its filters kept), else the period's board."""
    raw = request.POST.get("next") or request.GET.get("next") or ""
    # Only the board's own parameters are taken from it: the address itself is always the board's.
    params = {k: v for k, v in QueryDict(raw.lstrip("?")).items() if k in BOARD_PARAMS and v}
    if params.get("body") != period.body.code or params.get("year") != str(period.year):
        params = {"body": period.body.code, "year": str(period.year)}
    return f"{reverse('assessment:board')}?{urlencode(params)}"


@login_required
@require_http_methods(["GET", "POST"])
def board_extension(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    period = _admin_period(request, period_id)
    unit = Unit.objects.filter(pk=unit_id, body=period.body).select_related("group").first()
    if unit is None:
        raise Http404
    assessment = Assessment.objects.filter(period=period, unit=unit).select_related("period").first()
    extensions = (
        list(assessment.extensions.select_related("granted_by").order_by("-granted_at", "-pk"))
        if assessment
        else []
    )
    current_deadline = assessment.deadline(extensions) if assessment else period.self_assessment_deadline
    form = DeadlineExtensionForm(request.POST or None, current_deadline=current_deadline)
    if request.method == "POST" and form.is_valid():
        try:
            # A unit that has not started gets its assessment here; it goes if the grant is refused.
            with transaction.atomic():
                target = assessment or assessment_get_or_create(period=period, unit=unit)
                extension = deadline_extension_grant(
                    assessment=target,
                    new_deadline=form.cleaned_data["new_deadline"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
        except AssessmentError as exc:
            field = getattr(exc, "field", None)
            form.add_error(field if field in form.fields else None, str(getattr(exc, "message", exc)))
        else:
            messages.success(
                request,
                _("Đã gia hạn tự đánh giá cho %(unit)s đến %(deadline)s.")
                % {
                    "unit": unit.name,
                    "deadline": timezone.localtime(extension.new_deadline).strftime("%d/%m/%Y %H:%M"),
                },
            )
            return redirect(_back_to_board(request, period))
    context = {
        "period": period,
        "unit": unit,
        "form": form,
        "extensions": extensions,
        "current_deadline": current_deadline,
        "original_deadline": period.self_assessment_deadline,
        "is_past": current_deadline is not None and current_deadline <= timezone.now(),
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "back_url": _back_to_board(request, period),
    }
    return render(request, "scoring/progress/extension.html", context)


@login_required
@require_POST
def board_remind(request: HttpRequest, period_id: int) -> HttpResponse:
    from scoring.jobs.queue import queue_down_reason, task_publish
    from scoring.tasks import assessment_reminders_send_task

    period = _admin_period(request, period_id)
    actor_id = request.user.pk

    def enqueue() -> None:
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            if task_publish(assessment_reminders_send_task, args=[period.body_id, period.pk, actor_id]):
                messages.info(request, _("Đang gửi thư nhắc nhở; các đơn vị sẽ nhận được trong ít phút."))
            else:  # the broker is away: say so at once rather than an error page after a long wait
                messages.error(request, queue_down_reason())
            return
        # Without a broker the task runs here and now, so its count can be shown at once.
        try:
            count = assessment_reminders_send_task.delay(period.body_id, period.pk, actor_id).get()
        except Exception:  # a mail server down must not turn the board into an error page
            logger.exception("Assessment reminders for period %s failed", period.pk)
            messages.error(
                request, _("Không gửi được thư nhắc nhở; hãy thử lại sau hoặc báo quản trị hệ thống.")
            )
        else:
            messages.success(request, _("Đã gửi nhắc nhở tới %(n)s người.") % {"n": count})

    transaction.on_commit(enqueue)
    return redirect(_back_to_board(request, period))
