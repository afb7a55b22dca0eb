"""The editorial registry: structures, facilitators and the territories they cover, contracting
authorities, and the lead designations that say who leads where."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from directory.panels import AbsencesPanel, CoveragePreviewPanel, ProposalPanel
from portal.blocks import RICH_FEATURES
from portal.panels import MultipleChooserPanel

from .territories import Territory


def in_force(starts_on, ends_on, day=None):
    """Whether a designation from `starts_on` to `ends_on` (its last day; None: no end)
    counts on `day` (today by default): started, and not ended."""
    day = day or timezone.localdate()
    return starts_on is not None and starts_on <= day and (ends_on is None or day <= ends_on)


def in_force_q(day=None, prefix=""):
    """`in_force` as a filter on the fields `{prefix}starts_on` and `{prefix}ends_on`."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def check_period(starts_on, ends_on, start_field="starts_on", end_field="ends_on"):
    """Raise a ValidationError on `end_field` when a designation would end before it
    starts."""
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationError(
            {end_field: _("La date de fin doit être postérieure à la date de début.")}
        )


class StructureQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: structures whose record is live."""
        return self.filter(live=True)


class Structure(WorkflowMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """An organisation that employs facilitators, with its public presentation and partners.

    Its record is a draft until published: the structure's facilitator accounts propose
    changes to its presentation, logo, address and partners, the coordination of its
    territory approves or rejects them (the workflow `CoordinationApprovalTask`, assigned by
    `directory.groups`); the public page shows the live version."""

    class Kind(models.TextChoices):
        PLIE = "plie", _("PLIE")
        MDE = "mde", _("Maison de l'Emploi")
        COLLECTIVITE = "collectivite", _("Collectivité")
        EPCI = "epci", _("EPCI")
        DEPARTEMENT = "departement", _("Département")
        ASSOCIATION = "association", _("Association")
        GIP = "gip", _("GIP")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(
        _("identifiant d'adresse"),
        max_length=120,
        unique=True,
        help_text=_("La fin de l'adresse de la page publique de la structure."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    address = models.TextField(_("adresse"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presentation = RichTextField(_("présentation"), features=RICH_FEATURES, blank=True)
    partner_authorities = models.ManyToManyField(
        "ContractingAuthority",
        verbose_name=_("donneurs d'ordre partenaires"),
        blank=True,
        related_name="partner_structures",
    )
    partner_insertion = models.TextField(
        _("structures d'insertion partenaires"),
        blank=True,
        help_text=_("Une par ligne (SIAE, GEIQ, entreprises adaptées…)."),
    )
    partner_others = models.TextField(
        _("autres partenaires"), blank=True, help_text=_("Un par ligne.")
    )
    objects = StructureQuerySet.as_manager()

    panels = [
        # While a change waits for the coordination: what it changes, above the form.
        ProposalPanel(),
        # Who the structure is and its address on the site are the coordination's to set;
        # its facilitators propose the rest (`directory.groups`).
        FieldRowPanel(
            [
                FieldPanel("name", permission="directory.publish_structure"),
                FieldPanel("kind", permission="directory.publish_structure"),
            ]
        ),
        FieldPanel("slug", permission="directory.publish_structure"),
        FieldPanel("address"),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("presentation"),
        MultiFieldPanel(
            [
                FieldPanel("partner_authorities"),
                FieldPanel("partner_insertion"),
                FieldPanel("partner_others"),
            ],
            _("Partenaires"),
        ),
    ]

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_structure_slug(self.name, exclude=self.pk)
        super().save(*args, **kwargs)

    @property
    def insertion_partners(self):
        return [line.strip() for line in self.partner_insertion.splitlines() if line.strip()]

    @property
    def other_partners(self):
        return [line.strip() for line in self.partner_others.splitlines() if line.strip()]


def unique_structure_slug(name, exclude=None):
    """A slug for a structure's name, made unique with -2, -3… when needed."""
    from django.utils.text import slugify

    base = (slugify(name) or "structure")[:110]
    slug, number = base, 1
    while Structure.objects.filter(slug=slug).exclude(pk=exclude).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class FacilitatorQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: live records only."""
        return self.filter(live=True)


class Facilitator(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    ClusterableModel,
):
    """A person who helps buyers and companies with the clause, and the territories covered."""

    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    job_title = models.CharField(_("fonction"), max_length=160, blank=True)
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="facilitators",
    )
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    sectors = models.CharField(
        _("secteurs suivis"),
        max_length=200,
        blank=True,
        help_text=_("Ex. : bâtiment, services, prestations intellectuelles"),
    )
    coverage = models.ManyToManyField(
        Territory,
        verbose_name=_("territoires couverts"),
        through="FacilitatorTerritory",
        blank=True,
        related_name="facilitators",
    )
    last_verified = models.DateField(
        _("dernière vérification"),
        default=timezone.localdate,
        help_text=_("Date à laquelle ces informations ont été confirmées."),
    )
    confirmation_sent_at = models.DateTimeField(
        _("demande de confirmation envoyée le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Quand le dernier rappel « vos informations sont-elles exactes ? » est parti."),
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte d'administration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitator",
        help_text=_(
            "Le compte avec lequel ce facilitateur suit, dans l'administration, les demandes "
            "qui lui sont adressées."
        ),
    )

    objects = FacilitatorQuerySet.as_manager()

    panels = [
        # While a change waits for the coordination: what it changes, above the form.
        ProposalPanel(),
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldRowPanel([FieldPanel("job_title"), FieldPanel("structure")]),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("sectors"),
        MultipleChooserPanel(
            "coverage_items",
            chooser_field_name="territory",
            heading=_("Territoires couverts"),
            label=_("territoire couvert"),
            add_label=_("Ajouter un territoire couvert"),
            help_text=_(
                "Communes, EPCI, départements ou régions : cherchez par nom, code postal ou code."
            ),
        ),
        CoveragePreviewPanel(),
        AbsencesPanel(),
        # A facilitator editing its own record proposes contact details, job and coverage;
        # the verification date and the account link stay with the coordination.
        FieldPanel("last_verified", permission="directory.publish_facilitator"),
        FieldPanel("user", permission="directory.publish_facilitator"),
    ]

    class Meta:
        verbose_name = _("facilitateur")
        verbose_name_plural = _("facilitateurs")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return str(self)

    def get_preview_template(self, request, mode_name):
        return "directory/facilitator_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["facilitator"] = self
        return context


class FacilitatorTerritory(Orderable):
    """One territory in a facilitator's coverage."""

    facilitator = ParentalKey(Facilitator, related_name="coverage_items", on_delete=models.CASCADE)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("territory")]

    class Meta(Orderable.Meta):
        verbose_name = _("territoire couvert")
        verbose_name_plural = _("territoires couverts")


