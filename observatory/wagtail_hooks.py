"""The reports in the Wagtail admin: every view, listing, export and chooser of the reports
obeys `observatory.policies` (a facilitator sees its own structure's, a coordination those of
its territory, the national coordination all); the XLSX template and upload; the campaign of
a year; the dashboard's count of reports waiting for validation."""

from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views

from observatory import admin_views, notifications, policies
from observatory.models import StructureReport
from portal import policies as portal_policies
from portal.policies import PolicySnippetViewSet

Status = StructureReport.Status


def narrowed_rows(form_class, departements):
    """The form class of a split's rows, offering only `departements`."""

    class SplitRowForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "departement" in self.fields:
                self.fields["departement"].queryset = departements

    return SplitRowForm


class StructureReportForm(WagtailAdminModelForm):
    """Offers only the structures the user may report for, refuses the statuses they may not
    give, and e-mails the other side when the status changes (`observatory.notifications`)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.user = for_user
        self.previous_status = (
            StructureReport.objects.filter(pk=self.instance.pk)
            .values_list("status", flat=True)
            .first()
            if self.instance.pk
            else None
        )
        if for_user is not None:
            if "structure" in self.fields:
                self.fields["structure"].queryset = policies.reportable_structures(for_user)
                self.fields["structure"].error_messages["invalid_choice"] = _(
                    "Choisissez une structure de votre territoire."
                )
            split = self.formsets.get("departement_split")
            if split is not None:
                # The split offers the départements where the user's structures work.
                split.form = narrowed_rows(split.form, policies.split_departements(for_user))

    def clean(self):
        cleaned = super().clean()
        if self.user is not None:
            original = StructureReport.objects.filter(pk=self.instance.pk).first()
            report = original or self.instance
            if original is None:
                if cleaned.get("structure") is None:
                    return cleaned  # no valid structure: its field says why
                report.structure = cleaned["structure"]
            message = policies.check_change(
                self.user, report, cleaned.get("status") or Status.DRAFT
            )
            if message:
                self.add_error(None, message)
        return cleaned

    def save(self, commit=True):
        report = super().save(commit=False)
        if report.status == Status.VALIDATED and report.validated_at is None:
            report.validated_at = timezone.now()
            report.validated_by = self.user
        if report.status != Status.VALIDATED:
            report.validated_at = report.validated_by = None
        if commit:
            report.save()
            self.save_m2m()
            notifications.report_changed(report, self.previous_status, self.user)
        return report


StructureReport.base_form_class = StructureReportForm


class ReportCreateView(snippet_views.CreateView):
    """The new report form, prefilled with `?structure=<id>&year=<year>` (the campaign's
    links) when the user may report for that structure."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        if self.request.method != "GET":
            return instance
        structure = self.request.GET.get("structure", "")
        year = self.request.GET.get("year", "")
        if not (structure.isdigit() or year.isdigit()):
            return instance
        instance = instance or self.model()
        if structure.isdigit():
            instance.structure = (
                policies.reportable_structures(self.request.user).filter(pk=structure).first()
            )
        if year.isdigit() and 2000 <= int(year) <= 2100:
            instance.year = int(year)
        return instance


class StructureReportViewSet(PolicySnippetViewSet):
    model = StructureReport
    add_view_class = ReportCreateView
    icon = "table"
    menu_label = _("Bilans annuels")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["structure", "year", "status", "hours_total", "people_total", "updated_at"]
    list_export = [
        "structure",
        "year",
        "status",
        "hours_total",
        "people_total",
        "validated_at",
        "updated_at",
    ]
    export_filename = "bilans-annuels"
    list_filter = ["status", "year"]
    search_fields = ["structure__name"]
    search_backend_name = None

    def get_queryset(self, request):
        return StructureReport.objects.select_related("structure")


register_snippet(StructureReportViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("observatory/xlsx/", admin_views.xlsx_transfer, name="observatory_xlsx"),
        path(
            "observatory/xlsx/template/",
            admin_views.xlsx_template,
            name="observatory_xlsx_template",
        ),
        path("observatory/campagne/", admin_views.campaign_view, name="observatory_campaign"),
    ]


class ReportUploadMenuItem(MenuItem):
    def is_shown(self, request):
        return policies.reportable_structures(request.user).exists()


class CampaignMenuItem(MenuItem):
    def is_shown(self, request):
        return policies.may_run_campaign(request.user)


@hooks.register("register_admin_menu_item")
def register_upload_menu_item():
    return ReportUploadMenuItem(
        _("Bilans : modèle XLSX"),
        reverse_lazy("observatory_xlsx"),
        icon_name="download",
        order=161,
    )


@hooks.register("register_admin_menu_item")
def register_campaign_menu_item():
    return CampaignMenuItem(
        _("Campagne des bilans"),
        reverse_lazy("observatory_campaign"),
        icon_name="tasks",
        order=162,
    )


class ReportsWaitingPanel(Component):
    """Dashboard panel of a coordination: the reports of its territory waiting for its
    validation, linked to the filtered listing, and the campaign."""

    name = "observatory_reports"
    template_name = "observatory/admin/dashboard_panel.html"
    order = 60

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        waiting = portal_policies.visible(
            self.request.user, StructureReport.objects.filter(status=Status.SUBMITTED)
        ).count()
        listing = reverse("wagtailsnippets_observatory_structurereport:list")
        return {
            "waiting": waiting,
            "waiting_url": f"{listing}?status={Status.SUBMITTED}",
            "campaign_url": reverse("observatory_campaign"),
        }


@hooks.register("construct_homepage_panels")
def add_reports_panel(request, panels):
    if policies.may_validate(request.user):
        panels.append(ReportsWaitingPanel(request))
