"""Every app of the project is tested, packaged and shipped: its folder is in pytest's
`testpaths` (else plain `pytest`, `make test` and CI never run its tests), in the setuptools
package list and in the Dockerfile's first COPY (else `pip install .` leaves it out)."""

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from devtools.image import copy_sources, dockerfile_instructions
from tests.project import app_folders, project_apps

BASE = Path(settings.BASE_DIR)


def apps_in_repository():
    return sorted(set(project_apps()) | set(app_folders()))


def pyproject():
    return tomllib.loads((BASE / "pyproject.toml").read_text(encoding="utf-8"))


def dockerfile_first_copies():
    """The folders copied before the project's own `pip install … .` in the Dockerfile (the
    locked dependencies are installed before them)."""
    copied = set()
    for instruction in dockerfile_instructions((BASE / "Dockerfile").read_text(encoding="utf-8")):
        if instruction.keyword == "RUN" and instruction.words[-2:] == ["install", "."]:
            break
        copied.update(source.rstrip("/") for source in copy_sources(instruction))
    return copied


def test_the_project_apps_are_found():
    assert {"portal", "directory", "maps", "referrals", "news", "demo", "devtools"} <= set(
        apps_in_repository()
    )


@pytest.mark.parametrize("app", apps_in_repository())
def test_every_app_is_collected_packaged_and_copied(app):
    options = pyproject()
    assert app in options["tool"]["pytest"]["ini_options"]["testpaths"], (
        f"{app} is missing from pytest's testpaths in pyproject.toml: its tests never run"
    )
    include = options["tool"]["setuptools"]["packages"]["find"]["include"]
    assert any(fnmatch.fnmatch(app, pattern) for pattern in include), (
        f"{app} is missing from [tool.setuptools.packages.find] include in pyproject.toml"
    )
    assert app in dockerfile_first_copies(), (
        f"{app} is missing from the Dockerfile's COPY lines before `pip install .`"
    )


def test_plain_pytest_collects_every_apps_tests():
    """What `pytest` (no arguments) collects holds tests of every app that has some."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not browser"],
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    collected = {line.split("/")[0] for line in result.stdout.splitlines() if "::" in line}
    with_tests = {
        app for app, path in app_folders().items() if any((path / "tests").glob("test_*.py"))
    }
    assert with_tests, "no app with tests found"
    assert with_tests <= collected, f"tests never collected for {sorted(with_tests - collected)}"
