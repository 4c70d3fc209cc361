"""The one job page: what the shared template (`scoring/jobs/detail.html`) needs to show a job of any kind.

Each kind's view keeps its own address and permission check, then fills this in: where to poll, where the file
and the retry are, and the sentences its page has always said on success and failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.models import Job

TEMPLATE = "scoring/jobs/detail.html"
STATUS_FRAGMENT = "scoring/jobs/detail.html#status"


@dataclass(frozen=True, slots=True)
class JobPage:
    """How one kind's page shows its job; every address is already permission-checked by the view."""

    poll_url: str
    section_id: str = "job-status"
    box_class: str = ""
    download_url: str = ""
    retry_url: str = ""
    success_text: str = ""  # shown when the job succeeded without a file (an import's counts)
    failure_text: str = ""  # shown above the errors of the rows
    failure_note: str = ""  # a last word on a failure (the import that would replace figures)
    progress_when_done: bool = (
        False  # reports keep their bar and note at 100 %; imports show the outcome only
    )


def job_template(*, htmx: bool) -> str:
    """Return the whole page, or only the status fragment that htmx polls."""
    return STATUS_FRAGMENT if htmx else TEMPLATE


def job_page_context(job: Job, page: JobPage, **extra: object) -> dict[str, object]:
    """Return the template's context: the job, how to show it, and what the kind's page adds around it."""
    show_progress = job.status != Job.Status.FAILED and (not job.is_finished or page.progress_when_done)
    return {"job": job, "page": page, "show_progress": show_progress, **extra}
