"""The directory in the Wagtail admin: one menu for coordinators, with filters and search.

Every view of every directory viewset (listing, edit, history, revisions, workflow actions,
choosers, bulk actions) is narrowed to the user's scope (`directory.scope`): a record outside
it is a 404, as if it did not exist."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, IndexView, SnippetViewSetGroup

from directory import admin_views, review
from directory.admin_forms import PerimeterForm
from directory.admin_reports import error_report_viewset
from directory.admin_review import DecisionView, ReviewEditView
from directory.choosers import territory_chooser_viewset
from directory.forms import (
    AbsenceForm,
    AuthorityForm,
    CoordinationForm,
    FacilitatorForm,
    LeadDesignationForm,
    StructureForm,
)
from directory.models import (
    Absence,
    ContractingAuthority,
    Coordination,
    Facilitator,
    LeadDesignation,
    NamedPerimeter,
    Structure,
    Territory,
    TerritoryChange,
)
from directory.panels import TieConfirmationPanel
from directory.scope import scope_for
from portal import policies
from portal.dates import date_format
from portal.panels import MultipleChooserPanel
from portal.policies import PolicySnippetViewSet


class DateColumn(Column):
    """A sortable listing column of a date field, written as the portal writes dates ("1er
    mars 2026"), headed by the field's name."""

    def __init__(self, model, name):
        label = capfirst(model._meta.get_field(name).verbose_name)
        super().__init__(name, label=label, sort_key=name)

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "j F Y") if value else ""


class ScopedViewSet(PolicySnippetViewSet):
    """A directory viewset: its views, listing, export and chooser reach only the user's
    scope (`directory.policies`)."""


def _departements(request):
    return scope_for(request.user).departements_of()


def _structures(request):
    return scope_for(request.user).structures().order_by("name")


class ReviewIndexView(IndexView):
    """The listing of records under the coordination's workflow: what their state and
    coverage columns read is fetched with the page (`review.with_review_state`), not row by
    row."""

    def get_base_queryset(self):
        # The title column reads the latest revision's name (a draft may rename).
        queryset = review.with_review_state(super().get_base_queryset()).select_related(
            "latest_revision"
        )
        if hasattr(self.model, "structure"):
            queryset = queryset.select_related("structure")
        return queryset


class ReviewedViewSet(ScopedViewSet):
    """A directory viewset whose records are proposed by facilitators and reviewed by their
    coordination: the listing shows their state, the edit view is the review screen, and a
    decision is taken once (`directory.admin_review`)."""

    index_view_class = ReviewIndexView
    edit_view_class = ReviewEditView
    workflow_action_view_class = DecisionView


def status_column():
    """The state of a record (à valider, refusée, brouillon, publiée…), as `review.status`
    says; published records are highlighted as in Wagtail's own listings."""
    return StatusTagColumn(
        "review_status",
        label=_("État"),
        accessor=lambda record: review.status(record).label,
        primary=lambda record: review.status(record) == review.Status.PUBLISHED,
    )


def status_filter():
    return django_filters.ChoiceFilter(
        label=_("État"),
        choices=review.Status.choices,
        method="filter_status",
        empty_label=_("Tous"),
    )


class FacilitatorFilterSet(WagtailFilterSet):
    status = status_filter()
    structure = django_filters.ModelChoiceFilter(label=_("Structure"), queryset=_structures)
    departement = django_filters.ModelChoiceFilter(
        label=_("Département couvert"),
        queryset=_departements,
        method="filter_departement",
    )
    coverage_level = django_filters.ChoiceFilter(
        label=_("Niveau de couverture"),
        choices=Territory.Kind.choices,
        field_name="coverage__kind",
        distinct=True,
    )
    structure_kind = django_filters.ChoiceFilter(
        label=_("Type de structure"), choices=Structure.Kind.choices, field_name="structure__kind"
    )
    verified_before = django_filters.DateFilter(
        label=_("Vérifié avant le"), field_name="last_verified", lookup_expr="lt"
    )

    class Meta:
        model = Facilitator
        fields = ["live"]

    def filter_status(self, queryset, name, value):
        """The records in the state chosen (`review.with_status`): "À valider" keeps those
        whose proposal waits for the coordination."""
        return review.with_status(queryset, value)

    def filter_departement(self, queryset, name, value):
        """Facilitators covering the département itself or any territory inside it."""
        inside = Territory.objects.filter(departement=value).values("pk")
        epcis = Territory.objects.filter(departement=value).values("epci")
        return queryset.filter(
            Q(coverage=value) | Q(coverage__in=inside) | Q(coverage__in=epcis)
        ).distinct()


