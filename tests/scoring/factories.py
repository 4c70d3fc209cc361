from decimal import Decimal

import factory

from scoring import models
from tests.conftest_constants import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EvaluatingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EvaluatingBody
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"body-{n}")
    name = factory.Sequence(lambda n: f"UBND tỉnh số {n}")


class UnitGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UnitGroup

    body = factory.SubFactory(EvaluatingBodyFactory)
    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Nhóm {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Unit

    body = factory.SubFactory(EvaluatingBodyFactory)
    group = factory.SubFactory(UnitGroupFactory, body=factory.SelfAttribute("..body"))
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleAssignment

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(EvaluatingBodyFactory)
    role = models.Role.VIEWER
    unit = None


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Period
        skip_postgeneration_save = True

    body = factory.SubFactory(EvaluatingBodyFactory)
    year = 2020
    # Most tests work in a year already under way; the setup state is asked for by the tests about it.
    status = models.PeriodStatus.OPEN

    @factory.post_generation
    def bands(obj, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted or [
            ("tot", "Tốt", "80"),
            ("kha", "Khá", "70"),
            ("trung_binh", "Trung bình", "50"),
            ("yeu", "Yếu", "0"),
        ]
        for code, label, minimum in rows:
            models.ClassificationBand.objects.create(
                period=obj, code=code, label=label, min_index=Decimal(minimum)
            )
