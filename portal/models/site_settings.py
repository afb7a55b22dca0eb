"""The organisation's identity and the footer, edited once per site."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from portal.panels import InlinePanel


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting, ClusterableModel):
    organisation_name = models.CharField(
        _("nom de l'organisation"), max_length=200, default="Réseau des facilitateurs"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField(_("adresse postale"), blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page de contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    demo_notice = models.BooleanField(
        _("afficher l'avertissement « données de démonstration »"), default=False
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("logo"),
                FieldPanel("address"),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("contact_page"),
            ],
            _("Organisation"),
        ),
        InlinePanel(
            "sector_shares",
            heading=_("Calculateur : secteurs et part de main-d'œuvre"),
            label=_("secteur"),
            add_label=_("Ajouter un secteur"),
            help_text=_("Proposés dans le calculateur d'heures d'insertion."),
        ),
        InlinePanel(
            "social_links",
            heading=_("Réseaux sociaux"),
            label=_("réseau social"),
            add_label=_("Ajouter un réseau social"),
        ),
        InlinePanel(
            "footer_links",
            heading=_("Liens du pied de page"),
            label=_("lien"),
            add_label=_("Ajouter un lien"),
        ),
        FieldPanel("demo_notice"),
    ]

    class Meta:
        verbose_name = _("paramètres du site")


class SectorShare(Orderable):
    """A sector (or lot) of the insertion-hours calculator with its usual labour share."""

    settings = ParentalKey(SiteSettings, related_name="sector_shares", on_delete=models.CASCADE)
    label = models.CharField(_("secteur ou lot"), max_length=100)
    label_en = models.CharField(_("intitulé en anglais"), max_length=100, blank=True)
    labour_share = models.DecimalField(
        _("part de main-d'œuvre (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    panels = [FieldPanel("label"), FieldPanel("label_en"), FieldPanel("labour_share")]

    class Meta(Orderable.Meta):
        verbose_name = _("secteur du calculateur")
        verbose_name_plural = _("secteurs du calculateur")

    def __str__(self):
        return f"{self.label} ({self.labour_share} %)"


class SocialLink(Orderable):
    class Network(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn"
        MASTODON = "mastodon", "Mastodon"
        YOUTUBE = "youtube", "YouTube"
        BLUESKY = "bluesky", "Bluesky"
        OTHER = "other", _("Autre")

    settings = ParentalKey(SiteSettings, related_name="social_links", on_delete=models.CASCADE)
    network = models.CharField(_("réseau"), max_length=20, choices=Network.choices)
    url = models.URLField(_("adresse"))

    panels = [FieldPanel("network"), FieldPanel("url")]


class FooterLink(Orderable):
    settings = ParentalKey(SiteSettings, related_name="footer_links", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.URLField(_("ou adresse externe"), blank=True)
    label = models.CharField(
        _("intitulé"), max_length=80, blank=True, help_text=_("Par défaut : titre de la page.")
    )

    panels = [FieldPanel("page"), FieldPanel("url"), FieldPanel("label")]

    def clean(self):
        if not self.page_id and not self.url:
            raise ValidationError({"page": _("Choisissez une page ou saisissez une adresse.")})
        if self.url and not self.label:
            raise ValidationError({"label": _("Un lien externe a besoin d'un intitulé.")})
