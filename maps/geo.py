"""GeoJSON layers of the coverage map: départements (national view), and the communes, EPCI and
named perimeters of one département. Statuses come from `directory.coverage`; this module only
shapes them.

Outlines are simplified for the zoom they are drawn at, snapped to 5 decimals (about 1 m) and
valid (`directory.outlines`).
Layers are cached until the directory changes (`DirectoryChange`)."""

import json

from django.core.cache import cache

from directory import coverage, outlines
from directory.models import DirectoryChange, Territory

# Degrees; about 1.1 km and 110 m at French latitudes. The national view shows France in
# 600 px, a département view one département in about as many.
TOLERANCE = {"national": 0.01, "departement": 0.001}
# The communes layer of a département: its communes simplified together (shared borders stay
# shared, `outlines.servable_coverage`) to about the square root of 0.004² degrees² of area
# removed per vertex (a triangle of about 400 m, 2 px at the département zoom), on a
# 4-decimal grid (about 10 m, a twentieth of a pixel there). Pas-de-Calais's 887
# communes thus weigh 83 KB gzipped instead of 129 KB.
COMMUNES_COVERAGE_TOLERANCE = 0.004
COMMUNES_PLACES = 4
CACHE_SECONDS = 24 * 3600


def simplified(outline, tolerance):
    """A stored outline simplified to `tolerance` degrees, on the 5-decimal grid and valid
    (`directory.outlines.servable`); None when there is no outline."""
    return outlines.servable(outline, tolerance)


def _feature(territory, tolerance, geometry=None, **properties):
    """A GeoJSON feature: the territory's outline simplified to `tolerance`, or `geometry`
    when the caller simplified it (with its neighbours)."""
    return {
        "type": "Feature",
        "id": territory.code,
        "geometry": geometry if tolerance is None else simplified(territory.outline, tolerance),
        "properties": {"code": territory.code, "name": territory.name, **properties},
    }


def _collection(features, **extra):
    return {"type": "FeatureCollection", "features": features, **extra}


def coverage_class(share):
    """The legend class of a share of population covered (percent): 0 is a white zone."""
    if share <= 0:
        return "none"
    if share < 50:
        return "low"
    if share < 90:
        return "mid"
    if share < 100:
        return "high"
    return "full"


def departements_layer():
    """Every loaded département with the share of its population covered."""
    summaries = {row.departement.pk: row for row in coverage.white_zone_summary()}
    territories = Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).with_outline()
    features = []
    for departement in territories.order_by("code"):
        row = summaries.get(departement.pk)
        covered_share = row.covered_share if row else 0.0
        features.append(
            _feature(
                departement,
                TOLERANCE["national"],
                population=row.total_population if row else 0,
                communes=row.total_communes if row else 0,
                white_communes=row.communes if row else 0,
                white_population=row.population if row else 0,
                covered_share=covered_share,
                coverage=coverage_class(covered_share),
                bbox=[
                    departement.min_lon,
                    departement.min_lat,
                    departement.max_lon,
                    departement.max_lat,
                ],
            )
        )
    return _collection(features)


def communes_layer(departement):
    """The communes of a département with the status of their answer (`coverage.Status`),
    the covering facilitators' ids, the ids of the people the answer names first (lead(s) or
    contact), the rule, and the territory the lead is designated on."""
    answers = coverage.answers(Territory.objects.communes().filter(departement=departement))
    shapes = dict(
        Territory.objects.communes()
        .filter(departement=departement)
        .with_outline()
        .values_list("pk", "outline")
    )
    answers = list(answers)
    geometries = outlines.servable_coverage(
        [shapes.get(answer.commune.pk) for answer in answers],
        COMMUNES_COVERAGE_TOLERANCE,
        COMMUNES_PLACES,
    )
    features = []
    for answer, geometry in zip(answers, geometries, strict=True):
        commune = answer.commune
        features.append(
            _feature(
                commune,
                None,
                geometry=geometry,
                population=commune.population,
                status=answer.status,
                facilitators=[f.pk for f in answer.facilitators],
                leads=[f.pk for f in answer.shown],
                rule=answer.rule,
                lead_territory=answer.designated_on.code if answer.designated_on else None,
                epci=commune.epci.code if commune.epci else None,
                perimeters=[perimeter.code for perimeter in answer.perimeters],
            )
        )
    return _collection(
        features,
        departement={"code": departement.code, "name": departement.name},
        bbox=[departement.min_lon, departement.min_lat, departement.max_lon, departement.max_lat],
    )


def epci_layer(departement):
    """The EPCI with at least one commune in the département (whole, even when they span
    several départements)."""
    ids = (
        Territory.objects.communes()
        .filter(departement=departement, epci__isnull=False)
        .values("epci")
    )
    epcis = Territory.objects.filter(pk__in=ids).with_outline().order_by("search_name")
    return _collection([_feature(epci, TOLERANCE["departement"]) for epci in epcis])


def perimeters_layer(departement):
    """The named perimeters with at least one commune in the département (whole), with their
    population and the number of their communes."""
    from directory.perimeters import member_communes

    features = []
    for perimeter in (
        Territory.objects.of_kind(Territory.Kind.PERIMETER).with_outline().order_by("search_name")
    ):
        communes = member_communes([perimeter.pk])
        if not communes.filter(departement=departement).exists():
            continue
        features.append(
            _feature(
                perimeter,
                TOLERANCE["departement"],
                population=perimeter.population,
                communes=communes.count(),
            )
        )
    return _collection(features)


def version_token(version=None):
    """The `v` parameter of map layer URLs: changes whenever the directory changes."""
    version = version or DirectoryChange.last()
    return str(int(version.timestamp() * 1000))


def layer_json(name, build, *args, version=None):
    """The layer as JSON text, from the cache while the directory has not changed; returns
    (text, version) where version is the time of the last directory change (`version`, when
    the caller has already read it)."""
    version = version or DirectoryChange.last()
    key = f"maps:{name}:{version.timestamp()}"
    text = cache.get(key)
    if text is None:
        text = json.dumps(build(*args), ensure_ascii=False, separators=(",", ":"))
        cache.set(key, text, CACHE_SECONDS)
    return text, version


def invalid_geometries():
    """What `make bench` checks over all loaded territories: for each tolerance outlines are
    served at, (invalid, total) geometries. The layers are built as the map serves them (the
    départements layer; the communes and EPCI layers of every département), and every stored
    outline is repaired as `facilitators.geojson` serves it. An outline lost on the way (no
    geometry left) counts as invalid."""

    def check(geometries):
        geometries = list(geometries)
        return sum(not outlines.is_valid(g) for g in geometries), len(geometries)

    national = check(f["geometry"] for f in departements_layer()["features"])
    # The communes layer lists the few communes INSEE ships without outline too.
    no_outline = set(Territory.objects.filter(outline__isnull=True).values_list("code", flat=True))
    local, epcis = [], {}
    for departement in Territory.objects.of_kind(Territory.Kind.DEPARTEMENT):
        features = communes_layer(departement)["features"]
        local.extend(f["geometry"] for f in features if f["id"] not in no_outline)
        epcis.update((f["id"], f["geometry"]) for f in epci_layer(departement)["features"])
    stored = Territory.objects.filter(outline__isnull=False).values_list("outline", flat=True)
    return {
        f"départements layer ({TOLERANCE['national']}°)": national,
        f"communes and EPCI layers ({TOLERANCE['departement']}°)": check(
            local + list(epcis.values())
        ),
        "stored outlines, as facilitators.geojson serves them": check(
            outlines.servable(outline) for outline in stored.iterator()
        ),
    }
