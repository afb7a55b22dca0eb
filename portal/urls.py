from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import translations, views

urlpatterns = [
    # Before Wagtail's own route of the same address: the rate-limited view.
    path(
        "admin/password_reset/",
        views.LimitedPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    # The site history without other facilitators' requests (before Wagtail's own report).
    path("admin/reports/", include("referrals.report_urls")),
    # Reached without signing in: an invitation's link, the lockout's unlock links.
    path("admin/compte/", include("accounts.urls")),
    # wagtail-localize's "convert to alias" would publish the source's text as a translation.
    path(
        "admin/localize/page/<int:page_id>/convert_to_alias/",
        translations.alias_refused,
        name="translation_alias_refused",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz/", views.healthz, name="healthz"),
    path("healthz/replica/", views.healthz_replica, name="healthz_replica"),
    path("api/v1/", include("opendata.urls")),
]

if settings.SERVE_MEDIA and not settings.MEDIA_ON_OBJECT_STORAGE:
    urlpatterns += [
        re_path(r"^" + settings.MEDIA_URL.lstrip("/") + r"(?P<path>.*)$", views.media, name="media")
    ]

urlpatterns += i18n_patterns(
    # Links of the directory's confirmation reminders (French e-mails: /fr/…).
    path("annuaire-confirmation/", include("directory.urls")),
    # "Signaler une erreur" on a facilitator card or a commune's answer.
    path("", include("directory.public_urls")),
    path("recherche/", include("sitesearch.urls")),
    # The signed links of project requests' e-mails (tracking, opinion, facilitator answers).
    path("suivi-demande/", include("referrals.urls")),
    path("api/", include("opendata.page_urls")),
    # Structures' pages and results by territory, before the pages' catch-all.
    path("", include("observatory.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler500 = "portal.views.server_error"
