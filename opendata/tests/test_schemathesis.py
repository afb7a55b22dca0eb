"""schemathesis against the served OpenAPI description, on a server seeded with the demo
content (its structures' reports included): every operation, at least 50 generated requests
each (valid and invalid ones), and every check — no 5xx, status codes, content types, headers
and bodies as described, valid values accepted, invalid ones refused (`schemathesis.toml`
says where a valid value may still be refused, and why).

The server runs in its own process, as in the browser tests, on a throw-away database: SQLite,
or a PostgreSQL database of its own when the suite runs on PostgreSQL (so that what only
PostgreSQL refuses, such as a NUL byte, is tried there too). Addresses go to the fake
national address service. To try other inputs, run it with `SCHEMATHESIS_SEED=<n>`."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from maps.tests.fake_geocoder import FakeGeocoder

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 50


def _postgres_database():
    """(url, drop) of a new PostgreSQL database beside the suite's, or (None, None)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None, None
    import psycopg

    name = f"portal_schemathesis_{uuid.uuid4().hex[:8]}"
    parts = urllib.parse.urlsplit(url)
    admin = parts._replace(path="/postgres").geturl().replace("postgresql://", "postgres://")
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop


@pytest.fixture(scope="module")
def api_url():
    workdir = tempfile.mkdtemp(prefix="portal-schemathesis-")
    database, drop = _postgres_database()
    with FakeGeocoder() as geocoder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DATABASE_URL": database or f"sqlite:///{workdir}/db.sqlite3",
            "MEDIA_ROOT": f"{workdir}/media",
            "DEBUG": "false",
            "MAP_TILES_URL": "",
            "GEOCODER_DOMAIN": f"127.0.0.1:{geocoder.port}",
            "GEOCODER_SCHEME": "http",
            # The rate limit is tested on its own (test_api): here it would answer 429 to
            # most generated requests.
            "LOOKUP_RATE_LIMIT": "1000000",
        }
        env.pop("REDIS_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        server = None
        try:
            for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
                subprocess.run(manage + command, env=env, check=True, capture_output=True)
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            server = subprocess.Popen(
                manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            url = f"http://127.0.0.1:{port}"
            for _attempt in range(100):
                try:
                    urllib.request.urlopen(url + "/api/v1/openapi.json", timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail("the API server did not start")
            yield url
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
            if drop:
                drop()


def test_every_operation_conforms_to_the_description(api_url):
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{api_url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        "2",
        "--seed",
        os.environ.get("SCHEMATHESIS_SEED", "20261201"),
        "--request-timeout",
        "10",
        "--no-color",
    ]
    started = time.monotonic()
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=600, cwd=tempfile.gettempdir()
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "12 selected / 12 total" in report and "Tested: 12" in report, report
    print(f"schemathesis: {time.monotonic() - started:.0f} s")
    print(report[report.rfind("Test cases:") :])


def test_the_open_data_page_links_the_documentation(api_url):
    for page, documentation, title in (
        ("/fr/donnees-ouvertes/", "/fr/api/", "API des données ouvertes"),
        ("/en/open-data/", "/en/api/", "Open-data API"),
    ):
        body = urllib.request.urlopen(api_url + page, timeout=10).read().decode()
        assert f'href="{documentation}"' in body, page
        body = urllib.request.urlopen(api_url + documentation, timeout=10).read().decode()
        assert title in body and "/api/v1/map/departements/{code}/epci.geojson" in body
