"""The public directory page: facilitators by département, one page per commune, and the
commune search."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from portal.blocks import RICH_FEATURES
from portal.models.base import BasePage
from portal.ratelimit import limit_answer, rate_limited, retry_message

from .territories import Territory


class DirectoryPage(RoutablePageMixin, BasePage):
    """The public directory: facilitators by département, and one page per commune."""

    intro = RichTextField(_("introduction"), features=RICH_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("annuaire des facilitateurs")
        verbose_name_plural = _("annuaires des facilitateurs")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communes_url"] = self.url + "communes/"  # computed once, not per link
        return context

    @path("")
    def listing(self, request):
        from directory import coverage

        groups, without = coverage.directory_by_departement()
        return self.render(
            request,
            context_overrides={
                "groups": groups,
                "without_territory": without,
                "white_zones": coverage.white_zone_summary(),
            },
        )

    @path("communes/<str:code>/", name="commune")
    def commune(self, request, code):
        from directory import coverage

        kinds = (Territory.Kind.COMMUNE, Territory.Kind.ARRONDISSEMENT)  # codes never shared
        found = Territory.objects.with_parents().filter(code=code.upper(), kind__in=kinds)
        territory = next(iter(found.order_by()[:1]), None)
        if territory is None:
            return _not_found(self, request, code)
        if territory.kind == Territory.Kind.ARRONDISSEMENT:
            return redirect(self.commune_url(territory.parent), permanent=True)

        authorities, authority = coverage.buyer_choice(request.GET)
        answer = coverage.answer(territory, authority)
        return self.render(
            request,
            context_overrides={
                "map_page": self.live_page("maps.MapPage"),
                "referral_page": self.live_page("referrals.ReferralPage"),
                "commune": territory,
                "answer": answer,
                "authorities": authorities,
                "authority": authority,
            },
            template="directory/commune.html",
        )

    @path("recherche/", name="search")
    def search(self, request):
        """Find a commune by name, postal code, INSEE code or street address; one match opens
        its page (with the address service's notice, if any), several are listed."""
        from directory.lookup import find_commune

        query = request.GET.get("q", "").strip()[:100]
        result, error = None, None
        wait = rate_limited(request, "directory-search", settings.SEARCH_RATE_LIMIT) if query else 0
        if not query:
            error = _("Saisissez le nom d'une commune, un code postal ou un code INSEE.")
        elif wait:  # the query stays in the search box; nothing is looked up
            error = _("Trop de recherches depuis votre connexion : %(retry)s") % {
                "retry": retry_message(wait)
            }
        else:
            result = find_commune(query)
            if result.commune is not None:
                if result.notice or result.label:
                    messages.info(request, result.notice or result.label)
                if result.similar:
                    names = ", ".join(f"{c.name} ({c.departement_code})" for c in result.similar)
                    messages.info(
                        request, _("Autres communes au nom proche : %(names)s.") % {"names": names}
                    )
                return redirect(self.commune_url(result.commune))
            if not result.candidates:
                error = _(
                    "Aucune commune ne correspond à « %(query)s ». Vérifiez l'orthographe, ou "
                    "essayez le code postal."
                ) % {"query": query}
        response = self.render(
            request,
            context_overrides={
                "query": query,
                "candidates": result.candidates if result else [],
                "notice": result.notice if result else "",
                "error": error,
            },
            template="directory/search.html",
        )
        return limit_answer(response, wait) if wait else response

    def commune_url(self, commune):
        return self.url + self.reverse_subpage("commune", args=[commune.code])


def _not_found(page, request, code):
    response = page.render(
        request,
        context_overrides={"code": code},
        template="directory/commune_not_found.html",
    )
    response.status_code = 404
    return response
