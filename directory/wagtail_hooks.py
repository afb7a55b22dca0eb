"""The directory in the Wagtail admin: one menu for coordinators, with filters and search.

Every view of every directory viewset (listing, edit, history, revisions, workflow actions,
choosers, bulk actions) is narrowed to the user's scope (`directory.scope`): a record outside
it is a 404, as if it did not exist."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models, register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from directory import admin_views
from directory.admin_forms import PerimeterForm
from directory.admin_reports import error_report_viewset
from directory.choosers import territory_chooser_viewset
from directory.forms import (
    AuthorityForm,
    CoordinationForm,
    FacilitatorForm,
    LeadDesignationForm,
)
from directory.models import (
    ContractingAuthority,
    Coordination,
    Facilitator,
    LeadDesignation,
    NamedPerimeter,
    Structure,
    Territory,
    TerritoryChange,
)
from directory.scope import scope_for
from portal.panels import MultipleChooserPanel
from portal.policies import PolicySnippetViewSet


class ScopedViewSet(PolicySnippetViewSet):
    """A directory viewset: its views, listing, export and chooser reach only the user's
    scope (`directory.policies`)."""


def _departements(request):
    return scope_for(request.user).departements_of()


class FacilitatorFilterSet(WagtailFilterSet):
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
        fields = ["structure", "live"]

    def filter_departement(self, queryset, name, value):
        """Facilitators covering the département itself or any territory inside it."""
        inside = Territory.objects.filter(departement=value).values("pk")
        epcis = Territory.objects.filter(departement=value).values("epci")
        return queryset.filter(
            Q(coverage=value) | Q(coverage__in=inside) | Q(coverage__in=epcis)
        ).distinct()


class FacilitatorViewSet(ScopedViewSet):
    model = Facilitator
    edit_handler = ObjectList(Facilitator.panels, base_form_class=FacilitatorForm)
    icon = "user"
    menu_label = _("Facilitateurs")
    list_display = ["__str__", "structure", "email", "phone", "last_verified"]
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


class StructureViewSet(ScopedViewSet):
    model = Structure
    icon = "group"
    menu_label = _("Structures")
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None


class AuthorityViewSet(ScopedViewSet):
    model = ContractingAuthority
    edit_handler = ObjectList(ContractingAuthority.panels, base_form_class=AuthorityForm)
    icon = "site"
    menu_label = _("Donneurs d'ordre")
    list_display = ["name", "kind", "lead"]
    list_filter = ["kind"]
    search_fields = ["name", "siret"]
    search_backend_name = None


class LeadDesignationFilterSet(WagtailFilterSet):
    territory = django_filters.NumberFilter(field_name="territory", widget=forms.HiddenInput)

    class Meta:
        model = LeadDesignation
        fields = ["territory__kind"]


class LeadDesignationViewSet(ScopedViewSet):
    model = LeadDesignation
    edit_handler = ObjectList(LeadDesignation.panels, base_form_class=LeadDesignationForm)
    icon = "pick"
    menu_label = _("Chefs de file")
    list_display = ["territory", "facilitator", "designated_by"]
    filterset_class = LeadDesignationFilterSet
    search_fields = ["designated_by"]
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


class DirectoryGroup(SnippetViewSetGroup):
    items = (
        FacilitatorViewSet,
        StructureViewSet,
        AuthorityViewSet,
        LeadDesignationViewSet,
        CoordinationViewSet,
        PerimeterViewSet,
        TerritoryChangeViewSet,
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


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk deletion of snippets, for the directory's: records outside the user's
    scope are neither named on the confirmation page nor deleted, as if they did not exist
    (a selection with none inside is a 404)."""

    @classproperty
    def models(cls):
        return [model for model in get_snippet_models() if model._meta.app_label == "directory"]

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        scope = scope_for(self.request.user)

        def inside(items):
            if scope.everything or not items:
                return list(items)
            kept = set(
                scope.filter(
                    self.model._default_manager.filter(pk__in=[o.pk for o in items])
                ).values_list("pk", flat=True)
            )
            return [item for item in items if item.pk in kept]

        objects = inside(objects)
        no_access = inside(extra.get("items_with_no_access", []))
        if not objects and not no_access:
            raise Http404
        return objects, {**extra, "items_with_no_access": no_access}


# After Wagtail's own (order 0): the registry keeps the last one per model and action.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=100)


@hooks.register("before_bulk_action")
def keep_bulk_actions_in_scope(request, action_type, objects, action_class_instance):
    """Bulk actions (publish, delete…) on directory records outside the user's scope are
    refused as a whole."""
    scope = scope_for(request.user)
    for obj in objects:
        if obj._meta.app_label == "directory" and not scope.allows(obj):
            raise PermissionDenied
