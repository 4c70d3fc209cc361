"""Forms of the account pages: the one-time code, and the password forms that keep must_change_password right."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from scoring.audit.services import audit_actor


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
