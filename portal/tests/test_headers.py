"""Security headers: a strict Content-Security-Policy on the public site, the admin's own
policy, Permissions-Policy, Cross-Origin-Resource-Policy and the Mozilla Observatory set."""

import json
import os
import subprocess
import sys
import tempfile

import pytest

from portal.settings.base import tiles_origin

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def directives(header):
    """{"script-src": ["'self'"], …} from a Content-Security-Policy value."""
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_tile_hosts_become_csp_sources():
    assert tiles_origin("https://data.geopf.fr/wmts?LAYER=X&TILEMATRIX={z}") == (
        "https://data.geopf.fr"
    )
    assert tiles_origin("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.fr"
    )
    assert tiles_origin("") == ""


@pytest.mark.django_db
def test_public_pages_forbid_inline_scripts_and_allow_the_map_tiles(client, home, settings):
    response = client.get("/fr/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert settings.MAP_TILES_ORIGIN in policy["img-src"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_admin_has_its_own_policy(client):
    response = client.get("/admin/login/")
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


# Runs in a child process with the production settings, on a throw-away SQLite database.
PRODUCTION_PROBE = """
import json
import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)
from django.test import Client

from django.conf import settings
from django.test import override_settings

# Only the static file names differ: the manifest storage needs collectstatic.
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
client = Client(HTTP_HOST="clauses.example.org")
answers = {}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
    urls = {"public": "/fr/", "api": "/api/v1/lookup/?q=Arles", "admin": "/admin/login/"}
    for name, url in urls.items():
        # A browser on another site sends its Origin: the API answers it (CORS).
        response = client.get(url, secure=True, HTTP_ORIGIN="https://other.example.org")
        answers[name] = {"status": response.status_code, "headers": dict(response.headers)}
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def production_answers():
    workdir = tempfile.mkdtemp(prefix="portal-headers-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "k" * 20 + "Zt0pS3cr3t-random-value-0123456789abcdef",
        "ALLOWED_HOSTS": "clauses.example.org",
        "WAGTAILADMIN_BASE_URL": "https://clauses.example.org",
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
        "MEDIA_ROOT": f"{workdir}/media",
        "STATIC_ROOT": f"{workdir}/static",
        "WHITENOISE_USE_FINDERS": "true",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


OBSERVATORY = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize("name", ["public", "api", "admin"])
def test_production_sends_the_observatory_header_set(production_answers, name):
    answer = production_answers[name]
    headers = answer["headers"]
    assert answer["status"] in (200, 404), answer  # the API answers 404 on an empty database
    for header, value in OBSERVATORY.items():
        if name == "admin" and header == "X-Frame-Options":
            continue
        assert headers.get(header) == value, (name, header, headers)
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "Permissions-Policy" in headers
    print(name, json.dumps(headers, indent=1))


def test_production_public_and_api_policies_are_strict(production_answers):
    for name in ["public", "api"]:
        headers = production_answers[name]["headers"]
        policy = directives(headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in policy["style-src"], name
        assert policy["frame-ancestors"] == ["'none'"], name
    assert production_answers["public"]["headers"]["Cross-Origin-Resource-Policy"] == (
        "same-origin"
    )
    # Open data: other sites may fetch it.
    assert production_answers["api"]["headers"]["Cross-Origin-Resource-Policy"] == ("cross-origin")
    api = {name.lower(): value for name, value in production_answers["api"]["headers"].items()}
    assert api["access-control-allow-origin"] == "*"  # django-cors-headers writes it lower-case


def test_production_admin_policy_lets_the_admin_work_but_not_be_framed(production_answers):
    headers = production_answers["admin"]["headers"]
    assert production_answers["admin"]["status"] == 200
    policy = directives(headers["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert headers["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


@pytest.mark.django_db
def test_page_previews_keep_the_public_policy_but_may_be_framed_by_the_admin(home):
    response = home.make_preview_request()
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
