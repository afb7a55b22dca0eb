"""HTTP behaviour shared by the operations of the API, as view decorators (applied by
`opendata.api.endpoint`): language, HEAD and OPTIONS, rate limits, conditional GET and the
caching of the map layers."""

import json
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from directory.models import DirectoryChange
from maps.geo import version_token
from portal.ratelimit import rate_limited

ALLOWED = "GET, HEAD, OPTIONS"


def language(request):
    """The language asked by `lang` (fr, en); French for anything else."""
    value = request.GET.get("lang", "")
    return value if value in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def error_response(message, status, **extra):
    """A JSON error: `{"error": message, ...}`."""
    return HttpResponse(
        json.dumps({"error": message, **extra}, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def directory_version(request):
    """The time of the last change of the published directory, read once per request (the
    ETag, Last-Modified and the layer's cache all use this one reading)."""
    if not hasattr(request, "_directory_version"):
        request._directory_version = DirectoryChange.last()
    return request._directory_version


def public(view):
    """The outermost layer of every operation: messages in the language asked; OPTIONS
    answered with the allowed methods; HEAD answered as GET without the body; validators only
    on answers that can be revalidated (200, 304)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Allow"] = ALLOWED
            response["Content-Length"] = "0"
            return response
        with translation.override(language(request)):
            response = view(request, *args, **kwargs)
        if response.status_code not in (200, 304):
            for header in ("ETag", "Last-Modified"):
                if response.has_header(header):
                    del response[header]
        if request.method == "HEAD" and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapper


def json_not_allowed(view):
    """Around a whole path's view: a method other than GET, HEAD or OPTIONS gets a 405 JSON
    error too (with `Allow`), like every other refusal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            with translation.override(language(request)):
                message = _("Méthode %(method)s non permise : seules GET, HEAD et OPTIONS le sont.")
                response = error_response(message % {"method": request.method}, 405)
            response["Allow"] = ALLOWED
        return response

    return wrapper


def rate_limit(scope, per_minute):
    """At most `per_minute()` requests a minute per IP address (`portal.ratelimit`); beyond,
    a 429 JSON error with `Retry-After`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            wait = rate_limited(request, scope, per_minute())
            if wait:
                response = error_response(
                    _("Trop de requêtes : réessayez dans %(s)s secondes.") % {"s": wait}, 429
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def conditional(suffix=lambda request, *args, **kwargs: ""):
    """Django's `condition`: the ETag (the directory version and `suffix`) and Last-Modified
    (the time of that version) of the answer; 304 when the client already has it.
    `suffix(request, ...)` returning None means the answer is not revalidated (it depends on
    more than the directory)."""

    def etag(request, *args, **kwargs):
        end = suffix(request, *args, **kwargs)
        if end is None:
            return None
        return f'"{version_token(directory_version(request))}{end}"'

    def last_modified(request, *args, **kwargs):
        if suffix(request, *args, **kwargs) is None:
            return None
        return directory_version(request)

    return condition(etag_func=etag, last_modified_func=last_modified)


def layer_cache(view):
    """A map layer asked with the current version (`?v=`, as the map page does) may be kept a
    year; any other URL is revalidated on each use."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            if request.GET.get("v") == version_token(directory_version(request)):
                response["Cache-Control"] = "public, max-age=31536000, immutable"
            else:
                response["Cache-Control"] = "public, no-cache"
        return response

    return wrapper
