"""Coordinators' views in the admin: the white-zone report, the dashboard panel, the import
and the exports — each narrowed to the user's territory (`directory.scope`)."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from directory import coverage, freshness, transfer
from directory.models import Facilitator
from directory.scope import scope_for


@permission_required("directory.view_facilitator", raise_exception=True)
def white_zones(request):
    """White-zone communes of one département (or all those of the user's territory),
    largest population first."""
    scope = scope_for(request.user)
    if not keeps_a_territory(request.user):
        raise PermissionDenied
    departements = scope.departements_of()
    code = request.GET.get("departement", "")
    departement = departements.filter(code=code).first()
    communes = scope.communes(coverage.white_zones(departement)).with_parents("epci", "departement")
    page = Paginator(communes, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "directory/admin/white_zones.html",
        {
            "departements": departements,
            "departement": departement,
            "communes": page,
            "summary": _summary(scope),
            "page_title": _("Zones blanches"),
        },
    )


def keeps_a_territory(user):
    """National administrators and coordination members (not facilitator accounts)."""
    scope = scope_for(user)
    return scope.everything or scope.territorial


class OwnRecordPanel(Component):
    """Dashboard panel of a facilitator account: its record, its state (published, draft,
    awaiting the coordination) and when it was last confirmed."""

    name = "own-record"
    template_name = "directory/admin/own_record_panel.html"
    order = 45

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        records = Facilitator.objects.filter(user=self.request.user).select_related("structure")
        return {"records": list(records)}


def _summary(scope):
    ids = set(scope.departements_of().values_list("pk", flat=True))
    return [row for row in coverage.white_zone_summary() if row.departement.pk in ids]


class CoordinationPanel(Component):
    """Dashboard panel: white zones, ambiguous leads, records to re-verify and reminders
    left unanswered — of the user's territory."""

    name = "coordination"
    template_name = "directory/admin/dashboard_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        scope = scope_for(self.request.user)
        months = settings.DIRECTORY_CONFIRM_MONTHS
        today = timezone.localdate()
        limit = today - datetime.timedelta(days=freshness.period_days(months))
        in_scope = scope.facilitators(Facilitator.objects.all())
        inside = scope.territories().values("pk")
        return {
            "summary": [row for row in _summary(scope) if row.total_communes],
            "ambiguous": list(coverage.ambiguous_designations().filter(pk__in=inside)),
            "to_reverify": scope.facilitators(coverage.to_reverify(months, today)).count(),
            "reverify_before": limit.isoformat(),
            "months": months,
            "unanswered": freshness.unanswered(in_scope.filter(live=True)),
            "unanswered_days": freshness.UNANSWERED_DAYS,
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
    national = scope_for(request.user).everything
    if request.method == "POST" and not national:
        messages.error(
            request,
            _(
                "L'import est réservé à la coordination nationale : il peut créer des fiches "
                "hors de votre territoire. Modifiez les fiches une à une, ou envoyez le fichier "
                "à la coordination nationale."
            ),
        )
        return redirect("directory_import")
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
        {
            "form": form,
            "result": result,
            "national": national,
            "page_title": _("Importer des facilitateurs"),
        },
    )


@permission_required("directory.view_facilitator", raise_exception=True)
def export_directory(request, fmt):
    """The directory of the user's territory (drafts included, with a "publie" column) as CSV,
    XLSX or GeoJSON (published records only)."""
    if fmt not in ("csv", "xlsx", "geojson"):
        raise Http404(fmt)
    scope = scope_for(request.user)
    facilitators = scope.facilitators(Facilitator.objects.all())
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        transfer.export_csv(response, facilitators)
    elif fmt == "xlsx":
        response = HttpResponse(
            transfer.export_xlsx(facilitators),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = JsonResponse(
            transfer.export_geojson(facilitators.filter(live=True)),
            json_dumps_params={"ensure_ascii": False},
        )
        response["Content-Type"] = "application/geo+json"
        fmt = "geojson"
    response["Content-Disposition"] = f'attachment; filename="annuaire-facilitateurs-{stamp}.{fmt}"'
    return response
