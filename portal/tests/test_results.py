"""The yearly national results page shows the observatory's consolidation of the structures'
validated reports (`portal.results.national_figures`), compared with the year before, with
the editors' introduction and notes; one list of indicators makes the reports and the pages."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from conftest import publish_child, translate
from observatory.models import PublishedYear, ReportAuthorityHours, StructureReport
from observatory.tests.factories import ReportFactory
from portal import results
from portal.models import ResultsIndexPage, ResultsPage
from portal.tests.factories import ResultsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home):
    return publish_child(home, ResultsIndexPage(title="Résultats", slug="resultats"))


def _report(year, authorities=(), **figures):
    report = ReportFactory(year=year, **figures)
    for authority, hours in authorities:
        ReportAuthorityHours.objects.create(report=report, authority=authority, hours=hours)
    return report


@pytest.fixture
def two_years(index):
    """Two structures' validated reports for 2024 and 2025 (with no coverage: they count in
    the national figures), and the two yearly pages."""
    _report(2024, [("Ville de Roubaix", 3000)], hours_total=5000, people_total=20, people_women=6)
    _report(2024, hours_total=3000, people_total=12, people_women=4, people_men=22)
    _report(
        2025,
        [("Ville de Roubaix", 3600), ("Département du Nord", 5400)],
        hours_total=9000,
        people_total=30,
        people_women=12,
        people_men=18,
        hours_building=6000,
        hours_services=3000,
        companies_total=7,
    )
    # Neither a draft nor a submitted report counts.
    _report(2025, hours_total=99_999, status=StructureReport.Status.SUBMITTED)
    # Both years published by the national coordination (not provisional: compared).
    for year in (2024, 2025):
        PublishedYear.objects.create(year=year)
    previous = publish_child(index, ResultsPageFactory(year=2024))
    current = publish_child(
        index,
        ResultsPageFactory(
            year=2025,
            intro="<p>Une année de chantiers.</p>",
            notes="<p>Les heures des marchés de services sont comptées à part.</p>",
        ),
    )
    return previous, current


def test_the_page_has_no_figure_of_its_own_and_reports_have_every_indicator():
    page_fields = {field.name for field in ResultsPage._meta.get_fields()}
    assert not page_fields & set(results.indicator_fields())
    assert {"year", "intro", "notes"} <= page_fields
    report_fields = {field.name for field in StructureReport._meta.get_fields()}
    assert set(results.indicator_fields()) <= report_fields
    labels = dict(results.indicator_labels())
    assert StructureReport._meta.get_field("hours_total").verbose_name == labels["hours_total"]


def test_the_national_figures_are_the_sum_of_the_validated_reports(two_years):
    figures = results.national_figures(2025)
    assert figures.hours_total == 9000 and figures.people_total == 30
    assert results.national_figures(2024).hours_total == 8000
    assert results.national_figures(2026) is None  # nothing validated: no figures


def test_change_against_previous_year(two_years):
    previous, current = two_years
    assert results.previous_results(current).pk == previous.pk
    figures = {
        str(f.label): f
        for f in results.key_figures(results.national_figures(2025), results.national_figures(2024))
    }
    assert figures["heures d'insertion réalisées"].change == 12.5
    assert figures["personnes bénéficiaires"].change == -6.2
    # Empty figures are left out instead of shown as zero.
    assert "entreprises mobilisées" in figures
    assert "donneurs d'ordre" not in figures


def test_breakdowns_skip_empty_and_compute_shares(two_years):
    current, previous = results.national_figures(2025), results.national_figures(2024)
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


def test_results_page_shows_the_consolidation_intro_notes_and_charts(client, two_years):
    response = client.get("/fr/resultats/2025/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "9\u202f000" in html or "9 000" in html or "9\xa0000" in html
    assert "99\u202f999" not in html and "99 999" not in html  # submitted, not validated
    assert "+12,5\xa0% par rapport à 2024" in html
    assert "Une année de chantiers." in html
    assert html.index("Une année de chantiers.") < html.index("Chiffres clés")
    assert html.index("Chiffres clés") < html.index("comptées à part")  # notes below
    assert "Bilans des structures en 2025" in html  # how the figures were made
    assert html.count("Chiffres clés</h2>") == 1  # one set of figures, not two
    # Each chart comes with its data table.
    assert html.count('role="img"') == 3
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
    translate(two_years[1], locales["en"], title="2025 results", notes="<p>Services apart.</p>")
    response = client.get("/en/results/2025/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Section", "Indicator", "2025", "2024", "Change (%)"]
    assert ["Key figures", "insertion hours done", "9000", "8000", "12.5"] in rows
    html = client.get("/en/results/2025/").content.decode()
    assert "+12.5% compared with 2024" in html and "Services apart." in html


def test_a_year_without_validated_reports_says_so(client, index):
    ReportFactory(year=2026, hours_total=500, status=StructureReport.Status.DRAFT)
    publish_child(index, ResultsPageFactory(year=2026, notes="<p>Bilans attendus en mars.</p>"))
    response = client.get("/fr/resultats/2026/csv/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Pas encore de chiffres pour 2026" in response.content.decode()
    page = client.get("/fr/resultats/2026/").content.decode()
    assert "ne sont pas encore publiés" in page and "Bilans attendus en mars." in page
    assert "/csv/" not in page


def test_a_split_larger_than_its_total_is_refused_in_a_report():
    report = ReportFactory.build(
        structure=ReportFactory().structure, year=2023, people_total=10, people_women=8
    )
    report.people_men = 5
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "people_women" in error.value.message_dict
    assert "13" in error.value.message_dict["people_women"][0]


def test_index_lists_years_newest_first_with_their_figures(client, two_years):
    html = client.get("/fr/resultats/").content.decode()
    assert html.index("Résultats 2025") < html.index("Résultats 2024")
    assert "8\u202f000" in html or "8 000" in html or "8\xa0000" in html


def test_home_shows_latest_figures(client, two_years):
    html = client.get("/fr/").content.decode()
    assert "Les clauses sociales en 2025" in html
    assert 'href="/fr/resultats/2025/"' in html


def test_the_migration_drops_the_figures_and_nothing_an_editor_wrote():
    """The hand-typed figures (and hours by authority) go; the title, introduction, SEO
    fields and every other column of the pages stay, and notes are added empty."""
    import importlib

    from django.db.migrations import operations as ops

    migration = importlib.import_module("portal.migrations.0006_results_from_consolidation")
    kinds = {type(op) for op in migration.Migration.operations}
    assert kinds == {ops.RemoveField, ops.DeleteModel, ops.AddField, ops.AlterField}
    removed = {
        (op.model_name, op.name)
        for op in migration.Migration.operations
        if isinstance(op, ops.RemoveField)
    }
    assert removed == {("resultspage", name) for name in results.indicator_fields()}
    deleted = [op.name for op in migration.Migration.operations if isinstance(op, ops.DeleteModel)]
    assert deleted == ["AuthorityHours"]  # the hours by authority, figures too
    added = [op for op in migration.Migration.operations if isinstance(op, ops.AddField)]
    assert [(op.name, op.field.blank) for op in added] == [("notes", True)]
    altered = [op.name for op in migration.Migration.operations if isinstance(op, ops.AlterField)]
    assert altered == ["intro"]  # its label and help text only: the text is kept
