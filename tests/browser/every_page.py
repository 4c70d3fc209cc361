"""Every page of the app, who opens it and with which arguments, over the Lai Châu demo (reports/demo).

`VISITS` lists the pages a person opens with GET; `EXCLUDED` names the URLs that are not pages, with the reason.
tests/test_every_page_listed.py fails when a named URL is in neither, so a new page cannot escape the browser
test of every page (tests/browser/test_every_page.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS = ""
ADMIN = "admin"
OFFICER = "canbo.snv"
HEAD = "thutruong.snv"
APPRAISER = "thamdinh"
COUNCIL = "hoidong"
VIEWER = "xem"
# The officer of the unit whose dossier waits for its explanation in the demo (APPRAISAL_STAGES).
EXPLAINING_OFFICER = "canbo.so-giao-thong-van-tai"
ROLES = (ADMIN, OFFICER, HEAD, APPRAISER, COUNCIL, VIEWER)


@dataclass(frozen=True)
class Visit:
    """One page opened by one person: the URL name, its arguments from the demo data and a query string."""

    name: str
    user: str
    kwargs: Callable[[Any], dict] = field(default=lambda demo: {})
    query: str | Callable[[Any], str] = ""
    label: str = ""

    def url(self, demo) -> str:
        from django.urls import reverse

        query = self.query(demo) if callable(self.query) else self.query
        return reverse(self.name, kwargs=self.kwargs(demo)) + query

    @property
    def slug(self) -> str:
        return (self.label or self.name).replace(":", "-") + (f"-{self.user}" if self.user else "-anonymous")


def _period(demo) -> dict:
    return {"period_id": demo.period.pk}


def _assessment(unit_code: str) -> Callable:
    return lambda demo: {"pk": demo.assessment(unit_code).pk}


# Which pages each person opens. A dossier or appraisal sheet of the demo holds some 120 items, and axe takes
# seconds over it: each is opened once, by the person who works on it. The home page, the dossier list, rankings and notifications are opened by
# every role, since what they show depends on the role.
VISITS: tuple[Visit, ...] = (
    *(Visit("home", user) for user in (ANONYMOUS, *ROLES)),
    *(Visit("assessment:list", user) for user in (ADMIN, OFFICER, HEAD, APPRAISER)),
    *(Visit("appraisal:list", user) for user in (ADMIN, APPRAISER, COUNCIL, VIEWER)),
    *(Visit("reports:rankings", user) for user in (ADMIN, OFFICER, VIEWER)),
    Visit("audit:notification_list", OFFICER),
    Visit("audit:notification_list", ADMIN),
    # Accounts.
    Visit("login", ANONYMOUS),
    Visit("password_reset", ANONYMOUS),
    Visit("password_reset_done", ANONYMOUS),
    Visit("password_reset_confirm", ANONYMOUS, lambda demo: demo.reset_link_kwargs()),
    Visit("password_reset_complete", ANONYMOUS),
    Visit("password_change", OFFICER),
    Visit("password_change_done", OFFICER),
    Visit("two_factor_setup", ADMIN),
    Visit("account_lockouts", ADMIN),
    Visit("api_tokens", ADMIN),
    Visit("people:home", ADMIN),
    Visit("people:list", ADMIN, lambda demo: {"code": demo.body.code}),
    Visit("people:invite", ADMIN, lambda demo: {"code": demo.body.code}),
    Visit("people:import", ADMIN, lambda demo: {"code": demo.body.code}),
    Visit("people:detail", ADMIN, lambda demo: {"code": demo.body.code, "pk": demo.user(OFFICER).pk}),
    # Criteria sets, periods, units.
    Visit("scoring:criteria_set_list", ADMIN),
    Visit("scoring:criteria_set_detail", ADMIN, lambda demo: {"pk": demo.criteria_set.pk}),
    Visit("scoring:criteria_set_detail", OFFICER, lambda demo: {"pk": demo.criteria_set.pk}),
    Visit("scoring:criteria_set_import", ADMIN, lambda demo: {"body_code": demo.body.code}),
    Visit("scoring:criteria_set_clone", ADMIN, lambda demo: {"body_code": demo.body.code}),
    Visit("scoring:exemptions_index", ADMIN),
    # Editing the set the departments' dossiers use (in use at version 1: the pages say how to go on).
    Visit("scoring:criteria_tree_edit", ADMIN, lambda demo: {"pk": demo.criteria_set.pk}),
    Visit("scoring:criteria_item_add", ADMIN, lambda demo: {"pk": demo.criteria_set.pk}),
    Visit(
        "scoring:criteria_item_edit",
        ADMIN,
        lambda demo: {"pk": demo.criteria_set.pk, "item_pk": demo.scored_item("so-noi-vu").pk},
    ),
    Visit("scoring:criteria_set_version_create", ADMIN, lambda demo: {"pk": demo.criteria_set.pk}),
    Visit(
        "scoring:criteria_set_version_detail",
        ADMIN,
        lambda demo: {"pk": demo.criteria_version.criteria_set_id, "number": demo.criteria_version.number},
    ),
    Visit(
        "scoring:unit_exemptions",
        ADMIN,
        lambda demo: {"period_pk": demo.period.pk, "unit_pk": demo.unit("so-noi-vu").pk},
    ),
    Visit("periods:list", ADMIN),
    Visit("periods:create", ADMIN, lambda demo: {"body_code": demo.body.code}),
    Visit("periods:checklist", ADMIN, lambda demo: {"pk": demo.period.pk}),
    Visit("periods:deadlines", ADMIN, lambda demo: {"pk": demo.period.pk}),
    Visit("periods:bands", ADMIN, lambda demo: {"pk": demo.period.pk}),
    Visit("units:list", ADMIN),
    Visit("units:create", ADMIN),
    Visit("units:detail", ADMIN, lambda demo: {"pk": demo.unit("so-noi-vu").pk}),
    Visit("units:group_create", ADMIN),
    Visit("units:group_edit", ADMIN, lambda demo: {"pk": demo.unit("so-noi-vu").group_id}),
    Visit("units:lineage_create", ADMIN),
    Visit("units:kind_list", ADMIN, query=lambda demo: f"?body={demo.body.code}"),
    Visit("units:kind_create", ADMIN, query=lambda demo: f"?body={demo.body.code}"),
    Visit("units:kind_edit", ADMIN, lambda demo: {"pk": demo.unit_kind.pk}),
    # Self-assessment.
    Visit("assessment:sheet", OFFICER, _assessment("so-noi-vu")),
    Visit("assessment:submit", OFFICER, _assessment("so-noi-vu")),
    Visit("assessment:history", OFFICER, _assessment("so-noi-vu")),
    Visit("assessment:evidence_list", OFFICER, _assessment("so-noi-vu")),
    Visit(
        "assessment:evidence_link",
        OFFICER,
        _assessment("so-noi-vu"),
        query=lambda demo: f"?item={demo.scored_item('so-noi-vu').pk}",
    ),
    Visit("assessment:board", ADMIN),
    # Appraisal.
    Visit("appraisal:sheet", APPRAISER, _assessment("so-xay-dung")),
    Visit(
        "appraisal:history",
        APPRAISER,
        lambda demo: {
            "pk": demo.assessment("so-xay-dung").pk,
            "item_id": demo.appraised_item("so-xay-dung").pk,
        },
    ),
    Visit("appraisal:explanation", EXPLAINING_OFFICER, _assessment("so-giao-thong-van-tai")),
    Visit("appraisal:assignments_home", ADMIN),
    Visit("appraisal:assignments", ADMIN, _period),
    Visit("appraisal:council", COUNCIL, _period),
    Visit("appraisal:council", ADMIN, _period),
    # Results and reports.
    Visit("reports:published_results_import", ADMIN),
    Visit("reports:import_job_detail", ADMIN, lambda demo: {"pk": demo.import_job.pk}),
    Visit("reports:publication", ADMIN),
    Visit("reports:publication_decision", ADMIN, lambda demo: {"pk": demo.decision.pk}),
    Visit("reports:report_jobs", ADMIN),
    Visit("reports:report_job_detail", ADMIN, lambda demo: {"pk": demo.report_job.pk}),
    Visit("reports:annual_report", ADMIN),
    Visit("reports:unit_analysis_index", ADMIN),
    Visit("reports:unit_analysis", ADMIN, lambda demo: {"unit_code": "so-noi-vu"}),
    Visit("reports:unit_analysis", OFFICER, lambda demo: {"unit_code": "so-noi-vu"}),
    Visit("reports:dashboards", ADMIN),
    Visit("reports:dashboards", ADMIN, query="?year=2020", label="reports-dashboards-2020"),
    Visit("reports:province_history", ADMIN),
    Visit("reports:province_import", ADMIN),
    Visit("reports:province_targets", ADMIN, lambda demo: {"year": demo.target_year}),
    Visit("reports:province_targets_edit", ADMIN, lambda demo: {"year": demo.target_year}),
    Visit("reports:plans", ADMIN),
    Visit("reports:province_plan", ADMIN, lambda demo: {"year": demo.target_year}),
    Visit("reports:province_plan_action_add", ADMIN, lambda demo: {"year": demo.target_year}),
    Visit("reports:unit_plan", OFFICER, lambda demo: {"unit_code": "so-noi-vu", "year": 2020}),
    Visit("reports:unit_plan_action_add", ADMIN, lambda demo: {"unit_code": "so-noi-vu", "year": 2020}),
    Visit("reports:plan_action_edit", ADMIN, lambda demo: {"pk": demo.plan_action.pk}),
    Visit("public_rankings:index", ANONYMOUS),
    Visit(
        "public_rankings:period", ANONYMOUS, lambda demo: {"body": demo.body.code, "year": demo.period.year}
    ),
    Visit(
        "public_rankings:period",
        ANONYMOUS,
        lambda demo: {"body": demo.body.code, "year": 2020},
        label="public-2020",
    ),
    # Surveys.
    Visit("surveys:home", ADMIN),
    Visit("surveys:settings", ADMIN, _period),
    Visit("surveys:sipas_conversions", ADMIN, _period),
    Visit("surveys:sipas_results", ADMIN, _period),
    Visit(
        "surveys:sipas_result_edit",
        ADMIN,
        lambda demo: {**_period(demo), "unit_id": demo.unit("so-noi-vu").pk},
    ),
    Visit("surveys:ballot_entry", ADMIN, _period),
    Visit("surveys:tracking", ADMIN, _period),
    Visit("surveys:form_list", ADMIN, _period),
    Visit("surveys:sample_plan", ADMIN, _period),
    Visit("surveys:statistics", ADMIN, _period),
    Visit("surveys:mismatch_list", ADMIN, _period),
    Visit("surveys:ballots_upload", ADMIN, _period),
    Visit("surveys:ballots_import_job", ADMIN, lambda demo: {**_period(demo), "pk": demo.ballots_job.pk}),
    Visit("surveys:points", ADMIN, _period),
    Visit(
        "surveys:points_ballots",
        ADMIN,
        lambda demo: {**_period(demo), "unit_id": demo.unit("so-noi-vu").pk, "item_id": demo.survey_item.pk},
    ),
    Visit("surveys:ballot_find", ADMIN, _period),
    Visit("surveys:ballot_correct", ADMIN, lambda demo: {**_period(demo), "pk": demo.ballot.pk}),
    # Audit.
    Visit("audit:log", ADMIN),
)

_POST = "takes a POST only (an action of a page listed in VISITS)"
_FILE = "a file download, not an HTML page"
_API = "JSON API, not an HTML page"
EXCLUDED: dict[str, str] = {
    "logout": _POST,
    "set_language": _POST,
    "body_switch": _POST,
    "two_factor_verify": "only reachable halfway through a login with a second factor (tests/browser/test_two_factor.py)",
    "two_factor_backup_codes": "shown once after a second factor is set up (tests/browser/test_two_factor.py)",
    "account_lockout_release": _POST,
    "api_token_revoke": _POST,
    "people:role_add": _POST,
    "people:role_remove": _POST,
    "people:deactivate": _POST,
    "people:reactivate": _POST,
    "people:password": _POST,
    "people:import_sample": _FILE,
    "people:import_credentials": _FILE,
    "scoring:criteria_template_download": _FILE,
    "scoring:criteria_set_export": _FILE,
    "scoring:unit_exemption_delete": _POST,
    "scoring:criteria_item_delete": _POST,
    "periods:open": _POST,
    "units:active": _POST,
    "units:rename": _POST,
    "units:edit": _POST,
    "units:kind_delete": _POST,
    "reports:rankings_xlsx": _FILE,
    "reports:published_results_sample": _FILE,
    "reports:publication_publish": _POST,
    "reports:publication_amend": _POST,
    "reports:publication_decision_file": _FILE,
    "reports:report_job_create": _POST,
    "reports:report_job_retry": _POST,
    "reports:report_job_download": _FILE,
    "reports:province_import_template": _FILE,
    "reports:unit_plan_build": _POST,
    "reports:plan_action_delete": _POST,
    "reports:annual_report_particulars": _POST,
    "reports:dossier_pdf": _FILE,
    "reports:appraisal_notice_pdf": _FILE,
    "assessment:start": _POST,
    "assessment:item_save": _POST,
    "assessment:withdraw": _POST,
    "assessment:evidence_download": _FILE,
    "assessment:evidence_upload": _POST,
    "assessment:evidence_unlink": _POST,
    "assessment:evidence_delete": _POST,
    "assessment:board_xlsx": _FILE,
    "assessment:board_remind": _POST,
    "assessment:board_extension": _POST,
    "appraisal:item_save": _POST,
    "appraisal:accept": _POST,
    "appraisal:flag_missing": _POST,
    "appraisal:start": _POST,
    "appraisal:send": _POST,
    "appraisal:skip": _POST,
    "appraisal:return": _POST,
    "appraisal:explanation_save": _POST,
    "appraisal:explanation_upload": _POST,
    "appraisal:explanation_submit": _POST,
    "appraisal:assignment_delete": _POST,
    "appraisal:reopen": _POST,
    "appraisal:council_minutes": _FILE,
    "surveys:sipas_sample": _FILE,
    "surveys:ballot_save": _POST,
    "surveys:forms_export": _FILE,
    "surveys:forms_import": _POST,
    "surveys:forms_clone": _POST,
    "surveys:mismatch_resolve": _POST,
    "surveys:ballots_template": _FILE,
    "surveys:ballot_void": _POST,
    "audit:log_export": _FILE,
    "audit:notification_open": "redirects to what the notification is about (marks it read)",
    "audit:notifications_read_all": _POST,
    "audit:notification_preference": _POST,
    "rankings-api": _API,
    "jobs-api": _API,
    "report-jobs-api": _API,
    "report-job-api": _API,
    "report-job-download-api": _API,
    "assessment-list-api": _API,
    "assessment-detail-api": _API,
    "assessment-item-score-api": _API,
    "assessment-evidence-api": _API,
    "assessment-submit-api": _API,
    "assessment-withdraw-api": _API,
    "evidence-delete-api": _API,
    "evidence-download-api": _API,
    "job-api": _API,
    "job-download-api": _API,
    "appraiser-assignment-list-api": _API,
    "appraiser-assignment-delete-api": _API,
    "exemption-delete-api": _API,
    "exemption-list-api": _API,
    "people-list-api": _API,
    "period-bands-api": _API,
    "period-checklist-api": _API,
    "period-deadlines-api": _API,
    "period-detail-api": _API,
    "period-list-api": _API,
    "period-open-api": _API,
    "person-deactivate-api": _API,
    "person-detail-api": _API,
    "person-password-reset-api": _API,
    "person-reactivate-api": _API,
    "person-roles-api": _API,
    "role-assignment-api": _API,
    "unit-deactivate-api": _API,
    "unit-detail-api": _API,
    "unit-group-detail-api": _API,
    "unit-group-list-api": _API,
    "unit-kind-list-api": _API,
    "unit-list-api": _API,
    "unit-merge-api": _API,
    "unit-reactivate-api": _API,
    "unit-rename-api": _API,
    "unit-split-api": _API,
    "schema": _API,
    "api-docs": "third-party API documentation (Swagger UI), styled by its vendor",
    "api-redoc": "third-party API documentation (Redoc), styled by its vendor",
    "healthz": "plain-text health check for the load balancer",
}


def url_names() -> set[str]:
    """Return every named URL of the project except Django admin's (its pages are Django's own)."""
    from django.urls import URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


# The browser test runs as several items, so that pytest-xdist can spread them: one per person, and the pages of
# a person with more than PART_SIZE of them (the administrator) by area of the app, an area with more than
# PART_SIZE pages cut into consecutive parts of about equal size.
PART_SIZE = 16
AREAS = {
    "scoring": "setup",
    "periods": "setup",
    "units": "setup",
    "assessment": "dossiers",
    "appraisal": "dossiers",
    "reports": "reports",
    "public_rankings": "reports",
    "surveys": "surveys",
}


def _chunks(visits: list[Visit]) -> list[list[Visit]]:
    count = -(-len(visits) // PART_SIZE)
    return [
        visits[index * len(visits) // count : (index + 1) * len(visits) // count] for index in range(count)
    ]


def visit_parts() -> dict[str, tuple[Visit, ...]]:
    """Return VISITS cut into the test's items, by name (the person's, then the area's and the part's)."""
    by_user: dict[str, list[Visit]] = {}
    for visit in VISITS:
        by_user.setdefault(visit.user, []).append(visit)
    parts: dict[str, tuple[Visit, ...]] = {}
    for user, visits in by_user.items():
        person = user or "anonymous"
        if len(visits) <= PART_SIZE:
            parts[person] = tuple(visits)
            continue
        by_area: dict[str, list[Visit]] = {}
        for visit in visits:
            namespace = visit.name.partition(":")[0] if ":" in visit.name else ""
            by_area.setdefault(AREAS.get(namespace, "accounts"), []).append(visit)
        for area, area_visits in by_area.items():
            chunks = _chunks(area_visits)
            for index, chunk in enumerate(chunks, start=1):
                parts[f"{person}-{area}" + (f"-{index}" if len(chunks) > 1 else "")] = tuple(chunk)
    return parts
