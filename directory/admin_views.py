"""Coordinators' views in the admin: the white-zone report and the dashboard panel."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from directory import coverage, transfer
from directory.models import Territory

REVERIFY_MONTHS = 12


@permission_required("directory.view_facilitator", raise_exception=True)
def white_zones(request):
    """White-zone communes of one département (or all loaded), largest population first."""
    departements = Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).order_by("code")
    code = request.GET.get("departement", "")
    departement = departements.filter(code=code).first()
    communes = coverage.white_zones(departement).with_parents("epci", "departement")
    page = Paginator(communes, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "directory/admin/white_zones.html",
        {
            "departements": departements,
            "departement": departement,
            "communes": page,
            "summary": coverage.white_zone_summary(),
            "page_title": _("Zones blanches"),
        },
    )


class CoordinationPanel(Component):
    """Dashboard panel: white zones, ambiguous leads and records to re-verify."""

    name = "coordination"
    template_name = "directory/admin/dashboard_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        limit = today - datetime.timedelta(days=round(REVERIFY_MONTHS * 30.44))
        return {
            "summary": [row for row in coverage.white_zone_summary() if row.total_communes],
            "ambiguous": list(coverage.ambiguous_designations()),
            "to_reverify": coverage.to_reverify(REVERIFY_MONTHS, today).count(),
            "reverify_before": limit.isoformat(),
            "months": REVERIFY_MONTHS,
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_(
            "Colonnes : structure, type_structure, prenom, nom, fonction, email, telephone, "
            "secteurs, couverture (codes INSEE, SIREN d'EPCI, départements, régions en R93), "
            "chef_de_file (oui, non ou liste de codes)."
        ),
    )
    designated_by = forms.CharField(
        label=_("Désignations de chef de file faites par"),
        max_length=200,
        initial=_("la coordination départementale"),
    )


@permission_required("directory.add_facilitator", raise_exception=True)
def import_directory(request):
    """Upload a file of facilitators; it applies completely or changes nothing."""
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = transfer.import_directory(
                request.FILES["file"], form.cleaned_data["designated_by"], request.user
            )
            if result.ok:
                messages.success(
                    request,
                    _("Import terminé : %(created)s facilitateurs créés, %(updated)s mis à jour.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("wagtailsnippets_directory_facilitator:list")
    else:
        form = ImportForm()
    return render(
        request,
        "directory/admin/import.html",
        {"form": form, "result": result, "page_title": _("Importer des facilitateurs")},
    )


@permission_required("directory.view_facilitator", raise_exception=True)
def export_directory(request, fmt):
    """The whole directory (drafts included, with a "publie" column) as CSV, XLSX or GeoJSON."""
    if fmt not in ("csv", "xlsx", "geojson"):
        raise Http404(fmt)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        transfer.export_csv(response)
    elif fmt == "xlsx":
        response = HttpResponse(
            transfer.export_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = JsonResponse(
            transfer.export_geojson(), json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Type"] = "application/geo+json"
        fmt = "geojson"
    response["Content-Disposition"] = f'attachment; filename="annuaire-facilitateurs-{stamp}.{fmt}"'
    return response
