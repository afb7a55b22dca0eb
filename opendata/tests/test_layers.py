"""GeoJSON layers of the coverage map: contents, rounding, compression and HTTP caching."""

import gzip
import json

import pytest

from directory.models import LeadDesignation
from directory.tests.factories import FacilitatorFactory

pytestmark = pytest.mark.django_db


def layer(client, url, **headers):
    response = client.get(url, **headers)
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, json.loads(body) if body else None


def coordinates(geometry):
    for ring in geometry["coordinates"]:
        yield from ring


def test_departements_layer_gives_the_share_of_population_covered(client, directory, outlines):
    response, data = layer(
        client, "/api/v1/map/departements.geojson", HTTP_ORIGIN="https://example.org"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    features = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    d13 = features["13"]
    # Arles (52,000) and Tarascon (15,000) are covered out of 953,000 inhabitants.
    assert d13["covered_share"] == round(67000 * 100 / 953000, 1)
    assert d13["coverage"] == "low"
    assert d13["white_communes"] == 2 and d13["communes"] == 4
    assert features["84"]["covered_share"] == 0 and features["84"]["coverage"] == "none"


def test_communes_layer_gives_status_facilitators_and_lead(client, directory, outlines):
    response, data = layer(client, "/api/v1/map/departements/13/communes.geojson")
    assert response.status_code == 200
    communes = {f["properties"]["code"]: f for f in data["features"]}
    assert set(communes) == {"13004", "13108", "13027", "13055"}  # no arrondissement
    tarascon = communes["13108"]["properties"]
    assert tarascon["status"] == "lead"
    assert tarascon["facilitators"] == [directory.pk]
    assert tarascon["leads"] == [directory.pk]
    assert tarascon["rule"] == "territory"
    assert tarascon["lead_territory"] == "241300417"
    chateaurenard = communes["13027"]["properties"]
    assert chateaurenard["status"] == "white" and chateaurenard["leads"] == []
    assert data["departement"] == {"code": "13", "name": "Bouches-du-Rhône"}
    # Coordinates are rounded to 4 decimals (about 10 m): the stored 43.8000068 is served as 43.8.
    for lon, lat in coordinates(communes["13108"]["geometry"]):
        assert lon == round(lon, 4) and lat == round(lat, 4)
    assert [4.65, 43.8] in list(coordinates(communes["13108"]["geometry"]))


def test_epci_layer_keeps_epci_spanning_two_departements(client, directory, outlines):
    _response, data = layer(client, "/api/v1/map/departements/84/epci.geojson")
    assert [f["properties"]["code"] for f in data["features"]] == ["200054807"]
    _response, data = layer(client, "/api/v1/map/departements/13/epci.geojson")
    assert len(data["features"]) == 3


def test_unknown_departement_is_a_json_404(client, directory, outlines):
    for url in (
        "/api/v1/map/departements/99/communes.geojson",
        "/api/v1/map/departements/x/epci.geojson",
    ):
        response, data = layer(client, url)
        assert response.status_code == 404
        assert "inconnu" in data["error"]


def test_layers_are_gzipped_for_clients_that_accept_it(client, directory, outlines):
    response, data = layer(
        client, "/api/v1/map/departements/13/communes.geojson", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response["Content-Encoding"] == "gzip"
    assert len(data["features"]) == 4


def test_validators_and_cache_follow_publication(client, directory, outlines, land):
    url = "/api/v1/map/departements/13/communes.geojson"
    first, data = layer(client, url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    assert "no-cache" in first["Cache-Control"]
    # The client already has it: 304, no body.
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    # The URL the map page builds carries the version: it may be kept a year.
    version = etag.strip('"').split("-")[0]
    response = client.get(url, {"v": version})
    assert "max-age=31536000" in response["Cache-Control"]
    assert "no-cache" in client.get(url, {"v": "12345"})["Cache-Control"]

    # Publishing a facilitator for Châteaurenard changes the data and its validators.
    other = FacilitatorFactory(live=False, covers=[land["tdp"]])
    other.save_revision().publish()
    changed, data = layer(client, url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    statuses = {f["properties"]["code"]: f["properties"]["status"] for f in data["features"]}
    assert statuses["13027"] == "contact"

    # Unpublishing takes it back off the map.
    etag = changed["ETag"]
    other.refresh_from_db()
    other.unpublish()
    changed, data = layer(client, url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    statuses = {f["properties"]["code"]: f["properties"]["status"] for f in data["features"]}
    assert statuses["13027"] == "white"

    # A new lead designation too.
    etag = changed["ETag"]
    marseille = FacilitatorFactory(covers=[land["marseille"]])
    LeadDesignation.objects.create(
        territory=land["marseille"], facilitator=marseille, designated_by="la Métropole"
    )
    changed, data = layer(client, url, HTTP_IF_NONE_MATCH=etag)
    leads = {f["properties"]["code"]: f["properties"]["leads"] for f in data["features"]}
    assert leads["13055"] == [marseille.pk]


def test_suggestions_for_the_search_box(client, directory, land):
    response = client.get("/api/v1/suggest/", {"q": "tara"})
    data = json.loads(response.content)
    assert [c["label"] for c in data["communes"]] == ["Tarascon (13)"]
    assert data["communes"][0]["postal_codes"] == ["13150"]
    assert client.get("/api/v1/suggest/", {"q": "t"}).status_code == 400


def test_api_answers_in_english_when_asked(client, directory, land):
    data = json.loads(client.get("/api/v1/communes/13027/", {"lang": "en"}).content)
    assert "white zone" in data["explanation"]
    data = json.loads(client.get("/api/v1/communes/13027/", {"lang": "xx"}).content)
    assert "zone blanche" in data["explanation"]


def test_perimeters_layer_draws_the_named_perimeters_of_the_departement(
    client, directory, outlines
):
    from directory import perimeters
    from directory.models import NamedPerimeter, PerimeterMember

    pays = NamedPerimeter.objects.create(name="Pays d'Arles", code="P0001", search_name="pays")
    for member in (outlines["arles"], outlines["tdp"]):
        PerimeterMember.objects.create(perimeter=pays, territory=member)
    perimeters.refresh(pays)
    response, data = layer(client, "/api/v1/map/departements/13/perimeters.geojson")
    assert response.status_code == 200
    (feature,) = data["features"]
    assert feature["properties"]["name"] == "Pays d'Arles"
    assert feature["properties"]["communes"] == 2
    assert feature["properties"]["population"] == 52000 + 16000
    assert feature["geometry"]["type"] == "MultiPolygon"
    _response, data = layer(client, "/api/v1/map/departements/84/perimeters.geojson")
    assert data["features"] == []
    # The communes layer names each commune's perimeters.
    _response, data = layer(client, "/api/v1/map/departements/13/communes.geojson")
    codes = {f["id"]: f["properties"]["perimeters"] for f in data["features"]}
    assert codes["13004"] == ["P0001"] and codes["13027"] == ["P0001"] and codes["13108"] == []