class ContractingAuthority(RevisionMixin, ClusterableModel):
    """A public buyer ("donneur d'ordre"), and the lead it designates for its own contracts."""

    class Kind(models.TextChoices):
        STATE = "state", _("État")
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("EPCI")
        SOCIAL_LANDLORD = "social-landlord", _("Bailleur social")
        PUBLIC_COMPANY = "public-company", _("Entreprise publique")
        HOSPITAL = "hospital", _("Hôpital")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead = models.ForeignKey(
        Facilitator,
        verbose_name=_("facilitateur chef de file désigné"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authority_designations",
    )
    lead_perimeter = models.ManyToManyField(
        Territory,
        verbose_name=_("périmètre de la désignation"),
        through="AuthorityPerimeter",
        blank=True,
        related_name="authority_designations",
    )
    lead_starts_on = models.DateField(
        _("désigné depuis le"),
        null=True,
        blank=True,
        default=timezone.localdate,
        help_text=_("Obligatoire quand un chef de file est désigné."),
    )
    lead_ends_on = models.DateField(
        _("jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Dernier jour où la désignation vaut ; vide : sans échéance."),
    )
    lead_reference = models.CharField(
        _("référence de la désignation"),
        max_length=200,
        blank=True,
        help_text=_(
            "Délibération, convention… Ex. : Délibération 2026-045 du conseil départemental"
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("siret"), FieldPanel("territory")]),
        MultiFieldPanel(
            [
                FieldPanel("lead"),
                FieldRowPanel([FieldPanel("lead_starts_on"), FieldPanel("lead_ends_on")]),
                FieldPanel("lead_reference"),
                MultipleChooserPanel(
                    "perimeter_items",
                    chooser_field_name="territory",
                    heading=_("Périmètre de la désignation"),
                    label=_("territoire du périmètre"),
                    add_label=_("Ajouter un territoire au périmètre"),
                    help_text=_("Où ce chef de file vaut pour les marchés de ce donneur d'ordre."),
                ),
            ],
            _("Chef de file pour ses marchés"),
        ),
    ]

    class Meta:
        verbose_name = _("donneur d'ordre")
        verbose_name_plural = _("donneurs d'ordre")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.siret and not re.fullmatch(r"\d{14}", self.siret):
            raise ValidationError({"siret": _("Un SIRET compte 14 chiffres.")})
        if self.lead_id is None:
            return
        if self.lead_starts_on is None:
            raise ValidationError(
                {"lead_starts_on": _("Indiquez depuis quand ce chef de file est désigné.")}
            )
        check_period(self.lead_starts_on, self.lead_ends_on, "lead_starts_on", "lead_ends_on")
        from directory import designations  # the rules module imports the models

        # The perimeter being edited (`AuthorityForm` hands it over before this runs), else
        # the one saved.
        perimeter = getattr(self, "perimeter_to_check", None)
        if perimeter is None:
            perimeter = [item.territory for item in self.perimeter_items.all()]
        refusals = designations.authority_refusals(self, self.lead, perimeter)
        if refusals:
            raise ValidationError({"lead": refusals})

    def lead_in_force(self, day=None):
        """Whether the designated lead counts on `day` (today by default)."""
        return self.lead_id is not None and in_force(self.lead_starts_on, self.lead_ends_on, day)


