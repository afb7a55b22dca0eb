"""Thin views for what is not a Wagtail page: robots.txt, sitemap, health, server error,
uploaded media.

The site search lives in the `sitesearch` app (it searches the apps above the portal)."""

import posixpath

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page, never_cache
from django.views.static import serve
from wagtail.admin.views.account import PasswordResetView
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from portal import health
from portal.ratelimit import limit_answer, rate_limited, retry_message
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


def _health_answer(replica_only):
    healthy, report = health.run(replica_only=replica_only)
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
def healthz(request):
    """The site's health for monitoring (`portal.health`): database, caches, the outbox's
    age, the scheduler's heartbeat; 200 `{"status": "ok", "checks": {…}}`, or 503 with the
    names of the failed checks in `failed`."""
    return _health_answer(replica_only=False)


@never_cache
def healthz_replica(request):
    """This web process's own health (database and caches), for the reverse proxy and the
    container's health check: a replica is taken out only for its own trouble."""
    return _health_answer(replica_only=True)


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


class LimitedPasswordResetView(PasswordResetView):
    """Wagtail admin's password reset, at most `PASSWORD_RESET_RATE_LIMIT` mails asked an hour
    per address: beyond, the form comes back with the address typed, a 429 and when to retry."""

    def form_valid(self, form):
        wait = rate_limited(
            self.request, "password-reset", settings.PASSWORD_RESET_RATE_LIMIT, window=3600
        )
        if not wait:
            return super().form_valid(form)
        form.add_error(
            None,
            _("Trop de demandes de réinitialisation depuis votre connexion : %(retry)s")
            % {"retry": retry_message(wait)},
        )
        return limit_answer(self.form_invalid(form), wait)
