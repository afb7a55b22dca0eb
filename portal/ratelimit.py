"""A per-IP rate limit on Django's cache (shared between workers when the cache is Redis)."""

import time

from django.core.cache import cache


def client_ip(request):
    """The client's address (the last proxy hop when behind a reverse proxy)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request, scope, limit, window=60):
    """Count this request; return the seconds to wait when this IP already made `limit`
    requests of `scope` in the current window (of `window` seconds), else 0."""
    now = time.time()
    key = f"ratelimit:{scope}:{client_ip(request)}:{int(now // window)}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        return window - int(now) % window or 1
    return 0
