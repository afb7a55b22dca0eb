"""Run by `test_error_reporting` in a process of its own (the Sentry SDK patches Django for the
life of a process): error reporting on, towards the DSN given, the portal served over HTTP on
127.0.0.1 by the standard library's WSGI server (as gunicorn would, through Django's
WSGIHandler), then one form posted to a view that fails. Prints the answer's status and
request id as JSON."""

import json
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(dsn):
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    import sentry_sdk
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    from portal import error_reporting

    error_reporting.init(dsn, environment="test")
    settings.ROOT_URLCONF = "portal.tests.failing_urls"
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    form = {
        "name": "Léa Dupont",
        "email": "lea.dupont@example.org",
        "phone": "06 12 34 56 78",
        "project": "Rénovation de la salle des fêtes",
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.server_port}/test-failure/?email=lea.dupont%40example.org",
        data=urllib.parse.urlencode(form).encode(),
        headers={
            "Cookie": "preferences=cookie-camille-dupont",
            "User-Agent": "Mozilla/5.0 (Dupont)",
            "Referer": "https://portal.example.org/fr/?email=lea.dupont@example.org",
        },
    )
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as answer:
        status, request_id = answer.code, answer.headers["X-Request-ID"]
    else:
        status, request_id = 200, None
    server.shutdown()
    sentry_sdk.flush(timeout=10)
    print(json.dumps({"status": status, "request_id": request_id}))


if __name__ == "__main__":
    main(sys.argv[1])
