"""Logging of the portal: one JSON object per line in production, readable lines elsewhere,
each with the id of the request it belongs to (`portal.requestid`).

The JSON formatter is a few lines of the standard library rather than python-json-logger:
the portal writes a fixed, short set of fields, and a formatter it owns cannot change them
under an upgrade or add fields nobody reviewed (log lines are kept and shipped elsewhere;
they must not start carrying personal data).
"""

import json
import logging
from datetime import UTC, datetime

# Fields a log call may add with `extra=` that the JSON line keeps (the access line's and the
# scheduler's); anything else given in `extra` stays out of the logs.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "job")


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", …}` on one line; the access line
    adds method, path, status and duration_ms; a traceback goes in `exception`."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level="INFO", json_lines=False, access_log=False, wagtail_level="WARNING"):
    """The LOGGING setting: every record to the console (standard error), through the
    request id filter; JSON lines when `json_lines`; the access log line of each request
    (`portal.access`) only when `access_log` (runserver prints its own)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "portal.requestid.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "portal.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per background task and per page action is noise on a terminal.
            "django_tasks": {"level": "WARNING"},
            "axes": {"level": "WARNING"},  # lockouts only, not every attempt
            "wagtail": {"level": wagtail_level},
            "portal.access": {"level": "INFO" if access_log else "WARNING"},
            # With the access line, Django's "Not Found: …" warnings only repeat it.
            "django.request": {"level": "ERROR" if access_log else "WARNING"},
        },
    }
