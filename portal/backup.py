"""Back up and restore the whole site: the database and the uploaded media.

A backup is a folder holding `database.sqlite3` (SQLite's online backup API: a consistent copy
while the site runs) or `database.dump` (PostgreSQL, `pg_dump --format=custom`), `media.tar.gz`
(MEDIA_ROOT) and `manifest.json` (when, which engine, and the counts that a restore must find
again). Media kept on object storage (AWS_STORAGE_BUCKET_NAME) are not copied: the bucket keeps
them, with its own versioning (docs/operations.md, "Media on object storage"); the manifest and the
commands' output say so. Unlike `dumpdata`/`loaddata`, the database is copied as it is:
content types, page tree and revisions keep their ids.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
# What a restored site must hold as many of as the backed-up one.
COUNTED = {
    "pages": "wagtailcore.Page",
    "facilitators": "directory.Facilitator",
    "requests": "referrals.ProjectRequest",
    "documents": "portal.GuidanceDocument",
    "images": "wagtailimages.Image",
    "users": "auth.User",
}


def media_notice():
    """What a backup or restore says about media on object storage, or None for local media."""
    if not settings.MEDIA_ON_OBJECT_STORAGE:
        return None
    bucket = settings.STORAGES["default"].get("OPTIONS", {}).get("bucket_name", "?")
    return (
        f"Media are on object storage (bucket {bucket}) and are not in this backup: the "
        "bucket's own versioning keeps them (docs/operations.md, 'Media on object storage')."
    )


class BackupError(Exception):
    """A backup or a restore that could not be done; the message says why."""


def engine(alias="default"):
    """ "sqlite" or "postgresql" for the database `alias`; anything else is refused."""
    name = settings.DATABASES[alias]["ENGINE"]
    if name == "django.db.backends.sqlite3":
        return "sqlite"
    if name == "django.db.backends.postgresql":
        return "postgresql"
    raise BackupError(f"Unsupported database engine {name!r} (SQLite or PostgreSQL only).")


def inventory(alias="default"):
    """How many pages, facilitators, requests, documents, images and users the site holds."""
    return {
        name: apps.get_model(label).objects.using(alias).count() for name, label in COUNTED.items()
    }


def postgres_environment(database):
    """libpq's environment variables for `database` (a DATABASES entry): no password on the
    command line."""
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if database.get(key):
            env[variable] = str(database[key])
    return env


def run(command, env=None):
    """Run a PostgreSQL client tool; a missing tool or a failure becomes a BackupError."""
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(destination, alias="default"):
    """Write a backup of the database `alias` and of MEDIA_ROOT into the new folder
    `destination`; returns the manifest."""
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} already exists and is not empty.")
    destination.mkdir(parents=True, exist_ok=True)
    kind = engine(alias)
    database = settings.DATABASES[alias]
    if kind == "sqlite":
        target = sqlite3.connect(destination / SQLITE_FILE)
        source = sqlite3.connect(database["NAME"])
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", destination / POSTGRES_FILE],
            env=postgres_environment(database),
        )
    notice = media_notice()
    if notice is None:
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(destination / MEDIA_FILE, "w:gz") as archive:
            if media.is_dir():
                for child in sorted(media.iterdir()):
                    archive.add(child, arcname=child.name)
    manifest = {
        "created": timezone.now().isoformat(),
        "engine": kind,
        "database": SQLITE_FILE if kind == "sqlite" else POSTGRES_FILE,
        # None: the media stayed in their bucket (`media_notice`).
        "media": None if notice else MEDIA_FILE,
        "counts": inventory(alias),
    }
    (destination / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(source):
    """The manifest of the backup folder `source`, checked for the files it names."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            f"{source} is not a backup folder (no readable {MANIFEST_FILE})."
        ) from error
    names = [manifest.get("database")]
    # No "media" key: a backup made before object storage, which always holds media.tar.gz.
    if manifest.get("media", MEDIA_FILE) is not None:
        names.append(MEDIA_FILE)
    for name in names:
        if not name or not (source / name).is_file():
            raise BackupError(f"{source} is incomplete: {name} is missing.")
    return manifest


def restore(source, alias="default"):
    """Replace the database `alias` and MEDIA_ROOT by the backup in `source`, then check the
    counts against the manifest; returns (manifest, restored counts)."""
    source = Path(source)
    manifest = read_manifest(source)
    kind = engine(alias)
    if manifest["engine"] != kind:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the settings use {kind}."
        )
    database = settings.DATABASES[alias]
    connections[alias].close()
    if kind == "sqlite":
        backup_copy = sqlite3.connect(source / SQLITE_FILE)
        target = sqlite3.connect(database["NAME"])
        try:
            with target:
                backup_copy.backup(target)
        finally:
            backup_copy.close()
            target.close()
    else:
        run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                database["NAME"],
                source / POSTGRES_FILE,
            ],
            env=postgres_environment(database),
        )
    if media_notice() is None:
        if manifest.get("media", MEDIA_FILE) is None:
            raise BackupError(
                "This backup holds no media (they were on object storage); the current "
                "settings keep media in MEDIA_ROOT. Set AWS_STORAGE_BUCKET_NAME to the bucket."
            )
        restore_media(source / MEDIA_FILE)
    counts = inventory(alias)
    if counts != manifest["counts"]:
        raise BackupError(
            f"The restored site differs from the backup: {counts} instead of {manifest['counts']}."
        )
    return manifest, counts


def restore_media(archive_path):
    """Replace MEDIA_ROOT's content by the archive's (extracted aside first, so a broken
    archive leaves the current files in place)."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent))
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        for child in media.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in staging.iterdir():
            child.rename(media / child.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_pages():
    """Ask the restored site for every page of its sitemap and for the admin login page, as a
    visitor would (Django's test client, no server needed); returns the URLs that did not
    answer 200, with their status, and the number of URLs asked."""
    from urllib.parse import urlsplit

    from django.test import Client

    hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*", "") and "*" not in host]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    secure = getattr(settings, "SECURE_SSL_REDIRECT", False)
    client = Client(HTTP_HOST=host)
    sitemap = client.get("/sitemap.xml", secure=secure)
    if sitemap.status_code != 200:
        return [("/sitemap.xml", sitemap.status_code)], 1
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ElementTree.fromstring(sitemap.content)
    paths = [urlsplit(loc.text.strip()).path for loc in root.iter(f"{namespace}loc")]
    paths.append("/admin/login/")
    failures = []
    for path in paths:
        status = client.get(path, secure=secure).status_code
        if status != 200:
            failures.append((path, status))
    return failures, len(paths)
