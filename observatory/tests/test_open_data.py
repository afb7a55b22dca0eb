"""Open data: the CSV files match their published Table Schema (checked with frictionless),
formula-like cells are neutralised, the API validates its parameters."""

import json

import pytest
from frictionless import Dialect, Resource, Schema, formats

from directory.tests.factories import FacilitatorFactory
from observatory import export
from observatory.models import ReportAuthorityHours
from observatory.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(land):
    arles = FacilitatorFactory(covers=[land["accm"]], structure__name="PLIE Arles").structure
    metro = FacilitatorFactory(covers=[land["amp"]], structure__name="=HYPERLINK(1)").structure
    report = ReportFactory(structure=arles, hours_total=9000, people_total=30, hours_services=4000)
    ReportAuthorityHours.objects.create(report=report, authority="@Ville d'Arles", hours=5000)
    ReportFactory(structure=metro, hours_total=100_000, people_total=300)
    return {**land, "arles": arles, "metro": metro}


def csv_urls(reported):
    return [
        f"/fr/annuaire/structures/{reported['arles'].slug}/resultats.csv",
        f"/fr/annuaire/structures/{reported['metro'].slug}/resultats.csv",
        "/fr/observatoire/2024/resultats.csv",
        "/fr/observatoire/2024/departements/13/resultats.csv",
        "/fr/observatoire/2024/departements/84/resultats.csv",  # no report counts there
        "/fr/observatoire/2024/regions/93/resultats.csv",
        "/en/observatory/2024/departements/13/results.csv",
    ]


def test_every_csv_file_is_valid_against_the_published_schema(client, reported, tmp_path):
    published = client.get("/api/v1/schemas/results.json")
    assert published.status_code == 200
    schema = Schema.from_descriptor(published.json())
    for index, url in enumerate(csv_urls(reported)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv")
        content = response.content
        assert content.startswith("\ufeff".encode()), url
        path = tmp_path / f"results-{index}.csv"
        path.write_bytes(content)
        resource = Resource(
            path=path.name,
            basepath=str(tmp_path),
            schema=schema,
            dialect=Dialect(controls=[formats.CsvControl(delimiter=";")]),
            encoding="utf-8-sig",
        )
        report = resource.validate()
        assert report.valid, (url, report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_the_csv_sums_are_the_consolidation(client, reported):
    lines = (
        client.get("/fr/observatoire/2024/departements/13/resultats.csv")
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert lines[0] == ";".join(export.COLUMNS)
    expected = "2024;departement;13;Bouches-du-Rhône;key;hours_total;heures d'insertion réalisées"
    assert expected + ";109000;false" in lines  # 2 structures of 2 reported: published


def test_cells_that_look_like_formulas_are_neutralised(client, reported):
    body = client.get(f"/fr/annuaire/structures/{reported['metro'].slug}/resultats.csv")
    assert ";'=HYPERLINK(1);" in body.content.decode("utf-8-sig")
    body = client.get(f"/fr/annuaire/structures/{reported['arles'].slug}/resultats.csv")
    assert ";'@Ville d'Arles;5000" in body.content.decode("utf-8-sig")
    assert export.neutralise("-1") == "'-1" and export.neutralise("+") == "'+"
    assert export.neutralise(12) == 12


def test_the_api_answers_by_territory_and_structure(client, reported):
    d13 = client.get("/api/v1/results/", {"year": "2024", "departement": "13"}).json()
    hours = {row["indicateur"]: row["valeur"] for row in d13["results"]}
    assert hours["hours_total"] == 109_000
    assert d13["coverage"] == {"reported": 2, "expected": 2, "missing": []}
    region = client.get("/api/v1/results/", {"year": "2024", "region": "93"}).json()
    assert region["level"] == "region"
    one = client.get("/api/v1/results/", {"year": "2024", "structure": reported["arles"].slug})
    figures = {row["indicateur"]: row["valeur"] for row in one.json()["results"]}
    assert figures["hours_total"] == 9000
    latest = client.get("/api/v1/results/").json()  # no year: the last one published
    assert latest["year"] == 2024 and latest["level"] == "national"
    assert latest["provisional"] is False


@pytest.mark.parametrize(
    "params, field",
    [
        ({"year": "abc"}, "year"),
        ({"year": "１２３４"}, "year"),  # full-width digits
        ({"year": "1999"}, "year"),
        ({"year": "2024", "departement": "99"}, "departement"),
        ({"year": "2024", "region": "x" * 500}, "region"),
        ({"year": "2024", "structure": "nobody"}, "structure"),
        ({"year": "2024", "departement": "13", "region": "93"}, "departement"),
        ({"year": "2024", "colour": "blue"}, "colour"),
    ],
)
def test_bad_api_parameters_get_a_json_400_naming_them(client, reported, params, field):
    response = client.get("/api/v1/results/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in json.loads(response.content)["errors"]


def test_the_api_refuses_other_methods(client, reported):
    assert client.post("/api/v1/results/").status_code == 405
