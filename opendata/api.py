"""The open-data API (`/api/v1/`), with django-ninja: parameters validated by the schemas of
`opendata.schemas`, the OpenAPI description generated from them. Every answer comes from the
directory's rule functions (`directory.coverage`, `directory.lookup`), the map layers from
`maps.geo` and the results from the observatory (`observatory.consolidation`,
`observatory.export`); this module only checks parameters and shapes answers. The API sits
above the apps it publishes: none of them imports it (`tests/test_architecture.py`)."""

import io
import json
import re

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext
from django.views.decorators.gzip import gzip_page
from ninja import NinjaAPI, Path, Query
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from directory import coverage, transfer
from directory.lookup import find_commune, looks_like_address
from directory.models import Facilitator, Structure, Territory
from maps import geo
from observatory import consolidation, export
from observatory.models import StructureReport
from opendata import schemas, serialize
from opendata.http import (
    conditional,
    directory_version,
    error_response,
    layer_cache,
    public,
    rate_limit,
)

LICENCE = "Licence Ouverte / Open Licence 2.0"
GEOJSON = "application/geo+json"


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


STATUSES = {
    "200": N_("La réponse."),
    "304": N_("Non modifié : la version que le client a déjà (If-None-Match, If-Modified-Since)."),
    "400": N_("Paramètre invalide : error dit lequel et pourquoi."),
    "404": N_("Inconnu : rien ne correspond."),
    "429": N_("Trop de requêtes pour cette adresse IP : l'en-tête Retry-After dit l'attente."),
}


FIELD_ERRORS = N_("Paramètres invalides : errors dit lesquels et pourquoi.")


class OpenDataAPI(NinjaAPI):
    """NinjaAPI whose description lists GET only (HEAD and OPTIONS are answered on every
    path, as HTTP defines them), gives non-JSON answers their own media type and carries the
    examples of `opendata.examples`."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        from opendata.examples import EXAMPLES

        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema["paths"].values():
            item.pop("head", None)
            item.pop("options", None)
            operation = item["get"]
            for parameter in operation.get("parameters", []):
                # OpenAPI wants a map there; the list stays in the parameter's schema.
                parameter.pop("examples", None)
            media_type = operation.pop("x-media-type", None)
            for status, response in operation["responses"].items():
                response["description"] = STATUSES.get(str(status), response["description"])
                if "FieldErrors" in json.dumps(response.get("content", {})):
                    response["description"] = FIELD_ERRORS
            responses = {str(status): value for status, value in operation["responses"].items()}
            operation["responses"] = responses
            content = responses["200"]["content"]
            if media_type:
                content[media_type] = content.pop(self.renderer.media_type)
            if operation["operationId"] in EXAMPLES:
                next(iter(content.values()))["example"] = EXAMPLES[operation["operationId"]]
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {
                        "description": N_("Secondes à attendre."),
                        "schema": {"type": "integer"},
                    }
                }
        return schema


api = OpenDataAPI(
    title=N_("Annuaire des facilitateurs des clauses sociales"),
    version="1",
    description=N_(
        "L'annuaire des facilitateurs des clauses sociales d'insertion, en données ouvertes "
        "(Licence Ouverte 2.0) : qui couvre une commune, qui y est chef de file, les zones "
        "blanches, l'annuaire complet et les couches de la carte. Lecture seule, sans compte, "
        "ouverte à tous les sites (CORS). GET, HEAD et OPTIONS sur chaque chemin. Erreurs : "
        'un objet JSON {"error": "…"} (400 paramètre invalide, 404 inconnu, 429 trop de '
        "requêtes avec l'en-tête Retry-After). Les réponses portent ETag et Last-Modified, qui "
        "suivent les modifications de l'annuaire (304 à la revalidation)."
    ),
    urls_namespace="api",
    openapi_url=None,  # served by `opendata.views`, translated; no Swagger UI (CDN, scripts)
    docs_url=None,
    renderer=Renderer(),
)

# Parameters, and what each must be (the end of "Le paramètre q doit être …").
EXPECTED = {
    "q": N_("un nom de commune, un code postal, un code INSEE ou une adresse"),
    "authority": N_("l'identifiant numérique d'un donneur d'ordre"),
    "departement": N_("un code de département (ex. : 13, 2A, 971)"),
    "code": N_("un code officiel (ex. : 13108)"),
    "lang": N_("fr ou en"),
    "v": N_("une version de l'annuaire"),
}


@api.exception_handler(ValidationError)
def bad_parameter(request, exc):
    """Every refused parameter: 400 with a message in the language asked, never ninja's 422.
    The results operation names every refused parameter (`results_errors`)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "results":
        return results_errors(request, exc)
    problem = exc.errors[0]
    # ("query", "params", "authority", "constrained-str"): the parameter is the known name.
    location = [part for part in problem.get("loc", ()) if isinstance(part, str)]
    name = next((part for part in location if part in EXPECTED), location[-1] if location else "")
    context = problem.get("ctx") or {}
    kind = problem.get("type", "")
    if kind == "missing":
        message = _("Le paramètre %(name)s est obligatoire : %(expected)s.")
    elif kind == "string_too_short":
        message = ngettext(
            "Le paramètre %(name)s doit compter au moins %(min)s caractère.",
            "Le paramètre %(name)s doit compter au moins %(min)s caractères.",
            context.get("min_length") or 0,
        )
    elif kind == "string_too_long":
        message = ngettext(
            "Le paramètre %(name)s dépasse %(max)s caractère.",
            "Le paramètre %(name)s dépasse %(max)s caractères.",
            context.get("max_length") or 0,
        )
    else:
        message = _("Le paramètre %(name)s doit être %(expected)s.")
    message %= {
        "name": name,
        "expected": _(EXPECTED.get(name, N_("une valeur valide"))),
        "min": context.get("min_length", ""),
        "max": context.get("max_length", ""),
    }
    return error_response(message, 400, parameter=name)


