"""The public pages: a structure's page, a territory's results with trends and the map, the
national results page with the consolidation, the links from the directory."""

import pytest

from conftest import publish_child, text
from directory.models import DirectoryPage
from directory.tests.factories import FacilitatorFactory
from observatory.models import PublishedYear, StructureReport
from observatory.tests.factories import ReportFactory
from portal.models import ResultsIndexPage, ResultsPage

pytestmark = pytest.mark.django_db


def square(lon, lat):
    ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def network(land, home):
    for departement, lon in ((land["d13"], 4.5), (land["d84"], 5.0)):
        departement.outline = square(lon, 43.3 + (lon - 4.5) * 2)
        departement.save()
    arles = FacilitatorFactory(covers=[land["accm"]], structure__name="PLIE Arles")
    metro = FacilitatorFactory(covers=[land["amp"]], structure__name="Métropole")
    for year, hours in ((2023, 8000), (2024, 9000), (2025, 10_000)):
        ReportFactory(structure=arles.structure, year=year, hours_total=hours, people_total=30)
    ReportFactory(structure=metro.structure, year=2024, hours_total=50_000)
    # 2024: both structures reported (published by the share rule); 2023: published by the
    # national coordination; 2025: one structure of two, provisional.
    PublishedYear.objects.create(year=2023)
    return {**land, "home": home, "arles": arles, "metro": metro}


def test_a_structure_page_shows_its_facilitators_trends_and_where_it_counts(client, network):
    structure = network["arles"].structure
    structure.presentation = "<p>Le PLIE accompagne les habitants du pays d'Arles.</p>"
    structure.partner_insertion = "Chantier d'insertion du Rhône\nGEIQ BTP 13"
    structure.save()
    response = client.get(f"/fr/annuaire/structures/{structure.slug}/")
    assert response.status_code == 200
    page = text(response)
    assert "pays d'Arles" in page
    assert network["arles"].email in page
    assert "GEIQ BTP 13" in page
    assert (
        '<h2 id="resultats">Résultats 2025 <span class="provisional-mark">(année provisoire)'
        in page
    )
    assert "les sommes par territoire sont provisoires" in page
    assert "compté entièrement dans son département (Bouches-du-Rhône)" in page
    assert page.count('class="trend"') >= 2  # hours and people over three years
    assert "<polyline" in page  # 2023 and 2024, published
    assert 'class="trend__provisional"' in page and "2025 <span" in page  # 2025 apart
    english = client.get(f"/en/directory/structures/{structure.slug}/")
    assert english.status_code == 200
    assert "counted entirely in its département (Bouches-du-Rhône)" in text(english)


def test_an_unpublished_or_unknown_structure_is_not_found(client, network):
    structure = network["metro"].structure
    structure.live = False
    structure.save()
    assert client.get(f"/fr/annuaire/structures/{structure.slug}/").status_code == 404
    assert client.get("/fr/annuaire/structures/personne/").status_code == 404


def test_a_departement_page_has_trends_the_map_the_requests_and_the_statement(client, network):
    response = client.get("/fr/observatoire/2024/departements/13/")
    assert response.status_code == 200
    page = text(response)
    assert "2 structures sur 2 ont transmis leur bilan 2024." in page
    assert "hatch-no-report" in page  # Vaucluse has no report: hatched, not only coloured
    assert "aucun bilan validé" in page
    assert "demandes reçues" in page
    assert "<polyline" in page
    assert "le plus peuplé" in page  # the Métropole counted by the majority rule
    assert "<h1>Résultats 2024 — Bouches-du-Rhône (13)</h1>" in page  # published
    assert "Chiffres 2024 provisoires" not in page
    missing = text(client.get("/fr/observatoire/2025/departements/13/"))
    assert "1 structure sur 2 a transmis son bilan 2025." in missing
    assert "<title>Résultats 2025 — Bouches-du-Rhône (13) (provisoires) —" in missing
    assert "Chiffres 2025 provisoires" in missing
    assert 'href="/fr/observatoire/2024/departements/13/"' in missing
    assert "Métropole" in missing.split("N'ont pas encore transmis")[1]
    assert client.get("/fr/observatoire/2024/departements/00/").status_code == 404
    assert client.get("/fr/observatoire/1900/").status_code == 404


def test_the_national_results_page_shows_the_consolidation(client, network):
    index = publish_child(network["home"], ResultsIndexPage(title="Résultats", slug="resultats"))
    publish_child(
        index,
        ResultsPage(
            title="Résultats 2024", slug="2024", year=2024, intro="<p>Notre introduction.</p>"
        ),
    )
    page = text(client.get("/fr/resultats/2024/"))
    assert "Notre introduction." in page
    assert "2 structures sur 2 ont transmis leur bilan 2024." in page
    assert "59 000" in page.replace("\u202f", " ").replace("\xa0", " ")


def test_facilitator_cards_link_to_the_structure_page(client, network):
    publish_child(network["home"], DirectoryPage(title="Annuaire", slug="annuaire"))
    page = text(client.get("/fr/annuaire/"))
    assert f'href="/fr/annuaire/structures/{network["arles"].structure.slug}/"' in page
    commune = text(client.get("/fr/annuaire/communes/13004/"))
    assert f"/fr/annuaire/structures/{network['arles'].structure.slug}/" in commune


def test_submitted_reports_stay_private(client, network):
    report = StructureReport.objects.get(structure=network["arles"].structure, year=2025)
    report.status = StructureReport.Status.SUBMITTED
    report.save()
    page = text(client.get(f"/fr/annuaire/structures/{network['arles'].structure.slug}/"))
    assert "Résultats 2024" in page and "Résultats 2025" not in page
