"""A structure's yearly report: the indicators of `portal.results`, its hours by contracting
authority and, optionally, its split by département; draft → submitted → validated (or
rejected with a comment). Only validated reports are public (`StructureReport.objects.public()`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable

from portal import results as results_rules
from portal.panels import InlinePanel


class StructureReportQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: validated reports only."""
        return self.filter(status=StructureReport.Status.VALIDATED)


def _indicators():
    """An abstract model with one optional count per indicator of `portal.results` (the one
    list of indicators: the reports, their template, the consolidation and every results page
    are made from it)."""
    fields = {
        name: models.PositiveIntegerField(label, null=True, blank=True)
        for name, label in results_rules.indicator_labels()
    }
    meta = type("Meta", (), {"abstract": True})
    return type("Indicators", (models.Model,), {"__module__": __name__, "Meta": meta, **fields})


Indicators = _indicators()


class StructureReport(Indicators, ClusterableModel):
    """One structure's figures for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Transmis à la coordination")
        VALIDATED = "validated", _("Validé")
        REJECTED = "rejected", _("Refusé")

    structure = models.ForeignKey(
        "directory.Structure",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    structure_comment = models.TextField(
        _("commentaire de la structure"),
        blank=True,
        help_text=_(
            "Facultatif : ce que la coordination doit savoir en lisant ce bilan (il lui est "
            "envoyé avec le bilan transmis)."
        ),
    )
    review_comment = models.TextField(
        _("commentaire de la coordination"),
        blank=True,
        help_text=_("Obligatoire quand le bilan est refusé : ce qu'il faut corriger."),
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = StructureReportQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("structure"), FieldPanel("year")]),
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("structure_comment"), FieldPanel("review_comment")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("hours_total"), FieldPanel("people_total")]),
                FieldRowPanel(
                    [
                        FieldPanel("operations_total"),
                        FieldPanel("companies_total"),
                        FieldPanel("authorities_total"),
                    ]
                ),
            ],
            _("Chiffres clés"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in results_rules.fields_of("public")],
            _("Personnes par public"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel(n) for n in results_rules.fields_of("sex")]),
                FieldRowPanel([FieldPanel(n) for n in results_rules.fields_of("age")]),
            ],
            _("Personnes par sexe et par âge"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel(n) for n in results_rules.fields_of("sector")])],
            _("Heures par secteur"),
        ),
        InlinePanel(
            "authority_hours",
            heading=_("Heures par donneur d'ordre"),
            label=_("donneur d'ordre"),
            add_label=_("Ajouter un donneur d'ordre"),
        ),
        MultiFieldPanel(
            [FieldPanel(n) for n in results_rules.fields_of("outcome")],
            _("Situation six mois après"),
        ),
        InlinePanel(
            "departement_split",
            heading=_("Répartition par département (facultative)"),
            label=_("département"),
            add_label=_("Ajouter un département"),
            help_text=_(
                "Pour une structure qui couvre plusieurs départements : sans cette répartition, "
                "tout le bilan compte dans le département le plus peuplé de sa couverture."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("bilan annuel")
        verbose_name_plural = _("bilans annuels")
        ordering = ["-year", "structure__name"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "year"], name="unique_structure_year")
        ]
        permissions = [("validate_structurereport", _("Valider les bilans annuels"))]

    def __str__(self):
        return f"{self.structure} — {self.year}"

    def clean(self):
        super().clean()
        errors = results_rules.inconsistencies(self)
        if self.status == self.Status.REJECTED and not self.review_comment.strip():
            errors["review_comment"] = _("Dites à la structure ce qu'il faut corriger.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return self.status == self.Status.VALIDATED


class ReportAuthorityHours(Orderable):
    """Hours done in one contracting authority's contracts, in a structure's report."""

    report = ParentalKey(StructureReport, related_name="authority_hours", on_delete=models.CASCADE)
    authority = models.CharField(_("donneur d'ordre"), max_length=200)
    hours = models.PositiveIntegerField(_("heures"))

    panels = [FieldRowPanel([FieldPanel("authority"), FieldPanel("hours")])]

    class Meta(Orderable.Meta):
        verbose_name = _("heures par donneur d'ordre")


class ReportDepartementSplit(Orderable):
    """The part of a report's hours and people done in one département."""

    report = ParentalKey(
        StructureReport, related_name="departement_split", on_delete=models.CASCADE
    )
    departement = models.ForeignKey(
        "directory.Territory",
        verbose_name=_("département"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "departement"},
    )
    hours = models.PositiveIntegerField(_("heures"))
    people = models.PositiveIntegerField(_("personnes"), null=True, blank=True)

    panels = [FieldRowPanel([FieldPanel("departement"), FieldPanel("hours"), FieldPanel("people")])]

    class Meta(Orderable.Meta):
        verbose_name = _("part d'un département")
        verbose_name_plural = _("répartition par département")


class PublishedYear(models.Model):
    """A year whose consolidation the national coordination has published: from then on it is
    the public default (`observatory.consolidation.default_year`), even before the share of
    validated reports reaches `OBSERVATORY_MIN_SHARE`."""

    year = models.PositiveSmallIntegerField(
        _("année"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    published_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("année publiée")
        verbose_name_plural = _("années publiées")
        ordering = ["-year"]
        permissions = [("publish_year", _("Publier la consolidation d'une année"))]

    def __str__(self):
        return str(self.year)


class ReportReminder(models.Model):
    """One reminder e-mail sent to a structure that had not transmitted its report of a year
    (`observatory.campaign`): at most one a week per structure and year."""

    structure = models.ForeignKey(
        "directory.Structure",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="report_reminders",
    )
    year = models.PositiveSmallIntegerField(_("année"))
    sent_at = models.DateTimeField(_("envoyée le"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipients = models.TextField(_("destinataires"), blank=True)

    class Meta:
        verbose_name = _("relance d'un bilan")
        verbose_name_plural = _("relances des bilans")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["structure", "year", "sent_at"])]

    def __str__(self):
        return f"{self.structure} — {self.year} — {self.sent_at:%Y-%m-%d}"