ERRORS = {400: schemas.ParameterError, 304: None}


def endpoint(
    path,
    name,
    response,
    *,
    summary,
    description="",
    limit=None,
    etag=None,
    layer=False,
    **operation,
):
    """Declare an operation: GET (with HEAD and OPTIONS) on `path`, URL name `api:<name>`,
    `response` the schema of its 200 answer or a dict of status → schema (400, unless given,
    and 304 are added). `limit` names a rate limit (`http.rate_limit`); `etag` the end of the
    ETag (`http.conditional`); `layer` adds gzip and the map layers' cache rules. Answers
    use the schemas' aliases (`$schema`); `operation` goes to ninja (`exclude_unset`…)."""
    responses = dict(response) if isinstance(response, dict) else {200: response}
    responses = {**ERRORS, **responses}
    if limit:
        responses[429] = schemas.Error
    extra = {}
    media_type = {"geojson": GEOJSON, "csv": "text/csv"}.get(path.rsplit(".", 1)[-1])
    if media_type:
        extra["x-media-type"] = media_type

    def decorator(function):
        decorators = [conditional(etag) if etag else conditional()]
        if layer:
            decorators += [gzip_page, layer_cache]
        if limit:
            decorators.append(rate_limit(*limit))
        decorators.append(public)
        function = decorate_view(*decorators)(function)
        return api.api_operation(
            ["GET", "HEAD", "OPTIONS"],
            path,
            response=responses,
            url_name=name,
            operation_id=name,
            summary=summary,
            description=description,
            openapi_extra=extra,
            by_alias=True,
            **operation,
        )(function)

    return decorator


def lookup_limit():
    return settings.LOOKUP_RATE_LIMIT


def suggest_limit():
    return settings.LOOKUP_RATE_LIMIT * 10


def _authority(value, **extra):
    """(authority, error response) for the `authority` parameter (already ASCII digits by
    its schema): an id that names no contracting authority is a 404, like any unknown."""
    if value is None or value == "":
        return None, None
    authority = coverage.find_buyer(value)
    if authority is None:
        message = _("Donneur d'ordre inconnu : %(id)s.") % {"id": value}
        return None, error_response(message, 404, parameter="authority", **extra)
    return authority, None


def _not_an_address(request, *args, **kwargs):
    """Lookups of addresses depend on the address service, not only on the directory: they
    are not revalidated."""
    return None if looks_like_address(request.GET.get("q", "")) else ""


@endpoint(
    "/lookup/",
    "lookup",
    {200: schemas.LookupAnswer, 404: schemas.LookupNotFound},
    summary=N_("Trouver la commune et la personne à contacter"),
    description=N_(
        "q accepte un nom de commune, un code postal, un code INSEE ou une adresse (envoyée au "
        "service national d'adresses). Une commune : la réponse complète ; plusieurs : "
        "commune vaut null et candidates liste les communes possibles ; aucune : 404."
    ),
    limit=("lookup", lookup_limit),
    etag=_not_an_address,
)
def lookup(request, params: Query[schemas.LookupParams]):
    authority, problem = _authority(params.authority, candidates=[])
    if problem:
        return problem
    result = find_commune(params.q)
    if result.commune is not None:
        data = serialize.answer_json(coverage.answer(result.commune, authority), params.q)
    elif result.candidates:
        data = serialize.candidates_json(params.q, result.candidates)
    else:
        message = _("Aucune commune ne correspond à « %(query)s ».") % {"query": params.q}
        return error_response(message, 404, candidates=[])
    point = result.point if result.commune is not None else None
    data["point"] = {"lon": point[0], "lat": point[1], "label": result.label} if point else None
    data["notice"] = result.notice or None
    return data


