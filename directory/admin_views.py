"""Coordinators' views in the admin: the white-zone report, the dashboard panel, the import
and the exports — each narrowed to the user's territory (`directory.scope`)."""

import csv
import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import Locale

from directory import coverage, freshness, transfer
from directory.models import (
    DirectoryPage,
    ErrorReport,
    Facilitator,
    Structure,
    Territory,
    TerritoryChange,
    WhiteZoneSnapshot,
)
from directory.scope import scope_for


def white_zone_communes(request, departement=None):
    """The white-zone communes a member sees in the report: those of its territory."""
    return scope_for(request.user).communes(coverage.white_zones(departement))


def white_zone_snapshots(request, departement=None):
    """The monthly white-zone history a member sees: one département's, or the sum of all
    loaded ones, as (month, communes, population) rows, oldest first."""
    rows = WhiteZoneSnapshot.objects.filter(
        departement__in=scope_for(request.user).departements_of()
    )
    if departement is not None:
        rows = rows.filter(departement=departement)
    return [
        (row["month"], row["communes"], row["population"])
        for row in rows.order_by("month")
        .values("month")
        .annotate(communes=Sum("communes"), population=Sum("population"))
    ]


def history_chart(rows, width=560, height=170, margin=48):
    """A small line chart (population in white zones by month) as SVG coordinates: the polyline,
    the points with their labels, and the top of the scale. Server-rendered, no script."""
    if not rows:
        return None
    top = max(population for _month, _communes, population in rows) or 1
    step = (width - 2 * margin) / max(len(rows) - 1, 1)
    points = []
    for n, (month, communes, population) in enumerate(rows):
        x = round(margin + n * step if len(rows) > 1 else width / 2, 1)
        y = round(height - margin - (height - 2 * margin) * population / top, 1)
        points.append(
            {"x": x, "y": y, "month": month, "communes": communes, "population": population}
        )
    return {
        "width": width,
        "height": height,
        "baseline": height - margin,
        "top_y": margin,
        "left": margin,
        "right": width - margin,
        "top": top,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
    }


def _public_communes_url():
    """Where the public page of a commune lives ("…/communes/<code>/"), if the directory page
    is published."""
    page = DirectoryPage.objects.live().filter(locale=Locale.get_default()).first()
    return (page.url + "communes/") if page and page.url else ""


@permission_required("directory.view_facilitator", raise_exception=True)
def white_zones(request):
    """White-zone communes of one département (or all those of the user's territory), grouped
    by EPCI with their population, with links to each commune's public page; `?format=csv`
    exports them, and the monthly history is drawn as a small chart."""
    scope = scope_for(request.user)
    if not keeps_a_territory(request.user):
        raise PermissionDenied
    departements = scope.departements_of()
    code = request.GET.get("departement", "")
    departement = departements.filter(code=code).first()
    communes = white_zone_communes(request, departement)
    epci = None
    epci_code = request.GET.get("epci", "").strip()
    if epci_code:
        epci = Territory.objects.filter(kind=Territory.Kind.EPCI, code=epci_code).first()
        communes = communes.filter(epci=epci) if epci else communes.none()
    if request.GET.get("format") == "csv":
        return _white_zones_csv(communes, departement)
    groups = coverage.white_zone_groups(communes)
    page = Paginator(groups, 25).get_page(request.GET.get("p"))
    history = white_zone_snapshots(request, departement)
    return render(
        request,
        "directory/admin/white_zones.html",
        {
            "departements": departements,
            "departement": departement,
            "epci": epci,
            "groups": page,
            "total_communes": sum(len(g.communes) for g in groups),
            "total_population": sum(g.population for g in groups),
            "communes_url": _public_communes_url(),
            "history": history,
            "chart": history_chart(history),
            "summary": _summary(scope),
            "page_title": _("Zones blanches"),
        },
    )


def keeps_a_territory(user):
    """National administrators and coordination members (not facilitator accounts)."""
    scope = scope_for(user)
    return scope.everything or scope.territorial


