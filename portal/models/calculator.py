"""The insertion-hours calculator page."""

from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from portal import calculator
from portal.blocks import RICH_FEATURES

from .base import BasePage


def sectors_for(site, language):
    """(key, label, share) of the calculator's sectors: those of the site settings, else the
    defaults. Keys are positions, stable while coordinators do not reorder them."""
    from portal.models import SiteSettings

    rows = []
    if site is not None:
        rows = [
            (row.label, row.label_en, row.labour_share)
            for row in SiteSettings.for_site(site).sector_shares.all()
        ]
    rows = rows or calculator.DEFAULT_SECTORS
    return [
        (str(index), (label_en or label) if language == "en" else label, share)
        for index, (label, label_en, share) in enumerate(rows, start=1)
    ]


class CalculatorPage(BasePage):
    """Size an insertion clause: hours from the amount, the labour share, the rate and the
    hourly cost. Works with a plain GET form; with JavaScript the result follows the input."""

    intro = RichTextField(_("introduction"), features=RICH_FEATURES, blank=True)
    delivery = RichTextField(
        _("comment l'entreprise réalise les heures"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Affiché sous le résultat ; un texte par défaut est montré s'il est vide."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("delivery")]
    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("calculateur d'heures d'insertion")
        verbose_name_plural = _("calculateurs d'heures d'insertion")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sectors = sectors_for(self.get_site(), get_language())
        submitted = "amount" in request.GET
        form = calculator.CalculatorForm(
            request.GET if submitted else None,
            sectors=sectors,
            initial={"rate": "5", "hourly_cost": "30"},
        )
        context.update(
            form=form,
            estimate=form.estimate() if submitted else None,
            sectors=sectors,
            hours_per_month=calculator.HOURS_PER_MONTH,
            referral_page=self.live_page("referrals.ReferralPage"),
        )
        return context

    def serve(self, request, *args, **kwargs):
        if request.GET.get("partiel"):  # the live update asks for the result only
            return TemplateResponse(
                request, "portal/includes/calculator_result.html", self.get_context(request)
            )
        return super().serve(request, *args, **kwargs)
