"""Importing many ballots from a spreadsheet: all or nothing, idempotent, in batches; and the template.

Validation of the file against the design is pure (surveys.ballot_import.io); here the period's design is read
into plain values, and the valid rows are stored. Ballot numbers already stored for a form are left
unchanged, so re-importing a file (or a file that overlaps an earlier one) never duplicates ballots.
Incomplete ballots and ballots beyond the sample plan are stored rejected with their reason, as the
issue asks ("a rejected ballot is kept with its reason, never silently dropped").
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.jobs import services as jobs
from scoring.jobs.registry import JobKind, job_kind_register
from scoring.models import Job, Period, Unit, User
from scoring.results.state import published_unit_ids, results_changed_notify
from scoring.spreadsheets.write import append_row

from ..double_entry.calc import answers_key
from ..models import (
    AnswerOption,
    Ballot,
    BallotAnswer,
    BallotForm,
    BallotSource,
    BallotStatus,
    Question,
    RejectReason,
    SamplePlan,
)
from . import io as ballot_io

logger = logging.getLogger(__name__)

BATCH_SIZE = 5_000
# From this many answers on, PostgreSQL checks the answers' foreign keys once at the end (see below).
BULK_LOAD_ANSWERS = 100_000


@dataclass(frozen=True, slots=True)
class BallotImportSummary:
    created: int = 0
    unchanged: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        return self.created - sum(self.rejected_by_reason.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "created": self.created,
            "unchanged": self.unchanged,
            "rejected_by_reason": self.rejected_by_reason,
        }

    def __str__(self) -> str:
        text = _("%(created)s phiếu mới (%(accepted)s hợp lệ), %(unchanged)s phiếu đã có giữ nguyên") % {
            "created": self.created,
            "accepted": self.accepted,
            "unchanged": self.unchanged,
        }
        if self.rejected_by_reason:
            reasons = ", ".join(
                f"{RejectReason(r).label if r in RejectReason.values else r}: {n}"
                for r, n in sorted(self.rejected_by_reason.items())
            )
            text += "; " + _("không hợp lệ: %(reasons)s") % {"reasons": reasons}
        return text + "."


def ballot_catalogue(*, period: Period) -> ballot_io.Catalogue:
    """Return the period's forms, questions, options and the body's units as plain values (4 queries)."""
    options: dict[int, dict[str, int]] = {}
    for option_id, question_id, code in AnswerOption.objects.filter(
        question__form__period=period
    ).values_list("id", "question_id", "code"):
        options.setdefault(question_id, {})[code.upper()] = option_id
    questions: dict[int, dict[int, ballot_io.QuestionSpec]] = {}
    for question_id, form_id, number in Question.objects.filter(form__period=period).values_list(
        "id", "form_id", "number"
    ):
        questions.setdefault(form_id, {})[number] = ballot_io.QuestionSpec(
            question_id, options.get(question_id, {})
        )
    forms = {
        code.upper(): ballot_io.FormSpec(form_id, code, group_id, questions.get(form_id, {}))
        for form_id, code, group_id in BallotForm.objects.filter(period=period)
        .order_by("order", "code")
        .values_list("id", "code", "target_group_id")
    }
    units = {
        code.lower(): ballot_io.UnitSpec(unit_id, code, group_id)
        for unit_id, code, group_id in Unit.objects.filter(body_id=period.body_id)
        .order_by("group__order", "code")
        .values_list("id", "code", "group_id")
    }
    return ballot_io.Catalogue(forms=forms, units=units)


@transaction.atomic
def ballots_import(
    *, period: Period, content: bytes, filename: str, actor: User | None
) -> BallotImportSummary:
    """Store the ballots of a file, or raise ballot_io.BallotFileError and store nothing."""
    rows = ballot_io.read_ballots(
        content=content, filename=filename, catalogue=ballot_catalogue(period=period)
    )
    _refuse_published(period=period, rows=rows)
    # Locks the period's plans so that two imports at once cannot both fill the same quota.
    plans = {
        (form_id, unit_id): issued
        for form_id, unit_id, issued in SamplePlan.objects.select_for_update()
        .filter(form__period=period)
        .values_list("form_id", "unit_id", "issued")
    }
    existing = set(
        Ballot.objects.filter(period=period, entry_round=1)
        .values_list("form_id", "number")
        .iterator(chunk_size=20_000)
    )
    accepted = Counter(
        {
            (f, u): n
            for f, u, n in Ballot.objects.accepted()
            .filter(period=period)
            .values_list("form_id", "unit_id")
            .annotate(n=Count("id"))
            .values_list("form_id", "unit_id", "n")
        }
    )
    now = timezone.now()
    unchanged = 0
    rejected: Counter[str] = Counter()
    new_rows: list[ballot_io.BallotRow] = []
    ballots: list[Ballot] = []
    for row in rows:
        if (row.form_id, row.number) in existing:
            unchanged += 1
            continue
        key = (row.form_id, row.unit_id)
        reason = ""
        if not row.complete:
            reason = RejectReason.INCOMPLETE
        elif key in plans and accepted[key] >= plans[key]:
            reason = RejectReason.OVER_QUOTA
        if reason:
            rejected[str(reason)] += 1
        else:
            accepted[key] += 1
        new_rows.append(row)
        ballots.append(
            Ballot(
                period_id=period.pk,
                form_id=row.form_id,
                unit_id=row.unit_id,
                number=row.number,
                respondent=row.respondent,
                status=BallotStatus.REJECTED if reason else BallotStatus.ACCEPTED,
                reject_reason=str(reason),
                entered_by=actor,
                entered_at=now,
                source=BallotSource.IMPORT,
                entry_round=1,
                answers_key=answers_key(row.answers),
            )
        )
    _store(period=period, rows=new_rows, ballots=ballots)
    if ballots:
        results_changed_notify(period_id=period.pk)
    return BallotImportSummary(created=len(ballots), unchanged=unchanged, rejected_by_reason=dict(rejected))


def _refuse_published(*, period: Period, rows: list[ballot_io.BallotRow]) -> None:
    """Refuse the whole file (BallotFileError, nothing stored) when a row rates a unit whose result is published.

    Each such row is named, with its unit, so the file can be fixed by removing them; one query.
    """
    published = published_unit_ids(period_id=period.pk)
    if not published:
        return
    names = dict(Unit.objects.filter(pk__in=published).values_list("pk", "name"))
    errors = [
        ballot_io.RowError(
            row.row,
            ballot_io.UNIT_COLUMN,
            _("Kết quả năm %(year)s của %(unit)s đã được công bố nên không nhận thêm phiếu.")
            % {"year": period.year, "unit": names[row.unit_id]},
        )
        for row in rows
        if row.unit_id in published
    ]
    if errors:
        raise ballot_io.BallotFileError(errors[: ballot_io.MAX_ERRORS])


def _store(*, period: Period, rows: list[ballot_io.BallotRow], ballots: list[Ballot]) -> None:
    answers = sum(len(row.answers) for row in rows)
    if connection.vendor == "postgresql" and answers >= BULK_LOAD_ANSWERS:
        with _foreign_keys_checked_once(BallotAnswer._meta.db_table):
            _store_batches(period=period, rows=rows, ballots=ballots)
    else:
        _store_batches(period=period, rows=rows, ballots=ballots)


@contextmanager
def _foreign_keys_checked_once(table: str) -> Iterator[None]:
    """Drop the table's foreign keys for a bulk load and add them back, which checks every row in one join.

    PostgreSQL's own advice for loading data ("Populating a Database"): checked row by row at commit, the
    three foreign keys of 3 million answers cost more than 35 s of a 60 s budget. Everything runs inside
    the import's transaction, so a failure restores the constraints with the rollback; the price is that
    the answers table is locked until the import commits.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        constraints = cursor.fetchall()
        # PostgreSQL refuses to drop a foreign key while the transaction has deferred checks pending on the
        # tables it links (rows written earlier in an enclosing transaction): run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        # Back to Django's default: its foreign keys are checked at commit.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _store_batches(*, period: Period, rows: list[ballot_io.BallotRow], ballots: list[Ballot]) -> None:
    for start in range(0, len(ballots), BATCH_SIZE):
        batch = ballots[start : start + BATCH_SIZE]
        Ballot.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        if batch and batch[0].pk is None:
            # A backend that returns no ids from a bulk insert: read them back by form and number.
            ids = {
                (form_id, number): pk
                for form_id, number, pk in Ballot.objects.filter(
                    period=period, entry_round=1, number__in={b.number for b in batch}
                ).values_list("form_id", "number", "id")
            }
            for ballot in batch:
                ballot.pk = ids[(ballot.form_id, ballot.number)]
        pairs = zip(batch, rows[start : start + BATCH_SIZE], strict=True)
        if connection.vendor == "postgresql":
            _copy_answers(pairs)
        else:
            BallotAnswer.objects.bulk_create(
                (
                    BallotAnswer(ballot_id=ballot.pk, question_id=question_id, option_id=option_id)
                    for ballot, row in pairs
                    for question_id, option_id in row.answers
                ),
                batch_size=BATCH_SIZE,
            )


