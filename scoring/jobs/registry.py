"""What each kind of job does, registered by the app that owns the kind (in its `AppConfig.ready()`).

The task runner (`scoring.tasks.job_run_task`) looks the kind up here, so scoring runs the jobs of the apps above
it without importing them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scoring.models import Job

__all__ = [
    "JobKind",
    "UnknownJobKind",
    "job_kind_get",
    "job_kind_label",
    "job_kind_register",
    "job_kinds",
    "job_status_label",
]


class UnknownJobKind(LookupError):
    """No app registered this kind (its app is not installed, or the row is older than the code)."""


@dataclass(frozen=True, slots=True)
class JobKind:
    """A kind of job: its label, what running it does once claimed, and how its pages and API read it.

    `run(job)` is called on a job already claimed (running); it records the outcome with `job_finish` or
    `job_fail`. `page_url(job)` and `may_read(user, job)` let the one job page and API serve every kind;
    `start_progress`/`start_note` are what the job shows the moment it is claimed; `retry_allowed` says whether
    its page offers "Thử lại" for a failed job.
    """

    kind: str
    label: str
    run: Callable[[Job], None]
    may_read: Callable[[Any, Job], bool]
    page_url: Callable[[Job], str]
    start_progress: int = 0
    start_note: str = ""
    status_labels: Mapping[str, str] = field(default_factory=dict)
    retry_allowed: bool = False
    # The kind's own permission-checked download page of a job's result file, for kinds that make one.
    download_url: Callable[[Job], str] | None = None


_KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> None:
    """Register a kind; registering the same kind again replaces it (Django may run `ready()` twice in tests)."""
    _KINDS[kind.kind] = kind


def job_kind_get(kind: str) -> JobKind:
    """Return the registered kind; UnknownJobKind if none."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise UnknownJobKind(kind) from None


def job_kinds() -> list[str]:
    """Return every registered kind."""
    return sorted(_KINDS)


def job_kind_label(kind: str) -> str:
    """Return the kind's label, or the kind itself when no app registered it."""
    registered = _KINDS.get(kind)
    return str(registered.label) if registered else kind


def job_status_label(kind: str, status: str) -> str:
    """Return the status as the kind says it (an import's failure says nothing was saved), else the default."""
    from scoring.models import Job

    registered = _KINDS.get(kind)
    if registered and status in registered.status_labels:
        return str(registered.status_labels[status])
    try:
        return str(Job.Status(status).label)
    except ValueError:
        return status
