"""Models of the reports app, one module per room: published results, jobs, the province's own index."""

from .jobs import ComputedResult, ResultsState
from .papers import ReportParticulars
from .province import FieldTarget, NationalFieldResult, NationalResult, RecoveryAction
from .results import (
    RESULT_POINTS,
    PublicationDecision,
    PublishedFieldResult,
    PublishedResult,
    PublishedResultQuerySet,
    ResultSnapshot,
    ResultSnapshotQuerySet,
    SnapshotImmutable,
)

__all__ = [
    "RESULT_POINTS",
    "ComputedResult",
    "FieldTarget",
    "NationalFieldResult",
    "NationalResult",
    "PublicationDecision",
    "PublishedFieldResult",
    "PublishedResult",
    "PublishedResultQuerySet",
    "RecoveryAction",
    "ReportParticulars",
    "ResultSnapshot",
    "ResultsState",
    "ResultSnapshotQuerySet",
    "SnapshotImmutable",
]
