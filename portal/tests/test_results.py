import csv
import io

import pytest
from django.core.exceptions import ValidationError

from conftest import publish_child, translate
from portal import results
from portal.models import AuthorityHours, ResultsIndexPage
from portal.tests.factories import ResultsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home):
    return publish_child(home, ResultsIndexPage(title="Résultats", slug="resultats"))


@pytest.fixture
def two_years(index):
    previous = ResultsPageFactory(
        year=2024, hours_total=8000, people_total=32, people_women=10, people_men=22
    )
    previous.authority_hours = [AuthorityHours(authority="Ville de Roubaix", hours=3000)]
    previous = publish_child(index, previous)
    current = ResultsPageFactory(
        year=2025,
        hours_total=9000,
        people_total=30,
        people_women=12,
        people_men=18,
        hours_building=6000,
        hours_services=3000,
    )
    current.authority_hours = [
        AuthorityHours(authority="Ville de Roubaix", hours=3600),
        AuthorityHours(authority="Département du Nord", hours=5400),
    ]
    current = publish_child(index, current)
    return previous, current


def test_change_against_previous_year(two_years):
    previous, current = two_years
    assert results.previous_results(current).pk == previous.pk
    figures = {str(f.label): f for f in results.key_figures(current, previous)}
    assert figures["heures d'insertion réalisées"].change == 12.5
    assert figures["personnes bénéficiaires"].change == -6.2
    # Empty figures are left out instead of shown as zero.
    assert "entreprises mobilisées" in figures
    assert "donneurs d'ordre" not in figures


def test_breakdowns_skip_empty_and_compute_shares(two_years):
    previous, current = two_years
    breakdowns = {b.slug: b for b in results.breakdowns(current, previous)}
    assert set(breakdowns) == {"sex", "sector", "authority"}
    women, men = breakdowns["sex"].rows
    assert (women.share, men.share) == (40.0, 60.0)
    assert men.bar == 100.0 and women.bar == pytest.approx(66.7)
    assert women.change == 20.0
    # Authorities are sorted by hours and matched with last year's by name.
    roubaix = [r for r in breakdowns["authority"].rows if r.label == "Ville de Roubaix"][0]
    assert breakdowns["authority"].rows[0].label == "Département du Nord"
    assert roubaix.previous == 3000 and roubaix.change == 20.0


def test_results_page_shows_figures_change_and_accessible_charts(client, two_years):
    response = client.get("/fr/resultats/2025/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "9\u202f000" in html or "9 000" in html or "9\xa0000" in html
    assert "+12,5\xa0% par rapport à 2024" in html
    # Each chart comes with its data table.
    assert html.count('role="img"') == 3
    # Labels are page text (readable size at any width), not text drawn inside a scaled SVG.
    assert html.count('<span class="chart__label">') == html.count('<svg class="chart__bar"') > 0
    assert "<text" not in html
    assert html.count(": données du graphique</caption>") == 3
    assert 'href="/fr/resultats/2025/csv/"' in html


def test_csv_download(client, two_years):
    response = client.get("/fr/resultats/2025/csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="resultats-clauses-sociales-2025.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Rubrique", "Indicateur", "2025", "2024", "Évolution (%)"]
    assert ["Chiffres clés", "heures d'insertion réalisées", "9000", "8000", "12,5"] in rows
    assert ["Heures par donneur d'ordre", "Département du Nord", "5400", "", ""] in rows


def test_csv_in_english_uses_english_labels_and_decimal_point(client, locales, index, two_years):
    translate(index, locales["en"], title="Results", slug="results")
    translate(two_years[0], locales["en"], title="2024 results")
    translate(two_years[1], locales["en"], title="2025 results")
    response = client.get("/en/results/2025/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Section", "Indicator", "2025", "2024", "Change (%)"]
    assert ["Key figures", "insertion hours done", "9000", "8000", "12.5"] in rows


def test_csv_for_a_year_without_figures_says_so(client, index):
    publish_child(
        index,
        ResultsPageFactory(year=2026, hours_total=None, people_total=None, companies_total=None),
    )
    response = client.get("/fr/resultats/2026/csv/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Pas encore de chiffres pour 2026" in response.content.decode()
    page = client.get("/fr/resultats/2026/").content.decode()
    assert "ne sont pas encore publiés" in page
    assert "/csv/" not in page


def test_a_split_larger_than_its_total_is_refused(index):
    page = ResultsPageFactory(year=2023, people_total=10, people_women=8, people_men=5)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "people_women" in error.value.message_dict
    assert "13" in error.value.message_dict["people_women"][0]


def test_index_lists_years_newest_first(client, two_years):
    html = client.get("/fr/resultats/").content.decode()
    assert html.index("Résultats 2025") < html.index("Résultats 2024")


def test_home_shows_latest_figures(client, two_years):
    html = client.get("/fr/").content.decode()
    assert "Les clauses sociales en 2025" in html
    assert 'href="/fr/resultats/2025/"' in html
