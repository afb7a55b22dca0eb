"""The page cache: anonymous visitors' GET requests of public pages are answered from the
`pages` cache, and every cached page is purged together when content changes.

What is cached: a GET or HEAD without a query string, from a visitor without a session or
messages cookie (never a logged-in user), outside the admin, the API and the documents,
answered 200, not counted by a rate limit (`portal.ratelimit`), and whose response sets no
cookie, reads no CSRF token (no form), does not vary
on the cookie and is not marked private or uncacheable (`never_cache`, `Cache-Control:
private`). Searches have a query string, forms a CSRF token, private pages (a request's
follow-up) `Cache-Control: private`: none of them is stored.

Purging: the cache keys carry a version number kept in the same cache; `purge()` moves it on,
so every page stored before is never read again (and expires). They carry the day as well:
what was stored yesterday is not served after midnight (a lead designation may have started
or ended, with nothing saved). It is called when a page is
published, unpublished, moved or deleted (`portal.apps`) and when the published directory
changes (`directory.signals.directory_changed`). A whole-site purge is right here: a page
shows menus, the latest news and directory figures that other pages own.

Languages: the language is in the path (`/fr/`, `/en/`); Django's cache key adds the active
language and honours the response's `Vary` (the root redirect, which varies on
`Accept-Language`, is a 302 and never stored).
"""

import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.utils import timezone
from django.utils.cache import (
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
    patch_vary_headers,
)

HEADER = "X-Page-Cache"
VERSION_KEY = "pagecache:version"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def version():
    """The current version of the page cache (created on first use)."""
    cache = _cache()
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY, 1)
    return value


def purge(**kwargs):
    """Forget every cached page (accepts signal arguments, so it can be a receiver)."""
    cache = _cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet, or it was evicted
        cache.set(VERSION_KEY, 2, timeout=None)


def generation():
    """The key prefix of what is cached now: the version, and the day (Europe/Paris), since
    some answers change at midnight on their own (a lead designation starts or ends)."""
    return f"{version()}.{timezone.localdate().isoformat()}"


def remember(name, build):
    """`build()`, kept in the page cache until the next purge or the end of the day: for
    what pages show that only a publish or a directory change alters (the white-zone
    summary, the buyers' list). With the page cache off (PAGE_CACHE_SECONDS=0), `build()`
    every time."""
    if not settings.PAGE_CACHE_SECONDS:
        return build()
    cache, key = _cache(), f"remember:{generation()}:{name}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


_EXCLUDED = None


def _excluded(path):
    global _EXCLUDED
    if _EXCLUDED is None:
        _EXCLUDED = re.compile("|".join(f"(?:{p})" for p in settings.PAGE_CACHE_EXCLUDE))
    return bool(settings.PAGE_CACHE_EXCLUDE) and bool(_EXCLUDED.match(path))


def cacheable_request(request):
    """True when this request may be answered from, and stored in, the page cache."""
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    if request.META.get("QUERY_STRING"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return not _excluded(request.path_info)


def cacheable_response(request, response):
    """True when this response is the same for every anonymous visitor."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if getattr(request, "page_cache_exempt", False):  # rate-limited: each visit counts
        return False
    # A cookie set (the CSRF middleware sets its cookie whenever a page holds a token: a
    # form), or the session read (the user, messages): this answer is someone's own.
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # The session may have been read (the user bar asks who the user is): the request came
    # without a session cookie, so it was empty, unless this request wrote to it.
    session = getattr(request, "session", None)
    if session is not None and session.accessed and (session.modified or not session.is_empty()):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache", "max-age=0")):
        return False
    vary = response.get("Vary", "").lower()
    return "cookie" not in vary and "*" not in vary


class PageCacheMiddleware:
    """Serves anonymous pages from the cache; placed after the locale middleware (the key
    carries the active language) and before the session is read by anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        cache, prefix = _cache(), f"pages.{generation()}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                cached[HEADER] = "hit"
                return cached
        response = self.get_response(request)
        if cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            key = learn_cache_key(
                request, response, settings.PAGE_CACHE_SECONDS, prefix, cache=cache
            )
            # After the key is learnt (a key per cookie would be a copy per visitor): tells
            # caches downstream that a visitor with a session sees another page.
            patch_vary_headers(response, ["Cookie"])
            # A CDN or caching proxy in front may keep the page FRONTEND_CACHE_SECONDS: a
            # publish purges it there too (`wagtail.contrib.frontend_cache`), a change of
            # the directory does not (it would mean purging every commune's URL), so this
            # bounds how long a shared cache shows an old answer. Browsers revalidate.
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.FRONTEND_CACHE_SECONDS
            )
            response[HEADER] = "miss"
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response
