"""What the directory remembers over time: the monthly white-zone figures per département
(`manage.py snapshot_white_zones`) and the territory changes `load_territories` made."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .territories import Territory


class WhiteZoneSnapshot(models.Model):
    """White-zone communes and population of one département for one month (kept by
    `manage.py snapshot_white_zones`, one row per month and département)."""

    month = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    departement = models.ForeignKey(
        Territory, verbose_name=_("département"), on_delete=models.CASCADE, related_name="+"
    )
    communes = models.PositiveIntegerField(_("communes en zone blanche"))
    population = models.PositiveIntegerField(_("population en zone blanche"))
    total_communes = models.PositiveIntegerField(_("communes"))
    total_population = models.PositiveIntegerField(_("population"))

    class Meta:
        verbose_name = _("relevé des zones blanches")
        verbose_name_plural = _("relevés des zones blanches")
        ordering = ["month", "departement__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "departement"], name="one_white_zone_snapshot_a_month"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.departement_id}"


class TerritoryChange(models.Model):
    """One change `load_territories` found in a new edition of the INSEE geography: a commune
    merged into a new commune (its coverage and designations moved), a vanished code it could
    not place (kept, to be handled by a coordinator), or a renamed commune."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("Commune fusionnée : couverture déplacée")
        VANISHED = "vanished", _("Code disparu, non replacé")
        RENAMED = "renamed", _("Commune renommée")

    loaded_at = models.DateTimeField(_("chargement"), auto_now_add=True)
    kind = models.CharField(_("changement"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("ancien code"), max_length=9)
    old_name = models.CharField(_("ancien nom"), max_length=200)
    new_code = models.CharField(_("nouveau code"), max_length=9, blank=True)
    new_name = models.CharField(_("nouveau nom"), max_length=200, blank=True)
    details = models.TextField(_("détail"), blank=True)
    handled = models.BooleanField(
        _("traité"),
        default=False,
        help_text=_("Cochez quand un coordinateur a traité ce code disparu."),
    )

    class Meta:
        verbose_name = _("changement de territoire")
        verbose_name_plural = _("changements de territoire")
        ordering = ["-loaded_at", "kind", "code"]

    def __str__(self):
        if self.new_code:
            return f"{self.code} {self.old_name} → {self.new_code} {self.new_name}"
        return f"{self.code} {self.old_name}"