class AuthorityPerimeter(Orderable):
    """One territory of the perimeter where an authority's designated lead applies."""

    authority = ParentalKey(
        ContractingAuthority, related_name="perimeter_items", on_delete=models.CASCADE
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("territory")]

    class Meta(Orderable.Meta):
        verbose_name = _("territoire du périmètre")
        verbose_name_plural = _("périmètre")


class LeadDesignationQuerySet(models.QuerySet):
    def in_force(self, day=None):
        """The designations that count on `day` (today by default): started, not ended."""
        return self.filter(in_force_q(day))


class LeadDesignation(RevisionMixin, models.Model):
    """A facilitator designated lead ("chef de file") on a territory, from a start date to an
    optional end date, on the strength of an optional reference (a deliberation, an
    agreement). Only a designation in force counts (`in_force`); its facilitator must cover
    the territory (`directory.designations`)."""

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="lead_designations",
    )
    facilitator = models.ForeignKey(
        Facilitator,
        verbose_name=_("facilitateur"),
        on_delete=models.CASCADE,
        related_name="lead_designations",
    )
    designated_by = models.CharField(
        _("désigné par"),
        max_length=200,
        help_text=_("Ex. : comité départemental des clauses sociales, CA Arles-Crau-Camargue…"),
    )
    starts_on = models.DateField(
        _("depuis le"),
        default=timezone.localdate,
        help_text=_("Premier jour où la désignation vaut."),
    )
    ends_on = models.DateField(
        _("jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Dernier jour où la désignation vaut ; vide : sans échéance."),
    )
    reference = models.CharField(
        _("référence"),
        max_length=200,
        blank=True,
        help_text=_(
            "Délibération, convention… Ex. : Délibération 2026-045 du conseil métropolitain"
        ),
    )

    objects = LeadDesignationQuerySet.as_manager()

    panels = [
        FieldPanel("territory"),
        FieldPanel("facilitator"),
        FieldPanel("designated_by"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("reference"),
    ]

    class Meta:
        verbose_name = _("désignation de chef de file")
        verbose_name_plural = _("désignations de chef de file")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "facilitator"], name="unique_lead_designation"
            )
        ]

    def __str__(self):
        return f"{self.facilitator} — {self.territory}"

    def clean(self):
        check_period(self.starts_on, self.ends_on)
        if self.territory_id is None or self.facilitator_id is None:
            return
        from directory import designations  # the rules module imports the models

        refusal = designations.territorial_refusal(self.facilitator, self.territory)
        if refusal:
            raise ValidationError({"territory": refusal})

    def in_force(self, day=None):
        """Whether this designation counts on `day` (today by default)."""
        return in_force(self.starts_on, self.ends_on, day)
