"""Admin pages of the reports: download the XLSX template of a structure and year, upload it
filled (all or nothing)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from observatory import access, xlsx
from observatory.models import StructureReport


class ReportFileForm(forms.Form):
    structure = forms.ModelChoiceField(label=_lazy("Structure"), queryset=None)
    year = forms.IntegerField(label=_lazy("Année"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_lazy("Modèle rempli (.xlsx)"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = access.editable_structures(user)
        self.fields["year"].initial = timezone.localdate().year - 1


def _allowed(request):
    if not access.editable_structures(request.user).exists():
        raise PermissionDenied


def xlsx_template(request):
    """The template of one structure and year, prefilled with its report if it has one."""
    _allowed(request)
    form = ReportFileForm(request.user, request.GET)
    if not form.is_valid():
        messages.error(request, _("Choisissez une structure et une année."))
        return redirect("observatory_xlsx")
    structure, year = form.cleaned_data["structure"], form.cleaned_data["year"]
    report = StructureReport.objects.filter(structure=structure, year=year).first()
    response = HttpResponse(
        xlsx.template_workbook(structure, year, report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="bilan-{structure.slug}-{year}.xlsx"'
    return response


def xlsx_transfer(request):
    """Upload a filled template: every cell is checked, the report is written only when all
    are valid; otherwise the errors are listed and nothing changes."""
    _allowed(request)
    result = None
    if request.method == "POST":
        form = ReportFileForm(request.user, request.POST, request.FILES)
        if form.is_valid() and not request.FILES.get("file"):
            form.add_error("file", _("Choisissez le fichier rempli."))
        if form.is_valid():
            structure, year = form.cleaned_data["structure"], form.cleaned_data["year"]
            existing = StructureReport.objects.filter(structure=structure, year=year).first()
            if existing and not access.can_edit(request.user, existing):
                form.add_error(
                    None, _("Ce bilan est validé : seule la coordination peut le modifier.")
                )
            else:
                try:
                    result = xlsx.read_upload(request.FILES["file"], structure, year)
                except xlsx.UnreadableFile as error:
                    form.add_error("file", str(error))
                if result is not None and result.ok:
                    report = xlsx.apply_upload(result, structure, year)
                    messages.success(
                        request,
                        _("Bilan %(year)s de %(structure)s enregistré en brouillon.")
                        % {"year": year, "structure": structure},
                    )
                    return redirect("wagtailsnippets_observatory_structurereport:edit", report.pk)
    else:
        form = ReportFileForm(request.user)
    return render(
        request,
        "observatory/admin/xlsx.html",
        {"form": form, "result": result, "page_title": _("Bilans annuels : modèle XLSX")},
    )
