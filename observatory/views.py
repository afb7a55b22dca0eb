"""Public views of the observatory: a structure's page, a territory's results, their CSV."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from directory.models import Structure, Territory
from observatory import consolidation, export, pages
from observatory.models import StructureReport

LEVEL_KINDS = {
    consolidation.DEPARTEMENT: Territory.Kind.DEPARTEMENT,
    consolidation.REGION: Territory.Kind.REGION,
}


def _structure(slug):
    return get_object_or_404(Structure.objects.published(), slug=slug)


def structure_page(request, slug):
    structure = _structure(slug)
    return render(request, "observatory/structure.html", pages.structure_context(structure))


def _csv_response(filename, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    export.write_csv(response, rows)
    return response


def structure_csv(request, slug):
    """Every validated report of the structure, one row per figure."""
    structure = _structure(slug)
    reports = list(
        StructureReport.objects.public()
        .filter(structure=structure)
        .prefetch_related("authority_hours")
        .order_by("year")
    )
    provisional = consolidation.provisional_years([report.year for report in reports])
    rows = []
    for report in reports:
        rows += export.rows(
            report.year,
            "structure",
            structure.slug,
            structure.name,
            report,
            report.year in provisional,
        )
    return _csv_response(f"resultats-{structure.slug}.csv", rows)


def _year(year):
    if not 2000 <= year <= 2100:
        raise Http404("year")
    return year


def _territory(level, code):
    territory = (
        Territory.objects.filter(kind=LEVEL_KINDS[level], code=code.upper())
        .select_related("region")
        .first()
    )
    if territory is None:
        raise Http404(code)
    return territory


def latest(request):
    """The national results of the default year (`consolidation.default_year`: the last
    published one)."""
    year = consolidation.default_year()
    if year is None:
        raise Http404("no report")
    return redirect("observatory_national", year)


def national(request, year):
    context = pages.territory_context(_year(year), consolidation.NATIONAL, None)
    return render(request, "observatory/territory.html", context)


def territory(request, year, code, level):
    context = pages.territory_context(_year(year), level, _territory(level, code))
    return render(request, "observatory/territory.html", context)


def territory_csv(request, year, code=None, level=consolidation.NATIONAL):
    """The year's figures of a territory (or the nation) as CSV, one row per figure."""
    year = _year(year)
    territory = _territory(level, code) if code else None
    consolidated = consolidation.consolidate(year, level, territory)
    rows = export.rows(
        year,
        level,
        territory.code if territory else "",
        territory.name if territory else "France",
        consolidated,
        consolidated.provisional,
    )
    slug = territory.code if territory else "france"
    return _csv_response(f"resultats-{level}-{slug}-{year}.csv", rows)
