"""The "Erreurs signalées" of the directory in the Wagtail admin: a listing with status and
département filters, the report with its follow-up (status, who handles it, a note), all
narrowed to the user's scope (`directory.scope.Scope.error_reports`): a report outside it
is a 404, as if it did not exist. Reports come from the public form only: nobody adds one
here."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from directory import scope
from directory.models import ErrorReport, Territory
from directory.scope import scope_for
from portal import policies
from portal.policies import FOLLOW, PolicyViews


def full_name(user):
    """How a person is shown in the "traité par" list: full name, else the login."""
    return user.get_full_name() or user.get_username()


def possible_handlers(report, user=None):
    """Who may handle a report: the active members of the coordinations whose territory
    contains its subject, and its current handler; for `user`, those its policy lets it name
    (`portal.policies.FOLLOW`)."""
    subject = report.facilitator or report.commune
    holding = [coordination.pk for coordination in scope.coordinations_of(subject)]
    allowed = Q(coordinations__in=holding, is_active=True)
    if user is not None:
        named = policies.choosable(user, get_user_model().objects.filter(allowed), FOLLOW)
        allowed = Q(pk__in=list(named.values_list("pk", flat=True)))
    if report.handled_by_id:
        allowed |= Q(pk=report.handled_by_id)
    return (
        get_user_model()
        .objects.filter(allowed)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _departements(request):
    return scope_for(request.user).departements_of()


class ErrorReportFilterSet(WagtailFilterSet):
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"), queryset=_departements, method="filter_departement"
    )

    class Meta:
        model = ErrorReport
        fields = ["status"]

    def filter_departement(self, queryset, name, value):
        """Reports on a commune of the département, or on a facilitator covering it or a
        territory inside it."""
        inside = Territory.objects.filter(departement=value)
        return queryset.filter(
            Q(commune__departement=value)
            | Q(facilitator__coverage=value)
            | Q(facilitator__coverage__in=inside.values("pk"))
            | Q(facilitator__coverage__in=inside.values("epci"))
        ).distinct()


class NoAddingPolicy(ModelPermissionPolicy):
    """The model's permissions, without "add": reports come from the public form."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])


class IndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("coordination", "handled_by")


class EditView(generic.EditView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        field = form.fields.get("handled_by")
        if field is not None:
            field.queryset = possible_handlers(self.object, self.request.user)
            field.purpose = FOLLOW
            field.label_from_instance = full_name
        return form

    def save_instance(self):
        """Whoever first moves a report on from "new" handles it, unless someone is named."""
        report = self.form.instance  # already filled in from the valid form
        if report.status != ErrorReport.Status.NEW and report.handled_by_id is None:
            report.handled_by = self.request.user
        return super().save_instance()


class InspectView(generic.InspectView):
    def get_handled_by_display_value(self):
        user = self.object.handled_by
        return full_name(user) if user is not None else "—"


class ErrorReportViewSet(PolicyViews, ModelViewSet):
    model = ErrorReport
    name = "signalements"
    icon = "warning"
    menu_label = _("Erreurs signalées")
    add_to_admin_menu = False  # in the "Annuaire" menu (directory.wagtail_hooks)
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = IndexView
    edit_view_class = EditView
    inspect_view_class = InspectView
    filterset_class = ErrorReportFilterSet
    search_fields = ["subject", "message", "email"]
    search_backend_name = None  # plain database lookups
    list_display = ["subject", "excerpt", "status", "recipient", "created_at"]
    list_per_page = 50
    ordering = ["-created_at"]
    inspect_view_fields = [
        "created_at",
        "subject",
        "message",
        "email",
        "language",
        "coordination",
        "status",
        "handled_by",
        "note",
    ]

    @property
    def permission_policy(self):
        return NoAddingPolicy(self.model)


error_report_viewset = ErrorReportViewSet()
