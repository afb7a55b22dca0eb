"""The abstract page every page type of the portal inherits."""

import html

from django.apps import apps
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal import pagecache


class BasePage(Page):
    """What every page shares: a listing summary and a social-network image."""

    listing_summary = models.TextField(
        _("résumé pour les listes"),
        blank=True,
        max_length=300,
        help_text=_("Affiché dans les listes, les cartes et les résultats de recherche."),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de partage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Image montrée quand la page est partagée (1200 × 630 px)."),
    )

    promote_panels = [
        MultiFieldPanel(Page.promote_panels, _("Référencement et menus")),
        FieldPanel("listing_summary"),
        FieldPanel("social_image"),
    ]
    search_fields = Page.search_fields + [index.SearchField("listing_summary")]

    class Meta:
        abstract = True

    @property
    def summary(self):
        """Text for listings: the editor's summary, else the search description."""
        return self.listing_summary or self.search_description

    @property
    def meta_description(self):
        """The page's meta description for search engines: its search description, else its
        listing summary, else its introduction, as plain text of at most 160 characters."""
        text = self.search_description or self.summary or getattr(self, "intro", "") or ""
        text = " ".join(html.unescape(strip_tags(str(text))).split())
        if len(text) <= 160:
            return text
        return text[:159].rsplit(" ", 1)[0].rstrip(",;:") + "…"  # whole words only

    def live_page(self, model):
        """The live page of type `model` in this page's language (the directory, the map, the
        calculator…), or None: section pages link to each other through it.

        `model` is a page model or its label ("maps.MapPage"): a page of one app finds another
        app's page by label, so no app imports the page models of the apps beside or above it.
        """
        if isinstance(model, str):
            model = apps.get_model(model)
        # Kept until the next publish, unpublish, move or delete (`portal.pagecache`).
        found = pagecache.remember(
            f"live_page:{model._meta.label}:{self.locale_id}",
            lambda: model.objects.live().filter(locale=self.locale_id).first() or False,
        )
        return found or None