@endpoint(
    "/suggest/",
    "suggest",
    schemas.Suggestions,
    summary=N_("Proposer des communes pendant la saisie"),
    description=N_(
        "Jusqu'à 10 communes dont le nom, le code postal ou le code INSEE commence ainsi "
        "(recherche locale). Le libellé « Tarascon (13) » est compris par lookup."
    ),
    limit=("suggest", suggest_limit),
)
def suggest(request, params: Query[schemas.SuggestParams]):
    communes = Territory.objects.with_parents("departement").search(
        params.q, kinds=[Territory.Kind.COMMUNE], limit=10
    )
    return {
        "query": params.q,
        "communes": [serialize.suggestion_json(commune) for commune in communes],
    }


@endpoint(
    "/communes/{code}/",
    "commune",
    {200: schemas.CommuneAnswer, 404: schemas.NotFound},
    summary=N_("La réponse pour une commune, par son code INSEE"),
    description=N_("Les codes d'arrondissement municipal donnent leur commune."),
    limit=("commune", lookup_limit),
)
def commune(
    request,
    params: Query[schemas.AuthorityParams],
    code: str = Path(
        ..., pattern=schemas.COMMUNE_CODE, description=N_("Code INSEE"), examples=["13108"]
    ),
):
    territory = Territory.objects.with_parents().by_code(code)
    if not serialize.is_commune(territory):
        return error_response(_("Commune inconnue : %(code)s.") % {"code": code}, 404)
    authority, problem = _authority(params.authority)
    if problem:
        return problem
    return serialize.answer_json(coverage.answer(territory, authority))


def _departement(code):
    return Territory.objects.filter(
        kind=Territory.Kind.DEPARTEMENT, code=(code or "").strip().upper()
    ).first()


def _unknown_departement(code):
    message = _("Département inconnu ou non chargé : %(code)s.") % {"code": code}
    return error_response(message, 404)


@endpoint(
    "/white-zones/",
    "white_zones",
    {200: schemas.WhiteZones, 404: schemas.Error},
    summary=N_("Les zones blanches d'un département"),
    description=N_(
        "Les communes qu'aucun facilitateur ne couvre, la plus peuplée d'abord, et les totaux "
        "du département."
    ),
    limit=("white_zones", lookup_limit),
)
def white_zones(request, params: Query[schemas.WhiteZonesParams]):
    departement = _departement(params.departement)
    if departement is None:
        return _unknown_departement(params.departement)
    communes = list(coverage.white_zones(departement).values("code", "name", "population"))
    totals = Territory.objects.communes().filter(departement=departement)
    return {
        "departement": {"code": departement.code, "name": departement.name},
        "communes": communes,
        "white_zone_communes": len(communes),
        "white_zone_population": sum(c["population"] for c in communes),
        "total_communes": totals.count(),
        "total_population": sum(totals.values_list("population", flat=True)),
        "licence": LICENCE,
    }


@endpoint(
    "/facilitators.geojson",
    "facilitators_geojson",
    schemas.DirectoryCollection,
    summary=N_("L'annuaire publié, en GeoJSON"),
    description=N_("Un objet par facilitateur et territoire couvert, avec son contour."),
)
def facilitators_geojson(request, params: Query[schemas.Params]):
    return HttpResponse(
        json.dumps(transfer.export_geojson(Facilitator.objects.published()), ensure_ascii=False),
        content_type=f"{GEOJSON}; charset=utf-8",
    )


