"""The "Demandes" inbox in the Wagtail admin: every view obeys the requests' policy
(`referrals.policies`), so a facilitator account only ever reaches the requests addressed to
it and a coordination those of its territory (listing, inspect, edit, delete, history,
usage, export, actions, the dashboard panel). The site history served here leaves out the
rows of every object its reader may not see (`portal.policies.visible_log_entries`)."""

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.admin.viewsets.model import ModelViewSet

from directory.models import Facilitator, Territory
from directory.scope import scope_for
from portal import policies
from portal.spreadsheets import SafeSpreadsheetExportMixin, write_csv
from referrals import delays, figures, inbox, lifecycle
from referrals.models import ProjectRequest
from referrals.policies import full_name, visible_requests

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
        queryset=lambda request: policies.visible(
            request.user, Facilitator.objects.order_by("last_name", "first_name")
        ),
    )

    delay = django_filters.ChoiceFilter(
        label=_("Délai"),
        choices=[
            ("overdue", _("En retard (pas encore prise en compte)")),
            ("escalated", _("Signalées à la coordination")),
        ],
        method="filter_delay",
        empty_label=_("Toutes"),
    )

    class Meta:
        model = ProjectRequest
        fields = ["status", "nature", "route", "mail_status"]

    def filter_delay(self, queryset, name, value):
        if value == "overdue":
            return delays.overdue(queryset)
        if value == "escalated":
            return delays.escalated(queryset)
        return queryset


class IndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    """The inbox (narrowed by `PolicyViews`); its CSV/XLSX export is safe to open (no
    formula cells)."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("routed_to__structure", "commune__departement", "assignee", "authority")
        )


class EditView(generic.EditView):
    """The request's page: where it stands (status, dates, delay), the actions the user may
    take (`referrals.inbox`), its history, then the internal notes (the only edited field:
    every other change goes through an action, so it is recorded and mailed)."""

    template_name = "referrals/admin/request_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(request_page_context(self.request, self.object))
        return context


def request_page_context(request, project, bound=None):
    """What the request's page shows above the notes."""
    clock = delays.clock_of(project)
    waiting = project.status == ProjectRequest.Status.NEW
    return {
        "project": project,
        "actions": inbox.actions(request.user, project, bound=bound),
        "events": project.events.select_related("actor", "facilitator__structure", "coordination"),
        "waiting": waiting,
        "schedule": delays.schedule(clock),
        "step": delays.step(clock) if waiting else None,
        "dates": [
            (_("Reçue le"), project.created_at),
            (_("Prise en compte le"), project.acknowledged_at),
            (_("Relancée le"), project.reminded_at),
            (_("Signalée à la coordination le"), project.escalated_at),
            (_("Close le"), project.closed_at),
        ],
    }


class RequestActionView(View):
    """POST one action of the request's page (`referrals.inbox`): on success back to the page
    with a message; a form with errors comes back on its own page with what was typed; an
    impossible change is said and changes nothing. A GET changes nothing: it goes back to
    the request's page."""

    def dispatch(self, request, pk, action):
        # `policies.guards` (below) already answered 404 for a request outside the policy.
        project = visible_requests(request.user).filter(pk=pk).first()
        if project is None or action not in inbox.LABELS:
            raise Http404
        self.project, self.action = project, action
        return super().dispatch(request, pk, action)

    def get(self, request, pk, action):
        return redirect("demandes:edit", self.project.pk)

    def post(self, request, pk, action):
        project = self.project
        if action not in inbox.available(request.user, project):
            messages.error(
                request, _("Cette action n'est pas possible sur cette demande : rien n'a changé.")
            )
            return redirect("demandes:edit", project.pk)
        form = inbox.form_for(action, project, request.user, request.POST)
        if form.is_valid():
            try:
                message = inbox.perform(action, project, form, request.user)
            except lifecycle.TransitionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, message)
                if not visible_requests(request.user).filter(pk=project.pk).exists():
                    return redirect("demandes:index")  # handed to someone else
            return redirect("demandes:edit", project.pk)
        form.action_name = action
        context = request_page_context(request, project, bound=form)
        context.update(
            page_title=str(project),
            action=next(a for a in context["actions"] if a.name == action),
        )
        return TemplateResponse(request, "referrals/admin/request_action.html", context, status=400)


class InspectView(generic.InspectView):
    def get_assignee_display_value(self):
        """The person following the request by name, as in the edit form."""
        user = self.object.assignee
        return full_name(user) if user is not None else "—"


