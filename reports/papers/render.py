"""A unit's papers to sign as PDFs, rendered on request: its self-assessment dossier and its appraisal notice.

Both are one unit's dossier (some 70 items, a few pages), read in a fixed number of queries by the selectors
the dossier and appraisal pages use, so each PDF shows what its reader may see on those pages (hidden drafts
stay hidden) and is refused (404) to whoever may not see the dossier.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import assessment_load
from appraisal.rounds.selectors import appraisal_sheet
from reports.render.files import PDF_CONTENT_TYPE, RenderedFile
from reports.render.pdf import render_pdf
from scoring.assessment.selectors import assessment_get_for_user, scoring_sheet
from scoring.models import User
from scoring.workflow import Status

from .data import particulars_build
from .selectors import period_particulars

# The notice reports round-1 results once they are sent to the unit, and the final ones after round 2.
NOTICE_STATUSES = frozenset({Status.EXPLANATION, Status.ROUND_2, Status.COUNCIL_APPROVED, Status.PUBLISHED})


def _footer(text: str) -> str:
    return text.replace('"', "").replace("'", "")  # inside a CSS string of the page footer


def dossier_pdf(*, user: User, pk: int) -> RenderedFile:
    """Return the unit's self-assessment dossier (every item, self-score, evidence, explanation) as a PDF."""
    assessment = assessment_get_for_user(user=user, pk=pk)
    sheet = scoring_sheet(assessment=assessment, user=user)
    period, unit = assessment.period, assessment.unit
    body = period.body
    particulars = particulars_build(
        issuer_parent=body.name,
        issuer=unit.name,
        today=timezone.localdate(),
        signer_title=_("THỦ TRƯỞNG ĐƠN VỊ"),
        default_recipients=(
            _("%(administrator)s (thẩm định);") % {"administrator": body.administrator_name or body.name},
            _("Lưu: VT."),
        ),
    )
    title = _("Báo cáo tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm %(year)s") % {
        "year": period.year
    }
    content = render_pdf(
        "reports/pdf/dossier.html",
        {
            "title": title,
            "sheet": sheet,
            "unit": unit,
            "period": period,
            "particulars": particulars,
            "footer_note": _footer(f"{unit.name} — {title}"),
        },
    )
    return RenderedFile(
        content=content, filename=f"tu-danh-gia-{unit.code}-{period.year}.pdf", content_type=PDF_CONTENT_TYPE
    )


def appraisal_notice_pdf(*, user: User, pk: int) -> RenderedFile:
    """Return the notice of the unit's appraisal result (Thông báo kết quả thẩm định) as a PDF.

    Only once round 1 has gone to the unit: before that the results are the appraisers' draft (404).
    """
    assessment = assessment_load(pk)
    sheet = appraisal_sheet(assessment=assessment, user=user)  # Http404 when the user may not see it
    if assessment.status not in NOTICE_STATUSES or not sheet.visibility.sees_round1:
        raise Http404(_("Hồ sơ chưa có kết quả thẩm định gửi đơn vị."))
    period, unit = assessment.period, assessment.unit
    particulars = period_particulars(
        period,
        kind_code="TB",
        with_number=False,
        default_recipients=(f"{unit.name};", _("Lưu: VT.")),
    )
    final = assessment.status in {Status.COUNCIL_APPROVED, Status.PUBLISHED, Status.ROUND_2}
    changed = [i for i in sheet.items if i.applicable and i.final is not None and i.final != i.self_points]
    flagged = [i for i in sheet.items if i.flagged]
    totals = {
        "max": sum((f.summary.max_points for f in sheet.fields), start=0),
        "self": sum((f.summary.self_points for f in sheet.fields), start=0),
        "final": sum((f.summary.final_points for f in sheet.fields), start=0),
    }
    title = _("Thông báo kết quả thẩm định Chỉ số cải cách hành chính năm %(year)s") % {"year": period.year}
    content = render_pdf(
        "reports/pdf/appraisal_notice.html",
        {
            "title": title,
            "sheet": sheet,
            "unit": unit,
            "period": period,
            "status_label": assessment.get_status_display(),
            "final": final,
            "changed": changed,
            "flagged": flagged,
            "totals": totals,
            "particulars": particulars,
            "footer_note": _footer(f"{unit.name} — {title}"),
        },
    )
    return RenderedFile(
        content=content,
        filename=f"thong-bao-tham-dinh-{unit.code}-{period.year}.pdf",
        content_type=PDF_CONTENT_TYPE,
    )
