"""The user's own account: changing the password, which a new account must do at its first login."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class NewPasswordChangeForm(PasswordChangeForm):
    """Django's form, which also clears must_change_password and refuses keeping the old password."""

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and new == cleaned.get("old_password"):
            # The old one may be a temporary password that someone else has seen on paper.
            self.add_error("new_password1", ValidationError(_("Mật khẩu mới phải khác mật khẩu hiện tại.")))
        return cleaned

    def save(self, commit: bool = True):
        self.user.must_change_password = False
        return super().save(commit=commit)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = NewPasswordChangeForm
    title = gettext_lazy("Đổi mật khẩu")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self._next_url()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response

    def get_success_url(self) -> str:
        # Back to the page the user was sent away from at the first login, or to the home page.
        return self._next_url() or reverse(settings.LOGIN_REDIRECT_URL)

    def _next_url(self) -> str:
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        allowed = url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return url if allowed else ""
