"""Named perimeters: territories that coordinators name and compose of communes and/or EPCI
(a conseil de territoire of a metropolis, an établissement public territorial, a bassin
d'emploi). A perimeter is a `Territory` of kind `perimeter`, so coverage and lead
designations point to it like to any territory; its members are listed here. Its outline,
population and bounding box are computed from its communes (`directory.perimeters`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from .territories import Territory, TerritoryManager


class PerimeterManager(TerritoryManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Territory.Kind.PERIMETER)


class NamedPerimeter(ClusterableModel, Territory):
    """The admin's view of a named perimeter (a proxy of `Territory` of kind `perimeter`)."""

    objects = PerimeterManager()

    class Meta:
        proxy = True
        verbose_name = _("périmètre nommé")
        verbose_name_plural = _("périmètres nommés")
        ordering = ["search_name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.kind = Territory.Kind.PERIMETER
        super().save(*args, **kwargs)


class PerimeterMember(models.Model):
    """One commune or EPCI of a named perimeter."""

    perimeter = ParentalKey(NamedPerimeter, related_name="members", on_delete=models.CASCADE)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("commune ou EPCI"),
        on_delete=models.CASCADE,
        related_name="in_perimeters",
    )

    panels = [FieldPanel("territory")]

    class Meta:
        verbose_name = _("membre du périmètre")
        verbose_name_plural = _("membres du périmètre")
        constraints = [
            models.UniqueConstraint(
                fields=["perimeter", "territory"], name="unique_perimeter_member"
            )
        ]

    def __str__(self):
        return f"{self.perimeter_id} ∋ {self.territory}"
