"""Deployment safe by default: with DEBUG off every `check --deploy` item is on, and no key means no start."""

from __future__ import annotations

import pytest

from tests.deploy.production import run_manage, run_python


def test_check_deploy_finds_nothing_under_a_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_every_check_deploy_item_can_be_turned_off_from_the_environment():
    # The switches exist (a proxy that already redirects, a site not ready for preload…): check --deploy sees them.
    result = run_manage(
        "check",
        "--deploy",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in result.stderr, (code, result.stderr)


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "too-short-but-random-Zq9",
        "change-me-to-a-long-random-string",
        "dev-only-insecure-key-change-me-in-production",
        "django-insecure-" + "x1y2z3w4v5" * 5,
        "a" * 60,
    ],
    ids=["missing", "empty", "short", "env-example", "dev-key", "django-insecure", "one-letter"],
)
def test_without_a_real_secret_key_the_site_refuses_to_start(key):
    result = run_manage("check", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set to a random string of at least 50 characters" in (
        result.stderr
    )


def test_a_command_that_only_reads_the_code_runs_without_a_key():
    # `makemigrations --check` on a fresh clone signs nothing; serving and `check` still refuse (above).
    result = run_manage("makemigrations", "--check", "--dry-run", SECRET_KEY=None)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_on_falls_back_to_the_development_key_and_plain_http():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECRET_KEY, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = run_python(code, DEBUG="true", SECRET_KEY=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "dev-only-insecure-key-change-me-in-production",
        "False",
        "False",
        "0",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
    ]


def test_production_defaults_and_the_proxy_header_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, "
        "s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = run_python(code, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https') 31536000 True True DENY "
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_a_malformed_proxy_header_is_refused():
    result = run_manage("check", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be two comma-separated values" in result.stderr


def test_logs_are_json_on_request():
    code = (
        "import django, json, logging; django.setup(); "
        "logging.getLogger('parindex.test').warning('Đã lưu %s', 'điểm')"
    )
    result = run_python(code, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    import json

    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "Đã lưu điểm"
    assert record["level"] == "WARNING"
    assert record["logger"] == "parindex.test"
    assert "time" in record


def test_logs_are_plain_text_by_default():
    code = "import django, logging; django.setup(); logging.getLogger('parindex.test').warning('plain')"
    result = run_python(code)
    assert result.stderr.strip().splitlines()[-1] == "plain"


def test_error_reporting_starts_only_with_a_dsn():
    code = (
        "import sys, django; django.setup(); "
        "print('sentry_sdk' in sys.modules and __import__('sentry_sdk').get_client().is_active())"
    )
    assert run_python(code).stdout.strip() == "False"
    # A DSN to a closed port: initialised, nothing is sent since nothing fails.
    assert run_python(code, SENTRY_DSN="http://public@127.0.0.1:9/1").stdout.strip() == "True"
