"""Admin pages of what feeds a published result: every save and delete asks the freeze check first.

The admin is an interface like the pages: a change refused by scoring.results.guards shows its Vietnamese message
on the form (or, for a delete, as an error message) instead of writing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect

from scoring.results.state import ResultsFrozen


class FrozenResultsAdminMixin:
    """A ModelAdmin whose objects may feed a published result; frozen_check(obj, data) raises ResultsFrozen."""

    def frozen_check(self, obj: Any, data: dict | None) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class FrozenCheckedForm(form):
            def clean(self):
                data = super().clean()
                try:
                    model_admin.frozen_check(self.instance, data)
                except ResultsFrozen as exc:
                    raise ValidationError(exc.message) from exc
                return data

        return FrozenCheckedForm

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            try:
                self.frozen_check(obj, None)
            except ResultsFrozen as exc:
                self.message_user(request, exc.message, messages.ERROR)
                opts = self.opts
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        # "Delete selected" would bypass the check of each row: rows are deleted one by one here.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def frozen_formset(check: Callable[[Any], None]) -> type[BaseInlineFormSet]:
    """Return an inline formset class refusing any change to its rows while check(parent) raises ResultsFrozen."""

    class FrozenFormSet(BaseInlineFormSet):
        def clean(self):
            super().clean()
            changed = any(form.has_changed() for form in self.forms) or bool(self.deleted_forms)
            if changed and self.instance.pk:
                try:
                    check(self.instance)
                except ResultsFrozen as exc:
                    raise ValidationError(exc.message) from exc

    return FrozenFormSet


__all__ = ["FrozenResultsAdminMixin", "frozen_formset"]
