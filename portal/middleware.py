"""Project middleware."""

import json

from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template import loader

from portal.validators import unreadable_request_text

UNPREFIXED = ("/api/", "/admin/", "/documents/", "/healthz/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 of a path that lives outside the language
    prefixes (the API, the admin) stays a 404 instead of redirecting to /fr/…."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)


class RejectControlCharactersMiddleware:
    """Answer 400 to a path or GET parameter holding a control character (NUL above all),
    before any view reads it or sends it to the database: a plain bilingual page, JSON under
    /api/ (but the open-data API's operations, whose schemas refuse them with their own
    documented error). The rule is `portal.validators.unreadable_request_text`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/v1/"):
            # The open-data API validates every parameter against its declared schema (which
            # refuses control characters) and answers with its own documented 400.
            return self.get_response(request)
        found = unreadable_request_text(request)
        if found is None:
            return self.get_response(request)
        parameter, character = found
        code = f"U+{ord(character):04X}"
        if request.path_info.startswith("/api/"):
            message = f"Caractère invisible non autorisé ({code}) dans l'adresse."
            return HttpResponseBadRequest(
                json.dumps(
                    {"error": message, "parameter": parameter, "character": code},
                    ensure_ascii=False,
                ),
                content_type="application/json; charset=utf-8",
            )
        body = loader.render_to_string("400.html", {"code": code})
        return HttpResponseBadRequest(body)