class ProjectRequestViewSet(policies.PolicyViews, ModelViewSet):
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
    filterset_class = RequestFilterSet
    # The page edits the internal notes only: status, handler and follower change through the
    # actions above the form (`referrals.inbox`), so that each is recorded and mailed.
    panels = [
        HelpPanel(template="referrals/admin/request_summary.html", heading=_("La demande")),
        FieldPanel("notes"),
    ]
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
        "mail_failure",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("chiffres/", figures_report, name="figures"),
            path(
                "action/<int:pk>/<slug:action>/",
                require_admin_access(policies.guards(ProjectRequest)(RequestActionView.as_view())),
                name="action",
            ),
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
        escalated = delays.escalated(visible)
        return {
            "new": visible.filter(status=ProjectRequest.Status.NEW).count(),
            "overdue": delays.overdue(visible).count(),
            "escalated": escalated.count(),
            "open": visible.exclude(
                status__in=[ProjectRequest.Status.CLAUSE_WRITTEN, ProjectRequest.Status.CLOSED]
            ).count(),
            "failed": visible.filter(mail_status=ProjectRequest.Mail.FAILED).count(),
            "latest": list(visible.filter(status=ProjectRequest.Status.NEW)[:5]),
            "escalated_list": list(escalated.order_by("escalated_at")[:5]),
            "answer_days": delays.answer_days(),
        }


class SiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The report's filters; the user filter lists only the people whose entries the viewer
    may read (`portal.policies.log_users`)."""

    def get_users_queryset(self):
        return policies.log_users(self.request.user)


class SiteHistoryView(LogEntriesView):
    """Wagtail's site-history report without the rows of objects the user may not see,
    whatever their model: every model with a policy is filtered by it
    (`portal.policies.visible_log_entries`)."""

    filterset_class = SiteHistoryFilterSet

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return policies.visible_log_entries(self.request.user, queryset)


# Served in place of Wagtail's own report (portal/urls.py lists these before the admin's).
site_history_urls = [
    path("site-history/", require_admin_access(SiteHistoryView.as_view())),
    path(
        "site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
    ),
]


class FiguresFilterForm(forms.Form):
    """The report's filters, read from the query string (a wrong value is said, never a
    500)."""

    year = forms.TypedChoiceField(label=_("Année de réception"), coerce=int)
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("Tous"),
        to_field_name="code",
    )

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in figures.years(requests)]
        self.fields["departement"].queryset = figures.departements(requests)
        self.fields["departement"].label_from_instance = lambda d: f"{d.name} ({d.code})"


def figures_report(request):
    """What came of the requests the viewer may see: per month, per département and per
    coordination, for one year (and one département); `?format=csv` downloads the finest
    grain (month × département × coordination)."""
    if not request.user.has_perm("referrals.view_projectrequest"):
        raise PermissionDenied
    visible = visible_requests(request.user)
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = FiguresFilterForm(data, requests=visible)
    context = {"form": form, "page_title": _("Demandes : chiffres"), "header_icon": "table"}
    if not form.is_valid():
        return TemplateResponse(request, "referrals/admin/figures.html", context, status=400)
    year, departement = form.cleaned_data["year"], form.cleaned_data["departement"]
    scope = {"requests": visible, "departements": [departement] if departement else None}
    if request.GET.get("format") == "csv":
        return _figures_csv(year, departement, scope)
    by_month = {row["month"]: row for row in figures.request_figures(year, by=("month",), **scope)}
    empty = dict.fromkeys(figures.COUNTS, 0)
    context.update(
        year=year,
        departement=departement,
        answer_days=delays.answer_days(),
        totals=_with_shares(figures.request_figures(year, **scope)),
        months=[
            _with_shares(
                {**empty, **by_month.get(month, {}), "month": datetime.date(year, month, 1)}
            )
            for month in range(1, 13)
        ],
        departements=[
            _with_shares(row) for row in figures.request_figures(year, by=("departement",), **scope)
        ],
        coordinations=[
            _with_shares(row)
            for row in figures.request_figures(year, by=("coordination",), **scope)
        ],
        csv_query=urlencode(
            {
                "year": year,
                **({"departement": departement.code} if departement else {}),
                "format": "csv",
            }
        ),
    )
    return TemplateResponse(request, "referrals/admin/figures.html", context)


def _with_shares(row):
    row["in_time_share"] = figures.share(row["acknowledged_in_time"], row["received"])
    row["clause_share"] = figures.share(row["clauses_written"], row["received"])
    return row


FIGURES_CSV_HEADER = [
    "annee",
    "mois",
    "departement_code",
    "departement",
    "coordination",
    "demandes_recues",
    "prises_en_compte",
    "prises_en_compte_dans_le_delai",
    "signalees_a_la_coordination",
    "clauses_redigees",
    "heures_prevues",
]


def _figures_csv(year, departement, scope):
    """The figures as CSV (semicolons, UTF-8 with BOM, like the other exports; every cell
    made safe to open)."""
    rows = figures.request_figures(year, by=("month", "departement", "coordination"), **scope)
    name = f"demandes-chiffres-{year}" + (f"-{departement.code}" if departement else "")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    lines = [FIGURES_CSV_HEADER]
    for row in rows:
        territory, coordination = row["departement"], row["coordination"]
        lines.append(
            [
                year,
                row["month"],
                territory.code if territory else "",
                territory.name if territory else "",
                coordination.name if coordination else "",
                *(row[name] for name in figures.COUNTS),
            ]
        )
    write_csv(response, lines)
    return response