class FacilitatorViewSet(ReviewedViewSet):
    model = Facilitator
    edit_handler = ObjectList(Facilitator.panels, base_form_class=FacilitatorForm)
    icon = "user"
    menu_label = _("Facilitateurs")
    list_display = [
        "__str__",
        "structure",
        status_column(),
        Column("coverage_summary", label=_("Couverture"), accessor=review.coverage_summary),
        "email",
        "phone",
        "last_verified",
    ]
    list_export = ["first_name", "last_name", "job_title", "structure", "email", "phone"]
    filterset_class = FacilitatorFilterSet
    search_fields = ["first_name", "last_name", "email"]
    search_backend_name = None  # plain database lookups: names, e-mails, partial words
    ordering = ["last_name", "first_name"]


class ErrorReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("directory.view_errorreport")


class DirectoryToolsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("directory.add_facilitator")


class StructureFilterSet(WagtailFilterSet):
    status = status_filter()

    class Meta:
        model = Structure
        fields = ["kind"]

    def filter_status(self, queryset, name, value):
        return review.with_status(queryset, value)


class StructureViewSet(ReviewedViewSet):
    model = Structure
    edit_handler = ObjectList(Structure.panels, base_form_class=StructureForm)
    icon = "group"
    menu_label = _("Structures")
    list_display = ["name", "kind", status_column(), "website"]
    filterset_class = StructureFilterSet
    search_fields = ["name"]
    search_backend_name = None


class AuthorityViewSet(ScopedViewSet):
    model = ContractingAuthority
    edit_handler = ObjectList(ContractingAuthority.panels, base_form_class=AuthorityForm)
    icon = "site"
    menu_label = _("Donneurs d'ordre")
    list_display = [
        "name",
        "kind",
        "lead",
        DateColumn(ContractingAuthority, "lead_starts_on"),
        DateColumn(ContractingAuthority, "lead_ends_on"),
    ]
    list_filter = ["kind"]
    search_fields = ["name", "siret"]
    search_backend_name = None


class LeadDesignationFilterSet(WagtailFilterSet):
    territory = django_filters.NumberFilter(field_name="territory", widget=forms.HiddenInput)
    state = django_filters.ChoiceFilter(
        label=_("État"),
        choices=[
            ("in_force", _("En vigueur")),
            ("upcoming", _("À venir")),
            ("ended", _("Échue")),
        ],
        method="filter_state",
    )

    class Meta:
        model = LeadDesignation
        fields = ["territory__kind"]

    def filter_state(self, queryset, name, value):
        """In force today, not started yet, or ended (`LeadDesignation.in_force`)."""
        today = timezone.localdate()
        if value == "upcoming":
            return queryset.filter(starts_on__gt=today)
        if value == "ended":
            return queryset.filter(ends_on__lt=today)
        return queryset.in_force(today)


class LeadDesignationViewSet(ScopedViewSet):
    model = LeadDesignation
    edit_handler = ObjectList(
        [*LeadDesignation.panels, TieConfirmationPanel("confirm_tie")],
        base_form_class=LeadDesignationForm,
    )
    icon = "pick"
    menu_label = _("Chefs de file")
    list_display = [
        "territory",
        "facilitator",
        "designated_by",
        DateColumn(LeadDesignation, "starts_on"),
        DateColumn(LeadDesignation, "ends_on"),
        "reference",
    ]
    list_export = [
        "territory",
        "facilitator",
        "designated_by",
        "starts_on",
        "ends_on",
        "reference",
    ]
    filterset_class = LeadDesignationFilterSet
    search_fields = ["designated_by", "reference"]
    search_backend_name = None


class CoordinationViewSet(ScopedViewSet):
    """Coordinations and their members: national administrators only (`Scope.coordinations`)."""

    model = Coordination
    edit_handler = ObjectList(Coordination.panels, base_form_class=CoordinationForm)
    icon = "globe"
    menu_label = _("Coordinations")
    list_display = ["name", "kind", "email", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "email"]
    search_backend_name = None


class PerimeterViewSet(ScopedViewSet):
    """Named perimeters, chosen territory by territory or imported from a list of codes."""

    model = NamedPerimeter
    icon = "site"
    menu_label = _("Périmètres nommés")
    list_display = ["name", "code", "population"]
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["search_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            MultipleChooserPanel(
                "members",
                chooser_field_name="territory",
                heading=_("Communes et EPCI du périmètre"),
                label=_("commune ou EPCI"),
                add_label=_("Ajouter une commune ou un EPCI"),
                help_text=_("Cherchez par nom, code postal, code INSEE ou SIREN."),
            ),
            FieldPanel("codes"),
        ],
        base_form_class=PerimeterForm,
    )


