"""The benchmarks are developer commands: there with the dev and test settings (so `make
bench` finds them), absent from production."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import get_commands


def test_the_benchmarks_are_commands_of_devtools():
    commands = get_commands()
    assert commands["bench_directory"] == "devtools"
    assert commands["bench_map"] == "devtools"


@pytest.mark.parametrize(
    "settings_module, available",
    [("portal.settings.dev", True), ("portal.settings.production", False)],
)
def test_the_benchmarks_exist_in_development_only(settings_module, available):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.org",
        "WAGTAILADMIN_BASE_URL": "https://portal.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "bench_map"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if available:
        assert result.returncode == 0, result.stderr
        assert "usage: manage.py bench_map" in result.stdout
    else:
        assert result.returncode != 0
        assert "Unknown command: 'bench_map'" in result.stderr