def _copy_answers(pairs: Iterable[tuple[Ballot, ballot_io.BallotRow]]) -> None:
    """Insert the answers with COPY: 3 million BallotAnswer instances through bulk_create took over 2 minutes."""
    buffer = io.StringIO()
    buffer.writelines(
        f"{ballot.pk}\t{question_id}\t{option_id}\n"
        for ballot, row in pairs
        for question_id, option_id in row.answers
    )
    buffer.seek(0)
    table = connection.ops.quote_name(BallotAnswer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} (ballot_id, question_id, option_id) FROM STDIN", buffer)


def _valid_codes(sheet, period: Period) -> None:
    """Write the codes a ballot file may use in this period: forms, units (official order), answer options."""
    forms = list(
        BallotForm.objects.filter(period=period).select_related("target_group").order_by("order", "code")
    )
    append_row(sheet, [_("Mẫu phiếu"), _("Tên mẫu phiếu"), _("Nhóm đơn vị được đánh giá")])
    for form in forms:
        append_row(sheet, [form.code, form.name, form.target_group.name])
    append_row(sheet, [])
    append_row(sheet, [_("Mã đơn vị"), _("Tên đơn vị"), _("Nhóm đơn vị")])
    for unit in Unit.objects.filter(body_id=period.body_id).select_related("group").in_official_order():
        append_row(sheet, [unit.code, unit.name, unit.group.name])
    append_row(sheet, [])
    append_row(sheet, [_("Mẫu phiếu"), _("Câu hỏi"), _("Các phương án trả lời")])
    options: dict[int, list[str]] = {}
    for question_id, code in (
        AnswerOption.objects.filter(question__form__period=period)
        .order_by("question_id", "code")
        .values_list("question_id", "code")
    ):
        options.setdefault(question_id, []).append(code)
    for question in (
        Question.objects.filter(form__period=period)
        .select_related("form")
        .order_by("form__order", "form__code", "number")
    ):
        append_row(
            sheet, [question.form.code, f"C{question.number}", ", ".join(options.get(question.pk, []))]
        )


