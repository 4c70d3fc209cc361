"""Print what a backup must bring back, as JSON: published snapshot hashes and evidence file checksums.

Run from the repository root against any database: `python -m tests.scoring.backup.fingerprint`. Each snapshot
gives its stored hash and the hash of its content as read back; each evidence gives its stored SHA-256 and that of
its file under MEDIA_ROOT (None when the file is missing).
"""

from __future__ import annotations

import hashlib
import json
import os


def fingerprint() -> dict:
    """Return the snapshots' and evidence files' hashes, and a count of rows of a few tables."""
    from reports.models import PublicationDecision, ResultSnapshot
    from reports.publication.snapshot import content_hash
    from scoring.models import Assessment, AuditEvent, Evidence, User

    def file_hash(field) -> str | None:
        try:
            with field.open("rb") as handle:
                return hashlib.sha256(handle.read()).hexdigest()
        except FileNotFoundError:
            return None

    return {
        "snapshots": {
            str(s.pk): [s.content_hash, content_hash(s.content)]
            for s in ResultSnapshot.objects.order_by("pk")
        },
        "evidence": {str(e.pk): [e.sha256, file_hash(e.file)] for e in Evidence.objects.order_by("pk")},
        "decision_files": {
            str(d.pk): file_hash(d.file) for d in PublicationDecision.objects.order_by("pk") if d.file
        },
        "counts": {
            model.__name__: model.objects.count()
            for model in (User, Assessment, AuditEvent, PublicationDecision)
        },
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    import django

    django.setup()
    print(json.dumps(fingerprint(), sort_keys=True))