@endpoint(
    "/facilitators.csv",
    "facilitators_csv",
    str,
    summary=N_("L'annuaire publié, en CSV"),
    description=N_("UTF-8 avec BOM, séparateur point-virgule ; la licence en première ligne."),
)
def facilitators_csv(request, params: Query[schemas.Params]):
    stream = io.StringIO()
    stream.write(f"# {LICENCE}\n")
    transfer.export_csv(stream, Facilitator.objects.published())
    response = HttpResponse("\ufeff" + stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="facilitateurs.csv"'
    return response


def _layer(request, name, build, *args):
    text, _version = geo.layer_json(name, build, *args, version=directory_version(request))
    return HttpResponse(text, content_type=f"{GEOJSON}; charset=utf-8")


def _layer_etag(name):
    def suffix(request, code=None, **kwargs):
        # Computed before the path is validated: keep only what a département code can hold,
        # so that no typed character ever reaches a header.
        code = re.sub(r"[^0-9A-Z]", "", (code or "").upper())[:3]
        return f"-{name}" + (f"-{code}" if code else "")

    return suffix


LAYER_DESCRIPTION = N_(
    "Contours simplifiés, coordonnées arrondies à 5 décimales, compressé (gzip) pour les "
    "clients qui l'acceptent. Avec ?v= égal à la version en cours, la réponse peut être "
    "gardée un an ; sinon, elle est revalidée à chaque usage (ETag, Last-Modified)."
)
DEPARTEMENT_PATH = Path(
    ..., pattern=schemas.DEPARTEMENT_CODE, description=N_("Code du département"), examples=["13"]
)


def _layer_operation(name, path, build, schema, summary, description=LAYER_DESCRIPTION):
    """Declare the map layer `name` (`maps.geo`'s builder `build`): the whole country when
    `path` has no `{code}`, else a département's (404 for an unknown one)."""
    responses = schema if "{code}" not in path else {200: schema, 404: schemas.Error}
    decorate = endpoint(
        path,
        f"map_{name}",
        responses,
        summary=summary,
        description=description,
        etag=_layer_etag(name),
        layer=True,
    )
    if "{code}" not in path:

        def national_layer(request, params: Query[schemas.LayerParams]):
            return _layer(request, name, build)

        national_layer.__name__ = f"{name}_layer"
        return decorate(national_layer)

    def departement_layer(
        request, params: Query[schemas.LayerParams], code: str = DEPARTEMENT_PATH
    ):
        departement = _departement(code)
        if departement is None:
            return _unknown_departement(code)
        return _layer(request, f"{name}-{departement.code}", build, departement)

    departement_layer.__name__ = f"{name}_layer"
    return decorate(departement_layer)


LAYERS = [
    (
        "departements",
        "/map/departements.geojson",
        geo.departements_layer,
        schemas.DepartementsLayer,
        N_("Carte : les départements et la part de leur population couverte"),
        LAYER_DESCRIPTION,
    ),
    (
        "communes",
        "/map/departements/{code}/communes.geojson",
        geo.communes_layer,
        schemas.CommunesLayer,
        N_("Carte : les communes d'un département et leur statut"),
        LAYER_DESCRIPTION,
    ),
    (
        "epci",
        "/map/departements/{code}/epci.geojson",
        geo.epci_layer,
        schemas.EpciLayer,
        N_("Carte : les intercommunalités (EPCI) d'un département"),
        N_(
            "Les intercommunalités entières, même quand elles débordent du département. "
            "Contours simplifiés, coordonnées arrondies à 5 décimales, compressé (gzip) pour "
            "les clients qui l'acceptent. Avec ?v= égal à la version en cours, la réponse peut "
            "être gardée un an ; sinon, elle est revalidée à chaque usage (ETag, "
            "Last-Modified)."
        ),
    ),
    (
        "perimeters",
        "/map/departements/{code}/perimeters.geojson",
        geo.perimeters_layer,
        schemas.PerimetersLayer,
        N_("Carte : les périmètres nommés d'un département"),
        N_(
            "Les périmètres nommés (conseils de territoire, bassins d'emploi…) qui ont au moins "
            "une commune dans le département, entiers. Contours simplifiés, coordonnées "
            "arrondies à 5 décimales, compressé (gzip) pour les clients qui l'acceptent. Avec "
            "?v= égal à la version en cours, la réponse peut être gardée un an ; sinon, elle "
            "est revalidée à chaque usage (ETag, Last-Modified)."
        ),
    ),
]
layer_operations = {layer[0]: _layer_operation(*layer) for layer in LAYERS}


# -- the observatory's results (`observatory.consolidation`, `observatory.export`) ---------

RESULTS_PARAMETERS = {"year", "departement", "region", "structure", "lang"}
TERRITORY_PARAMETERS = ("departement", "region", "structure")


def _no_revalidation(request, *args, **kwargs):
    """The results follow the structures' reports, not only the directory: not revalidated."""
    return None


def _unknown(value):
    return _("« %(value)s » est inconnu.") % {"value": value[:120]}


def _unknown_parameters(request):
    return {
        name[:40]: _("Paramètre inconnu.") for name in sorted(set(request.GET) - RESULTS_PARAMETERS)
    }


def results_errors(request, exc):
    """The 400 of the results operation: every refused parameter with its message (a value
    that does not fit its schema, and any unknown parameter)."""
    errors = {}
    for problem in exc.errors:
        location = [part for part in problem.get("loc", ()) if isinstance(part, str)]
        name = next((part for part in location if part in RESULTS_PARAMETERS), "")
        if name == "year":
            errors[name] = _("Une année sur quatre chiffres est attendue (2000 à 2100).")
        elif name in TERRITORY_PARAMETERS:
            errors[name] = _unknown(request.GET.get(name, ""))
        elif name:
            errors[name] = _("Le paramètre %(name)s doit être %(expected)s.") % {
                "name": name,
                "expected": _(EXPECTED.get(name, N_("une valeur valide"))),
            }
    errors.update(_unknown_parameters(request))
    return _field_errors(errors)


def _field_errors(errors):
    return HttpResponse(
        json.dumps({"errors": errors}, ensure_ascii=False),
        status=400,
        content_type="application/json",
    )


def _results_target(params):
    """(year, level, territory or structure, errors) of valid parameters: the year (by
    default the last published one, `consolidation.default_year`) and what they name."""
    errors = {}
    year = int(params.year) if params.year else None
    if year is None:
        year = consolidation.default_year()
        if year is None:
            errors["year"] = _("Aucun bilan validé : précisez l'année.")
    given = [name for name in TERRITORY_PARAMETERS if getattr(params, name)]
    if len(given) > 1:
        errors["departement"] = _("Un seul de departement, region ou structure à la fois.")
        return year, None, None, errors
    level, target = consolidation.NATIONAL, None
    if given:
        name = given[0]
        value = getattr(params, name)
        if name == "structure":
            level = "structure"
            target = Structure.objects.published().filter(slug=value).first()
        else:
            level = name
            kind = Territory.Kind.DEPARTEMENT if name == "departement" else Territory.Kind.REGION
            target = Territory.objects.filter(kind=kind, code=value.upper()).first()
        if target is None:
            errors[name] = _unknown(value)
    return year, level, target, errors


@endpoint(
    "/results/",
    "results",
    {200: schemas.Results, 400: schemas.FieldErrors},
    summary=N_("Les résultats d'une année : nation, département, région ou structure"),
    description=N_(
        "Les chiffres des bilans validés des structures et leurs sommes (la règle de "
        "consolidation est décrite sur chaque page de résultats), une ligne par chiffre avec "
        "les colonnes des fichiers CSV décrites par le Table Schema (schema). Sans année : la "
        "dernière année publiée (par la coordination nationale, ou quand assez de structures "
        "attendues ont un bilan validé) ; une année pas encore publiée est provisoire "
        "(provisional: true) et ses chiffres vont encore changer. Au plus un de "
        "departement, region ou structure ; aucun : la France entière. Un code ou un "
        "identifiant qui ne désigne rien, deux territoires à la fois ou un paramètre inconnu : "
        'erreur 400 {"errors": {"paramètre": "message"}}. Réponses non revalidées (elles '
        "suivent les bilans)."
    ),
    etag=_no_revalidation,
)
def results(request, params: Query[schemas.ResultsParams]):
    errors = _unknown_parameters(request)
    year, level, target, problems = _results_target(params)
    errors.update(problems)
    if errors:
        return _field_errors(errors)
    provisional = not consolidation.is_published(year)
    if level == "structure":
        report = StructureReport.objects.public().filter(structure=target, year=year).first()
        rows = (
            export.rows(year, level, target.slug, target.name, report, provisional)
            if report
            else []
        )
        coverage = {"reported": report is not None}
    else:
        consolidated = consolidation.consolidate(year, level, target)
        name = target.name if target else "France"
        code = target.code if target else ""
        rows = export.rows(year, level, code, name, consolidated, provisional)
        coverage = {
            "reported": len(consolidated.reported),
            "expected": len(consolidated.expected),
            "missing": [structure.slug for structure in consolidated.missing],
        }
    return {
        "year": year,
        "provisional": provisional,
        "level": level,
        "code": getattr(target, "code", None) or getattr(target, "slug", None),
        "coverage": coverage,
        "schema": request.build_absolute_uri(reverse("api:results_schema")),
        "results": rows,
    }


@endpoint(
    "/schemas/results.json",
    "results_schema",
    schemas.TableSchema,
    summary=N_("Le Table Schema des résultats (CSV et JSON)"),
    description=N_(
        "La description (Table Schema, frictionless) des colonnes des fichiers CSV de "
        "résultats et des lignes de /results/, dans la langue demandée."
    ),
    etag=_no_revalidation,
    exclude_unset=True,
)
def results_schema(request, params: Query[schemas.Params]):
    return export.schema()
