"""Production settings refuse to start without a real secret."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_check(secret):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    env.pop("SECRET_KEY", None)
    if secret is not None:
        env["SECRET_KEY"] = secret
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("secret", [None, "", "changeme", "dev-" + "x" * 60, "short"])
def test_production_refuses_a_missing_or_weak_secret(secret):
    result = run_check(secret)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret():
    result = run_check("k" * 20 + "Zt0pS3cr3t-random-value-0123456789abcdef")
    assert result.returncode == 0, result.stderr
