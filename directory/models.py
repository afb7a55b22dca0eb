"""The facilitator directory: territories (reference data) and the editorial records that say
who covers and who leads where."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from directory.names import normalise
from directory.panels import CoveragePreviewPanel
from portal.blocks import RICH_FEATURES
from portal.models.base import BasePage


class TerritoryQuerySet(models.QuerySet):
    def communes(self):
        return self.filter(kind=Territory.Kind.COMMUNE)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def by_code(self, code):
        """The commune (or other territory) for an official code; an arrondissement code gives
        its parent commune."""
        code = (code or "").strip().upper()
        # Codes of different levels can coincide (département 93, région 93): most specific first.
        specificity = models.Case(
            *[models.When(kind=kind, then=rank) for rank, kind in enumerate(SPECIFICITY)],
            default=len(SPECIFICITY),
        )
        territory = self.filter(code=code).select_related("parent").order_by(specificity).first()
        if territory and territory.kind == Territory.Kind.ARRONDISSEMENT:
            return territory.parent
        return territory

    def search(self, text, kinds=None, limit=20):
        """Territories matching a name (prefix, accent/case/hyphen/article-insensitive), a postal
        code (several communes possible) or an official code. Arrondissements give their
        commune."""
        text = (text or "").strip()
        queryset = self
        if kinds:
            queryset = queryset.filter(kind__in=kinds)
        if not text:
            return queryset.none()
        compact = text.replace(" ", "").upper()
        if re.fullmatch(r"\d{5}", compact):
            # A postal code or an INSEE code: both can be five digits.
            postal = queryset.filter(kind=Territory.Kind.COMMUNE, postal_codes__contains=compact)
            exact = [t for t in postal if compact in t.postal_code_list]
            by_code = self.by_code(compact)
            if by_code and (not kinds or by_code.kind in kinds) and by_code not in exact:
                exact.insert(0, by_code)
            return queryset.filter(pk__in=[t.pk for t in exact])
        if re.fullmatch(r"(\d[\dAB]\d{3}|\d{9}|\d{2,3}|2[AB])", compact):
            territory = self.by_code(compact)
            return queryset.filter(pk=territory.pk) if territory else queryset.none()
        query = normalise(text)
        if not query:
            return queryset.none()
        results = (
            queryset.exclude(kind=Territory.Kind.ARRONDISSEMENT)
            .filter(Q(search_name__startswith=query) | Q(search_name__contains=" " + query))
            .order_by(
                models.Case(
                    models.When(search_name=query, then=0),
                    models.When(search_name__startswith=query, then=1),
                    default=2,
                ),
                "-population",
            )
        )
        return results[:limit] if limit else results

    def with_parents(self, *names):
        """Join the given parents (default: EPCI, département, région) without their outlines."""
        names = names or ("epci", "departement", "region")
        return self.select_related(*names).defer(*[f"{name}__outline" for name in names])

    def with_outline(self):
        """Territories with their outline loaded (it is left out by default: it is big)."""
        return self.defer(None)

    def containing(self, lon, lat):
        """Communes whose bounding box contains the point; the exact test is
        `Territory.contains_point`."""
        return self.communes().filter(
            min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
        )


SPECIFICITY = ["commune", "arrondissement", "epci", "departement", "region"]


class TerritoryManager(models.Manager.from_queryset(TerritoryQuerySet)):
    """Leaves the outline out unless asked (`with_outline()`): most code needs names and
    codes, and outlines are the bulk of the table."""

    def get_queryset(self):
        return super().get_queryset().defer("outline")


class Territory(models.Model):
    """A région, département, EPCI, commune or municipal arrondissement, with its official code.

    Reference data loaded by `manage.py load_territories`, never edited by hand.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        EPCI = "epci", _("EPCI")
        COMMUNE = "commune", _("Commune")
        ARRONDISSEMENT = "arrondissement", _("Arrondissement municipal")

    kind = models.CharField(_("niveau"), max_length=20, choices=Kind.choices, db_index=True)
    code = models.CharField(_("code officiel"), max_length=9, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    epci_type = models.CharField(_("type d'EPCI"), max_length=10, blank=True)
    name_type = models.PositiveSmallIntegerField(
        _("type de nom (TNCC INSEE)"),
        default=0,
        help_text=_("L'article du nom : 2 « le » (du), 3 « la », 4 « les » (des)…"),
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    postal_codes = models.CharField(_("codes postaux"), max_length=400, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("commune de rattachement"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="arrondissements",
    )
    epci = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="epci_communes"
    )
    departement = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    outline = models.JSONField(_("contour (GeoJSON simplifié)"), null=True, blank=True)

    objects = TerritoryManager()

    class Meta:
        verbose_name = _("territoire")
        base_manager_name = "objects"  # related lookups (commune.epci…) skip outlines too
        verbose_name_plural = _("territoires")
        ordering = ["kind", "search_name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_territory_code")
        ]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]

    def __str__(self):
        if self.kind == self.Kind.COMMUNE and self.departement_id:
            return f"{self.name} ({self.departement_code})"
        if self.kind == self.Kind.DEPARTEMENT:
            return f"{self.name} ({self.code})"
        if self.kind == self.Kind.EPCI:
            return f"{self.name} (EPCI {self.code})"
        return f"{self.name} ({self.get_kind_display().lower()})"

    @property
    def departement_code(self):
        """The département code of a commune, read from its INSEE code (no query)."""
        if self.code.startswith("97"):
            return self.code[:3]
        return self.code[:2]

    @property
    def postal_code_list(self):
        return [code for code in self.postal_codes.split(",") if code]

    def contains_point(self, lon, lat):
        """Exact point-in-outline test with shapely (the outline is simplified)."""
        from shapely.geometry import Point, shape

        if not self.outline:
            return False
        return shape(self.outline).covers(Point(lon, lat))


