"""Coordinators' views in the admin: the white-zone report and the dashboard panel."""

import datetime

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from directory import coverage
from directory.models import Territory

REVERIFY_MONTHS = 12


@permission_required("directory.view_facilitator", raise_exception=True)
def white_zones(request):
    """White-zone communes of one département (or all loaded), largest population first."""
    departements = Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).order_by("code")
    code = request.GET.get("departement", "")
    departement = departements.filter(code=code).first()
    communes = coverage.white_zones(departement).select_related("epci", "departement")
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
