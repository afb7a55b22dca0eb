"""Wagtail's frontend-cache invalidation, configured from the environment: with
FRONTEND_CACHE_BACKEND=http-purge, publishing or unpublishing a page sends PURGE requests for
its URL to FRONTEND_CACHE_LOCATION (here a recording server on 127.0.0.1)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from conftest import publish_child
from portal.models import StandardPage
from portal.settings.base import frontend_cache


class Environment(dict):
    def __call__(self, name, default=None):
        return self.get(name, default)


@pytest.fixture
def purge_server():
    """An HTTP cache stand-in on a free port of 127.0.0.1 recording (method, path, Host)."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
            received.append((self.command, self.path, self.headers["Host"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_purge(settings, purge_server):
    settings.WAGTAILFRONTENDCACHE = frontend_cache(
        Environment(FRONTEND_CACHE_BACKEND="http-purge", FRONTEND_CACHE_LOCATION=purge_server.url)
    )
    return purge_server


def test_publishing_and_unpublishing_purge_the_page(
    http_purge, home, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_child(home, StandardPage(title="Clause sociale", slug="clause-sociale"))
    assert ("PURGE", "/fr/clause-sociale/", "testserver") in http_purge.received

    http_purge.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert http_purge.received == [("PURGE", "/fr/clause-sociale/", "testserver")]


def test_nothing_is_purged_when_unset(
    settings, purge_server, home, django_capture_on_commit_callbacks
):
    assert frontend_cache(Environment()) is None
    settings.WAGTAILFRONTENDCACHE = None
    with django_capture_on_commit_callbacks(execute=True):
        publish_child(home, StandardPage(title="Sans cache", slug="sans-cache"))
    assert purge_server.received == []


def test_cdn_backends_from_the_environment():
    cloudflare = frontend_cache(
        Environment(
            FRONTEND_CACHE_BACKEND="cloudflare",
            FRONTEND_CACHE_CLOUDFLARE_ZONEID="zone",
            FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN="token",
        )
    )["default"]
    assert cloudflare["BACKEND"].endswith("CloudflareBackend")
    assert (cloudflare["ZONEID"], cloudflare["BEARER_TOKEN"]) == ("zone", "token")
    cloudfront = frontend_cache(
        Environment(
            FRONTEND_CACHE_BACKEND="CloudFront",
            FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID="E123",
        )
    )["default"]
    assert cloudfront == {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": "E123",
    }


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"FRONTEND_CACHE_BACKEND": "varnish"}, "use http-purge, cloudflare or cloudfront"),
        ({"FRONTEND_CACHE_BACKEND": "http-purge"}, "needs FRONTEND_CACHE_LOCATION"),
        ({"FRONTEND_CACHE_BACKEND": "cloudflare"}, "FRONTEND_CACHE_CLOUDFLARE_ZONEID"),
        ({"FRONTEND_CACHE_BACKEND": "cloudfront"}, "DISTRIBUTION_ID"),
    ],
)
def test_incomplete_settings_are_refused_at_start_up(variables, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        frontend_cache(Environment(variables))
