"""Writes to the evaluation model; each function is one named operation in one transaction."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from . import calc
from .models import ClassificationBand, EvaluatingBody, Period, UnitGroup

# Lai Châu's bands (Tốt ≥ 80, Khá ≥ 70, Trung bình ≥ 50, Yếu below): the default a new period starts from.
DEFAULT_BANDS: tuple[calc.Band, ...] = calc.LAI_CHAU_BANDS


def code_from_name(name: str, max_length: int = 80) -> str:
    """Return a stable slug for a Vietnamese name ("Sở Nội vụ" -> "so-noi-vu")."""
    # slugify drops đ/Đ instead of transliterating it, which would turn "Đài" into "ai".
    return slugify(name.replace("đ", "d").replace("Đ", "D"))[:max_length].strip("-") or "x"


@transaction.atomic
def body_get_or_create(*, code: str, name: str, administrator_name: str = "") -> EvaluatingBody:
    body, _ = EvaluatingBody.objects.get_or_create(
        code=code, defaults={"name": name, "administrator_name": administrator_name}
    )
    return body


@transaction.atomic
def period_get_or_create(*, body: EvaluatingBody, year: int) -> tuple[Period, bool]:
    """Return the body's period for the year, creating it with the previous period's bands or the default."""
    period, created = Period.objects.get_or_create(body=body, year=year)
    if created:
        previous = Period.objects.filter(body=body, year__lt=year).order_by("-year").first()
        bands = (
            [b.as_band() for b in previous.bands.all()]
            if previous and previous.bands.exists()
            else DEFAULT_BANDS
        )
        ClassificationBand.objects.bulk_create(
            ClassificationBand(period=period, code=b.code, label=b.label, min_index=Decimal(b.min_index))
            for b in bands
        )
    return period, created


@transaction.atomic
def unit_group_get_or_create(*, body: EvaluatingBody, name: str, code: str = "") -> tuple[UnitGroup, bool]:
    """Return the body's unit group matched by code or name, creating it when neither exists."""
    code = code or code_from_name(name)
    group = (
        UnitGroup.objects.filter(body=body, code=code).first()
        or UnitGroup.objects.filter(body=body, name=name).first()
    )
    if group:
        return group, False
    order = UnitGroup.objects.filter(body=body).count() + 1
    return UnitGroup.objects.create(body=body, code=code, name=name, order=order), True
