"""The production image, checked without a Docker engine (CI has none): the build context
`.dockerignore` leaves sends no secret, personal data or another machine's files, and holds
every file the Dockerfile copies; the Dockerfile installs the lock with hashes before the
sources, from a pinned base, and runs as a non-root user; hadolint finds nothing.
`.ci/run` builds the image too where a Docker engine answers."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.image import (
    ROOT,
    base_image_problem,
    build_context,
    copy_sources,
    dockerfile_instructions,
    dockerfile_problems,
    leaks,
    missing_sources,
)

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
INSTRUCTIONS = dockerfile_instructions(DOCKERFILE)

# What a developer's checkout holds besides the repository's files, and must stay out.
NEVER_SENT = [
    ".env",
    ".env.production",
    "portal/.env",
    "backups/2026-03-01T0200/database.json",
    "backups/2026-03-01T0200/media/documents/convention.pdf",
    "directory/backups/directory.json",
    "db.sqlite3",
    "db.sqlite3-wal",
    "directory/fixtures/copy.sqlite3",
    ".venv/lib/python3.11/site-packages/django/__init__.py",
    ".venv/pyvenv.cfg",
    ".git/config",
    ".git/objects/pack/pack-0.pack",
    "media/original_images/photo.jpg",
    "portal/media/leftover.jpg",
    "staticfiles/css/portal.css",
    "node_modules/leaflet/leaflet.js",
    "static/node_modules/leaflet/leaflet.js",
    "portal/__pycache__/urls.cpython-311.pyc",
    "directory/models.pyc",
    ".pytest_cache/v/cache/lastfailed",
    "screenshots/home.png",
    "sent-mails/20260301-message.log",
    "portail_clauses_sociales.egg-info/PKG-INFO",
    "portal/tests/test_models.py",
    "conftest.py",
]


def tracked_files():
    """The repository's files (git's index), as POSIX paths."""
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    )
    return [path for path in result.stdout.decode().split("\0") if path]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the checkout's layout (empty files, `.dockerignore` itself) with what a
    developer's machine adds: local secrets, dumps, databases, caches."""
    root = tmp_path_factory.mktemp("checkout")
    for path in [*tracked_files(), *NEVER_SENT]:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).touch()
    shutil.copy(ROOT / ".dockerignore", root / ".dockerignore")
    return root


def test_no_secret_personal_data_or_local_file_is_sent(checkout):
    context = build_context(checkout)
    assert [path for path in NEVER_SENT if path in context] == []
    assert leaks(context) == {}


def test_this_checkout_sends_nothing_it_must_not():
    assert leaks(build_context(ROOT)) == {}


def test_every_file_the_dockerfile_copies_is_sent(checkout):
    context = build_context(checkout)
    assert missing_sources(INSTRUCTIONS, context) == []
    copied = {source for instruction in INSTRUCTIONS for source in copy_sources(instruction)}
    expected = [
        path
        for path in tracked_files()
        if any(path == source or path.startswith(f"{source}/") for source in copied)
        and "tests" not in Path(path).parts
    ]
    assert [path for path in expected if path not in context] == []
    assert "portal/locale/en/LC_MESSAGES/django.mo" in context  # the English interface
    assert "manage.py" in context and "templates/base.html" in context


def test_only_what_the_dockerfile_copies_is_sent(checkout):
    """An allow-list: a file added at the top of the repository stays out until the
    Dockerfile needs it (the Docker SDK always adds the Dockerfile and .dockerignore)."""
    copied = {source for instruction in INSTRUCTIONS for source in copy_sources(instruction)}
    extra = [
        path
        for path in build_context(checkout)
        if not any(path == source or path.startswith(f"{source}/") for source in copied)
    ]
    assert extra == [".dockerignore", "Dockerfile"]


def test_the_dockerfile_follows_the_projects_rules():
    assert dockerfile_problems(INSTRUCTIONS) == []


def test_a_dockerfile_breaking_the_rules_is_told_each_problem():
    problems = dockerfile_problems(
        dockerfile_instructions(
            "FROM python:3.12-slim\n"
            "ADD https://example.org/tool.tar.gz /tmp/\n"
            "COPY . .\n"
            "COPY requirements/base.txt ./requirements/base.txt\n"
            "RUN pip install \\\n    -r requirements/base.txt\n"
            "RUN pip install gunicorn\n"
            "USER root\n"
        )
    )
    assert problems == [
        "line 1: base image python:3.12-slim is not pinned (name its version and Debian release)",
        "line 2: ADD of a URL (download in a checked RUN, or COPY)",
        "line 5: pip install without --require-hashes",
        "line 7: pip install without --require-hashes",
        "the image does not end with a non-root USER",
        "requirements/base.txt is never installed with --require-hashes",
    ]
    late_lock = dockerfile_problems(
        dockerfile_instructions(
            "FROM python:3.12-slim-trixie\nCOPY portal ./portal\n"
            "COPY requirements/base.txt requirements/\n"
            "RUN pip install --require-hashes -r requirements/base.txt\nUSER 1000\n"
        )
    )
    assert late_lock == [
        "line 2: portal copied before the lock is installed (every change of code would "
        "reinstall the dependencies)"
    ]


@pytest.mark.parametrize(
    "image, pinned",
    [
        ("python:3.12-slim-trixie", True),
        ("python:3.12.8-slim-bookworm", True),
        ("python:3.12-slim@sha256:" + "a" * 64, True),
        ("python:3.12-slim", False),
        ("python:3.12", False),
        ("python:latest", False),
        ("python", False),
    ],
)
def test_a_base_image_is_pinned_by_release_or_digest(image, pinned):
    assert (base_image_problem(image) is None) == pinned


def test_a_missing_copy_source_is_named():
    instructions = dockerfile_instructions(
        "FROM scratch\nCOPY --from=build /app /app\nCOPY deploy/Caddyfile portal ./\n"
    )
    assert missing_sources(instructions, ["portal/urls.py"]) == ["deploy/Caddyfile"]


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint is None:
        pytest.skip("hadolint is not installed (make install installs it from the dev lock)")
    result = subprocess.run(
        [hadolint, "--no-color", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
