"""Project middleware."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

UNPREFIXED = ("/api/", "/admin/", "/documents/", "/healthz/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 of a path that lives outside the language
    prefixes (the API, the admin) stays a 404 instead of redirecting to /fr/…."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)
