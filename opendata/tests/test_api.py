"""The open-data API, and address lookups against a fake of the national address service."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.lookup import MAX_QUERY_LENGTH
from directory.models import LeadDesignation
from directory.tests.factories import AuthorityFactory, FacilitatorFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    headers = {key: params.pop(key) for key in list(params) if key.startswith("HTTP_")}
    response = client.get(url, params, **headers)
    return response, json.loads(response.content)


def test_lookup_by_name_gives_the_lead_and_its_explanation(client, directory, land):
    response = client.get("/api/v1/lookup/", {"q": "tarascon"}, HTTP_ORIGIN="https://example.org")
    data = json.loads(response.content)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["commune"] == {
        "code": "13108",
        "name": "Tarascon",
        "departement": "13",
        "epci": {"code": "241300417", "name": "CA Arles-Crau-Camargue"},
    }
    assert data["white_zone"] is False and data["status"] == "lead"
    assert data["lead"]["name"] == "Camille Arnaud"
    assert data["lead"]["coverage"] == [
        {"kind": "epci", "code": "241300417", "name": "CA Arles-Crau-Camargue"}
    ]
    assert data["rule"] == "territory" and data["designated_on"]["code"] == "241300417"
    assert "la CA Arles-Crau-Camargue" in data["explanation"]
    assert [f["name"] for f in data["facilitators"]] == ["Camille Arnaud"]
    assert data["point"] is None and data["notice"] is None


def test_lookup_white_zone_and_authority(client, directory, land):
    _response, data = get(client, "/api/v1/lookup/", q="13160")
    assert data["commune"]["code"] == "13027" and data["white_zone"] is True
    assert data["lead"] is None
    officer = FacilitatorFactory(first_name="Marion", last_name="Chevalier")
    authority = AuthorityFactory(lead=officer, perimeter=[land["d13"]])
    _response, data = get(client, "/api/v1/lookup/", q="13160", authority=authority.pk)
    assert data["lead"]["name"] == "Marion Chevalier"
    assert data["status"] == "lead" and data["rule"] == "authority"
    assert data["white_zone"] is True and data["facilitators"] == []


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
    assert response.status_code == 404 and data["parameter"] == "authority"
    assert data["candidates"] == []
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
    assert geo["Content-Type"].startswith("application/geo+json")
    data = json.loads(geo.content)
    assert data["licence"].startswith("Licence Ouverte")
    assert {f["properties"]["facilitator"] for f in data["features"]} == {"Camille Arnaud"}
    csv_response = client.get("/api/v1/facilitators.csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "Licence Ouverte" in text and "Camille" in text and "Brouillon" not in text


def designate(territory, facilitator, by="la coordination"):
    return LeadDesignation.objects.create(
        territory=territory, facilitator=facilitator, designated_by=by
    )


def statuses_map(land, tie):
    """The test map with one commune per status: Tarascon lead (through its EPCI, the
    `directory` fixture), Châteaurenard contact, Marseille several (its own facilitator and
    the Métropole's two), Pertuis tied when the Métropole designates both of its own, Apt
    white."""
    FacilitatorFactory(first_name="Claire", last_name="Contact", covers=[land["tdp"]])
    one = FacilitatorFactory(first_name="Paul", last_name="Premier", covers=[land["amp"]])
    two = FacilitatorFactory(first_name="Sacha", last_name="Second", covers=[land["amp"]])
    FacilitatorFactory(first_name="Lou", last_name="Local", covers=[land["marseille"]])
    if tie:
        designate(land["amp"], one)
        designate(land["amp"], two)
    TerritoryFactory(code="84001", name="Apt", departement=land["d84"], region=land["region"])


@pytest.mark.parametrize(
    ("code", "status", "lead", "contact", "leads"),
    [
        ("13108", "lead", "Camille Arnaud", None, ["Camille Arnaud"]),
        ("13027", "contact", None, "Claire Contact", []),
        ("13055", "several", None, None, []),
        ("84089", "tied", None, None, ["Paul Premier", "Sacha Second"]),
        ("84001", "white", None, None, []),
    ],
)
def test_every_status_with_its_lead_and_contact(
    client, directory, land, code, status, lead, contact, leads
):
    statuses_map(land, tie=status == "tied")
    _response, data = get(client, f"/api/v1/communes/{code}/")
    assert data["status"] == status
    assert (data["lead"] or {}).get("name") == lead
    assert (data["contact"] or {}).get("name") == contact
    assert sorted(f["name"] for f in data["leads"]) == leads
    assert data["white_zone"] is (status == "white")
    if status == "contact":
        assert [f["name"] for f in data["facilitators"]] == ["Claire Contact"]
        assert data["rule"] is None and data["designated_on"] is None
    if status == "several":
        assert len(data["facilitators"]) == 3 and data["rule"] is None
    if status == "tied":
        assert data["rule"] == "territory" and data["designated_on"]["code"] == "200054807"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"q": "arles", "authority": "²"}, "authority"),  # a Unicode digit, not an id
        ({"q": "arles", "authority": "١٢"}, "authority"),
        ({"q": "arles", "authority": "-1"}, "authority"),
        ({"q": "arles", "authority": "9" * 19}, "authority"),
        ({"q": "x" * (MAX_QUERY_LENGTH + 1)}, "q"),
        ({"q": "arles\x00"}, "q"),
        ({"q": "   "}, "q"),
        ({}, "q"),
    ],
)
def test_bad_lookup_values_are_400_json_errors(client, directory, land, params, parameter):
    response, data = get(client, "/api/v1/lookup/", **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert data["parameter"] == parameter and parameter in data["error"]


def test_the_same_query_length_everywhere(client, directory, land):
    longest = "a" * MAX_QUERY_LENGTH
    assert client.get("/api/v1/lookup/", {"q": longest}).status_code == 404
    assert client.get("/api/v1/suggest/", {"q": longest}).status_code == 200
    for url in ("/api/v1/lookup/", "/api/v1/suggest/"):
        response, data = get(client, url, q=longest + "a")
        assert response.status_code == 400
        assert str(MAX_QUERY_LENGTH) in data["error"]


def test_errors_in_the_language_asked(client, directory, land):
    _response, data = get(client, "/api/v1/lookup/", q="arles", authority="²", lang="en")
    assert data["error"].startswith("The authority parameter")
    _response, data = get(client, "/api/v1/lookup/", q="arles", authority="²")
    assert data["error"].startswith("Le paramètre authority")
    response, data = get(client, "/api/v1/communes/99999/", lang="en")
    assert response.status_code == 404 and data["error"] == "Unknown commune: 99999."


def test_bad_codes_are_json_errors(client, directory, land):
    response, data = get(client, "/api/v1/communes/13108%20x/")
    assert response.status_code == 400 and data["parameter"] == "code"
    response, data = get(client, "/api/v1/white-zones/", departement="1234")
    assert response.status_code == 400 and data["parameter"] == "departement"
    response, data = get(client, "/api/v1/communes/13108/", authority="abc")
    assert response.status_code == 400 and data["parameter"] == "authority"


def test_commune_answers_are_rate_limited(client, directory, land, settings):
    settings.LOOKUP_RATE_LIMIT = 2
    for _number in range(2):
        assert client.get("/api/v1/communes/13108/").status_code == 200
    response, data = get(client, "/api/v1/communes/13108/")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "ETag" not in response and data["error"]


@pytest.mark.parametrize("url", ["/api/v1/suggest/?q=tara", "/api/v1/white-zones/?departement=13"])
def test_other_computing_operations_are_rate_limited(client, directory, land, settings, url):
    settings.LOOKUP_RATE_LIMIT = 1  # suggest allows ten times more
    answers = [client.get(url) for _number in range(11)]
    response = answers[-1]
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response["Content-Type"].startswith("application/json")
    assert "réessayez dans" in json.loads(response.content)["error"]


OPERATIONS = [
    "/api/v1/lookup/?q=tarascon",
    "/api/v1/suggest/?q=tara",
    "/api/v1/communes/13108/",
    "/api/v1/white-zones/?departement=13",
    "/api/v1/facilitators.geojson",
    "/api/v1/facilitators.csv",
    "/api/v1/map/departements.geojson",
    "/api/v1/map/departements/13/communes.geojson",
    "/api/v1/map/departements/13/epci.geojson",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("url", OPERATIONS)
def test_head_options_cors_and_revalidation_everywhere(client, directory, outlines, url):
    response = client.get(url)
    assert response.status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == response["Content-Type"]
    assert int(head["Content-Length"]) == len(response.content)
    options = client.options(url)
    assert options.status_code == 200 and options["Allow"] == "GET, HEAD, OPTIONS"
    preflight = client.options(
        url,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.get(url, HTTP_ORIGIN="https://example.org")["Access-Control-Allow-Origin"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    if "openapi" in url:  # changes with the code only: an ETag of its content
        return
    last_modified = response["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_cors_only_on_the_api(client, home):
    response = client.get("/fr/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response
    response = client.post("/api/v1/lookup/", {"q": "arles"}, HTTP_ORIGIN="https://example.org")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"
    assert "POST" in json.loads(response.content)["error"]
    response = client.put("/api/v1/openapi.json?lang=en")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(response.content)["error"].startswith("Method PUT not allowed")


def test_one_read_of_the_directory_version_per_request(client, directory, outlines):
    for url in ("/api/v1/communes/13108/", "/api/v1/map/departements/13/communes.geojson"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        reads = [q for q in queries if "directorychange" in q["sql"].lower()]
        # One for the validators and the layer's cache rule, one by `coverage.published()`
        # (is the directory kept in memory still the published one?).
        assert len(reads) == 2, url


def test_answers_follow_publication(client, directory, land):
    url = "/api/v1/communes/13027/"
    first, data = get(client, url)
    assert data["status"] == "white"
    other = FacilitatorFactory(live=False, covers=[land["tdp"]])
    other.save_revision().publish()
    changed, data = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and data["status"] == "contact"
    assert changed["ETag"] != first["ETag"]


def test_address_lookups_are_not_revalidated(client, directory, land, geocoder):
    response = client.get("/api/v1/lookup/", {"q": "12 rue de la République, Arles"})
    assert response.status_code == 200 and "ETag" not in response


def test_openapi_description_is_valid_openapi_3(client, directory, land):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    document = json.loads(response.content)
    validate(document)
    assert document["openapi"].startswith("3.")
    operations = {item["get"]["operationId"] for item in document["paths"].values()}
    assert operations == {
        "lookup",
        "suggest",
        "commune",
        "white_zones",
        "facilitators_geojson",
        "facilitators_csv",
        "map_departements",
        "map_communes",
        "map_epci",
        "map_perimeters",
        "results",
        "results_schema",
    }
    assert all(set(item) == {"get"} for item in document["paths"].values())
    lookup = document["paths"]["/api/v1/lookup/"]["get"]
    assert set(lookup["responses"]) == {"200", "304", "400", "404", "429"}
    assert "422" not in json.dumps(document)
    english = json.loads(client.get("/api/v1/openapi.json", {"lang": "en"}).content)
    assert english["paths"]["/api/v1/lookup/"]["get"]["summary"] == (
        "Find the commune and the person to contact"
    )


def test_documented_examples_match_their_schemas(client, directory, land):
    import jsonschema

    document = json.loads(client.get("/api/v1/openapi.json").content)
    checked = 0
    for item in document["paths"].values():
        for body in item["get"]["responses"]["200"].get("content", {}).values():
            if "example" in body:
                schema = {**body["schema"], "components": document["components"]}
                jsonschema.validate(body["example"], schema)
                checked += 1
    assert checked >= 5


def test_documentation_page_in_both_languages(client, home):
    response = client.get("/fr/api/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "API des données ouvertes" in body
    assert "GET /api/v1/communes/{code}/" in body
    assert 'href="/api/v1/communes/13108/"' in body  # an example request
    assert "Camille Arnaud" in body  # an example answer
    assert "<script" not in body.split("</main>")[0].split("<main")[1]
    assert "swagger" not in body.lower() and "cdn" not in body.lower()
    english = client.get("/en/api/").content.decode()
    assert "Open-data API" in english and "Find the commune and the person to contact" in english
    assert client.get("/api/v1/", {"lang": "en"})["Location"] == "/en/api/"
    assert client.get("/api/v1/docs").status_code == 404  # no Swagger UI
