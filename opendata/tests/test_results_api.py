"""The observatory's results and their Table Schema are operations of the API: described in
the OpenAPI document and on the documentation page, answered like every other operation
(HEAD, OPTIONS, CORS, the language asked), their answers matching their schemas."""

import json

import jsonschema
import pytest

from directory.tests.factories import FacilitatorFactory
from observatory.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(land):
    arles = FacilitatorFactory(covers=[land["accm"]], structure__name="PLIE Arles").structure
    ReportFactory(structure=arles, year=2025, hours_total=9000, people_total=30)
    return arles


def _schema_of(document, path, status="200"):
    body = document["paths"][path]["get"]["responses"][status]["content"]["application/json"]
    return {**body["schema"], "components": document["components"]}


def test_the_results_operations_are_described(client, reported):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    results = document["paths"]["/api/v1/results/"]["get"]
    assert [p["name"] for p in results["parameters"]] == [
        "lang",
        "year",
        "departement",
        "region",
        "structure",
    ]
    assert set(results["responses"]) == {"200", "304", "400"}
    assert "errors" in results["responses"]["400"]["description"]
    english = json.loads(client.get("/api/v1/openapi.json", {"lang": "en"}).content)
    schema_operation = english["paths"]["/api/v1/schemas/results.json"]["get"]
    assert schema_operation["summary"] == "The Table Schema of the results (CSV and JSON)"


@pytest.mark.parametrize(
    "params",
    [{}, {"year": "2025", "departement": "13"}, {"region": "93"}, {"structure": "plie-arles"}],
)
def test_the_answers_match_their_described_schemas(client, reported, params):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    response = client.get("/api/v1/results/", params)
    assert response.status_code == 200
    jsonschema.validate(response.json(), _schema_of(document, "/api/v1/results/"))
    assert response.json()["schema"] == "http://testserver/api/v1/schemas/results.json"
    table = client.get("/api/v1/schemas/results.json")
    jsonschema.validate(table.json(), _schema_of(document, "/api/v1/schemas/results.json"))
    assert table.json()["$schema"].startswith("https://specs.frictionlessdata.io/")
    assert "description" not in table.json()["fields"][0]  # absent, not null
    refused = client.get("/api/v1/results/", {"year": "1999", "colour": "blue"})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"year", "colour"}
    jsonschema.validate(refused.json(), _schema_of(document, "/api/v1/results/", "400"))


def test_the_results_answer_like_every_operation(client, reported):
    for url in ("/api/v1/results/?departement=13", "/api/v1/schemas/results.json"):
        response = client.get(url, HTTP_ORIGIN="https://example.org")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" not in response  # they follow the reports: never revalidated
        head = client.head(url)
        assert head.status_code == 200 and head.content == b""
        assert int(head["Content-Length"]) == len(response.content)
        options = client.options(url)
        assert options.status_code == 200 and options["Allow"] == "GET, HEAD, OPTIONS"
        post = client.post(url)
        assert post.status_code == 405 and "POST" in post.json()["error"]
    english = client.get("/api/v1/results/", {"departement": "99", "lang": "en"})
    assert english.json() == {"errors": {"departement": "“99” is unknown."}}
    table = client.get("/api/v1/schemas/results.json", {"lang": "en"}).json()
    assert table["fields"][0]["title"] == "Year"


def test_the_documentation_page_lists_the_results(client, home):
    for page in ("/fr/api/", "/en/api/"):
        body = client.get(page).content.decode()
        assert "GET /api/v1/results/" in body and "GET /api/v1/schemas/results.json" in body
    assert "nation, département, région ou structure" in client.get("/fr/api/").content.decode()


def test_a_provisional_year_is_said_and_described(client, reported, land):
    # A second expected structure without a 2025 report: 1 of 2, under the share rule.
    FacilitatorFactory(covers=[land["amp"]], structure__name="Métropole")
    document = json.loads(client.get("/api/v1/openapi.json").content)
    results = document["components"]["schemas"]["Results"]
    assert "provisional" in results["required"]
    assert "provisoire" in document["components"]["schemas"]["ResultRow"]["required"]
    parameters = document["paths"]["/api/v1/results/"]["get"]["parameters"]
    year = next(parameter for parameter in parameters if parameter["name"] == "year")
    assert "dernière année publiée" in year["description"]

    response = client.get("/api/v1/results/", {"year": "2025"})
    jsonschema.validate(response.json(), _schema_of(document, "/api/v1/results/"))
    assert response.json()["provisional"] is True
    assert {row["provisoire"] for row in response.json()["results"]} == {True}
    # No year and no published one: the last reported year, said provisional.
    assert client.get("/api/v1/results/").json()["year"] == 2025
    table = client.get("/api/v1/schemas/results.json").json()
    provisional = table["fields"][-1]
    assert provisional["name"] == "provisoire" and provisional["type"] == "boolean"
    english = client.get("/api/v1/schemas/results.json", {"lang": "en"}).json()
    assert english["fields"][-1]["title"] == "Provisional"
