"""Ballot forms in Excel: export, import all-or-nothing with located Vietnamese errors, copy to another year."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from scoring.models import AuditEvent, CriteriaSet
from surveys.design.io import FormRow, OptionRow, QuestionRow, forms_from_workbook, forms_to_workbook
from surveys.design.services import (
    FormsImportError,
    ballot_forms_clone,
    ballot_forms_export,
    ballot_forms_import,
)
from surveys.models import AnswerOption, BallotForm, Question, SamplePlan
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory
from tests.surveys.helpers import survey_period


def one_form(*, code="M2", group_code="so-ban-nganh", item_code="1.1.2", options=()):
    question = QuestionRow(
        number=1, text="Mức độ công khai thủ tục hành chính", item_code=item_code, options=options
    )
    return FormRow(
        code=code,
        name="Phiếu lãnh đạo sở đánh giá",
        respondent_group="Đại biểu HĐND tỉnh, lãnh đạo UBMTTQ",
        group_code=group_code,
        group_weight=Decimal("1.5"),
        order=2,
        questions=(question,),
    )


@pytest.fixture
def target_period(body, departments):
    period = PeriodFactory(body=body, year=2027)
    build_criteria_set(period=period, unit_group=departments, survey_every=2)
    return period


def test_export_then_import_into_another_year_reproduces_the_forms(
    departments, unit, target_period, body_admin
):
    survey = survey_period(unit_group=departments)
    exported = ballot_forms_export(period=survey.period)

    ballot_forms_import(period=target_period, workbook=exported, actor=body_admin)

    again = forms_from_workbook(ballot_forms_export(period=target_period))
    assert again.errors == []
    assert again.forms == forms_from_workbook(exported).forms
    assert len(again.forms) == 2
    copied = Question.objects.get(form__period=target_period, form__code="M1", number=1)
    assert copied.item.criteria_set.period == target_period
    assert copied.item.code == survey.questions["M1"][0].item.code
    no_answer = copied.options.get(code="E")
    assert (no_answer.share, no_answer.counts) == (Decimal("0.000"), False)
    assert AuditEvent.objects.filter(action="survey.forms_import").exists()


def test_the_workbook_round_trips_through_the_parser():
    rows = [one_form(options=(OptionRow(code="A", label="Tốt", share=Decimal("0.75"), counts=True),))]

    parsed = forms_from_workbook(forms_to_workbook(rows))

    assert parsed.errors == []
    assert [(f.code, f.group_weight, f.questions[0].options[0].share) for f in parsed.forms] == [
        ("M2", Decimal("1.5"), Decimal("0.75"))
    ]


def test_a_question_without_option_rows_gets_the_default_options(departments, target_period):
    ballot_forms_import(period=target_period, workbook=forms_to_workbook([one_form()]))

    options = AnswerOption.objects.filter(question__form__code="M2").order_by("code")
    assert [o.code for o in options] == ["A", "B", "C", "D"]


def test_reimport_updates_in_place_without_duplicating(departments, target_period):
    ballot_forms_import(period=target_period, workbook=forms_to_workbook([one_form()]))
    changed = one_form(options=(OptionRow(code="A", label="Hài lòng", share=Decimal(1)),))

    ballot_forms_import(period=target_period, workbook=forms_to_workbook([changed]))

    assert BallotForm.objects.filter(period=target_period).count() == 1
    assert list(AnswerOption.objects.filter(question__form__code="M2").values_list("code", "label")) == [
        ("A", "Hài lòng")
    ]


def _broken_workbook() -> bytes:
    workbook = load_workbook(io.BytesIO(forms_to_workbook([one_form()])))
    workbook["Câu hỏi"]["B2"] = "một"  # question number not a number
    workbook["Mẫu phiếu"]["E2"] = -1  # negative weight
    workbook["Phương án"].append(["M2", 1, "Z", "Khác", 2, "Có"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_every_error_is_reported_with_sheet_row_and_column_and_nothing_is_written(departments, target_period):
    with pytest.raises(FormsImportError) as refused:
        ballot_forms_import(period=target_period, workbook=_broken_workbook())

    located = {(e.sheet, e.row, e.column) for e in refused.value.errors}
    assert ("Câu hỏi", 2, "Số câu") in located
    assert ("Mẫu phiếu", 2, "Trọng số") in located
    assert ("Phương án", 2, "Mã phương án") in located
    assert ("Phương án", 2, "Tỷ lệ điểm") in located
    assert "Trang “Câu hỏi”, dòng 2, cột “Số câu”: Số câu phải là số nguyên dương." in refused.value.messages
    assert not BallotForm.objects.exists()


def test_unknown_group_or_item_codes_are_refused(departments, target_period):
    with pytest.raises(FormsImportError) as refused:
        ballot_forms_import(
            period=target_period,
            workbook=forms_to_workbook(
                [one_form(item_code="1.1.1"), one_form(code="M3", group_code="khong-co")]
            ),
        )

    messages = " ".join(refused.value.messages)
    assert "1.1.1" in messages  # an appraisal item, not a survey item
    assert "Không có nhóm đơn vị mã “khong-co”" in messages
    assert not BallotForm.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(target_period):
    with pytest.raises(FormsImportError, match="không phải là bảng tính"):
        ballot_forms_import(period=target_period, workbook=b"not a workbook")


def test_clone_copies_forms_questions_options_and_plans_to_the_new_year(
    departments, unit, other_unit, target_period
):
    survey = survey_period(unit_group=departments, issued=7)

    ballot_forms_clone(source_period=survey.period, target_period=target_period)

    assert list(BallotForm.objects.filter(period=target_period).values_list("code", flat=True)) == [
        "M1",
        "M2",
    ]
    assert Question.objects.filter(form__period=target_period).count() == 8
    assert AnswerOption.objects.filter(question__form__period=target_period).count() == 40
    assert set(SamplePlan.objects.filter(form__period=target_period).values_list("issued", flat=True)) == {7}
    target_set = CriteriaSet.objects.get(period=target_period)
    assert (
        not Question.objects.filter(form__period=target_period)
        .exclude(item__criteria_set=target_set)
        .exists()
    )


def test_clone_refuses_to_overwrite_existing_forms(departments, unit, target_period):
    survey = survey_period(unit_group=departments)
    ballot_forms_clone(source_period=survey.period, target_period=target_period)

    with pytest.raises(ValidationError, match="M1"):
        ballot_forms_clone(source_period=survey.period, target_period=target_period)


def test_clone_refuses_when_the_new_year_lacks_a_survey_item(departments, unit, body):
    survey = survey_period(unit_group=departments)
    bare = PeriodFactory(body=body, year=2028)

    with pytest.raises(ValidationError):
        ballot_forms_clone(source_period=survey.period, target_period=bare)

    assert not BallotForm.objects.filter(period=bare).exists()
