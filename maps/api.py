"""The open-data API (JSON, UTF-8, CORS for GET). Every answer comes from the directory's rule
functions (`directory.coverage`, `directory.lookup`)."""

import io
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from directory import coverage, transfer
from directory.lookup import MAX_QUERY_LENGTH, find_commune
from directory.models import DirectoryChange, Facilitator, Territory
from maps import geo
from portal.parsing import parse_id
from portal.ratelimit import rate_limited

LICENCE = "Licence Ouverte / Open Licence 2.0"


def api(view):
    """GET only, open to every origin, JSON errors; messages in French, or in the language
    asked by `lang` (fr, en)."""

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = request.GET.get("lang", "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def error(message, status, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def facilitator_json(facilitator, explanation=None):
    data = {
        "id": facilitator.pk,
        "name": facilitator.full_name,
        "structure": facilitator.structure.name,
        "email": facilitator.email,
        "phone": facilitator.phone,
    }
    if explanation is not None:
        data["explanation"] = explanation
    return data


def commune_json(commune, authority=None, query=None):
    """The answer for one commune: who covers it, who leads, white zone or not."""
    answer = coverage.answer(commune, authority)
    return {
        "query": query,
        "commune": {
            "code": commune.code,
            "name": commune.name,
            "departement": commune.departement.code if commune.departement else None,
            "epci": {"code": commune.epci.code, "name": commune.epci.name}
            if commune.epci
            else None,
        },
        "status": answer.status,
        "white_zone": answer.white_zone,
        "lead": facilitator_json(answer.lead) if answer.lead else None,
        "contact": facilitator_json(answer.contact) if answer.contact else None,
        "leads": [facilitator_json(f) for f in answer.leads],
        "rule": answer.rule,
        "explanation": answer.explanation,
        "facilitators": [facilitator_json(f) for f in answer.facilitators],
        "candidates": [],
    }


def candidate_json(commune):
    return {
        "code": commune.code,
        "name": commune.name,
        "departement": commune.departement.code if commune.departement else None,
        "postal_codes": commune.postal_code_list,
    }


def suggestion_label(commune):
    """ "Tarascon (13)": what the search box shows and understands back."""
    return f"{commune.name} ({commune.departement_code})"


def _authority(request):
    """(authority, error response) from the optional `authority` parameter."""
    value = request.GET.get("authority", "").strip()
    if not value:
        return None, None
    if parse_id(value) is None:
        return None, error(_("Le paramètre authority doit être un identifiant numérique."), 400)
    authority = coverage.find_buyer(value)
    if authority is None:
        return None, error(_("Donneur d'ordre inconnu : %(id)s.") % {"id": value}, 400)
    return authority, None


@api
def lookup(request):
    wait = rate_limited(request, "lookup", settings.LOOKUP_RATE_LIMIT)
    if wait:
        response = error(_("Trop de requêtes : réessayez dans %(s)s secondes.") % {"s": wait}, 429)
        response["Retry-After"] = str(wait)
        return response
    query = request.GET.get("q", "").strip()
    if not query:
        return error(_("Le paramètre q est obligatoire (commune, code postal ou adresse)."), 400)
    if len(query) > MAX_QUERY_LENGTH:
        return error(
            _("Le paramètre q dépasse %(max)s caractères.") % {"max": MAX_QUERY_LENGTH}, 400
        )
    authority, problem = _authority(request)
    if problem:
        return problem
    result = find_commune(query)
    if result.commune is not None:
        data = commune_json(result.commune, authority, query)
        if result.point:
            data["point"] = {"lon": result.point[0], "lat": result.point[1], "label": result.label}
        if result.notice:
            data["notice"] = result.notice
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    if result.candidates:
        data = {
            "query": query,
            "commune": None,
            "white_zone": None,
            "lead": None,
            "facilitators": [],
            "candidates": [candidate_json(c) for c in result.candidates],
        }
        if result.notice:
            data["notice"] = result.notice
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return error(
        _("Aucune commune ne correspond à « %(query)s ».") % {"query": query}, 404, candidates=[]
    )


@api
def suggest(request):
    """Communes whose name, postal code or INSEE code starts like `q`, for autocompletion
    (local search only, at most 10)."""
    wait = rate_limited(request, "suggest", settings.LOOKUP_RATE_LIMIT * 10)
    if wait:
        response = error(_("Trop de requêtes : réessayez dans %(s)s secondes.") % {"s": wait}, 429)
        response["Retry-After"] = str(wait)
        return response
    query = request.GET.get("q", "").strip()
    if len(query) < 2 or len(query) > MAX_QUERY_LENGTH:
        return error(
            _("Le paramètre q doit compter de 2 à %(max)s caractères.") % {"max": MAX_QUERY_LENGTH},
            400,
        )
    communes = Territory.objects.with_parents("departement").search(
        query, kinds=[Territory.Kind.COMMUNE], limit=10
    )
    return JsonResponse(
        {
            "query": query,
            "communes": [
                {**candidate_json(commune), "label": suggestion_label(commune)}
                for commune in communes
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@api
def commune(request, code):
    territory = Territory.objects.with_parents().by_code(code)
    if territory is None or territory.kind != Territory.Kind.COMMUNE:
        return error(_("Commune inconnue : %(code)s.") % {"code": code}, 404)
    authority, problem = _authority(request)
    if problem:
        return problem
    return JsonResponse(
        commune_json(territory, authority), json_dumps_params={"ensure_ascii": False}
    )


@api
def white_zones(request):
    code = request.GET.get("departement", "").strip().upper()
    if not code:
        return error(_("Le paramètre departement est obligatoire (ex. : 13, 2A, 971)."), 400)
    departement = _departement(code)
    if departement is None:
        return error(_("Département inconnu ou non chargé : %(code)s.") % {"code": code}, 404)
    communes = list(coverage.white_zones(departement).values("code", "name", "population"))
    totals = Territory.objects.communes().filter(departement=departement)
    total_population = sum(totals.values_list("population", flat=True))
    white_population = sum(c["population"] for c in communes)
    return JsonResponse(
        {
            "departement": {"code": departement.code, "name": departement.name},
            "communes": communes,
            "white_zone_communes": len(communes),
            "white_zone_population": white_population,
            "total_communes": totals.count(),
            "total_population": total_population,
            "licence": LICENCE,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@api
def facilitators_geojson(request):
    return JsonResponse(
        transfer.export_geojson(Facilitator.objects.published()),
        json_dumps_params={"ensure_ascii": False},
        content_type="application/geo+json",
    )


@api
def facilitators_csv(request):
    stream = io.StringIO()
    stream.write(f"# {LICENCE}\n")
    transfer.export_csv(stream, Facilitator.objects.published())
    response = HttpResponse("\ufeff" + stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="facilitateurs.csv"'
    return response


def _departement(code):
    return Territory.objects.filter(
        kind=Territory.Kind.DEPARTEMENT, code=(code or "").strip().upper()
    ).first()


def _layer(request, name, build, *args):
    """A GeoJSON layer with validators: `ETag` and `Last-Modified` follow the directory's last
    change (304 when the client has it); a URL carrying the current version (`?v=`) may be
    kept a year, any other is revalidated on each use."""
    version = DirectoryChange.last()
    token = geo.version_token(version)
    etag = f'"{token}-{name}"'
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(version.timestamp())
    )
    if not_modified is None:
        text, version = geo.layer_json(name, build, *args)
        response = HttpResponse(text, content_type="application/geo+json; charset=utf-8")
    else:
        response = not_modified
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.timestamp())
    if request.GET.get("v") == token:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, no-cache"
    return response


@api
@gzip_page
def departements_layer(request):
    return _layer(request, "departements", geo.departements_layer)


def _departement_layer(request, code, name, build):
    departement = _departement(code)
    if departement is None:
        return error(_("Département inconnu ou non chargé : %(code)s.") % {"code": code}, 404)
    return _layer(request, f"{name}-{departement.code}", build, departement)


@api
@gzip_page
def communes_layer(request, code):
    return _departement_layer(request, code, "communes", geo.communes_layer)


@api
@gzip_page
def epci_layer(request, code):
    return _departement_layer(request, code, "epci", geo.epci_layer)


@api
@gzip_page
def perimeters_layer(request, code):
    return _departement_layer(request, code, "perimeters", geo.perimeters_layer)
