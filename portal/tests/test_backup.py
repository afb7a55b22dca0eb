"""A backup of the seeded site restores into a fresh database with every page answering.

Runs the real commands in child processes, as an operator would: SQLite always, PostgreSQL
too when DATABASE_URL points to one (two throw-away databases beside the test database).
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ADD_A_REQUEST = """
import django
django.setup()
from django.utils import timezone
from directory.models import Territory
from referrals.models import ProjectRequest
ProjectRequest.objects.create(
    organisation="Ville de démonstration", contact_name="Alix Martin",
    email="alix.martin@example.org", nature=ProjectRequest.Nature.choices[0][0],
    subject="Réhabilitation de l'école", place="Arles",
    commune=Territory.objects.filter(code="13004").first(),
    route=ProjectRequest.Route.choices[0][0], consent_at=timezone.now(),
)
"""


def manage(env, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (arguments, result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


def site_env(tmp_path, name, database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / f"{name}-media"),
        "DEBUG": "false",
        "MAP_TILES_URL": "",
    }
    env.pop("REDIS_URL", None)
    return env


def postgres_urls():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    base = url.rsplit("/", 1)[0]
    suffix = uuid.uuid4().hex[:8]
    names = [f"portal_backup_source_{suffix}", f"portal_backup_restored_{suffix}"]
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(f"CREATE DATABASE {name}")
    return base, names


def drop_postgres(base, names):
    import psycopg

    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_backup_restores_the_seeded_site_into_a_fresh_database(tmp_path, kind):
    if kind == "sqlite":
        source_url = f"sqlite:///{tmp_path}/source.sqlite3"
        restored_url = f"sqlite:///{tmp_path}/restored.sqlite3"
        cleanup = None
    else:
        found = postgres_urls()
        if found is None:
            pytest.skip("DATABASE_URL does not point to PostgreSQL")
        base, names = found
        source_url, restored_url = (f"{base}/{name}" for name in names)
        cleanup = (base, names)
    try:
        source = site_env(tmp_path, "source", source_url)
        manage(source, "migrate", "--noinput", "-v0")
        manage(source, "seed_demo")
        subprocess.run([sys.executable, "-c", ADD_A_REQUEST], cwd=ROOT, env=source, check=True)
        folder = tmp_path / "backup"
        manage(source, "backup_site", str(folder))
        manifest = json.loads((folder / "manifest.json").read_text())
        counts = manifest["counts"]
        assert counts["requests"] == 1
        assert counts["facilitators"] >= 10 and counts["pages"] >= 40

        restored = site_env(tmp_path, "restored", restored_url)
        out = manage(restored, "restore_site", str(folder), "--noinput", "--check-pages")
        assert f"{counts['pages']} pages" in out
        assert "pages answer 200" in out
        documents = sorted(p.name for p in (tmp_path / "restored-media" / "documents").iterdir())
        assert documents == sorted(
            p.name for p in (tmp_path / "source-media" / "documents").iterdir()
        )
    finally:
        if cleanup:
            drop_postgres(*cleanup)


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    env = site_env(tmp_path, "x", f"sqlite:///{tmp_path}/x.sqlite3")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_site", str(tmp_path), "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "is not a backup folder" in result.stderr