class OwnRecordPanel(Component):
    """Dashboard panel of a facilitator account: its record and its structure's, their state
    (published, draft, awaiting the coordination) and when the record was last confirmed."""

    name = "own-record"
    template_name = "directory/admin/own_record_panel.html"
    order = 45

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        records = list(
            Facilitator.objects.filter(user=self.request.user).select_related("structure")
        )
        structures = list(Structure.objects.filter(facilitators__user=self.request.user).distinct())
        for obj in records + structures:
            obj.rejection = rejection_comment(obj)
        return {"records": records, "structures": structures}


def rejection_comment(obj):
    """The coordination's comment when it sent `obj`'s proposed change back (the workflow
    needs changes), else None."""
    from wagtail.models import TaskState, WorkflowState

    state = obj.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    rejected = (
        state.task_states.filter(status=TaskState.STATUS_REJECTED).order_by("-finished_at").first()
    )
    return (rejected.comment or "") if rejected else ""


def _summary(scope):
    ids = set(scope.departements_of().values_list("pk", flat=True))
    return [row for row in coverage.white_zone_summary() if row.departement.pk in ids]


def _white_zones_csv(communes, departement):
    """The white zones as CSV (semicolons, UTF-8 with BOM, like the directory's exports)."""
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["departement", "epci_siren", "epci", "code_insee", "commune", "population"])
    for commune in communes.with_parents("epci", "departement").order_by(
        "departement__code", "epci__search_name", "-population", "search_name"
    ):
        writer.writerow(
            [
                commune.departement.code if commune.departement else "",
                commune.epci.code if commune.epci else "",
                commune.epci.name if commune.epci else "",
                commune.code,
                commune.name,
                commune.population,
            ]
        )
    suffix = f"-{departement.code}" if departement else ""
    response["Content-Disposition"] = f'attachment; filename="zones-blanches{suffix}-{stamp}.csv"'
    return response


class CoordinationPanel(Component):
    """Dashboard panel: white zones, error reports to handle, ambiguous leads, records to
    re-verify and reminders left unanswered — of the user's territory."""

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
            "vanished": list(
                TerritoryChange.objects.filter(
                    kind=TerritoryChange.Kind.VANISHED, handled=False
                ).order_by("code", "-loaded_at")
            ),
            "reverify_before": limit.isoformat(),
            "months": months,
            "unanswered": freshness.unanswered(in_scope.filter(live=True)),
            "unanswered_days": freshness.UNANSWERED_DAYS,
            **_open_reports(scope),
        }


def _open_reports(scope):
    """The error reports of the territory still to handle, by status."""
    counts = dict(
        scope.error_reports()
        .filter(status__in=[ErrorReport.Status.NEW, ErrorReport.Status.IN_PROGRESS])
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    new = counts.get(ErrorReport.Status.NEW, 0)
    in_progress = counts.get(ErrorReport.Status.IN_PROGRESS, 0)
    return {
        "reports_new": new,
        "reports_in_progress": in_progress,
        "reports_open": new + in_progress,
    }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_(
            "Colonnes : structure, type_structure, prenom, nom, fonction, email, telephone, "
            "secteurs, couverture (codes INSEE, SIREN d'EPCI, départements, régions en R93), "
            "chef_de_file (oui, non ou liste de codes), et, facultatives, "
            "chef_de_file_details (dates et références des désignations, ex. « 241300417 du "
            "2026-03-01 au 2027-02-28 : Délibération 2026-045 »), derniere_verification (date) "
            "et publie (oui ou non)."
        ),
    )
    designated_by = forms.CharField(
        label=_("Désignations de chef de file faites par"),
        max_length=200,
        initial=_("la coordination départementale"),
    )


def _may_import(user):
    """Who imports: the members of a coordination (national or territorial) allowed to create
    and publish records; each within its territory (`transfer.plan_import`)."""
    return (
        keeps_a_territory(user)
        and user.has_perm("directory.add_facilitator")
        and user.has_perm("directory.publish_facilitator")
    )


