"""The gunicorn server the load benchmarks run against: DEBUG off, on a free port of
127.0.0.1, the rate limits lifted (they would turn a load test into a test of the rate
limits), the address service pointed at a closed local port, serving this checkout or
another one (`code_dir`, for before/after figures)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

NO_LIMIT = "100000000"


@contextmanager
def serve(workers, out, code_dir=None):
    """Start gunicorn with `workers` sync workers, wait for it to answer, yield its base URL,
    stop it on exit; `out(text)` reports where it listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = settings.DATABASES["default"]
    default_url = f"sqlite:///{db['NAME']}" if db["ENGINE"].endswith("sqlite3") else ""
    env = {
        **os.environ,
        "DEBUG": "false",
        "LOOKUP_RATE_LIMIT": NO_LIMIT,
        "FINDER_RATE_LIMIT": NO_LIMIT,
        "SEARCH_RATE_LIMIT": NO_LIMIT,
        "MAP_TILES_URL": "",
        # Nothing leaves the machine: a commune whose name reads like an address ("Le
        # Chemin") goes to the address service first, here a closed local port (the lookup
        # then answers from the local search, with its notice).
        "GEOCODER_DOMAIN": "127.0.0.1:9",
        "GEOCODER_SCHEME": "http",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_url),
    }
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    if code_dir:  # found before the installed project on sys.path
        env["PYTHONPATH"] = code_dir
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            f"--workers={workers}",
            "--worker-class=sync",
            "--backlog=2048",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
        cwd=code_dir or settings.BASE_DIR,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(150):
            try:
                urllib.request.urlopen(url + "/healthz/replica/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # Django answers (an older `code_dir` may not know this address)
            except OSError:
                time.sleep(0.2)
        out(f"gunicorn with {workers} sync workers on {url}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
