"""Run one import's reader on a file in a fresh process and print what it cost, as JSON.

    python -m tests.scoring.spreadsheets.measure <import> <path>

Prints {"seconds": …, "growth_mb": …, "errors": [...]}: growth_mb is the rise of the process's peak
resident memory (ru_maxrss) over what it was once Django was set up and the file read, so that it counts
the reader alone, C allocations (zlib, expat) included. No database: the readers run on plain values.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _errors(kind: str, content: bytes, filename: str) -> list[str]:
    from reports.province.io import NationalResultsImportError, parse_national_results
    from reports.published.io import PublishedResultsImportError, parse_published_results
    from scoring.accounts.io import RoleVocabulary, parse_users
    from scoring.evaluation.io import read_criteria
    from surveys.ballot_import.io import BallotFileError, Catalogue, read_ballots
    from surveys.design.io import forms_from_workbook
    from surveys.sipas.io import SipasFileError, parse_sipas

    try:
        if kind == "criteria":
            return [e.message for e in read_criteria(content).errors]
        if kind == "users":
            parsed = parse_users(
                content=content, filename=filename, roles=RoleVocabulary(labels={}, unit_roles=())
            )
            return [e.message for e in parsed.errors]
        if kind == "survey_forms":
            return [e.message for e in forms_from_workbook(content).errors]
        if kind == "ballots":
            read_ballots(content=content, filename=filename, catalogue=Catalogue(forms={}, units={}))
        elif kind == "sipas":
            parse_sipas(content=content, filename=filename, unit_codes=())
        elif kind == "published":
            parse_published_results(content=content, filename=filename, default_year=2025)
        elif kind == "national":
            parse_national_results(content=content, filename=filename)
        else:
            raise SystemExit(f"unknown import {kind}")
    except (BallotFileError, SipasFileError, PublishedResultsImportError, NationalResultsImportError) as exc:
        return [e.message for e in exc.errors]
    return []


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("vi")
    content = path.read_bytes()
    _errors("criteria", b"", "warm-up.xlsx")  # imports every reader before the baseline
    before = _peak_mb()
    started = time.perf_counter()
    errors = _errors(kind, content, path.name)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"seconds": seconds, "growth_mb": _peak_mb() - before, "errors": errors}, ensure_ascii=False
        )
    )


if __name__ == "__main__":
    main()