class Structure(RevisionMixin, models.Model):
    """An organisation that employs facilitators."""

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

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("address"),
        FieldPanel("website"),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]

    def __str__(self):
        return self.name


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
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldRowPanel([FieldPanel("job_title"), FieldPanel("structure")]),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("sectors"),
        MultipleChooserPanel(
            "coverage_items",
            chooser_field_name="territory",
            label=_("Territoires couverts"),
            help_text=_(
                "Communes, EPCI, départements ou régions : cherchez par nom, code postal ou code."
            ),
        ),
        CoveragePreviewPanel(),
        FieldPanel("last_verified"),
        FieldPanel("user"),
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

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("siret"), FieldPanel("territory")]),
        MultiFieldPanel(
            [
                FieldPanel("lead"),
                MultipleChooserPanel(
                    "perimeter_items",
                    chooser_field_name="territory",
                    label=_("Périmètre de la désignation"),
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


class LeadDesignation(RevisionMixin, models.Model):
    """A facilitator designated lead ("chef de file") on a territory."""

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

    panels = [FieldPanel("territory"), FieldPanel("facilitator"), FieldPanel("designated_by")]

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

        territory = Territory.objects.with_parents().filter(code=code.upper()).first()
        if territory is None or territory.kind not in (
            Territory.Kind.COMMUNE,
            Territory.Kind.ARRONDISSEMENT,
        ):
            return _not_found(self, request, code)
        if territory.kind == Territory.Kind.ARRONDISSEMENT:
            return redirect(self.commune_url(territory.parent), permanent=True)

        authorities, authority = coverage.buyer_choice(request.GET)
        answer = coverage.answer(territory, authority)
        from maps.models import MapPage
        from referrals.models import ReferralPage

        map_page = self.live_page(MapPage)
        return self.render(
            request,
            context_overrides={
                "map_page": map_page,
                "referral_page": self.live_page(ReferralPage),
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
        if not query:
            error = _("Saisissez le nom d'une commune, un code postal ou un code INSEE.")
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
        return self.render(
            request,
            context_overrides={
                "query": query,
                "candidates": result.candidates if result else [],
                "notice": result.notice if result else "",
                "error": error,
            },
            template="directory/search.html",
        )

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


class DirectoryChange(models.Model):
    """When the published directory last changed: one row, touched whenever a facilitator, its
    coverage or a lead designation is saved, published, unpublished or deleted (see
    `directory.signals`). Map data caches and HTTP validators (ETag, Last-Modified) key on it."""

    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("modification de l'annuaire")
        verbose_name_plural = _("modifications de l'annuaire")

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def touch(cls):
        """Record a change now."""
        now = timezone.now()
        if not cls.objects.filter(pk=1).update(changed_at=now):
            cls.objects.update_or_create(pk=1, defaults={"changed_at": now})
        return now

    @classmethod
    def last(cls):
        """The time of the last change (recorded now if none is known yet)."""
        value = cls.objects.filter(pk=1).values_list("changed_at", flat=True).first()
        return value or cls.touch()
