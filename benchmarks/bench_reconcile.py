"""Time the double-entry reconciliation page at 100,000 paper ballots on PostgreSQL.

Creates (or reuses) a body "bench-reconcile" with 50 districts, two ballot forms of 30 questions, 100,000 ballots
keyed in round 1 (3 million answers) of which 70,000 are keyed again in round 2: 2,100 of those differ in one
answer and 350 in the unit, and 500 ballots are keyed in round 2 only. The rows are written with COPY (the
import itself is timed by bench_survey.py). Then, logged in as the body's administrator through Django's test
client, it loads the first page of `surveys:mismatch_list` and a page in the middle, 5 times each after a
warm-up, and counts the queries of the list (surveys.double_entry.services.ballot_mismatch_page).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \
        .venv/bin/python benchmarks/bench_reconcile.py [--runs 5] [--cleanup]

Goal (issue 11): the page under 1 s at 100,000 ballots (it took 9.4 s and 20.8 MB at 71,000 when it read
every ballot and answer).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
# The page is timed for a body administrator signed in by force_login: no second-factor step in between.
os.environ.setdefault("TWO_FACTOR_REQUIRED_ROLES", "")

BODY_CODE = "bench-reconcile"
USERNAME = "bench-reconcile-admin"
YEAR = 2026
UNITS = 50
QUESTIONS = 30
FORMS = ("M1", "M2")
BALLOTS = 100_000
SECOND = 70_000  # keyed twice
DIFFERENT_ANSWER = 2_100  # of those, one answer keyed differently
DIFFERENT_UNIT = 350  # of those, another unit keyed
SECOND_ONLY = 500


def setup():
    """Return the period and its administrator, creating the body, units, criteria set and forms once."""
    from scoring.evaluation import services
    from scoring.models import CriteriaItem, CriteriaSet, Level, Method, Role, RoleAssignment, Unit, User
    from surveys.models import DEFAULT_OPTIONS, AnswerOption, BallotForm, Question, SamplePlan

    body = services.body_get_or_create(code=BODY_CODE, name="UBND tỉnh Đo hiệu năng đối chiếu")
    group, _ = services.unit_group_get_or_create(body=body, name="UBND cấp huyện")
    period, _ = services.period_get_or_create(body=body, year=YEAR)
    user, _ = User.objects.get_or_create(username=USERNAME)
    RoleAssignment.objects.get_or_create(user=user, body=body, role=Role.BODY_ADMIN, unit=None)
    units = []
    for n in range(1, UNITS + 1):
        unit, _ = Unit.objects.get_or_create(
            body=body, code=f"huyen-{n:02d}", defaults={"name": f"Huyện {n:02d}", "group": group}
        )
        units.append(unit)
    criteria_set, created = CriteriaSet.objects.get_or_create(
        period=period, unit_group=group, defaults={"name": "Bộ tiêu chí đo hiệu năng đối chiếu"}
    )
    if created:
        field = CriteriaItem.objects.create(
            criteria_set=criteria_set, level=Level.FIELD, code="8", name="Tác động", max_points=30, order=0
        )
        leaves = [
            CriteriaItem.objects.create(
                criteria_set=criteria_set,
                parent=field,
                level=Level.CRITERION,
                code=f"8.{n}",
                name=f"Tiêu chí 8.{n}",
                max_points=Decimal(1),
                step="0.25",
                method=Method.SURVEY,
                order=n,
            )
            for n in range(1, QUESTIONS + 1)
        ]
        for order, code in enumerate(FORMS, start=1):
            form = BallotForm.objects.create(
                period=period,
                code=code,
                name=f"Phiếu {code}",
                respondent_group="Lãnh đạo các sở, ban, ngành",
                target_group=group,
                order=order,
            )
            for number, item in enumerate(leaves, start=1):
                question = Question.objects.create(
                    form=form, number=number, text=item.name, item=item, order=number
                )
                AnswerOption.objects.bulk_create(
                    AnswerOption(question=question, code=c, label=label, share=share)
                    for c, label, share in DEFAULT_OPTIONS
                )
            SamplePlan.objects.bulk_create(SamplePlan(form=form, unit=u, issued=2000) for u in units)
    return period, user, [u.pk for u in units]


def _copy(cursor, table: str, columns: str, lines) -> None:
    buffer = io.StringIO()
    buffer.writelines(lines)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def build(period, unit_ids: list[int]) -> None:
    """Write the ballots of both rounds and their answers with COPY, unless an earlier run did."""
    from django.db import connection, transaction
    from django.utils import timezone

    from surveys.double_entry.calc import answers_key
    from surveys.models import AnswerOption, Ballot, BallotForm

    if Ballot.objects.filter(period=period).exists():
        return
    started = time.perf_counter()
    rng = random.Random(11)
    forms = list(BallotForm.objects.filter(period=period).order_by("code"))
    options: dict[int, list[tuple[int, int]]] = {}  # form id → [(question id, [option ids])]
    for form in forms:
        per_question: dict[int, list[int]] = {}
        for question_id, option_id in (
            AnswerOption.objects.filter(question__form=form)
            .order_by("question__number", "code")
            .values_list("question_id", "id")
        ):
            per_question.setdefault(question_id, []).append(option_id)
        options[form.pk] = list(per_question.items())
    now = timezone.now().isoformat()
    ballots: list[tuple[int, int, str, int, list[tuple[int, int]]]] = []  # form, unit, number, round, answers
    for n in range(BALLOTS + SECOND_ONLY):
        form = forms[n % len(forms)]
        unit_id = unit_ids[(n // len(forms)) % UNITS]
        answers = [(q, rng.choice(opts)) for q, opts in options[form.pk]]
        number = f"{n + 1:06d}"
        if n < BALLOTS:
            ballots.append((form.pk, unit_id, number, 1, answers))
        if n < SECOND or n >= BALLOTS:
            second_unit, second_answers = unit_id, list(answers)
            if n < DIFFERENT_ANSWER:
                q, option = second_answers[n % QUESTIONS]
                others = [o for o in dict(options[form.pk])[q] if o != option]
                second_answers[n % QUESTIONS] = (q, others[0])
            elif n < DIFFERENT_ANSWER + DIFFERENT_UNIT:
                second_unit = unit_ids[(unit_ids.index(unit_id) + 1) % UNITS]
            ballots.append((form.pk, second_unit, number, 2, second_answers))
    # Shuffled so that the differing ballots are spread over the pages, as typing slips are.
    rng.shuffle(ballots)
    table = connection.ops.quote_name(Ballot._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        _copy(
            cursor,
            table,
            "period_id, form_id, unit_id, number, respondent, status, reject_reason, entered_at, source, "
            "entry_round, answers_key, version, void_reason",
            (
                f"{period.pk}\t{f}\t{u}\t{number}\t{{}}\taccepted\t\t{now}\timport\t{r}\t{answers_key(a)}\t1\t\n"
                for f, u, number, r, a in ballots
            ),
        )
        ids = {
            (f, number, r): pk
            for f, number, r, pk in Ballot.objects.filter(period=period).values_list(
                "form_id", "number", "entry_round", "id"
            )
        }
        _copy(
            cursor,
            "surveys_ballotanswer",
            "ballot_id, question_id, option_id",
            (f"{ids[(f, number, r)]}\t{q}\t{o}\n" for f, _u, number, r, a in ballots for q, o in a),
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_ballotanswer, surveys_ballot")
    print(
        f"built {len(ballots)} ballots and {len(ballots) * QUESTIONS} answers in {time.perf_counter() - started:.0f} s"
    )


def cleanup() -> None:
    """Delete the benchmark body with everything under it, in the order its protected foreign keys need."""
    from django.db import connection, transaction

    from scoring.models import CriteriaItem, CriteriaSet, EvaluatingBody, Period, Unit, User
    from surveys.models import BallotForm

    body = EvaluatingBody.objects.filter(code=BODY_CODE).first()
    with transaction.atomic():
        if body is not None:
            periods = Period.objects.filter(body=body)
            with connection.cursor() as cursor:
                for period_id in periods.values_list("id", flat=True):
                    # Two statements: the ORM's cascade would load 5 million answers first.
                    cursor.execute(
                        "DELETE FROM surveys_ballotanswer WHERE ballot_id IN "
                        "(SELECT id FROM surveys_ballot WHERE period_id = %s)",
                        [period_id],
                    )
                    cursor.execute("DELETE FROM surveys_ballot WHERE period_id = %s", [period_id])
            BallotForm.objects.filter(period__in=periods).delete()  # with questions, options and plans
            CriteriaItem.objects.filter(criteria_set__period__in=periods).delete()
            CriteriaSet.objects.filter(period__in=periods).delete()
            periods.delete()
            Unit.objects.filter(body=body).delete()
            body.delete()  # with its groups and role assignments
        User.objects.filter(username=USERNAME).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cleanup", action="store_true", help="delete the benchmark data and exit")
    parser.add_argument(
        "--small", action="store_true", help=argparse.SUPPRESS
    )  # 1 % of the data, to try the script
    args = parser.parse_args()
    if args.small:
        global BALLOTS, SECOND, DIFFERENT_ANSWER, DIFFERENT_UNIT, SECOND_ONLY
        BALLOTS, SECOND, DIFFERENT_ANSWER, DIFFERENT_UNIT, SECOND_ONLY = 1_000, 700, 21, 4, 5
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("bench_reconcile: set DATABASE_URL to a PostgreSQL database (see `make bench`)")

    import django

    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    if args.cleanup:
        cleanup()
        print("reconciliation: benchmark data deleted")
        return
    period, user, unit_ids = setup()
    build(period, unit_ids)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = reverse("surveys:mismatch_list", args=[period.pk])

    def fetch(page: int) -> tuple[float, bytes]:
        started = time.perf_counter()
        response = client.get(url, {"trang": page})
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            sys.exit(f"reconciliation: {response.status_code} {response.content[:300]!r}")
        return elapsed, response.content

    _seconds, content = fetch(1)  # warm-up: URL resolver, templates, connection
    listed = DIFFERENT_ANSWER + DIFFERENT_UNIT + SECOND_ONLY
    text = content.decode()
    expected = f"Cần đối chiếu: <strong>{listed}</strong>"
    if expected.replace(str(listed), f"{listed:,}".replace(",", ".")) not in text and expected not in text:
        sys.exit(f"reconciliation: the page does not say {expected!r}")
    # The test client resets the query log at each request, so the page's own queries are counted on its service.
    from surveys.double_entry.services import ballot_mismatch_page

    with CaptureQueriesContext(connection) as queries:
        ballot_mismatch_page(period=period, page_number=1)
    # Read now: the next request through the client empties the connection's query log that this reads.
    list_queries = len(queries)
    pages = -(-listed // 50)
    for page in sorted({1, max(1, pages // 2)}):
        timings = [fetch(page)[0] for _ in range(args.runs)]
        print(
            f"reconciliation page {page}/{pages}: {BALLOTS:,} ballots ({SECOND:,} keyed twice, {listed:,} to "
            f"reconcile): median {statistics.median(timings) * 1000:.0f} ms, min {min(timings) * 1000:.0f} ms "
            f"(goal < 1 s); {list_queries} queries for the list, {len(content) / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
