"""REST API of a body's people and their roles (the people pages' API), for the body's administrator.

Every call names the body (its code): one account may hold roles in several bodies, and each body's
administrator acts only on its own roles. Each write calls the service the page calls
(scoring.accounts.people.services): invitations send the same set-password e-mail, the body keeps an
administrator, another body's unit is refused, and everything is audited the same way.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from scoring.access import role_assignments_administered
from scoring.idempotency.http import IDEMPOTENCY_KEY_PARAMETER, request_once
from scoring.models import EvaluatingBody, Role, Unit, User
from scoring.rest import WRITE, SetupApiView, pick

from . import selectors, services
from .selectors import ACTIVE, INACTIVE

UNIT_NOT_IN_BODY = gettext_lazy("Đơn vị không thuộc cơ quan đánh giá này.")
BODY_HELP = gettext_lazy("Mã cơ quan đánh giá.")


@extend_schema_serializer(component_name="PersonRole")
class RoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)
    unit = serializers.IntegerField(source="unit_id", allow_null=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    is_active = serializers.BooleanField(source="user.is_active")
    locked = serializers.BooleanField(help_text=gettext_lazy("Đang bị khoá đăng nhập."))
    roles = RoleSerializer(many=True, help_text=gettext_lazy("Các vai trò tại cơ quan này."))


@extend_schema_serializer(component_name="PeopleBody")
class BodySerializer(serializers.Serializer):
    body = serializers.SlugField(help_text=BODY_HELP)


@extend_schema_serializer(component_name="PersonRoleInput")
class RoleInputSerializer(BodySerializer):
    role = serializers.ChoiceField(choices=Role.choices)
    unit = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Chỉ với vai trò Cán bộ đơn vị hoặc Thủ trưởng đơn vị."),
    )


class PeopleApiView(SetupApiView):
    queryset = User.objects.none()

    def body_of(self, data) -> EvaluatingBody:
        return self.body_named(self.validated(BodySerializer, data)["body"])

    def person(self, body: EvaluatingBody, pk: int) -> selectors.PersonRow:
        """Return the person's row if they hold a role in the body; 404 otherwise (another body's people)."""
        rows = selectors.people_list(body=body, user_id=pk)
        if not rows:
            raise Http404(_("Không tìm thấy người dùng."))
        return rows[0]


class PeopleListInviteApi(PeopleApiView):
    @extend_schema_serializer(component_name="PeopleListInviteFilter")
    class FilterSerializer(BodySerializer):
        role = serializers.ChoiceField(choices=Role.choices, required=False)
        unit = serializers.IntegerField(required=False)
        active = serializers.BooleanField(required=False, allow_null=True, default=None)
        q = serializers.CharField(
            required=False, max_length=100, help_text=gettext_lazy("Tìm theo tên, email.")
        )

    @extend_schema_serializer(component_name="PeopleListInviteInput")
    class InputSerializer(RoleInputSerializer):
        email = serializers.EmailField()
        full_name = serializers.CharField(max_length=200)
        username = serializers.CharField(
            max_length=150,
            required=False,
            allow_blank=True,
            default="",
            help_text=gettext_lazy("Để trống thì lấy phần trước @ của email."),
        )

    @extend_schema(
        operation_id="people_list",
        summary=gettext_lazy("Người dùng của cơ quan"),
        tags=["people"],
        parameters=[FilterSerializer],
        responses={200: PersonSerializer(many=True), **WRITE},
    )
    def get(self, request: Request) -> Response:
        values = self.validated(self.FilterSerializer, request.query_params)
        body = self.body_named(values["body"])
        state = {True: ACTIVE, False: INACTIVE}.get(values["active"], "")
        rows = selectors.people_list(
            body=body,
            role=values.get("role", ""),
            unit_id=values.get("unit"),
            state=state,
            text=values.get("q", ""),
        )
        return self.page(rows, PersonSerializer)

    @extend_schema(
        operation_id="people_invite",
        summary=gettext_lazy("Mời một người: tạo tài khoản và gửi thư đặt mật khẩu"),
        description=gettext_lazy(
            "Email đã có tài khoản thì chỉ thêm vai trò cho tài khoản đó (created = false), không gửi thư."
        ),
        tags=["people"],
        request=InputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: inline_serializer(
                "PersonInvited", {"id": serializers.IntegerField(), "created": serializers.BooleanField()}
            ),
            **WRITE,
        },
    )
    def post(self, request: Request) -> Response:
        values = self.validated(self.InputSerializer)
        body = self.body_named(values.pop("body"))
        values["unit"] = pick(Unit, values["unit"], field="unit", message=UNIT_NOT_IN_BODY)

        def invite() -> dict:
            invited = services.person_invite(
                body=body, actor=request.user, base_url=request.build_absolute_uri("/"), **values
            )
            return {"id": invited.user.pk, "created": invited.created}

        once = request_once(request, scope="people_invite_api", action=invite)
        return Response(once.result, status=status.HTTP_201_CREATED)


class PersonDetailApi(PeopleApiView):
    @extend_schema(
        operation_id="people_retrieve",
        summary=gettext_lazy("Một người dùng và các vai trò của họ tại cơ quan"),
        tags=["people"],
        parameters=[BodySerializer],
        responses={200: PersonSerializer, **WRITE},
    )
    def get(self, request: Request, pk: int) -> Response:
        body = self.body_of(request.query_params)
        return Response(PersonSerializer(self.person(body, pk)).data)


DEACTIVATED = inline_serializer(
    "PersonDeactivated",
    {
        "account_deactivated": serializers.BooleanField(
            help_text=gettext_lazy(
                "false: tài khoản còn thuộc cơ quan khác, chỉ các vai trò tại cơ quan này bị thu hồi."
            )
        )
    },
)


class PersonDeactivateApi(PeopleApiView):
    @extend_schema(
        operation_id="people_deactivate",
        summary=gettext_lazy("Ngừng hoạt động tài khoản (hoặc thu hồi các vai trò tại cơ quan này)"),
        tags=["people"],
        request=BodySerializer,
        responses={200: DEACTIVATED, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        body = self.body_of(request.data)
        row = self.person(body, pk)
        whole = services.person_deactivate(body=body, actor=request.user, user=row.user)
        return Response({"account_deactivated": whole})


class PersonReactivateApi(PeopleApiView):
    @extend_schema(
        operation_id="people_reactivate",
        summary=gettext_lazy("Kích hoạt lại tài khoản"),
        tags=["people"],
        request=BodySerializer,
        responses={200: PersonSerializer, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        body = self.body_of(request.data)
        services.person_reactivate(body=body, actor=request.user, user=self.person(body, pk).user)
        return Response(PersonSerializer(self.person(body, pk)).data)


class PersonPasswordResetApi(PeopleApiView):
    LINK, TEMPORARY = "link", "temporary"

    @extend_schema_serializer(component_name="PersonPasswordResetInput")
    class InputSerializer(BodySerializer):
        mode = serializers.ChoiceField(
            choices=[("link", "link"), ("temporary", "temporary")],
            default="link",
            help_text=gettext_lazy(
                "link: gửi đường dẫn đặt mật khẩu qua email; temporary: đặt mật khẩu tạm, trả về một lần."
            ),
        )

    @extend_schema(
        operation_id="people_password_reset",
        summary=gettext_lazy("Đặt lại mật khẩu"),
        tags=["people"],
        request=InputSerializer,
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    "PasswordReset",
                    {
                        "detail": serializers.CharField(),
                        "temporary_password": serializers.CharField(allow_null=True),
                    },
                ),
                description=gettext_lazy("Mật khẩu tạm chỉ trả về một lần; phải đổi khi đăng nhập."),
            ),
            **WRITE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        values = self.validated(self.InputSerializer)
        body = self.body_named(values["body"])
        person = self.person(body, pk).user
        if values["mode"] == self.LINK:
            services.password_link_send(
                body=body, actor=request.user, user=person, base_url=request.build_absolute_uri("/")
            )
            detail = _("Đã gửi đường dẫn đặt mật khẩu tới %(email)s.") % {"email": person.email}
            return Response({"detail": detail, "temporary_password": None})
        password = services.password_temporary_set(body=body, actor=request.user, user=person)
        response = Response(
            {"detail": _("Mật khẩu tạm phải đổi khi đăng nhập."), "temporary_password": password}
        )
        response["Cache-Control"] = "no-store"
        return response


class PersonRolesApi(PeopleApiView):
    pagination_class = None  # one person's roles in one body: a few rows

    @extend_schema(
        operation_id="people_roles_list",
        summary=gettext_lazy("Các vai trò của một người tại cơ quan"),
        tags=["people"],
        parameters=[BodySerializer],
        responses={200: RoleSerializer(many=True), **WRITE},
    )
    def get(self, request: Request, pk: int) -> Response:
        body = self.body_of(request.query_params)
        return Response(RoleSerializer(self.person(body, pk).roles, many=True).data)

    @extend_schema(
        operation_id="people_roles_add",
        summary=gettext_lazy("Thêm vai trò"),
        tags=["people"],
        request=RoleInputSerializer,
        responses={201: RoleSerializer, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        values = self.validated(RoleInputSerializer)
        body = self.body_named(values["body"])
        person = self.person(body, pk).user
        unit = pick(Unit, values["unit"], field="unit", message=UNIT_NOT_IN_BODY)
        added = services.role_grant(
            body=body, actor=request.user, user=person, role=values["role"], unit=unit
        )
        return Response(RoleSerializer(added).data, status=status.HTTP_201_CREATED)


class RoleAssignmentDeleteApi(PeopleApiView):
    @extend_schema(
        operation_id="role_assignments_destroy",
        summary=gettext_lazy("Thu hồi một vai trò"),
        description=gettext_lazy("Cơ quan phải còn ít nhất một quản trị đang hoạt động."),
        tags=["people"],
        responses={204: None, **WRITE},
    )
    def delete(self, request: Request, pk: int) -> Response:
        self.administered()
        assignment = (
            role_assignments_administered(request.user)
            .filter(pk=pk)
            .select_related("body", "unit", "user")
            .first()
        )
        if assignment is None:
            raise Http404(_("Không tìm thấy vai trò."))
        services.role_revoke(body=assignment.body, actor=request.user, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)
