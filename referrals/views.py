"""The "Demandes" inbox in the Wagtail admin: a facilitator account only ever reaches the
requests addressed to it (listing, inspect, edit, delete, history, usage, export, the
dashboard panel; the site history is filtered in `referrals.access.hide_others_log_entries`)."""

import django_filters
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry

from directory.models import Facilitator, Territory
from directory.scope import hide_out_of_scope_log_entries, scope_for
from portal.spreadsheets import SafeSpreadsheetExportMixin
from referrals.access import (
    full_name,
    hide_others_log_entries,
    log_users,
    possible_assignees,
    visible_requests,
)
from referrals.models import ProjectRequest

# What a request says, in the order of the export and of the inspect view.
DETAIL_FIELDS = [
    "created_at",
    "status",
    "organisation",
    "authority",
    "contact_name",
    "email",
    "phone",
    "nature",
    "subject",
    "place",
    "amount",
    "duration",
    "publication_date",
    "insertion_hours",
    "message",
    "routed_to",
    "assignee",
    "notes",
]


def _departements(request):
    """The départements a coordination member works in (every one for the others)."""
    scope = scope_for(request.user)
    if scope.territorial:
        return scope.departements_of()
    return Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).order_by("code")


class RequestFilterSet(WagtailFilterSet):
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"), queryset=_departements, field_name="commune__departement"
    )
    routed_to = django_filters.ModelChoiceFilter(
        label=_("Facilitateur"),
        queryset=lambda request: (
            scope_for(request.user)
            .facilitators(Facilitator.objects.all())
            .order_by("last_name", "first_name")
        ),
    )

    class Meta:
        model = ProjectRequest
        fields = ["status", "nature", "route", "mail_status"]


class VisibleOnly:
    """Views of one request: 404 for a request the user may not see."""

    def get_object(self, queryset=None):
        project = super().get_object(queryset)
        if not visible_requests(self.request.user).filter(pk=project.pk).exists():
            raise Http404
        return project


class VisibleObjectsOnly:
    """History and usage views of one request: 404 for a request the user may not see."""

    def get_base_object_queryset(self):
        return visible_requests(self.request.user)


class HistoryView(VisibleObjectsOnly, history.HistoryView):
    pass


class UsageView(VisibleObjectsOnly, usage.UsageView):
    pass


class IndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    """The inbox; its CSV/XLSX export is safe to open (no formula cells)."""

    def get_base_queryset(self):
        return visible_requests(self.request.user)


class EditView(VisibleOnly, generic.EditView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "assignee" in form.fields:
            field = form.fields["assignee"]
            field.queryset = possible_assignees(self.object)
            field.label_from_instance = full_name
        return form


class InspectView(VisibleOnly, generic.InspectView):
    def get_assignee_display_value(self):
        """The person following the request by name, as in the edit form."""
        user = self.object.assignee
        return full_name(user) if user is not None else "—"


class DeleteView(VisibleOnly, generic.DeleteView):
    pass


class ProjectRequestViewSet(ModelViewSet):
    model = ProjectRequest
    name = "demandes"
    icon = "mail"
    menu_label = _("Demandes")
    menu_order = 150
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = IndexView
    edit_view_class = EditView
    inspect_view_class = InspectView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    usage_view_class = UsageView
    filterset_class = RequestFilterSet
    search_fields = ["subject", "organisation", "contact_name", "email", "place"]
    list_display = ["subject", "place", "organisation", "recipient", "status", "created_at"]
    list_per_page = 50
    ordering = ["-created_at"]
    list_export = ["pk", *DETAIL_FIELDS, "route", "mail_status"]
    export_filename = "demandes"
    inspect_view_fields = [
        *DETAIL_FIELDS,
        "route",
        "route_explanation",
        "mail_status",
        "mail_attempts",
        "mail_error",
    ]


project_request_viewset = ProjectRequestViewSet()


class RequestsPanel(Component):
    """Dashboard panel: the requests waiting for an answer, for whoever may see them."""

    name = "demandes"
    template_name = "referrals/admin/dashboard_panel.html"
    order = 40

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        visible = visible_requests(self.request.user)
        return {
            "new": visible.filter(status=ProjectRequest.Status.NEW).count(),
            "open": visible.exclude(
                status__in=[ProjectRequest.Status.CLAUSE_WRITTEN, ProjectRequest.Status.CLOSED]
            ).count(),
            "failed": visible.filter(mail_status=ProjectRequest.Mail.FAILED).count(),
            "latest": list(visible.filter(status=ProjectRequest.Status.NEW)[:5]),
        }


class SiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The report's filters; the user filter lists only the people whose entries the viewer
    may read (`referrals.access.log_users`)."""

    def get_users_queryset(self):
        return log_users(self.request.user)


class SiteHistoryView(LogEntriesView):
    """Wagtail's site-history report without the rows of requests the user may not see, nor
    those of directory records outside their scope."""

    filterset_class = SiteHistoryFilterSet

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            queryset = hide_out_of_scope_log_entries(
                self.request.user, hide_others_log_entries(self.request.user, queryset)
            )
        return queryset


# Served in place of Wagtail's own report (portal/urls.py lists these before the admin's).
site_history_urls = [
    path("site-history/", require_admin_access(SiteHistoryView.as_view())),
    path(
        "site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
    ),
]
