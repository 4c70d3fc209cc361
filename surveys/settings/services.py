"""Writes of a period's survey settings: the averaging and form weights, and which survey items SIPAS feeds.

Each is one operation in one transaction, refused whole (ValidationError, nothing written) on any bad value, once a
published result was computed from the survey, or for an item that is not a survey item of the period; every
change is audited and tells the live results.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.audit.services import audit_record
from scoring.models import CriteriaItem, Method, Period, User
from scoring.results.state import results_changed_notify

from ..ballots.services import survey_frozen_check
from ..models import Aggregation, BallotForm, SipasConversion, SipasMethod, SurveySettings

MAX_WEIGHT = Decimal("9999.99")


def _locked(period: Period) -> Period:
    # Two administrators saving at once queue here; the second sees the first's rows when it compares.
    return Period.objects.select_for_update().select_related("body").get(pk=period.pk)


@transaction.atomic
def sipas_conversions_set(*, period: Period, choices: Mapping[int, str], actor: User | None) -> int:
    """Set, per item named, how it converts from SIPAS ("" = its points come from ballots); return the changes.

    Items not named keep what they had. Refused (nothing written) when a method is unknown, when an item is not a
    scored survey item of the period's criteria sets (another body's, another year's, an appraisal item), or
    once a result of the period is published.
    """
    errors: list[str] = []
    bad_methods = sorted({m for m in choices.values() if m and m not in SipasMethod.values})
    if bad_methods:
        errors.append(_("Cách quy đổi không hợp lệ: %(m)s.") % {"m": ", ".join(bad_methods)})
    items = {
        i.pk: i
        for i in CriteriaItem.objects.filter(
            pk__in=list(choices), criteria_set__period=period
        ).select_related("criteria_set")
    }
    scored = set(CriteriaItem.objects.scored().filter(pk__in=list(items)).values_list("pk", flat=True))
    if set(choices) - set(items):
        # Whose item it is, is not said: an item of another body is none of this administrator's business.
        errors.append(
            _("Có tiêu chí không thuộc bộ tiêu chí của kỳ đánh giá năm %(year)s.") % {"year": period.year}
        )
    not_survey = sorted(i.code for i in items.values() if i.method != Method.SURVEY or i.pk not in scored)
    if not_survey:
        errors.append(
            _(
                "Tiêu chí %(codes)s không phải tiêu chí điều tra xã hội học được chấm điểm: không quy đổi từ SIPAS được."
            )
            % {"codes": ", ".join(not_survey)}
        )
    if errors:
        raise ValidationError(errors)
    period = _locked(period)
    survey_frozen_check(period_id=period.pk)
    existing = {c.item_id: c for c in SipasConversion.objects.filter(period=period, item_id__in=list(items))}
    changed = 0
    for item_id, method in choices.items():
        item, conversion = items[item_id], existing.get(item_id)
        old = conversion.method if conversion else ""
        if old == method:
            continue
        if not method:
            conversion.delete()
        elif conversion is None:
            conversion = SipasConversion.objects.create(period=period, item=item, method=method)
        else:
            conversion.method = method
            conversion.save(update_fields=["method"])
        changed += 1
        audit_record(
            body=period.body,
            actor=actor,
            action="survey.sipas_conversion_set",
            obj=item,
            item_code=item.code,
            field="method",
            old=SipasMethod(old).label if old else _("Điểm từ phiếu điều tra"),
            new=SipasMethod(method).label if method else _("Điểm từ phiếu điều tra"),
            note=item.criteria_set.name,
        )
    if changed:
        results_changed_notify(period_id=period.pk)
    return changed


@transaction.atomic
def survey_settings_set(
    *,
    period: Period,
    aggregation: str,
    note: str = "",
    weights: Mapping[int, Decimal] | None = None,
    actor: User | None,
) -> SurveySettings:
    """Return the period's survey settings saved: how ballots are averaged, a note, and the forms' weights.

    Refused (nothing written) for an unknown averaging, a weight below 0 or above 9 999,99, a form of another
    period, or once a result of the period is published. Each changed value is audited old → new.
    """
    weights = dict(weights or {})
    errors: list[str] = []
    if aggregation not in Aggregation.values:
        errors.append(_("Cách tính trung bình không hợp lệ."))
    forms = {f.pk: f for f in BallotForm.objects.filter(period=period, pk__in=list(weights))}
    if set(weights) - set(forms):
        errors.append(_("Có mẫu phiếu không thuộc kỳ đánh giá năm %(year)s.") % {"year": period.year})
    for form_id, weight in weights.items():
        if form_id in forms and not (Decimal(0) <= weight <= MAX_WEIGHT):
            errors.append(
                _("Trọng số của mẫu phiếu %(form)s phải từ 0 đến 9.999,99.") % {"form": forms[form_id].code}
            )
    if errors:
        raise ValidationError(errors)
    period = _locked(period)
    survey_frozen_check(period_id=period.pk)
    settings = SurveySettings.objects.filter(period=period).first()
    if settings is None:
        settings = SurveySettings(period=period)  # the defaults are what the points used until now
    note = (note or "").strip()
    changes = [
        (field, getattr(settings, field), new)
        for field, new in (("aggregation", aggregation), ("note", note))
        if getattr(settings, field) != new
    ]
    for field, _old, new in changes:
        setattr(settings, field, new)
    if changes or settings.pk is None:
        settings.save()
    for field, old, new in changes:
        audit_record(
            body=period.body,
            actor=actor,
            action="survey.settings_set",
            obj=settings,
            field=field,
            old=Aggregation(old).label if field == "aggregation" else old,
            new=Aggregation(new).label if field == "aggregation" else new,
        )
    touched_results = any(field == "aggregation" for field, _old, _new in changes)
    for form_id, weight in weights.items():
        form = forms[form_id]
        if form.group_weight == weight:
            continue
        audit_record(
            body=period.body,
            actor=actor,
            action="survey.form_weight_set",
            obj=form,
            field=form.code,
            old=form.group_weight,
            new=weight,
        )
        form.group_weight = weight
        form.save(update_fields=["group_weight"])
        touched_results = True
    if touched_results:
        results_changed_notify(period_id=period.pk)
    return settings


@transaction.atomic
def sipas_conversions_clone(*, source: Period, target: Period, actor: User | None) -> int:
    """Copy the source period's SIPAS conversions onto the target's survey items of the same group and code;
    return how many. An item the new criteria sets no longer have as a scored survey item is left out: nothing
    feeds it from SIPAS any more, and the settings page says so if it lacks a source of points."""
    conversions = list(SipasConversion.objects.filter(period=source).select_related("item__criteria_set"))
    if not conversions:
        return 0
    items = {
        (i.criteria_set.unit_group_id, i.code): i
        for i in CriteriaItem.objects.scored()
        .filter(criteria_set__period=target, method=Method.SURVEY)
        .select_related("criteria_set")
    }
    taken = set(SipasConversion.objects.filter(period=target).values_list("item_id", flat=True))
    copies = []
    for conversion in conversions:
        item = items.get((conversion.item.criteria_set.unit_group_id, conversion.item.code))
        if item is not None and item.pk not in taken:
            copies.append(SipasConversion(period=target, item=item, method=conversion.method))
    SipasConversion.objects.bulk_create(copies)
    if copies:
        audit_record(
            body=target.body,
            actor=actor,
            action="survey.sipas_conversions_clone",
            note=f"{source.year} → {target.year}: " + ", ".join(c.item.code for c in copies),
        )
    return len(copies)
