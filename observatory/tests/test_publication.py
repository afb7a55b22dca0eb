"""A year becomes the public default only once published: by the national coordination, or
once OBSERVATORY_MIN_SHARE of the expected structures have a validated report. Before, it is
provisional wherever it is shown, and never silently the default nor mixed into trends."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import publish_child, text
from observatory import consolidation
from observatory.models import PublishedYear, StructureReport
from observatory.tests.factories import ReportFactory
from portal.models import ResultsIndexPage, ResultsPage

pytestmark = pytest.mark.django_db
Status = StructureReport.Status
CAMPAIGN = "observatory_campaign"


@pytest.fixture
def years(world, home):
    """2025: the four expected structures validated (about 1.2 M hours); 2026: one validated
    report of 12,000 hours, one submitted."""
    for name, hours in (
        ("arles", 150_000),
        ("tarascon", 50_000),
        ("metro", 800_000),
        ("roissy", 190_000),
    ):
        ReportFactory(structure=world[name], year=2025, hours_total=hours, people_total=100)
    ReportFactory(structure=world["roissy"], year=2026, hours_total=12_000, people_total=40)
    ReportFactory(structure=world["arles"], year=2026, status=Status.SUBMITTED)
    index = publish_child(home, ResultsIndexPage(title="Résultats", slug="resultats"))
    for year in (2025, 2026):
        publish_child(index, ResultsPage(title=f"Résultats {year}", slug=str(year), year=year))
    return {**world, "home": home}


def plain(response):
    return text(response).replace("\u202f", " ").replace("\xa0", " ")


def test_one_validated_report_does_not_move_the_public_year(client, years):
    assert consolidation.default_year() == 2025
    assert consolidation.is_published(2025) and not consolidation.is_published(2026)
    response = client.get("/fr/observatoire/")
    assert response.status_code == 302 and response.url == "/fr/observatoire/2025/"
    api = client.get("/api/v1/results/").json()
    assert api["year"] == 2025 and api["provisional"] is False
    assert {row["provisoire"] for row in api["results"]} == {False}
    assert api["coverage"]["reported"] == 4
    home = plain(client.get("/fr/"))
    assert "Les clauses sociales en 2025" in home and "1 190 000" in home
    # The trend of 2025 stops at 2025.
    national = plain(client.get("/fr/observatoire/2025/"))
    assert "4 structures sur 4 ont transmis leur bilan 2025." in national
    assert "2026 <span" not in national.split("Évolution sur plusieurs années")[1]


def test_a_provisional_year_is_labelled_wherever_it_is_shown(client, years):
    page = plain(client.get("/fr/observatoire/2026/"))
    assert "<title>Résultats 2026 — France entière (provisoires) —" in page
    assert "Chiffres 2026 provisoires" in page
    assert "1 structure sur 4 a transmis son bilan 2026." in page
    assert 'href="/fr/observatoire/2025/">Voir les derniers chiffres publiés (2025)' in page
    assert ">2025</a>" in page  # other years listed, published ones plainly
    trend = page.split("Évolution sur plusieurs années")[1]
    assert "2026 <span" in trend and "(provisoire)" in trend and "trend__provisional" in trend
    older = plain(client.get("/fr/observatoire/2025/"))
    assert "2026 (provisoire)</a>" in older  # in the list of years

    api = client.get("/api/v1/results/", {"year": "2026"}).json()
    assert api["provisional"] is True
    assert {row["provisoire"] for row in api["results"]} == {True}
    csv = client.get("/fr/observatoire/2026/resultats.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].endswith(";provisoire")
    assert all(line.endswith(";true") for line in csv.splitlines()[1:])
    structure_csv = client.get(
        f"/fr/annuaire/structures/{years['roissy'].slug}/resultats.csv"
    ).content.decode("utf-8-sig")
    assert any(
        line.startswith("2025;") and line.endswith(";false") for line in structure_csv.splitlines()
    )
    assert any(
        line.startswith("2026;") and line.endswith(";true") for line in structure_csv.splitlines()
    )

    results = plain(client.get("/fr/resultats/2026/"))
    assert "Résultats 2026 (provisoires) —" in results  # the title
    assert 'Résultats 2026 <span class="provisional-mark">(provisoires)</span></h1>' in results
    assert "par rapport à 2025" not in results  # not compared while provisional
    index = plain(client.get("/fr/resultats/"))
    assert 'Résultats 2026</a> <span class="provisional-mark">(provisoires)' in index
    assert "Résultats 2025</a> <span" not in index
    csv = client.get("/fr/resultats/2026/csv/").content.decode("utf-8-sig")
    assert "2026 (provisoire)" in csv.splitlines()[0]


def test_publishing_a_year_makes_it_the_default_and_purges_the_pages(client, years):
    assert "Les clauses sociales en 2025" in plain(client.get("/fr/"))  # now cached
    assert client.get("/fr/").get("X-Page-Cache") == "hit"

    client.force_login(years["c95"])  # a departmental coordination may not publish
    client.post(reverse(CAMPAIGN), {"year": 2026, "action": "publish"})
    assert not PublishedYear.objects.exists()
    page = client.get(reverse(CAMPAIGN), {"year": 2026})
    assert "Publier les chiffres 2026" not in text(page)

    client.force_login(years["national"])
    page = text(client.get(reverse(CAMPAIGN), {"year": 2026}))
    assert "Chiffres 2026 provisoires." in page
    assert "Au niveau national, 1 structure attendue sur 4 a un bilan validé (25 %)." in page
    response = client.post(reverse(CAMPAIGN), {"year": 2026, "action": "publish"}, follow=True)
    assert "Les chiffres 2026 sont publiés" in text(response)
    record = PublishedYear.objects.get(year=2026)
    assert record.published_by == years["national"]
    assert "Chiffres 2026 publiés le" in text(response)
    client.logout()

    assert consolidation.default_year() == 2026
    assert client.get("/fr/observatoire/").url == "/fr/observatoire/2026/"
    api = client.get("/api/v1/results/").json()
    assert api["year"] == 2026 and api["provisional"] is False
    home = client.get("/fr/")
    assert home.get("X-Page-Cache") == "miss"  # publishing purged the page cache
    assert "Les clauses sociales en 2026" in text(home)
    assert "Chiffres 2026 provisoires" not in text(client.get("/fr/observatoire/2026/"))

    # Withdrawn, the year is provisional again.
    client.force_login(years["national"])
    response = client.post(reverse(CAMPAIGN), {"year": 2026, "action": "unpublish"}, follow=True)
    assert "de nouveau provisoires" in text(response)
    assert consolidation.default_year() == 2025


def test_a_year_without_any_validated_report_cannot_be_published(client, years):
    client.force_login(years["national"])
    response = client.post(reverse(CAMPAIGN), {"year": 2027, "action": "publish"}, follow=True)
    assert "Aucun bilan validé pour 2027" in text(response)
    assert not PublishedYear.objects.exists()


def test_the_share_rule(years, settings):
    publication = consolidation.publication(2026)
    assert (publication.reported, publication.expected) == (1, 4)
    assert publication.provisional
    # Three of four: 75 % < 80 %.
    ReportFactory(structure=years["tarascon"], year=2026)
    ReportFactory(structure=years["metro"], year=2026)
    assert not consolidation.is_published(2026) and consolidation.default_year() == 2025
    # The fourth: 100 %.
    StructureReport.objects.filter(structure=years["arles"], year=2026).update(
        status=Status.VALIDATED
    )
    assert consolidation.is_published(2026) and consolidation.default_year() == 2026
    # The share comes from the settings (the environment): 75 % is then enough.
    StructureReport.objects.filter(structure=years["arles"], year=2026).update(
        status=Status.SUBMITTED
    )
    settings.OBSERVATORY_MIN_SHARE = 0.75
    assert consolidation.is_published(2026)
    # Exact at the threshold, whatever floating point says of 0.8 × 15.
    edge = consolidation.Publication(2026, 12, 15, None, Decimal("0.8"))
    assert edge.by_share and edge.percent == 80
    assert not consolidation.Publication(2026, 11, 15, None, Decimal("0.8")).by_share
    # No published year at all: the last reported one, provisional.
    settings.OBSERVATORY_MIN_SHARE = 1
    StructureReport.objects.filter(structure=years["roissy"], year=2025).update(
        status=Status.SUBMITTED
    )
    assert consolidation.default_year() == 2026 and consolidation.publication(2026).provisional
