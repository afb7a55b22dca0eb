"""The coverage map page: where contracting authorities find their facilitator."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from leaflet.templatetags.leaflet_tags import leaflet_map
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from directory import coverage
from maps import finder
from maps.api import version_token
from portal.blocks import RICH_FEATURES
from portal.models.base import BasePage


def leaflet_options():
    """django-leaflet's map options (LEAFLET_CONFIG), as its `leaflet_map` tag computes them,
    for the map script to create the map itself instead of an inline script."""
    return json.loads(leaflet_map("coverage-map")["djoptions"])


class MapPage(BasePage):
    """A Leaflet map of coverage with the "find my facilitator" search. Every answer is also
    rendered on the server (`?q=`, `?departement=`), so the page works without JavaScript."""

    intro = RichTextField(gettext_lazy("introduction"), features=RICH_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = gettext_lazy("carte et recherche de facilitateur")
        verbose_name_plural = gettext_lazy("cartes et recherches de facilitateur")

    def get_context(self, request, *args, **kwargs):
        from directory.models import DirectoryPage
        from referrals.models import ReferralPage

        context = super().get_context(request, *args, **kwargs)
        authorities, authority = coverage.buyer_choice(request.GET.get("donneur"))
        query = request.GET.get("q", "").strip()
        finding = finder.find(query, authority) if query else None
        if "q" in request.GET and not query:
            finding = finder.Finding(
                "", error=_("Saisissez une commune, un code postal, un code INSEE ou une adresse.")
            )

        departements = coverage.white_zone_summary()
        code = request.GET.get("departement", "").strip().upper()
        if finding and finding.commune and finding.commune.departement:
            code = code or finding.commune.departement.code
        departement = next(
            (row.departement for row in departements if row.departement.code == code), None
        )
        sort = request.GET.get("tri", "nom")
        white_only = request.GET.get("zones_blanches") == "1"
        directory = self.live_page(DirectoryPage)
        referral_page = self.live_page(ReferralPage)
        context.update(
            referral_page=referral_page,
            query=query,
            finding=finding,
            authorities=authorities,
            authority=authority,
            departements=departements,
            departement=departement,
            communes=finder.departement_communes(departement, sort, white_only)
            if departement
            else None,
            sort=sort if sort in finder.SORTS else "nom",
            sort_columns=[
                ("nom", _("Commune")),
                ("population", _("Population")),
                ("statut", _("Statut")),
            ],
            white_only=white_only,
            unknown_departement=code if code and departement is None else "",
            communes_url=directory.url + "communes/" if directory else "",
            map_config=self.map_config(
                request, finding, departement, authority, directory, referral_page
            ),
        )
        return context

    def map_config(self, request, finding, departement, authority, directory, referral_page):
        """What the map script needs, as JSON in the page: layer URLs carrying the directory's
        version (so browsers may keep them), the commune to open, and translated labels."""
        version = version_token()
        commune = finding.commune if finding else None
        return {
            "version": version,
            "language": self.locale.language_code,
            "departements": reverse("api:map_departements") + f"?v={version}",
            "communes": reverse("api:map_communes", args=["CODE"]) + f"?v={version}",
            "epci": reverse("api:map_epci", args=["CODE"]) + f"?v={version}",
            "commune_api": reverse("api:commune", args=["CODE"]),
            "commune_page": (directory.url + "communes/CODE/") if directory else "",
            "authority": authority.pk if authority else None,
            "referral_page": (referral_page.url + "?commune=CODE") if referral_page else "",
            "departement": departement.code if departement else None,
            "commune": commune.code if commune else None,
            "point": list(finding.point) if finding and finding.point else None,
            "point_label": finding.label if finding else "",
            "leaflet": leaflet_options(),
            "tiles": {
                "url": settings.MAP_TILES_URL,
                "attribution": settings.MAP_TILES_ATTRIBUTION,
            },
            "labels": {
                "lead": _("Chef de file"),
                "contact": _("Votre contact"),
                "no_lead": _("Pas de chef de file"),
                "others": _("Autres facilitateurs qui couvrent la commune"),
                "page": _("Fiche de la commune"),
                "covered": _("de la population couverte"),
                "loading": _("Chargement…"),
                "failed": _("Les données de la carte n'ont pas pu être chargées."),
                "epci": _("Intercommunalités (EPCI)"),
                "phone": _("Tél."),
                "address": _("Adresse trouvée"),
                "send": _("Envoyer mon projet à ce facilitateur"),
                "send_coordination": _("Envoyer mon projet à la coordination"),
            },
        }
