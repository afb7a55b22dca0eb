"""Open data endpoints (plain Django views for now; to move into the `opendata` ninja API):
`/api/v1/results/` and the Table Schema of the results CSV `/api/v1/schemas/results.json`.

Parameters are validated; a bad one gets a 400 JSON answer naming it, never a 500."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory.models import Structure, Territory
from observatory import consolidation, export
from observatory.models import StructureReport

PARAMETERS = {"year", "departement", "region", "structure"}


def _error(errors, status=400):
    return JsonResponse(
        {"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def parse_results_query(params):
    """(year, level, territory or structure, errors) from the query parameters."""
    errors = {}
    unknown = sorted(set(params) - PARAMETERS)
    for name in unknown:
        errors[name[:40]] = _("Paramètre inconnu.")
    year = None
    raw = params.get("year", "")
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    elif raw:
        errors["year"] = _("Une année sur quatre chiffres est attendue (2000 à 2100).")
    else:
        years = consolidation.report_years()
        year = years[0] if years else None
        if year is None:
            errors["year"] = _("Aucun bilan validé : précisez l'année.")
    given = [name for name in ("departement", "region", "structure") if params.get(name)]
    if len(given) > 1:
        errors["departement"] = _("Un seul de departement, region ou structure à la fois.")
        return year, None, None, errors
    level, target = consolidation.NATIONAL, None
    if given:
        name = given[0]
        value = params.get(name, "").strip()[:120]
        if name == "structure":
            level = "structure"
            target = Structure.objects.published().filter(slug=value).first()
        else:
            level = name
            kind = Territory.Kind.DEPARTEMENT if name == "departement" else Territory.Kind.REGION
            target = Territory.objects.filter(kind=kind, code=value.upper()).first()
        if target is None:
            errors[name] = _("« %(value)s » est inconnu.") % {"value": value}
    return year, level, target, errors


@require_GET
def results(request):
    """A year's figures of the nation, a département, a région or a structure, as JSON rows
    (the columns of the CSV files)."""
    year, level, target, errors = parse_results_query(request.GET)
    if errors:
        return _error(errors)
    if level == "structure":
        report = StructureReport.objects.public().filter(structure=target, year=year).first()
        rows = export.rows(year, level, target.slug, target.name, report) if report else []
        coverage = {"reported": report is not None}
    else:
        consolidated = consolidation.consolidate(year, level, target)
        rows = export.rows(
            year,
            level,
            target.code if target else "",
            target.name if target else "France",
            consolidated,
        )
        coverage = {
            "reported": len(consolidated.reported),
            "expected": len(consolidated.expected),
            "missing": [structure.slug for structure in consolidated.missing],
        }
    return JsonResponse(
        {
            "year": year,
            "level": level,
            "code": getattr(target, "code", None) or getattr(target, "slug", None),
            "coverage": coverage,
            "schema": request.build_absolute_uri("/api/v1/schemas/results.json"),
            "results": rows,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def results_schema(request):
    """The Table Schema describing the results CSV files."""
    return JsonResponse(export.schema(), json_dumps_params={"ensure_ascii": False})
