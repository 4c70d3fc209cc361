"""Forms of the account pages: the one-time code, and the password forms that keep must_change_password right."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from scoring.audit.services import audit_actor

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class UsersUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách người dùng (.xlsx hoặc .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 2 MB."))
        return upload


class OneTimeCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class ResetSetPasswordForm(SetPasswordForm):
    """The new password chosen through an e-mailed reset link: the person's own, so no change is asked after."""

    def save(self, commit: bool = True):
        self.user.must_change_password = False
        return super().save(commit=commit)


class TemporaryPasswordForm(AdminPasswordChangeForm):
    """An administrator setting someone else's password in the Django admin: a temporary one, to change at login.

    The acting administrator comes from the admin's `acting_as` (UserAdmin wraps its views in it);
    setting one's own password there is not temporary.
    """

    def save(self, commit: bool = True):
        actor = audit_actor()
        self.user.must_change_password = actor is None or actor.pk != self.user.pk
        return super().save(commit=commit)


class ApiTokenForm(forms.Form):
    """The name and end date of a new API token; the rules on them (the longest life) are the service's."""

    name = forms.CharField(
        label=_("Tên mã"),
        max_length=100,
        help_text=_("Để nhận ra mã sau này, ví dụ: “Bảng tính tổng hợp của phòng”."),
        error_messages={"required": _("Hãy đặt tên cho mã truy cập (ví dụ: tên chương trình sẽ dùng nó).")},
    )
    expires_on = forms.DateField(
        label=_("Hết hạn vào ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