@permission_required("directory.add_facilitator", raise_exception=True)
def import_directory(request):
    """The exports, and the upload of a file of facilitators: a bad file gets the list of its
    errors and nothing is kept; a sound one is kept for its preview (`import_preview`), where
    it is applied."""
    may_import = _may_import(request.user)
    if request.method == "POST" and not may_import:
        raise PermissionDenied
    scope = scope_for(request.user)
    errors = plan = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            name, data = upload.name, upload.read(transfer.MAX_BYTES + 1)
            errors, plan = transfer.preview(name, data, scope, request.user)
            if not errors:
                token = transfer.stash(
                    name, data, request.user, form.cleaned_data["designated_by"], plan.fingerprint
                )
                return redirect("directory_import_preview", token=token)
    else:
        form = ImportForm()
    return render(
        request,
        "directory/admin/import.html",
        {
            "form": form,
            "errors": errors,
            "plan": plan,  # a plan with errors: rows outside the user's territory
            "national": scope.everything,
            "may_import": may_import,
            "max_hours": int(transfer.PREVIEW_MAX_AGE.total_seconds() // 3600),
            "page_title": _("Importer des facilitateurs"),
        },
    )


def import_preview(request, token):
    """The preview of a kept file (a GET changes nothing) and its three actions: apply it
    (everything or nothing, refused if the directory changed since), refresh the preview after
    such a change, or cancel (the file is deleted)."""
    if not _may_import(request.user):
        raise PermissionDenied
    pending = transfer.unstash(token, request.user)
    if pending is None:
        messages.error(
            request,
            _(
                "Cet aperçu a expiré, a déjà été appliqué ou annulé, ou n'est pas le vôtre : "
                "envoyez le fichier à nouveau."
            ),
        )
        return redirect("directory_import")
    scope = scope_for(request.user)
    data = bytes(pending.content)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "cancel":
        pending.delete()
        messages.info(request, _("Import annulé : rien n'a été modifié."))
        return redirect("directory_import")
    if action == "apply":
        try:
            result = transfer.apply_file(
                pending.file_name,
                data,
                scope,
                pending.designated_by,
                request.user,
                fingerprint=pending.fingerprint,
            )
        except transfer.StalePreview:
            messages.error(
                request,
                _(
                    "L'annuaire a changé depuis cet aperçu (une fiche modifiée entre-temps ?) : "
                    "rien n'a été modifié. Relisez l'aperçu à jour ci-dessous avant "
                    "d'appliquer."
                ),
            )
            return redirect("directory_import_preview", token=token)
        if result.ok:
            pending.delete()
            messages.success(
                request,
                _("Import terminé : %(created)s facilitateurs créés, %(updated)s mis à jour.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("wagtailsnippets_directory_facilitator:list")
        # Refused as a whole (e.g. a record moved out of the user's territory): shown below.
    errors, plan = transfer.preview(pending.file_name, data, scope, request.user)
    if action == "refresh" and plan is not None and not errors:
        pending.fingerprint = plan.fingerprint
        pending.save(update_fields=["fingerprint"])
        return redirect("directory_import_preview", token=token)
    stale = plan is not None and plan.fingerprint != pending.fingerprint
    rows = plan.rows if plan else []
    return render(
        request,
        "directory/admin/import_preview.html",
        {
            "pending": pending,
            "errors": errors,
            "plan": plan,
            "stale": stale,
            # An unchanged row with a warning (a pending change, a designation kept outside
            # the coverage) is shown in the table, not folded away.
            "changed_rows": [
                row for row in rows if row.action != transfer.UNCHANGED or row.warnings
            ],
            "unchanged_rows": [
                row for row in rows if row.action == transfer.UNCHANGED and not row.warnings
            ],
            "expires_at": pending.created_at + transfer.PREVIEW_MAX_AGE,
            "national": scope.everything,
            "page_title": _("Aperçu de l'import"),
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
