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
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from portal import results as results_rules


def _count(verbose_name):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True)


class StructureReportQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: validated reports only."""
        return self.filter(status=StructureReport.Status.VALIDATED)


class StructureReport(ClusterableModel):
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

    hours_total = _count(_("heures d'insertion réalisées"))
    people_total = _count(_("personnes bénéficiaires"))
    operations_total = _count(_("marchés ou opérations suivis"))
    companies_total = _count(_("entreprises"))
    authorities_total = _count(_("donneurs d'ordre"))

    public_long_term_unemployed = _count(_("demandeurs d'emploi de longue durée"))
    public_minimum_benefits = _count(_("bénéficiaires de minima sociaux (RSA, ASS, AAH)"))
    public_youth = _count(_("jeunes de moins de 26 ans peu qualifiés"))
    public_disabled = _count(_("travailleurs handicapés (RQTH)"))
    public_over_50 = _count(_("personnes de plus de 50 ans sans emploi"))
    public_siae = _count(_("salariés d'une structure d'insertion (SIAE)"))
    public_other = _count(_("autres publics validés par le facilitateur"))

    people_women = _count(_("femmes"))
    people_men = _count(_("hommes"))

    age_under_26 = _count(_("moins de 26 ans"))
    age_26_49 = _count(_("26 à 49 ans"))
    age_50_plus = _count(_("50 ans et plus"))

    hours_building = _count(_("bâtiment et travaux publics"))
    hours_services = _count(_("services"))
    hours_intellectual = _count(_("prestations intellectuelles"))

    outcome_cdi = _count(_("CDI"))
    outcome_cdd = _count(_("CDD de 6 mois ou plus"))
    outcome_work_study = _count(_("contrat en alternance"))
    outcome_training = _count(_("formation qualifiante"))
    outcome_other = _count(_("retour à la recherche d'emploi ou autre"))

    objects = StructureReportQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("structure"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("review_comment")]),
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
        InlinePanel("authority_hours", label=_("Heures par donneur d'ordre")),
        MultiFieldPanel(
            [FieldPanel(n) for n in results_rules.fields_of("outcome")],
            _("Situation six mois après"),
        ),
        InlinePanel(
            "departement_split",
            label=_("Répartition par département (facultative)"),
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
