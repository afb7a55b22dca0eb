"""Rate limits that hold: the client address cannot be chosen by the client, the counters are
shared by every worker, and a refused request says when to retry and keeps what was typed."""

import os
import socket
import subprocess
import sys
from unittest import mock

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory, override_settings

from portal.checks import ratelimit_cache_is_shared
from portal.ratelimit import client_ip, rate_limited, retry_message
from portal.tests.test_settings import GOOD_SECRET, ROOT

RESET = "/admin/password_reset/"


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXIES=0)
def test_without_trusted_proxies_forwarded_for_is_ignored():
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_it_saw_is_used():
    # The client wrote "10.9.9.9"; nginx appended the address it saw connecting.
    assert client_ip(request_from("127.0.0.1", "10.9.9.9, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("127.0.0.1", "203.0.113.9")) == "203.0.113.9"
    # No header (a request that skipped the proxy), or junk: the connecting address.
    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", "not-an-address")) == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_second_address_from_the_right_is_used():
    forwarded = "10.9.9.9, 203.0.113.9, 192.0.2.1"
    assert client_ip(request_from("127.0.0.1", forwarded)) == "203.0.113.9"
    assert client_ip(request_from("127.0.0.1", "192.0.2.1")) == "127.0.0.1"


def test_the_lockout_uses_the_same_address():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == "portal.ratelimit.client_ip"


def test_retry_is_said_in_seconds_then_minutes():
    assert retry_message(1) == "réessayez dans 1 seconde."
    assert retry_message(45) == "réessayez dans 45 secondes."
    assert retry_message(600) == "réessayez dans 10 minutes."


def reset(client, forwarded=None, email="claire@example.org"):
    extra = {"REMOTE_ADDR": "198.51.100.7"}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(RESET, {"email": email}, **extra)


@pytest.mark.django_db
@override_settings(PASSWORD_RESET_RATE_LIMIT=2, TRUSTED_PROXIES=0)
def test_a_spoofed_forwarded_for_does_not_give_a_fresh_count(client):
    for number in range(2):
        assert reset(client, forwarded=f"10.0.0.{number}").status_code == 302
    response = reset(client, forwarded="10.0.0.99")
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(PASSWORD_RESET_RATE_LIMIT=1, TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_client_counts_alone_whatever_it_writes(client):
    assert reset(client, forwarded="203.0.113.9").status_code == 302
    # The same client, with a made-up address in front of the one the proxy appended.
    assert reset(client, forwarded="10.0.0.1, 203.0.113.9").status_code == 429
    # Another client behind the same proxy.
    assert reset(client, forwarded="203.0.113.10").status_code == 302


@pytest.mark.django_db
@override_settings(PASSWORD_RESET_RATE_LIMIT=1)
def test_password_reset_past_its_limit_says_when_and_keeps_the_address(client):
    assert reset(client).status_code == 302
    response = reset(client, email="claire.autre@example.org")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    body = response.content.decode()
    assert "Trop de demandes de réinitialisation" in body and "réessayez dans" in body
    assert 'value="claire.autre@example.org"' in body


def two_clients():
    """Pairs of cache clients, each with its own connection, on the shared backends."""
    yield "database", [DatabaseCache("portal_ratelimit_cache", {}) for _ in range(2)]
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return
    yield "redis", [RedisCache("redis://127.0.0.1:6379/15", {}) for _ in range(2)]


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_two_workers_share_one_count(backend, settings):
    clients = dict(two_clients())
    if backend not in clients:
        pytest.skip("no Redis at 127.0.0.1:6379")
    first, second = clients[backend]
    first.clear()
    request = request_from("198.51.100.7")
    waits = []
    for worker in (first, second, first, second):
        # Each "worker" counts through its own client of the shared store.
        with mock.patch("django_ratelimit.core.caches", {"ratelimit": worker}):
            waits.append(rate_limited(request, "shared", limit=3))
    first.clear()
    # Four requests, two by each worker: the fourth is refused although each saw only two.
    assert waits[:3] == [0, 0, 0] and waits[3] > 0


def production_caches(**environment):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": GOOD_SECRET,
        "WAGTAILADMIN_BASE_URL": "https://clauses.example.org",
        **environment,
    }
    if "REDIS_URL" not in environment:
        env.pop("REDIS_URL", None)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "c = settings.CACHES[settings.RATELIMIT_USE_CACHE]; print(c['BACKEND'], c['LOCATION'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_counts_in_redis_when_it_is_set():
    backend, location = production_caches(REDIS_URL="redis://127.0.0.1:6379/1")
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://127.0.0.1:6379/1"


def test_production_counts_in_the_database_without_redis():
    backend, location = production_caches()
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert location == "portal_ratelimit_cache"


def test_the_deploy_check_refuses_a_per_process_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    errors = ratelimit_cache_is_shared(None)
    assert [error.id for error in errors] == ["portal.E001"]
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_ratelimit_cache",
        },
    }
    assert ratelimit_cache_is_shared(None) == []


def test_retry_is_said_in_english_too():
    from django.utils import translation

    with translation.override("en"):
        assert retry_message(600) == "try again in 10 minutes."
        assert retry_message(1) == "try again in 1 second."
