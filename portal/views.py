"""Thin views for what is not a Wagtail page: robots.txt, sitemap, health, server error,
uploaded media.

The site search lives in the `sitesearch` app (it searches the apps above the portal)."""

import posixpath

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import cache_page, never_cache
from django.views.static import serve
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from portal.sitemap import MultilingualSitemap


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@cache_page(60 * 15)
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": MultilingualSitemap})


@never_cache
def healthz(request):
    """Liveness for containers and load balancers: 200 when the database answers."""
    try:
        connection.ensure_connection()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """The 500 page; it relies on nothing that could itself be broken (no database, no settings)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_path": request.path}))


# Uploaded documents live under MEDIA_ROOT/documents/ but are only ever served through
# Wagtail's document view (privacy settings, collections, the serve hooks).
PRIVATE_MEDIA = ("documents/",)


def media(request, path):
    """Uploaded media for SERVE_MEDIA deployments, except the documents (404)."""
    if (posixpath.normpath(path).lstrip("/") + "/").startswith(PRIVATE_MEDIA):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
