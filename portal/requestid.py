"""One id per request, to find every log line and the error report of one request.

The reverse proxy's `X-Request-ID` is taken when a proxy stands in front (`TRUSTED_PROXIES`)
and the value is a sane token; otherwise the portal makes one (uuid4, hex). The id goes back
on the response's `X-Request-ID` header, into every log record written while the request is
served (`RequestIdFilter`, through a context variable), and onto the Sentry event as the tag
`request_id`. The middleware also writes the access log line (`portal.access`): method, path
without its query string (which may hold what a visitor typed), status and duration.
"""

import contextvars
import logging
import re
import time
import uuid

import sentry_sdk
from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
NO_REQUEST = "-"

current = contextvars.ContextVar("request_id", default=NO_REQUEST)
access_logger = logging.getLogger("portal.access")


def request_id_for(request):
    """The proxy's id when one stands in front and its value is a sane token (8 to 128
    letters, digits, `.`, `_`, `:` or `-`), else a new uuid4 in hex."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if getattr(settings, "TRUSTED_PROXIES", 0) > 0 and SANE.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost middleware: gives the request its id and logs its answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id_for(request)
        # Kept until the response is closed (`request_finished`): Django logs a 4xx or 5xx
        # answer after the middleware returned it.
        current.set(request.request_id)
        sentry_sdk.set_tag("request_id", request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        access_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response

    def process_exception(self, request, exception):
        """The error report names the account by its id only (no e-mail, no user name)."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            sentry_sdk.set_user({"id": str(user.pk)})


@receiver(request_finished, dispatch_uid="portal.requestid.finished")
def forget_request_id(**kwargs):
    """Lines written between two requests belong to none."""
    current.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Gives every log record the id of the request being served (`-` outside requests)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current.get()
        return True