class TerritoryChangeViewSet(ScopedViewSet):
    """What `load_territories` changed: merged communes (coverage moved), vanished codes kept
    (to handle, then tick "traité"), renamed communes."""

    model = TerritoryChange
    icon = "history"
    menu_label = _("Changements de territoire")
    list_display = ["loaded_at", "kind", "code", "old_name", "new_code", "new_name", "handled"]
    list_filter = ["kind", "handled"]
    search_fields = ["code", "old_name", "new_name"]
    search_backend_name = None
    panels = [FieldPanel("details", read_only=True), FieldPanel("handled")]


class AbsenceFilterSet(WagtailFilterSet):
    facilitator = django_filters.ModelChoiceFilter(
        label=_("Facilitateur absent"),
        queryset=lambda request: policies.visible(
            request.user, Facilitator.objects.order_by("last_name", "first_name")
        ),
    )
    period = django_filters.ChoiceFilter(
        label=_("Période"),
        choices=[
            ("current", _("En cours ou à venir")),
            ("past", _("Terminées")),
        ],
        method="filter_period",
        empty_label=_("Toutes"),
    )

    class Meta:
        model = Absence
        fields = []

    def filter_period(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.filter(end__gte=today)
        if value == "past":
            return queryset.filter(end__lt=today)
        return queryset


class AbsenceCreateView(CreateView):
    """A new absence, for the record named in `?facilitator=` (the link of the facilitator's
    edit screen) when the user may change it."""

    def get_initial(self):
        initial = super().get_initial()
        pk = self.request.GET.get("facilitator", "")
        if pk.isdigit():
            records = policies.visible(self.request.user, Facilitator.objects.all())
            if records.filter(pk=pk).exists():
                initial["facilitator"] = int(pk)
        return initial


class AbsenceViewSet(ScopedViewSet):
    """Facilitators' absences: a facilitator account records its own, straight away (no
    proposal to approve); a coordination those of the records in its scope."""

    model = Absence
    edit_handler = ObjectList(Absence.panels, base_form_class=AbsenceForm)
    add_view_class = AbsenceCreateView
    icon = "date"
    menu_label = _("Absences")
    copy_view_enabled = False
    list_display = ["facilitator", "start", "end", "deputy"]
    filterset_class = AbsenceFilterSet
    search_fields = ["facilitator__first_name", "facilitator__last_name", "note"]
    search_backend_name = None
    ordering = ["-start"]


class DirectoryGroup(SnippetViewSetGroup):
    items = (
        FacilitatorViewSet,
        StructureViewSet,
        AuthorityViewSet,
        LeadDesignationViewSet,
        CoordinationViewSet,
        PerimeterViewSet,
        TerritoryChangeViewSet,
        AbsenceViewSet,
    )
    menu_icon = "group"
    menu_label = _("Annuaire")
    menu_name = "directory"
    menu_order = 150

    def get_submenu_items(self):
        return super().get_submenu_items() + [
            ErrorReportsMenuItem(
                _("Erreurs signalées"),
                reverse_lazy("signalements:index"),
                icon_name="warning",
                order=890,
            ),
            DirectoryToolsMenuItem(
                _("Importer / exporter"),
                reverse_lazy("directory_import"),
                icon_name="download",
                order=900,
            ),
            TerritoryKeeperMenuItem(
                _("Zones blanches"),
                reverse_lazy("directory_white_zones"),
                icon_name="warning",
                order=910,
            ),
        ]


register_snippet(DirectoryGroup)


@hooks.register("register_admin_viewset")
def register_territory_chooser():
    return territory_chooser_viewset


@hooks.register("register_admin_viewset")
def register_error_reports():
    return error_report_viewset


@hooks.register("register_admin_urls")
def register_directory_urls():
    return [
        path("directory/white-zones/", admin_views.white_zones, name="directory_white_zones"),
        path("directory/import/", admin_views.import_directory, name="directory_import"),
        path(
            "directory/import/preview/<str:token>/",
            admin_views.import_preview,
            name="directory_import_preview",
        ),
        path(
            "directory/export.<str:fmt>",
            admin_views.export_directory,
            name="directory_export",
        ),
    ]


class TerritoryKeeperMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.keeps_a_territory(request.user)


@hooks.register("register_reports_menu_item")
def register_white_zones_report():
    return TerritoryKeeperMenuItem(
        _("Zones blanches"), reverse("directory_white_zones"), icon_name="warning", order=700
    )


@hooks.register("construct_homepage_panels")
def add_coordination_panel(request, panels):
    if not request.user.has_perm("directory.view_facilitator"):
        return
    if admin_views.keeps_a_territory(request.user):
        panels.append(admin_views.CoordinationPanel(request))
    elif Facilitator.objects.filter(user=request.user).exists():
        panels.append(admin_views.OwnRecordPanel(request))
