"""Rate limits per client address, counted by django-ratelimit in the `ratelimit` cache
(`RATELIMIT_USE_CACHE`), which production settings make shared by every worker (Redis, or
the database cache). The client address is the one rule of `client_ip`: the lockout
(django-axes) uses it too."""

import ipaddress

from django.conf import settings
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage


def _address(value):
    """`value` as a normalised IP address, or "" when it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request):
    """The client's address: `REMOTE_ADDR`, unless `TRUSTED_PROXIES` (N) reverse proxies stand
    in front, in which case the N-th address from the right of `X-Forwarded-For` (the one the
    outermost trusted proxy saw). Addresses further left were written by the client and are
    never used; a header shorter than N hops, or a hop that is not an address, falls back to
    `REMOTE_ADDR`."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return _address(hops[-proxies]) or remote


def _key(group, request):
    return client_ip(request)


def rate_limited(request, scope, limit, window=60):
    """Count this request in `scope`; return the seconds to wait when this address already
    made `limit` requests of `scope` in the current window (of `window` seconds), else 0.
    The answer is never stored in the page cache: every visit must be counted."""
    request.page_cache_exempt = True
    usage = get_usage(
        request, group=scope, key=_key, rate=(int(limit), int(window)), increment=True
    )
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, usage["time_left"])


def retry_message(wait):
    """In words, when to try again: "réessayez dans N minutes" (or seconds under two minutes)."""
    if wait >= 120:
        minutes = (wait + 59) // 60
        return ngettext(
            "réessayez dans %(n)s minute.", "réessayez dans %(n)s minutes.", minutes
        ) % {"n": minutes}
    return ngettext("réessayez dans %(n)s seconde.", "réessayez dans %(n)s secondes.", wait) % {
        "n": wait
    }


def limit_answer(response, wait):
    """Make `response` a 429 that says in its `Retry-After` header when to retry."""
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response
