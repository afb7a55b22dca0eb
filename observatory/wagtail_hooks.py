"""The reports in the Wagtail admin: facilitators see and enter their own structure's, the
coordination sees and validates all; the XLSX template and upload."""

from django.http import Http404
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from observatory import access, admin_views
from observatory.models import StructureReport


class StructureReportForm(WagtailAdminModelForm):
    """Limits the structures to the user's own and refuses the statuses they may not give."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.user = for_user
        if for_user is not None and "structure" in self.fields:
            self.fields["structure"].queryset = access.editable_structures(for_user)

    def clean(self):
        cleaned = super().clean()
        if self.user is not None:
            original = StructureReport.objects.filter(pk=self.instance.pk).first()
            report = original or self.instance
            if original is None:
                report.structure = cleaned.get("structure") or report.structure
            message = access.check_change(
                self.user, report, cleaned.get("status") or StructureReport.Status.DRAFT
            )
            if message:
                self.add_error(None, message)
        return cleaned

    def save(self, commit=True):
        report = super().save(commit=False)
        if report.status == StructureReport.Status.VALIDATED and report.validated_at is None:
            report.validated_at = timezone.now()
            report.validated_by = self.user
        if report.status != StructureReport.Status.VALIDATED:
            report.validated_at = report.validated_by = None
        if commit:
            report.save()
            self.save_m2m()
        return report


StructureReport.base_form_class = StructureReportForm


class OwnReportsOnly:
    """A report of another structure than the user's is not found (404)."""

    def get_object(self, *args, **kwargs):
        report = super().get_object(*args, **kwargs)
        if not access.visible_reports(self.request.user).filter(pk=report.pk).exists():
            raise Http404
        return report


class ReportEditView(OwnReportsOnly, snippet_views.EditView):
    pass


class ReportDeleteView(OwnReportsOnly, snippet_views.DeleteView):
    pass


class ReportHistoryView(OwnReportsOnly, snippet_views.HistoryView):
    pass


class ReportUsageView(OwnReportsOnly, snippet_views.UsageView):
    pass


class StructureReportViewSet(SnippetViewSet):
    model = StructureReport
    edit_view_class = ReportEditView
    delete_view_class = ReportDeleteView
    history_view_class = ReportHistoryView
    usage_view_class = ReportUsageView
    icon = "table"
    menu_label = _("Bilans annuels")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["structure", "year", "status", "hours_total", "people_total"]
    list_filter = ["status", "year"]
    search_fields = ["structure__name"]
    search_backend_name = None

    def get_queryset(self, request):
        return access.visible_reports(request.user).select_related("structure")


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
    ]


class ReportUploadMenuItem(MenuItem):
    def is_shown(self, request):
        return access.editable_structures(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_upload_menu_item():
    return ReportUploadMenuItem(
        _("Bilans : modèle XLSX"),
        reverse_lazy("observatory_xlsx"),
        icon_name="download",
        order=161,
    )
