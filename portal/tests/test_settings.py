"""Production settings refuse to start without a real secret or the site's public address."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


GOOD_SECRET = "k" * 20 + "Zt0pS3cr3t-random-value-0123456789abcdef"


def run_check(secret, base_url="https://clauses.example.org"):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    env.pop("SECRET_KEY", None)
    env.pop("WAGTAILADMIN_BASE_URL", None)
    if secret is not None:
        env["SECRET_KEY"] = secret
    if base_url is not None:
        env["WAGTAILADMIN_BASE_URL"] = base_url
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("secret", [None, "", "changeme", "dev-" + "x" * 60, "short"])
def test_production_refuses_a_missing_or_weak_secret(secret):
    result = run_check(secret)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret():
    result = run_check(GOOD_SECRET)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("base_url", [None, "", "127.0.0.1:8000"])
def test_production_refuses_to_start_without_the_public_address(base_url):
    result = run_check(GOOD_SECRET, base_url=base_url)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "WAGTAILADMIN_BASE_URL must be set" in result.stderr


def test_sqlite_connections_wait_for_the_lock_instead_of_failing():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20


def test_seed_demo_refuses_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": GOOD_SECRET,
        "WAGTAILADMIN_BASE_URL": "https://clauses.example.org",
        # Never touches it: the command stops before any query.
        "DATABASE_URL": "sqlite:////nonexistent/seed-demo-refused.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr
    assert "--force-demo-in-production" in result.stderr
