"""Admin pages of the reports: download the XLSX template of a structure and year, upload it
filled (all or nothing); the campaign of a year (where each structure of the territory stands,
the reminders, the publication of the year). Each asks `observatory.policies`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from observatory import campaign, consolidation, policies, xlsx
from observatory.models import StructureReport
from portal import dates


class ReportFileForm(forms.Form):
    structure = forms.ModelChoiceField(
        label=_lazy("Structure"),
        queryset=None,
        error_messages={
            "invalid_choice": _lazy(
                "Cette structure n'est pas dans votre territoire : vous ne pouvez pas saisir son "
                "bilan."
            )
        },
    )
    year = forms.IntegerField(label=_lazy("Année"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_lazy("Modèle rempli (.xlsx)"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = policies.reportable_structures(user)
        self.fields["year"].initial = campaign.default_year()


def _allowed(request):
    if not policies.reportable_structures(request.user).exists():
        raise PermissionDenied


def xlsx_template(request):
    """The template of one structure and year, prefilled with its report if it has one."""
    _allowed(request)
    form = ReportFileForm(request.user, request.GET)
    if not form.is_valid():
        for error in form.errors.get("structure", []):
            messages.error(request, error)
        if "structure" not in form.errors:
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
            if existing and not policies.may_change_figures(request.user, existing):
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


def _campaign_year(value):
    """The year asked (2000 to 2100), else the default campaign year."""
    value = str(value or "").strip()
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return campaign.default_year()


def _when(moment):
    local = timezone.localtime(moment)
    return _("le %(date)s à %(time)s") % {
        "date": dates.date_format(local, "j F Y"),
        "time": dates.date_format(local, "H:i"),
    }


def _remind(request, year):
    now = timezone.now()
    outcome = campaign.remind(request.user, year, now)
    if outcome.sent:
        messages.success(
            request,
            ngettext(
                "Relance envoyée à %(count)s structure.",
                "Relance envoyée à %(count)s structures.",
                len(outcome.sent),
            )
            % {"count": len(outcome.sent)},
        )
    if outcome.too_soon:
        following = min(row.next_reminder_at() for row in outcome.too_soon)
        text = ngettext(
            "%(count)s structure a déjà été relancée il y a moins d'une semaine : prochaine "
            "relance possible %(when)s.",
            "%(count)s structures ont déjà été relancées il y a moins d'une semaine : prochaine "
            "relance possible %(when)s.",
            len(outcome.too_soon),
        ) % {"count": len(outcome.too_soon), "when": _when(following)}
        (messages.warning if outcome.sent else messages.error)(request, text)
    if outcome.unreachable:
        messages.error(
            request,
            _("Pas d'adresse e-mail pour : %(names)s. Complétez leurs fiches.")
            % {"names": ", ".join(row.structure.name for row in outcome.unreachable)},
        )
    if not (outcome.sent or outcome.too_soon or outcome.unreachable):
        messages.info(
            request, _("Toutes les structures ont transmis leur bilan : personne à relancer.")
        )


def _publish(request, year, action):
    if not policies.may_publish(request.user):
        raise PermissionDenied
    if action == "publish":
        if year not in consolidation.report_years():
            messages.error(
                request,
                _("Aucun bilan validé pour %(year)s : il n'y a rien à publier.") % {"year": year},
            )
            return
        consolidation.publish(year, request.user)
        messages.success(
            request,
            _(
                "Les chiffres %(year)s sont publiés : ils sont désormais ceux que le site et "
                "l'API montrent par défaut."
            )
            % {"year": year},
        )
    else:
        consolidation.unpublish(year)
        if consolidation.is_published(year):
            text = _(
                "Publication retirée. Les chiffres %(year)s restent publics : assez de "
                "structures attendues ont un bilan validé."
            )
        else:
            text = _("Publication retirée : les chiffres %(year)s sont de nouveau provisoires.")
        messages.success(request, text % {"year": year})


def campaign_view(request):
    """The campaign of a year for the user's territory: every structure expected with its
    state, the counts by state, a filter, the reminders; the publication of the year for the
    national coordination."""
    if not policies.may_run_campaign(request.user):
        raise PermissionDenied
    if request.method == "POST":
        year = _campaign_year(request.POST.get("year"))
        action = request.POST.get("action")
        if action == "remind":
            _remind(request, year)
        elif action in ("publish", "unpublish"):
            _publish(request, year, action)
        return redirect(f"{reverse('observatory_campaign')}?{urlencode({'year': year})}")

    year = _campaign_year(request.GET.get("year"))
    found = campaign.campaign(request.user, year, request.GET.get("state"))
    years = sorted(
        set(consolidation.report_years())
        | {campaign.default_year(), campaign.default_year() + 1, year},
        reverse=True,
    )
    following = found.next_reminder_at()
    return render(
        request,
        "observatory/admin/campaign.html",
        {
            "page_title": _("Campagne des bilans %(year)s") % {"year": year},
            "year": year,
            "years": years,
            "campaign": found,
            "rows": [
                {"row": row, "url": campaign.entry_path(row.structure, year, row.report)}
                for row in found.shown
            ],
            "last_reminder": found.last_reminder,
            "next_reminder_at": following,
            "publication": consolidation.publication(year),
            "may_publish": policies.may_publish(request.user),
            "public_default": consolidation.default_year(),
            "listing_url": reverse("wagtailsnippets_observatory_structurereport:list"),
        },
    )
