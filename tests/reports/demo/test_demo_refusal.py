"""`load_demo` creates a superuser with a public password: never on a server unless told it is a demo."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.models import User


def test_load_demo_refuses_without_debug_or_the_demo_flag(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="createsuperuser") as refused:
        call_command("load_demo")

    assert "--demo-passwords" in str(refused.value)
    assert not User.objects.exists()
