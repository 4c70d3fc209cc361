"""The people pages' forms: they type the input; the rules (which unit for which role) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.models import EvaluatingBody, Role, Unit

from .selectors import ACTIVE, INACTIVE, LOCKED

STATE_CHOICES = [
    ("", _("Mọi trạng thái")),
    (ACTIVE, _("Đang hoạt động")),
    (INACTIVE, _("Đã ngừng")),
    (LOCKED, _("Bị khoá")),
]


def _units(body: EvaluatingBody):
    return Unit.objects.filter(body=body).in_official_order()


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Vai trò"), required=False, choices=[("", _("Mọi vai trò")), *Role.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), required=False, queryset=Unit.objects.none(), empty_label=_("Mọi đơn vị")
    )
    state = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args, body: EvaluatingBody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(body)


class RoleForm(forms.Form):
    # No role is preselected: the first one is the administrator's, too much to give by an oversight.
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", _("— chọn vai trò —")), *Role.choices])
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("— cả cơ quan —"),
        help_text=_("Chỉ chọn với vai trò Cán bộ đơn vị hoặc Thủ trưởng đơn vị."),
    )

    def __init__(self, *args, body: EvaluatingBody, **kwargs):
        super().__init__(*args, **kwargs)
        # Another body's unit is not a choice: the form refuses it before the service sees it (which refuses too).
        self.fields["unit"].queryset = _units(body)


class InviteForm(RoleForm):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        required=False,
        help_text=_("Để trống thì lấy phần trước @ của email."),
    )

    field_order = ["email", "full_name", "username", "role", "unit"]


class PasswordResetForm(forms.Form):
    LINK, TEMPORARY = "link", "temporary"
    mode = forms.ChoiceField(
        label=_("Cách đặt lại"),
        choices=[
            (LINK, _("Gửi đường dẫn đặt mật khẩu qua email")),
            (TEMPORARY, _("Đặt mật khẩu tạm (hiện một lần)")),
        ],
    )
