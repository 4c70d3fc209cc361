"""Criteria-set editing over HTTP: who may edit, the workbook's rules on every save, in-use sets and versions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.evaluation import services
from scoring.models import AuditEvent, CriteriaItem, CriteriaSetVersion, PeriodStatus, SelfScore
from tests.scoring.assessment_helpers import assessment_for
from tests.scoring.criteria_helpers import good_workbook
from tests.scoring.factories import PeriodFactory


@pytest.fixture
def criteria_set(body, departments):
    period = PeriodFactory(body=body, year=2025, status=PeriodStatus.SETUP)
    return services.criteria_set_import(
        period=period, unit_group=departments, workbook_file=good_workbook(), name="Bộ tiêu chí sở 2025"
    )


def item(criteria_set, code):
    return CriteriaItem.objects.get(criteria_set=criteria_set, code=code)


def tree(criteria_set):
    return {i.code: (i.name, i.max_points, i.step, i.method, i.order) for i in criteria_set.items.all()}


def edit_url(criteria_set, code):
    return reverse("scoring:criteria_item_edit", args=[criteria_set.pk, item(criteria_set, code).pk])


def item_data(criteria_set, code, **changes):
    it = item(criteria_set, code)
    data = {
        "name": it.name, "max_points": format(it.max_points, "f"), "step": it.step, "method": it.method,
        "guidance": it.guidance, "order": it.order,
    }  # fmt: skip
    return data | changes


def tree_data(criteria_set, name=None, changes=None, extra=()):
    """Return the whole-tree form as the page posts it, with changes {code: {field: value}} and extra lines."""
    items = list(criteria_set.items.order_by("order"))
    lines = [
        {
            "item": i.pk, "order": i.order, "code": i.code, "name": i.name, "max_points": format(i.max_points, "f"),
            "step": i.step, "method": i.method, "guidance": i.guidance,
        } | (changes or {}).get(i.code, {})
        for i in items
    ] + list(extra)  # fmt: skip
    data = {
        "name": name or criteria_set.name,
        "rows-TOTAL_FORMS": len(lines), "rows-INITIAL_FORMS": len(items),
        "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 2000,
    }  # fmt: skip
    for n, line in enumerate(lines):
        for key, value in line.items():
            if key == "DELETE":
                if value:
                    data[f"rows-{n}-DELETE"] = "on"
            else:
                data[f"rows-{n}-{key}"] = value
    return data


def start_using(criteria_set, unit, points=Decimal("0.5")):
    """Give the unit a self-score of `points` on 1.1.1."""
    assessment = assessment_for(unit=unit, criteria_set=criteria_set)
    SelfScore.objects.create(assessment=assessment, item=item(criteria_set, "1.1.1"), points=points)


def test_edit_page_offers_the_item_values(client, body_admin, criteria_set):
    client.force_login(body_admin)
    response = client.get(edit_url(criteria_set, "1.1.1"))
    assert response.status_code == 200
    assert "Ban hành kế hoạch đúng thời hạn" in response.content.decode()


def test_edit_saves_name_and_guidance_and_audits_each_field(client, body_admin, criteria_set):
    client.force_login(body_admin)
    data = item_data(criteria_set, "1.1.1", name="Ban hành kế hoạch CCHC", guidance="Trước 15/01")
    response = client.post(edit_url(criteria_set, "1.1.1"), data)
    assert response.status_code == 302
    changed = item(criteria_set, "1.1.1")
    assert (changed.name, changed.guidance) == ("Ban hành kế hoạch CCHC", "Trước 15/01")
    rows = AuditEvent.objects.filter(action="criteria_item_updated", item_code="1.1.1")
    assert {(r.field, r.old_value, r.new_value) for r in rows} == {
        ("name", "Ban hành kế hoạch đúng thời hạn", "Ban hành kế hoạch CCHC"),
        ("guidance", "Ban hành trước ngày 15/01: 0,5 điểm", "Trước 15/01"),
    }
    assert all(r.actor == body_admin for r in rows)


def test_edit_breaking_the_parent_sum_is_refused_and_changes_nothing(client, body_admin, criteria_set):
    client.force_login(body_admin)
    before = tree(criteria_set)
    response = client.post(
        edit_url(criteria_set, "1.1.1"), item_data(criteria_set, "1.1.1", max_points="0,75")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Điểm tối đa của mục 1.1 là 1,5 nhưng tổng điểm tối đa các mục con là 1,75." in html
    assert 'value="0,75"' in html  # what was typed comes back
    assert tree(criteria_set) == before
    assert not AuditEvent.objects.filter(action__startswith="criteria_").exists()


def test_edit_off_the_step_names_the_column(client, body_admin, criteria_set):
    client.force_login(body_admin)
    response = client.post(
        edit_url(criteria_set, "1.1.1"), item_data(criteria_set, "1.1.1", max_points="0,3")
    )
    assert "0,3 không phải bội số của bước điểm 0,25" in response.content.decode()
    assert item(criteria_set, "1.1.1").max_points == Decimal("0.5")


def test_tree_form_changes_a_max_and_its_parents_at_once(client, body_admin, criteria_set):
    client.force_login(body_admin)
    changes = {"1": {"max_points": "4"}, "1.1": {"max_points": "2"}, "1.1.1": {"max_points": "1"}}
    response = client.post(
        reverse("scoring:criteria_tree_edit", args=[criteria_set.pk]),
        tree_data(criteria_set, changes=changes),
    )
    assert response.status_code == 302
    assert [item(criteria_set, c).max_points for c in ("1", "1.1", "1.1.1")] == [4, 2, 1]
    assert AuditEvent.objects.filter(action="criteria_item_updated", field="max_points").count() == 3
    assert AuditEvent.objects.filter(action="criteria_set_edited").count() == 1


def test_tree_form_errors_stay_on_their_row_and_nothing_is_saved(client, body_admin, criteria_set):
    client.force_login(body_admin)
    before = tree(criteria_set)
    changes = {"1": {"max_points": "4"}, "1.1.1": {"max_points": "abc"}, "2.1": {"method": "", "name": "Mới"}}
    response = client.post(
        reverse("scoring:criteria_tree_edit", args=[criteria_set.pk]),
        tree_data(criteria_set, changes=changes),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;abc&#x27; không phải là số." in html and 'value="abc"' in html
    assert "Mục 2.1 được chấm điểm nên phải ghi phương pháp" in html
    assert tree(criteria_set) == before


def test_tree_form_adds_and_deletes_lines(client, body_admin, criteria_set):
    client.force_login(body_admin)
    new = {
        "code": "2.2",
        "name": "Kiểm tra văn bản",
        "max_points": "1",
        "step": "0.25",
        "method": "appraisal",
    }
    changes = {"2": {"max_points": "1"}, "2.1": {"DELETE": True}}
    response = client.post(
        reverse("scoring:criteria_tree_edit", args=[criteria_set.pk]),
        tree_data(criteria_set, changes=changes, extra=[new]),
    )
    assert response.status_code == 302
    codes = [i.code for i in criteria_set.items.order_by("order")]
    assert codes[-2:] == ["2", "2.2"] and "2.1" not in codes
    assert item(criteria_set, "2.2").parent == item(criteria_set, "2")
    assert AuditEvent.objects.filter(action="criteria_item_created", item_code="2.2").exists()
    assert AuditEvent.objects.filter(action="criteria_item_deleted", item_code="2.1").exists()


def test_tree_form_renames_the_set_with_an_audit_row(client, body_admin, criteria_set):
    client.force_login(body_admin)
    url = reverse("scoring:criteria_tree_edit", args=[criteria_set.pk])
    assert client.post(url, tree_data(criteria_set, name="Bộ tiêu chí mới")).status_code == 302
    criteria_set.refresh_from_db()
    assert criteria_set.name == "Bộ tiêu chí mới"
    assert AuditEvent.objects.get(action="criteria_set_renamed").new_value == "Bộ tiêu chí mới"


def test_add_child_suggests_the_next_code_and_refuses_a_broken_sum(client, body_admin, criteria_set):
    client.force_login(body_admin)
    url = (
        reverse("scoring:criteria_item_add", args=[criteria_set.pk])
        + f"?parent={item(criteria_set, '1.1').pk}"
    )
    assert 'value="1.1.3"' in client.get(url).content.decode()
    data = {"code": "1.1.3", "name": "Mới", "max_points": "0,5", "step": "0.25", "method": "appraisal"}
    response = client.post(url, data)
    assert "tổng điểm tối đa các mục con là 2" in response.content.decode()
    assert not CriteriaItem.objects.filter(criteria_set=criteria_set, code="1.1.3").exists()
    ok = client.post(url, data | {"max_points": "0"})
    assert ok.status_code == 302
    assert item(criteria_set, "1.1.3").parent == item(criteria_set, "1.1")


def test_delete_of_a_leaf_worth_points_is_refused(client, body_admin, criteria_set):
    client.force_login(body_admin)
    url = reverse("scoring:criteria_item_delete", args=[criteria_set.pk, item(criteria_set, "1.1.2").pk])
    response = client.post(url, follow=True)
    assert "tổng điểm tối đa các mục con là 0,5" in response.content.decode()
    assert CriteriaItem.objects.filter(criteria_set=criteria_set, code="1.1.2").exists()


def test_set_in_use_is_refused_until_a_new_version(client, body_admin, criteria_set, unit):
    start_using(criteria_set, unit)
    client.force_login(body_admin)
    data = item_data(criteria_set, "2.1", name="Rà soát văn bản")
    response = client.post(edit_url(criteria_set, "2.1"), data)
    assert (
        "đang được sử dụng" in response.content.decode() and "Tạo phiên bản mới" in response.content.decode()
    )
    assert item(criteria_set, "2.1").name == "Rà soát văn bản quy phạm pháp luật"

    version_url = reverse("scoring:criteria_set_version_create", args=[criteria_set.pk])
    blank = client.post(version_url, {"reason": " "})
    assert "Hãy ghi lý do tạo phiên bản mới." in blank.content.decode()
    assert client.post(version_url, {"reason": "Sửa theo Công văn 12/SNV"}).status_code == 302
    criteria_set.refresh_from_db()
    assert criteria_set.version == 2
    version = CriteriaSetVersion.objects.get(criteria_set=criteria_set)
    assert (
        version.number == 1
        and version.reason == "Sửa theo Công văn 12/SNV"
        and version.created_by == body_admin
    )
    assert AuditEvent.objects.filter(action="criteria_set_version_created", new_value="2").exists()

    assert client.post(edit_url(criteria_set, "2.1"), data).status_code == 302
    assert item(criteria_set, "2.1").name == "Rà soát văn bản"

    detail = client.get(reverse("scoring:criteria_set_detail", args=[criteria_set.pk])).content.decode()
    assert "Sửa theo Công văn 12/SNV" in detail
    old = client.get(
        reverse("scoring:criteria_set_version_detail", args=[criteria_set.pk, 1])
    ).content.decode()
    assert "Rà soát văn bản quy phạm pháp luật" in old


def test_open_period_makes_the_set_in_use(client, body_admin, criteria_set):
    criteria_set.period.status = PeriodStatus.OPEN
    criteria_set.period.save()
    client.force_login(body_admin)
    response = client.post(edit_url(criteria_set, "2.1"), item_data(criteria_set, "2.1", name="Khác"))
    assert "đang được sử dụng" in response.content.decode()
    assert item(criteria_set, "2.1").name != "Khác"


def test_in_use_refuses_deleting_a_scored_item_and_a_max_below_a_score(
    client, body_admin, criteria_set, unit
):
    start_using(criteria_set, unit, points=Decimal("0.5"))
    services_version(criteria_set, body_admin)
    client.force_login(body_admin)
    url = reverse("scoring:criteria_tree_edit", args=[criteria_set.pk])
    deleted = {"1": {"max_points": "3"}, "1.1": {"max_points": "1"}, "1.1.1": {"DELETE": True}}
    response = client.post(url, tree_data(criteria_set, changes=deleted))
    assert "Không thể xóa mục 1.1.1: 1 đơn vị đã có điểm" in response.content.decode()
    lowered = {"1": {"max_points": "3.25"}, "1.1": {"max_points": "1.25"}, "1.1.1": {"max_points": "0.25"}}
    response = client.post(url, tree_data(criteria_set, changes=lowered))
    assert "Điểm tối đa của mục 1.1.1 không được thấp hơn 0,5" in response.content.decode()
    assert item(criteria_set, "1.1.1").max_points == Decimal("0.5")


def services_version(criteria_set, actor):
    from scoring.evaluation.editing.services import criteria_set_version_create

    criteria_set_version_create(criteria_set=criteria_set, reason="Điều chỉnh", actor=actor)
    criteria_set.refresh_from_db()


def test_edit_of_an_in_use_set_tells_the_results(
    client, body_admin, criteria_set, unit, django_capture_on_commit_callbacks
):
    from scoring.results.state import results_changed

    start_using(criteria_set, unit)
    services_version(criteria_set, body_admin)
    seen = []

    def receiver(sender, period_id, **kwargs):
        seen.append(period_id)

    results_changed.connect(receiver, dispatch_uid="test-criteria-editing")
    try:
        client.force_login(body_admin)
        client.post(edit_url(criteria_set, "2.1"), item_data(criteria_set, "2.1", name="Khác"))
    finally:
        results_changed.disconnect(dispatch_uid="test-criteria-editing")
    assert seen == [criteria_set.period_id]


@pytest.mark.parametrize("persona", ["viewer", "appraiser", "unit_officer", "unit_head"])
def test_only_the_body_admin_edits(client, request, persona, criteria_set):
    client.force_login(request.getfixturevalue(persona))
    urls = [
        edit_url(criteria_set, "2.1"),
        reverse("scoring:criteria_tree_edit", args=[criteria_set.pk]),
        reverse("scoring:criteria_set_version_create", args=[criteria_set.pk]),
        reverse("scoring:criteria_item_add", args=[criteria_set.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
    assert (
        client.post(edit_url(criteria_set, "2.1"), item_data(criteria_set, "2.1", name="X")).status_code
        == 403
    )
    assert item(criteria_set, "2.1").name != "X"


def test_other_body_admin_gets_404(client, outsider, criteria_set):
    client.force_login(outsider)
    assert client.get(edit_url(criteria_set, "2.1")).status_code == 404
    assert (
        client.post(edit_url(criteria_set, "2.1"), item_data(criteria_set, "2.1", name="X")).status_code
        == 404
    )
    tree_url = reverse("scoring:criteria_tree_edit", args=[criteria_set.pk])
    assert client.post(tree_url, tree_data(criteria_set)).status_code == 404
    delete_url = reverse("scoring:criteria_item_delete", args=[criteria_set.pk, item(criteria_set, "1.2").pk])
    assert client.post(delete_url).status_code == 404
    assert item(criteria_set, "2.1").name != "X"


def test_an_item_of_another_set_is_404(client, body_admin, criteria_set, body, departments):
    other_group = departments.__class__.objects.create(body=body, code="huyen", name="UBND huyện", order=2)
    other = services.criteria_set_import(
        period=criteria_set.period, unit_group=other_group, workbook_file=good_workbook(), name="Huyện"
    )
    client.force_login(body_admin)
    url = reverse("scoring:criteria_item_edit", args=[criteria_set.pk, item(other, "2.1").pk])
    assert client.get(url).status_code == 404


def test_tree_form_query_count_does_not_grow_with_items(
    client, body_admin, body, departments, django_assert_max_num_queries
):
    from tests.scoring.assessment_helpers import build_criteria_set

    period = PeriodFactory(body=body, year=2024, status=PeriodStatus.SETUP)
    big = build_criteria_set(
        period=period, unit_group=departments, fields=6, criteria_per_field=4, items_per_criterion=3
    )
    client.force_login(body_admin)
    url = reverse("scoring:criteria_tree_edit", args=[big.pk])
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.post(url, tree_data(big, changes={"1.1.1": {"max_points": "abc"}}))
    assert response.status_code == 200


def test_detail_page_queries_for_the_admin_do_not_grow_with_items_or_versions(
    client, body_admin, body, departments, unit, django_assert_max_num_queries
):
    from tests.scoring.assessment_helpers import build_criteria_set

    period = PeriodFactory(body=body, year=2024, status=PeriodStatus.OPEN)
    big = build_criteria_set(
        period=period, unit_group=departments, fields=6, criteria_per_field=4, items_per_criterion=3
    )
    start_using(big, unit)
    for _n in range(3):
        services_version(big, body_admin)
    client.force_login(body_admin)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("scoring:criteria_set_detail", args=[big.pk])).content.decode()
    assert "Bộ tiêu chí đang được sử dụng (phiên bản 4)" in html and html.count("Điều chỉnh") == 3


def test_admin_shows_items_read_only(client, criteria_set, django_user_model):
    root = django_user_model.objects.create_superuser("root-criteria", "root@example.gov.vn", "x")
    client.force_login(root)
    it = item(criteria_set, "2.1")
    url = reverse("admin:scoring_criteriaitem_change", args=[it.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="max_points"' not in page.content.decode()
    assert client.post(url, {"name": "X", "max_points": "9"}).status_code == 403
    assert client.get(reverse("admin:scoring_criteriaitem_add")).status_code == 403
    assert (
        client.post(reverse("admin:scoring_criteriaitem_delete", args=[it.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert item(criteria_set, "2.1").name == "Rà soát văn bản quy phạm pháp luật"


def test_a_form_read_before_another_save_is_refused(client, body_admin, criteria_set):
    client.force_login(body_admin)
    url = edit_url(criteria_set, "2.1")
    seen = client.get(url).context["form"].initial["seen"]
    first = client.post(edit_url(criteria_set, "1.1.1"), item_data(criteria_set, "1.1.1", name="Đổi trước"))
    assert first.status_code == 302
    response = client.post(url, item_data(criteria_set, "2.1", name="Đổi sau", seen=seen))
    assert "Người khác vừa sửa bộ tiêu chí này" in response.content.decode()
    assert item(criteria_set, "2.1").name == "Rà soát văn bản quy phạm pháp luật"


def test_reordering_an_in_use_set_needs_a_version_too(client, body_admin, criteria_set):
    criteria_set.period.status = PeriodStatus.OPEN
    criteria_set.period.save()
    client.force_login(body_admin)
    data = item_data(criteria_set, "1.1.2", order=1)  # before 1.1.1
    response = client.post(edit_url(criteria_set, "1.1.2"), data)
    assert "đang được sử dụng" in response.content.decode()
    services_version(criteria_set, body_admin)
    assert client.post(edit_url(criteria_set, "1.1.2"), data).status_code == 302
    codes = [i.code for i in criteria_set.items.order_by("order")]
    assert codes.index("1.1.2") < codes.index("1.1.1")
    assert AuditEvent.objects.filter(
        action="criteria_item_updated", item_code="1.1.2", field="order"
    ).exists()


def test_usage_counts_appraisals_explanations_and_evidence_per_unit(criteria_set, unit, other_unit):
    from appraisal.models import Explanation, ItemAppraisal
    from scoring.evaluation.editing.selectors import criteria_set_use
    from scoring.models import Evidence

    first = assessment_for(unit=unit, criteria_set=criteria_set)
    second = assessment_for(unit=other_unit, criteria_set=criteria_set)
    SelfScore.objects.create(assessment=first, item=item(criteria_set, "1.1.1"), points=Decimal("0.25"))
    ItemAppraisal.objects.create(
        assessment=second, item=item(criteria_set, "1.1.1"), round=1, points=Decimal("0.5")
    )
    Explanation.objects.create(assessment=first, item=item(criteria_set, "2.1"), text="Đã bổ sung")
    evidence = Evidence.objects.create(
        assessment=second, file="evidence/x.pdf", original_name="x.pdf", content_type="application/pdf", size=1,
        sha256="0" * 64,
    )  # fmt: skip
    evidence.items.add(item(criteria_set, "1.1.2"))
    use = criteria_set_use(criteria_set=criteria_set)
    assert use.in_use and not use.period_open
    usage = {CriteriaItem.objects.get(pk=pk).code: u for pk, u in use.usage.items()}
    assert {code: (u.units, u.highest_points) for code, u in usage.items()} == {
        "1.1.1": (2, Decimal("0.5")),
        "1.1.2": (1, None),
        "2.1": (1, None),
    }


def test_an_item_asked_by_a_survey_question_cannot_be_deleted(client, body_admin, criteria_set, departments):
    from surveys.models import BallotForm, Question

    form = BallotForm.objects.create(
        period=criteria_set.period,
        code="M1",
        name="Phiếu 1",
        respondent_group="Lãnh đạo",
        target_group=departments,
    )
    Question.objects.create(form=form, number=1, text="Câu 1", item=item(criteria_set, "1.2"))
    client.force_login(body_admin)
    changes = {"1": {"max_points": "1.5"}, "1.2": {"DELETE": True}}
    response = client.post(
        reverse("scoring:criteria_tree_edit", args=[criteria_set.pk]),
        tree_data(criteria_set, changes=changes),
    )
    assert "Không thể xóa mục 1.2: mục này đang được dùng" in response.content.decode()
    assert item(criteria_set, "1.2") and item(criteria_set, "1").max_points == Decimal("3.5")
    assert not AuditEvent.objects.filter(action__startswith="criteria_").exists()


def test_tree_form_swaps_codes_and_moves_a_line_out_of_a_deleted_parent(client, body_admin, criteria_set):
    client.force_login(body_admin)
    url = reverse("scoring:criteria_tree_edit", args=[criteria_set.pk])
    first, second = item(criteria_set, "1.1.1"), item(criteria_set, "1.1.2")
    swap = {"1.1.1": {"code": "1.1.2", "order": 4}, "1.1.2": {"code": "1.1.1", "order": 3}}
    assert client.post(url, tree_data(criteria_set, changes=swap)).status_code == 302
    assert item(criteria_set, "1.1.2").pk == first.pk and item(criteria_set, "1.1.1").pk == second.pk

    moved = {
        "1": {"max_points": "2.5"},
        "1.1": {"DELETE": True},
        "1.1.2": {"code": "1.3"},
        "1.1.1": {"DELETE": True},
    }
    response = client.post(url, tree_data(criteria_set, changes=moved))
    assert response.status_code == 302, response.content.decode()
    kept = item(criteria_set, "1.3")
    assert kept.pk == first.pk and kept.parent == item(criteria_set, "1") and kept.level == "criterion"
    # The line keeps the place it was typed in (its order), whatever its new code.
    assert [i.code for i in criteria_set.items.order_by("order")] == ["1", "1.3", "1.2", "2", "2.1"]


def test_replacing_an_in_use_set_from_a_workbook_is_refused(criteria_set, unit, body_admin):
    replace_it = dict(
        period=criteria_set.period, unit_group=criteria_set.unit_group, workbook_file=good_workbook(), name="Mới",
        replace=True,
    )  # fmt: skip
    criteria_set.period.status = PeriodStatus.OPEN
    criteria_set.period.save()
    with pytest.raises(services.CriteriaImportError, match="đang được sử dụng"):
        services.criteria_set_import(**replace_it)
    start_using(criteria_set, unit)
    services_version(criteria_set, body_admin)
    with pytest.raises(services.CriteriaImportError, match="không thể thay thế bằng tệp"):
        services.criteria_set_import(**replace_it)
    criteria_set.refresh_from_db()
    assert criteria_set.name == "Bộ tiêu chí sở 2025"


def test_a_units_exemption_with_its_reason_keeps_the_item_from_being_deleted(
    client, body_admin, criteria_set, unit
):
    from scoring.models import NotApplicableItem

    NotApplicableItem.objects.create(
        item=item(criteria_set, "1.1.1"), unit=unit, reason="Không có đơn vị trực thuộc"
    )
    services_version(criteria_set, body_admin)
    client.force_login(body_admin)
    url = reverse("scoring:criteria_tree_edit", args=[criteria_set.pk])
    deleted = {"1": {"max_points": "3"}, "1.1": {"max_points": "1"}, "1.1.1": {"DELETE": True}}
    response = client.post(url, tree_data(criteria_set, changes=deleted))
    assert "Không thể xóa mục 1.1.1: 1 đơn vị" in response.content.decode()
    assert NotApplicableItem.objects.filter(unit=unit, reason="Không có đơn vị trực thuộc").exists()
