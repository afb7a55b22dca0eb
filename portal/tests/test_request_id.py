"""Each request's id: on the response, on every log line written while it is served, and the
JSON lines of production logging (`portal.requestid`, `portal.logs`)."""

import io
import json
import logging
import re

import pytest

from portal.logs import JsonFormatter
from portal.requestid import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production log handler (request id filter, JSON lines) on the root logger, with
    the access line on; returns a function giving the lines written so far."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root, access = logging.getLogger(), logging.getLogger("portal.access")
    levels = (root.level, access.level)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    access.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(levels[0])
    access.setLevel(levels[1])


def test_every_answer_carries_a_new_id(client):
    first = client.get("/healthz/replica/")["X-Request-ID"]
    second = client.get("/healthz/replica/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_the_proxys_id_is_kept_when_a_proxy_stands_in_front_and_it_is_sane(client, settings):
    sent = "0b4e6a2c-5d1f-4c3e-9a8b-7f6e5d4c3b2a"
    assert client.get("/healthz/replica/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] != sent
    settings.TRUSTED_PROXIES = 1
    assert client.get("/healthz/replica/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    for insane in ("short", "a" * 200, "abc def ghi jkl", 'x"}, "level": "CRITICAL'):
        answer = client.get("/healthz/replica/", HTTP_X_REQUEST_ID=insane)["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", answer), insane


def test_every_line_of_a_request_has_its_id_and_the_access_line_its_figures(client, json_log):
    response = client.get("/fr/page-qui-n-existe-pas/?q=lea.dupont@example.org")
    request_id = response["X-Request-ID"]
    lines = json_log()
    mine = [line for line in lines if line["request_id"] == request_id]
    assert {line["logger"] for line in mine} >= {"django.request", "portal.access"}
    (access,) = [line for line in mine if line["logger"] == "portal.access"]
    assert access["method"] == "GET"
    assert access["path"] == "/fr/page-qui-n-existe-pas/"  # never the query string
    assert access["status"] == 404
    assert isinstance(access["duration_ms"], float)
    assert set(access) >= {"time", "level", "logger", "message", "request_id"}
    assert "lea.dupont" not in json.dumps(lines)
    # Outside a request, lines say so.
    logging.getLogger("portal.test").warning("between requests")
    assert json_log()[-1]["request_id"] == "-"


def test_a_json_line_holds_the_traceback():
    record = logging.LogRecord("portal", logging.ERROR, __file__, 1, "failed: %s", ("x",), None)
    try:
        raise ValueError("boom")
    except ValueError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed: x" and entry["level"] == "ERROR"
    assert "ValueError: boom" in entry["exception"]
