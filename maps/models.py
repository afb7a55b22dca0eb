"""The coverage map page: where contracting authorities find their facilitator."""

from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from directory import coverage
from directory.models import DirectoryChange, Territory
from maps import finder
from maps.geo import version_token
from portal import pagecache
from portal.blocks import RICH_FEATURES
from portal.leaflet import leaflet_options
from portal.models.base import BasePage
from portal.ratelimit import limit_answer, rate_limited, retry_message


class MapPage(RoutablePageMixin, BasePage):
    """A Leaflet map of coverage with the "find my facilitator" search. Every answer is also
    rendered on the server (`?q=`, `?departement=`), so the page works without JavaScript;
    the map's side panel shows the same answer, fetched as an HTML fragment (`reponse/<code>/`)."""

    intro = RichTextField(gettext_lazy("introduction"), features=RICH_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = gettext_lazy("carte et recherche de facilitateur")
        verbose_name_plural = gettext_lazy("cartes et recherches de facilitateur")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        authorities, authority = coverage.buyer_choice(request.GET)
        query = request.GET.get("q", "").strip()
        wait = rate_limited(request, "finder", settings.FINDER_RATE_LIMIT) if query else 0
        if wait:  # the query stays in the search box; nothing is looked up
            request.rate_limit_wait = wait
            finding = finder.Finding(query, error=too_many_searches(wait))
        else:
            finding = finder.find(query, authority) if query else None
        if "q" in request.GET and not query:
            finding = finder.Finding(
                "", error=_("Saisissez une commune, un code postal, un code INSEE ou une adresse.")
            )

        departements = pagecache.remember("white_zone_summary", coverage.white_zone_summary)
        code = request.GET.get("departement", "").strip().upper()
        if finding and finding.commune and finding.commune.departement:
            code = code or finding.commune.departement.code
        departement = next(
            (row.departement for row in departements if row.departement.code == code), None
        )
        sort = request.GET.get("tri", "nom")
        white_only = request.GET.get("zones_blanches") == "1"
        directory = self.live_page("directory.DirectoryPage")
        referral_page = self.live_page("referrals.ReferralPage")
        context.update(
            referral_page=referral_page,
            query=query,
            finding=finding,
            authorities=authorities,
            authority=authority,
            departements=departements,
            departement=departement,
            # Lazy: the template renders the list from its fragment cache when it can.
            communes=SimpleLazyObject(
                lambda: finder.departement_communes(departement, sort, white_only)
            )
            if departement
            else None,
            sort=sort if sort in finder.SORTS else "nom",
            sort_columns=[
                ("nom", _("Commune")),
                ("population", _("Population")),
                ("statut", _("Statut")),
            ],
            white_only=white_only,
            statuses=coverage.Status.choices,
            unknown_departement=code if code and departement is None else "",
            communes_url=directory.url + "communes/" if directory else "",
            map_config=self.map_config(finding, departement, authority),
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        wait = getattr(request, "rate_limit_wait", 0)
        return limit_answer(response, wait) if wait else response

    @path("reponse/<str:code>/", name="answer")
    def answer_fragment(self, request, code):
        """The answer for one commune as the HTML fragment the map's side panel shows: the
        same include as the result below the search, for the same buyer."""
        wait = rate_limited(request, "finder-answer", settings.FINDER_RATE_LIMIT)
        if wait:
            response = TemplateResponse(
                request,
                "maps/includes/answer_fragment.html",
                {"page": self, "error": too_many_searches(wait)},
            )
            return limit_answer(response, wait)
        commune = Territory.objects.with_parents().by_code(code[:10])
        if commune is None or commune.kind != Territory.Kind.COMMUNE:
            response = TemplateResponse(
                request,
                "maps/includes/answer_fragment.html",
                {"page": self, "error": _("Commune inconnue : %(code)s.") % {"code": code[:10]}},
            )
            response.status_code = 404
            return response
        _authorities, authority = coverage.buyer_choice(request.GET)
        directory = self.live_page("directory.DirectoryPage")
        return TemplateResponse(
            request,
            "maps/includes/answer_fragment.html",
            {
                "page": self,
                "commune": commune,
                "answer": coverage.answer(commune, authority),
                "referral_page": self.live_page("referrals.ReferralPage"),
                "communes_url": directory.url + "communes/" if directory else "",
            },
        )

    def map_config(self, finding, departement, authority):
        """What the map script needs, as JSON in the page: layer URLs carrying the directory's
        version (so browsers may keep them), the commune to open, and translated labels."""
        # Both read once until the next purge (a directory change or a publish).
        version = version_token(pagecache.remember("directory_version", DirectoryChange.last))
        language = pagecache.remember(f"locale:{self.locale_id}", lambda: self.locale.language_code)
        commune = finding.commune if finding else None
        return {
            "version": version,
            "language": language,
            "departements": reverse("api:map_departements") + f"?v={version}",
            "communes": reverse("api:map_communes", args=["CODE"]) + f"?v={version}",
            "epci": reverse("api:map_epci", args=["CODE"]) + f"?v={version}",
            "perimeters": reverse("api:map_perimeters", args=["CODE"]) + f"?v={version}",
            "answer": self.url + self.reverse_subpage("answer", args=["CODE"]),
            "authority": authority.pk if authority else None,
            "departement": departement.code if departement else None,
            "commune": commune.code if commune else None,
            "point": list(finding.point) if finding and finding.point else None,
            "point_label": finding.label if finding else "",
            "leaflet": leaflet_options("coverage-map"),
            "tiles": {
                "url": settings.MAP_TILES_URL,
                "attribution": settings.MAP_TILES_ATTRIBUTION,
            },
            "labels": {
                "covered": _("de la population couverte"),
                "loading": _("Chargement…"),
                "failed": _("Les données de la carte n'ont pas pu être chargées."),
                "epci": _("Intercommunalités (EPCI)"),
                "perimeters": _("Périmètres nommés"),
                "address": _("Adresse trouvée"),
            },
        }


def too_many_searches(wait):
    """The message of a search refused by its rate limit."""
    return _("Trop de recherches depuis votre connexion : %(retry)s") % {
        "retry": retry_message(wait)
    }
