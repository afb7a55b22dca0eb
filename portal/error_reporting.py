"""Error reports to Sentry (or a compatible service: GlitchTip, self-hosted Sentry), without
personal data.

`init` is called by the production settings when SENTRY_DSN is set. Unhandled exceptions of
requests and commands, and every log record of level ERROR (the scheduler's failed jobs, the
outbox's given-up messages), become events; each request's event carries the tag `request_id`
(`portal.requestid`) and the scheduler's the tag `job`.

What the portal's visitors type is personal data (names, e-mails, phone numbers, projects), so
the SDK is told to collect nothing personal (`send_default_pii` off, no request bodies, no
local variables) and `before_send` strips what could still carry some: the request's body,
cookies, query string and every header but a few technical ones; of the user, only the id;
and any e-mail address or phone number left in a message, a breadcrumb or an exception text
is masked.
"""

import logging
import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# French numbers (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78) and other international
# ones written with their "+".
PHONE = re.compile(
    r"(?<![\w.])(?:(?:\+|00)33[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
    r"|(?<![\w.])\+\d{1,3}(?:[\s.-]?\d){6,14}(?!\d)"
)
KEPT_HEADERS = {
    "accept",
    "accept-language",
    "content-length",
    "content-type",
    "host",
    "x-forwarded-proto",
    "x-request-id",
}
# Parts of an event that hold no text typed by anyone (ids are kept as they are: the tag
# request_id, trace and span ids).
UNTOUCHED = {"sdk", "modules", "timestamp", "start_timestamp", "release", "environment"}


def mask(text):
    """`text` with its e-mail addresses and phone numbers replaced by a placeholder."""
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


def _scrub(value, key=""):
    if key == "id" or key.endswith("_id"):
        return value
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {name: _scrub(item, str(name)) for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(item) for item in value]
    return value


def strip_request(request):
    """The request as an event may show it: method, URL without query, technical headers."""
    kept = {"method": request.get("method"), "url": request.get("url")}
    headers = request.get("headers") or {}
    kept["headers"] = {
        name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
    }
    return {name: value for name, value in kept.items() if value is not None}


def before_send(event, hint=None):
    """Strip personal data from an event (or a transaction) before it leaves the server."""
    if "request" in event:
        event["request"] = strip_request(event["request"])
    user = event.get("user") or {}
    if user.get("id") is not None:
        event["user"] = {"id": str(user["id"])}
    else:
        event.pop("user", None)
    for name, value in list(event.items()):
        if name not in UNTOUCHED and name != "request":
            event[name] = _scrub(value, name)
    if "request" in event:
        event["request"] = _scrub(event["request"])
    return event


def before_breadcrumb(crumb, hint=None):
    """Breadcrumbs (earlier log lines, queries) are masked the same way."""
    return _scrub(crumb)


def init(dsn, environment="production", traces_sample_rate=0.0, release=""):
    """Start reporting errors to `dsn`. `traces_sample_rate` (0 to 1) is the share of requests
    whose timings are sent too; 0 sends none."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        integrations=[
            DjangoIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
    )
