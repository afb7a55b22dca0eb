"""The open-data API, and address lookups against a fake of the national address service."""

import json

import pytest

from directory.tests.factories import AuthorityFactory, FacilitatorFactory

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    return response, json.loads(response.content)


def test_lookup_by_name_gives_the_lead_and_its_explanation(client, directory, land):
    response, data = get(client, "/api/v1/lookup/", q="tarascon")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["commune"] == {
        "code": "13108",
        "name": "Tarascon",
        "departement": "13",
        "epci": {"code": "241300417", "name": "CA Arles-Crau-Camargue"},
    }
    assert data["white_zone"] is False
    assert data["lead"]["name"] == "Camille Arnaud"
    assert data["status"] == "lead" and data["contact"] is None
    assert "la CA Arles-Crau-Camargue" in data["explanation"]
    assert [f["name"] for f in data["facilitators"]] == ["Camille Arnaud"]


def test_lookup_white_zone_and_authority(client, directory, land):
    _response, data = get(client, "/api/v1/lookup/", q="13160")
    assert data["commune"]["code"] == "13027" and data["white_zone"] is True
    assert data["lead"] is None
    officer = FacilitatorFactory(first_name="Marion", last_name="Chevalier")
    authority = AuthorityFactory(lead=officer, perimeter=[land["d13"]])
    _response, data = get(client, "/api/v1/lookup/", q="13160", authority=authority.pk)
    assert data["lead"]["name"] == "Marion Chevalier"


def test_lookup_candidates_and_errors(client, directory, land):
    land["tarascon"].postal_codes = "13150,13200"
    land["tarascon"].save()
    response, data = get(client, "/api/v1/lookup/", q="13200")
    assert response.status_code == 200 and data["commune"] is None
    assert {c["code"] for c in data["candidates"]} == {"13004", "13108"}
    assert data["candidates"][0]["postal_codes"]
    response, data = get(client, "/api/v1/lookup/", q="")
    assert response.status_code == 400 and "q" in data["error"]
    response, data = get(client, "/api/v1/lookup/", q="x" * 201)
    assert response.status_code == 400
    response, data = get(client, "/api/v1/lookup/", q="nulle-part")
    assert response.status_code == 404 and data["candidates"] == []
    response, data = get(client, "/api/v1/lookup/", q="arles", authority="abc")
    assert response.status_code == 400
    response, data = get(client, "/api/v1/lookup/", q="arles", authority="999999")
    assert response.status_code == 400
    assert client.post("/api/v1/lookup/", {"q": "arles"}).status_code == 405


def test_lookup_is_rate_limited_per_ip(client, directory, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    for _number in range(3):
        assert client.get("/api/v1/lookup/", {"q": "arles"}).status_code == 200
    response = client.get("/api/v1/lookup/", {"q": "arles"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Trop de requêtes" in json.loads(response.content)["error"]
    other = client.get("/api/v1/lookup/", {"q": "arles"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_address_goes_through_the_geocoder(client, directory, land, geocoder):
    _response, data = get(client, "/api/v1/lookup/", q="12 rue de la République, Arles")
    assert data["commune"]["code"] == "13004"
    assert data["point"] == {
        "lon": 4.6286,
        "lat": 43.6766,
        "label": "12 Rue de la République 13200 Arles",
    }
    assert geocoder.requests[0][0] == "/search"
    # An arrondissement code from the geocoder is mapped to its commune.
    _response, data = get(client, "/api/v1/lookup/", q="1 rue de la République, Marseille")
    assert data["commune"]["code"] == "13055"


def test_address_not_found_falls_back_on_the_commune(client, directory, land, geocoder):
    _response, data = get(client, "/api/v1/lookup/", q="3 impasse inconnue, 13150 Tarascon")
    assert data["commune"]["code"] == "13108"
    assert "Adresse introuvable" in data["notice"]


@pytest.mark.parametrize("mode", ["error", "slow"])
def test_geocoder_failure_or_timeout_falls_back(client, directory, land, geocoder, mode):
    geocoder.mode = mode
    response, data = get(client, "/api/v1/lookup/", q="12 rue de la République, 13200 Arles")
    assert response.status_code == 200
    assert data["commune"]["code"] == "13004"
    assert "ne répond pas" in data["notice"]


def test_commune_endpoint(client, directory, land):
    _response, data = get(client, "/api/v1/communes/13108/")
    assert data["lead"]["name"] == "Camille Arnaud" and data["query"] is None
    _response, data = get(client, "/api/v1/communes/13203/")
    assert data["commune"]["code"] == "13055"
    response, _data = get(client, "/api/v1/communes/99999/")
    assert response.status_code == 404


def test_white_zones_endpoint(client, directory, land):
    response, data = get(client, "/api/v1/white-zones/", departement="13")
    assert response.status_code == 200
    assert [c["code"] for c in data["communes"]] == ["13055", "13027"]
    assert data["white_zone_population"] == 870000 + 16000
    assert data["total_communes"] == 4
    assert get(client, "/api/v1/white-zones/")[0].status_code == 400
    assert get(client, "/api/v1/white-zones/", departement="99")[0].status_code == 404


def test_published_directory_downloads(client, directory, land):
    FacilitatorFactory(first_name="Brouillon", live=False, covers=[land["d13"]])
    geo = client.get("/api/v1/facilitators.geojson")
    assert geo["Content-Type"] == "application/geo+json"
    data = json.loads(geo.content)
    assert data["licence"].startswith("Licence Ouverte")
    assert {f["properties"]["facilitator"] for f in data["features"]} == {"Camille Arnaud"}
    csv_response = client.get("/api/v1/facilitators.csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "Licence Ouverte" in text and "Camille" in text and "Brouillon" not in text