def ballot_template(*, period: Period) -> bytes:
    """Return an .xlsx template for the period: the columns, one example row per form, and the column help."""
    from openpyxl import Workbook

    header, examples = ballot_io.template_rows(catalogue=ballot_catalogue(period=period))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Phieu"))
    append_row(sheet, header)
    for row in examples:
        append_row(sheet, row)
    codes = workbook.create_sheet(_("Ma hop le"))
    _valid_codes(codes, period)
    help_sheet = workbook.create_sheet(_("Huong dan"))
    append_row(help_sheet, [_("Cột"), _("Bắt buộc"), _("Ý nghĩa")])
    for column, required, meaning in ballot_io.COLUMN_HELP:
        append_row(help_sheet, [str(column), _("có") if required else _("không"), str(meaning)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BALLOT_IMPORT_KIND = "ballots"


def ballot_import_job_create(*, period: Period, upload: UploadedFile, actor: User | None) -> Job:
    """Store the uploaded file as a queued job and enqueue its import once the job is committed."""
    job = Job(
        body=period.body,
        kind=BALLOT_IMPORT_KIND,
        period=period,
        year=period.year,
        original_filename=(upload.name or "")[:255],
        requested_by=actor,
    )
    jobs.job_file_store(
        job, folder=f"ballot-imports/{period.pk}", filename=upload.name or "phieu", content=upload
    )
    job.save()
    jobs.job_enqueue(job)
    return job


def ballot_import_job_run(*, job: Job) -> None:
    """Claim a queued job and run it; a second delivery of the same task does nothing."""
    if jobs.job_claim(job, progress=10):
        ballot_import_job_execute(job)


def ballot_import_job_execute(job: Job) -> None:
    """Run a claimed job: import its file and record the summary or the errors on the job.

    Not atomic as a whole: the job's status must stay recorded when the import itself fails and is rolled back.
    """
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
        result = ballots_import(
            period=job.period, content=content, filename=job.original_filename, actor=job.requested_by
        )
    except ballot_io.BallotFileError as exc:
        jobs.job_fail(job, progress=100, summary={}, errors=[e.as_dict() for e in exc.errors])
    except Exception:
        # Recorded on the job, so the page stops polling and says so, instead of waiting forever.
        logger.exception("ballot import job %s failed", job.pk)
        message = _("Lỗi hệ thống khi nhập tệp; chưa lưu gì. Hãy thử lại hoặc báo quản trị hệ thống.")
        jobs.job_fail(job, progress=100, summary={}, errors=[{"row": None, "column": "", "message": message}])
    else:
        jobs.job_finish(job, summary=result.as_dict(), errors=[])


def _may_read(user: User, job: Job) -> bool:
    from scoring.evaluation.selectors import bodies_administered_by

    # The same rule as the survey pages (surveys.access.admin_period): the body administrators of the period.
    return job.period_id is not None and bodies_administered_by(user=user).filter(pk=job.body_id).exists()


def ballot_import_kind_register() -> None:
    """Register the ballot import with the job runner (called from SurveysConfig.ready)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    job_kind_register(
        JobKind(
            kind=BALLOT_IMPORT_KIND,
            label=gettext_lazy("Nhập phiếu từ tệp"),
            run=ballot_import_job_execute,
            may_read=_may_read,
            page_url=lambda job: reverse("surveys:ballots_import_job", args=[job.period_id, job.pk]),
            start_progress=10,
            status_labels={Job.Status.FAILED: gettext_lazy("Có lỗi, chưa lưu gì")},
        )
    )


def summary_text(summary: dict) -> str:
    """Return a job's stored summary (BallotImportSummary.as_dict) as a Vietnamese sentence."""
    return str(BallotImportSummary(**summary)) if summary else ""
