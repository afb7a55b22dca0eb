"""Errors reach someone, without personal data (`portal.error_reporting`): a failing view's
error arrives at the Sentry server (a fake one on 127.0.0.1 here) tagged with the request's
id, and nothing the visitor typed comes with it."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from portal import error_reporting
from portal.requestid import RequestIdMiddleware

PERSONAL = [
    b"lea.dupont",
    b"Dupont",
    b"06 12 34 56 78",
    b"0612345678",
    b"cookie-camille-dupont",
    b"salle des f",
    b"Mozilla",
]


class FakeSentry(BaseHTTPRequestHandler):
    """Records every envelope POSTed to /api/<project>/envelope/."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    FakeSentry.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def events(envelopes):
    """The event items of the envelopes received (one JSON header line, then item header and
    payload lines)."""
    found = []
    for _path, body in envelopes:
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_an_error_arrives_with_its_request_id_and_nothing_personal(sentry_server):
    port = sentry_server.server_address[1]
    result = subprocess.run(
        [sys.executable, "-m", "portal.tests.sentry_probe", f"http://public@127.0.0.1:{port}/42"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": "sqlite:///:memory:", "SENTRY_DSN": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 500
    assert FakeSentry.received, "no envelope reached the server"
    assert {path for path, _body in FakeSentry.received} == {"/api/42/envelope/"}
    (event,) = [e for e in events(FakeSentry.received) if e.get("exception")]
    assert event["tags"]["request_id"] == answer["request_id"]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "cannot save [email] / [phone]"
    assert event["request"]["method"] == "POST"
    raw = b"".join(body for _path, body in FakeSentry.received)
    for text in PERSONAL:
        assert text not in raw, text


def test_before_send_keeps_the_users_id_only_and_masks_what_was_typed():
    event = {
        "user": {"id": 7, "email": "lea.dupont@example.org", "username": "ldupont"},
        "request": {
            "url": "https://portal.example.org/fr/contact/",
            "method": "POST",
            "query_string": "email=lea.dupont@example.org",
            "data": {"message": "Appelez-moi au 06.12.34.56.78"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc", "Host": "portal.example.org"},
            "env": {"REMOTE_ADDR": "192.0.2.4"},
        },
        "tags": {"request_id": "0612345678aa"},
        "breadcrumbs": {"values": [{"message": "sent to +33 6 12 34 56 78"}]},
        "logentry": {"message": "Message %s failed", "params": ["lea.dupont@example.org"]},
    }
    cleaned = error_reporting.before_send(event)
    assert cleaned["user"] == {"id": "7"}
    assert cleaned["request"] == {
        "method": "POST",
        "url": "https://portal.example.org/fr/contact/",
        "headers": {"Host": "portal.example.org"},
    }
    assert cleaned["tags"] == {"request_id": "0612345678aa"}  # ids are left as they are
    assert cleaned["breadcrumbs"]["values"][0]["message"] == "sent to [phone]"
    assert cleaned["logentry"]["params"] == ["[email]"]
    anonymous = error_reporting.before_send({"user": {"ip_address": "192.0.2.4"}})
    assert "user" not in anonymous


def test_the_error_names_the_account_by_its_id(rf, django_user_model, db, monkeypatch):
    user = django_user_model.objects.create_user("ldupont", "lea.dupont@example.org", "x")
    seen = []
    monkeypatch.setattr("portal.requestid.sentry_sdk.set_user", seen.append)
    request = rf.get("/")
    request.user = user
    RequestIdMiddleware(lambda r: None).process_exception(request, RuntimeError())
    assert seen == [{"id": str(user.pk)}]
