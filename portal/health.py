"""What the site needs to be healthy, checked cheaply: the rule behind `/healthz/`,
`/healthz/replica/` and `manage.py check_health`.

Each check is a function returning a small dict of figures (never personal data) or raising
`Unhealthy` (or anything else) when the site lacks what it checks. Checks are registered by
name; the apps above the portal register their own at start-up (the outbox its queue's age),
so the portal imports none of them.

Two sets are asked for:
- the replica's (`/healthz/replica/`): what one web process needs to answer, the database and
  the caches. The reverse proxy and the web containers' health checks read it: a replica is
  taken out of the load balancer only for its own trouble;
- the site's (`/healthz/`, for monitoring): those, plus the outbox's age and the scheduler's
  heartbeat (when the site declares a scheduler, `SCHEDULER_EXPECTED`). An old outbox or a
  silent scheduler is something to repair, not a reason to stop serving pages.
"""

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone


class Unhealthy(Exception):
    """A check's failure; its message says what is wrong in a few words (no personal data)."""


@dataclass(frozen=True)
class Check:
    name: str
    function: object
    replica: bool  # part of the replica's own checks
    expected: object = None  # a callable: is the check wanted on this site? (None: always)


CHECKS = {}


def register(name, function, *, replica=False, expected=None):
    """Add (or replace) the check `name`."""
    CHECKS[name] = Check(name, function, replica, expected)


def run(names=None, replica_only=False):
    """Run the checks (all wanted ones, those of a replica, or the ones named): returns
    (healthy, {"status": "ok" | "failing", "checks": {name: {"status": …, …}}, "failed":
    [names]})."""
    if names:
        unknown = sorted(set(names) - set(CHECKS))
        if unknown:
            raise KeyError(", ".join(unknown))
        chosen = [CHECKS[name] for name in names]
    else:
        chosen = [
            check
            for check in CHECKS.values()
            if (check.replica or not replica_only) and (check.expected is None or check.expected())
        ]
    results, failed = {}, []
    for check in chosen:
        try:
            figures = check.function() or {}
        except Unhealthy as problem:
            results[check.name] = {"status": "failing", "error": str(problem)}
            failed.append(check.name)
        except Exception as error:  # noqa: BLE001 - any failure of a check is its answer
            results[check.name] = {"status": "failing", "error": type(error).__name__}
            failed.append(check.name)
        else:
            results[check.name] = {"status": "ok", **figures}
    report = {"status": "failing" if failed else "ok", "checks": results}
    if failed:
        report["failed"] = failed
    return not failed, report


def database():
    """The default database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


_CACHE_KEY = f"healthz:{socket.gethostname()}:{os.getpid()}"


def cache():
    """The `default` cache and the rate limits' cache keep what is put in them (one key per
    process, overwritten at each check: the caches do not grow)."""
    for alias in ("default", settings.RATELIMIT_USE_CACHE):
        token = uuid.uuid4().hex
        store = caches[alias]
        store.set(_CACHE_KEY, token, timeout=30)
        if store.get(_CACHE_KEY) != token:
            raise Unhealthy(f"the {alias!r} cache does not keep what it is given")
    return {}


def scheduler():
    """The scheduler wrote its heartbeat within SCHEDULER_MAX_SILENCE_MINUTES."""
    from portal import schedule

    limit = settings.SCHEDULER_MAX_SILENCE_MINUTES
    beat = schedule.last_beat()
    if beat is None:
        raise Unhealthy("the scheduler never ran")
    silent = (timezone.now() - beat) / timedelta(minutes=1)
    if silent > limit:
        raise Unhealthy(f"no heartbeat for {silent:.0f} minutes (at most {limit})")
    return {"last_beat_seconds": round(silent * 60)}


register("database", database, replica=True)
register("cache", cache, replica=True)
register("scheduler", scheduler, expected=lambda: settings.SCHEDULER_EXPECTED)
