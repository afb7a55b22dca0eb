"""Browser tests: a real server with the demo content, driven through Debian's Chromium.

The server runs in its own process on a throw-away SQLite database built by `migrate` and
`seed_demo`, exactly as `make run` does; the tests only talk to it over HTTP.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def geocoder():
    """The fake national address service the test server talks to."""
    from maps.tests.fake_geocoder import FakeGeocoder

    with FakeGeocoder() as fake:
        yield fake


@pytest.fixture(scope="session")
def live_env(geocoder):
    """The environment of the test server and of the commands run beside it (its database;
    its e-mails, written by the outbox worker as files in `EMAIL_FILE_PATH`)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    workdir = tempfile.mkdtemp(prefix="portal-browser-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
        "MEDIA_ROOT": f"{workdir}/media",
        "DEBUG": "false",  # real 404 pages, as visitors get them
        "MAP_TILES_URL": "",  # no tile service offline: the map draws its own polygons
        "GEOCODER_DOMAIN": f"127.0.0.1:{geocoder.port}",
        "GEOCODER_SCHEME": "http",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": f"{workdir}/mails",
    }
    env.pop("REDIS_URL", None)
    return env


def manage(env, *command):
    """Run a management command against the test server's database."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def live_url(live_env):
    env = live_env
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        manage(env, *command)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env["WAGTAILADMIN_BASE_URL"] = url  # the links of the e-mails lead to this server
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(url + "/fr/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the test server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(live_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(
        base_url=live_url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    # Script errors and sub-resources (CSS, images, scripts) that failed to load.
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # Console errors too, except failed loads: those are judged by the response handler
    # below (a 404 page is a document that rightly answers 404).
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and page.errors.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and page.errors.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    context.close()
