"""Double entry: compare the two keyings of the same paper ballots. Pure: plain values in, mismatches out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MISSING_SECOND = "missing_second"
MISSING_FIRST = "missing_first"
DIFFERENT = "different"


@dataclass(frozen=True, slots=True)
class Keyed:
    """One keying of a ballot: its unit and {question number: option code ("" = blank)}."""

    unit_id: int
    answers: Mapping[int, str]


@dataclass(frozen=True, slots=True)
class Mismatch:
    form_id: int
    number: str
    kind: str
    unit_differs: bool = False
    questions: tuple[int, ...] = ()


def compare_rounds(
    first: Mapping[tuple[int, str], Keyed], second: Mapping[tuple[int, str], Keyed]
) -> list[Mismatch]:
    """Return every ballot (form, number) whose two keyings differ, or that only one round has, in key order."""
    result = []
    for key in sorted(set(first) | set(second)):
        form_id, number = key
        a, b = first.get(key), second.get(key)
        if a is None:
            result.append(Mismatch(form_id, number, MISSING_FIRST))
        elif b is None:
            result.append(Mismatch(form_id, number, MISSING_SECOND))
        else:
            questions = tuple(
                n
                for n in sorted(set(a.answers) | set(b.answers))
                if a.answers.get(n, "") != b.answers.get(n, "")
            )
            if questions or a.unit_id != b.unit_id:
                result.append(Mismatch(form_id, number, DIFFERENT, a.unit_id != b.unit_id, questions))
    return result


def answers_key(answers: Iterable[tuple[int, int | None]]) -> str:
    """Return a 16-character digest of the answers (question id, option id or None for blank) that two keyings
    share exactly when they chose the same options; blank and missing answers are left out, as compare_rounds
    does. A digest rather than the answers themselves keeps the rows the database groups narrow (64 bits: two
    different keyings of one ballot sharing it is a 1 in 10^19 chance)."""
    text = ",".join(f"{q}:{o}" for q, o in sorted((q, o) for q, o in answers if o is not None))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
