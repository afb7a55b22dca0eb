"""The consolidation rule (docs/domain.md, "Consolidated results")."""

import pytest

from directory.tests.factories import FacilitatorFactory, StructureFactory
from observatory import consolidation
from observatory.models import ReportDepartementSplit, StructureReport
from observatory.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(land):
    """Arles PLIE (13 only), the Métropole team (EPCI spanning 13 and 84, most people in 13),
    a Vaucluse structure (84 only), and a structure that never reports (13)."""
    arles = FacilitatorFactory(covers=[land["accm"]], structure__name="PLIE Arles").structure
    metro = FacilitatorFactory(covers=[land["amp"]], structure__name="Métropole").structure
    vaucluse = FacilitatorFactory(covers=[land["d84"]], structure__name="Vaucluse").structure
    silent = FacilitatorFactory(covers=[land["tarascon"]], structure__name="Silencieuse").structure
    return {**land, "arles": arles, "metro": metro, "vaucluse": vaucluse, "silent": silent}


def test_national_figures_are_the_sum_of_validated_reports_only(network):
    ReportFactory(structure=network["arles"], hours_total=9000, people_total=30)
    ReportFactory(structure=network["metro"], hours_total=200_000, people_total=600)
    ReportFactory(structure=network["vaucluse"], hours_total=5000, people_total=None)
    ReportFactory(
        structure=network["silent"], hours_total=777, status=StructureReport.Status.SUBMITTED
    )
    ReportFactory(structure=network["arles"], year=2023, hours_total=1)  # another year

    national = consolidation.consolidate(2024)

    assert national.totals["hours_total"] == 9000 + 200_000 + 5000
    assert national.totals["people_total"] == 630
    assert {s.name for s in national.reported} == {"PLIE Arles", "Métropole", "Vaucluse"}
    assert [s.name for s in national.missing] == ["Silencieuse"]
    assert national.statement == "3 structures sur 4 ont transmis leur bilan 2024."


def test_departements_add_up_to_the_nation_and_the_region_sums_them(network):
    ReportFactory(structure=network["arles"], hours_total=9000)
    ReportFactory(structure=network["metro"], hours_total=200_000)
    ReportFactory(structure=network["vaucluse"], hours_total=5000)
    d13 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, network["d13"])
    d84 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, network["d84"])
    region = consolidation.consolidate(2024, consolidation.REGION, network["region"])
    national = consolidation.consolidate(2024)
    assert d13.hours_total + d84.hours_total == national.hours_total
    assert region.hours_total == national.hours_total


def test_a_structure_over_several_departements_counts_where_most_of_its_people_live(network):
    """The Métropole covers Marseille (870,000, 13) and Pertuis (20,000, 84): no split given,
    so the whole report counts in the Bouches-du-Rhône, and the page says so."""
    ReportFactory(structure=network["metro"], hours_total=200_000, hours_services=80_000)
    d13 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, network["d13"])
    d84 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, network["d84"])
    assert d13.hours_total == 200_000
    assert d13.hours_services == 80_000
    assert d84.hours_total is None
    (placement,) = d13.placements
    assert placement.mode == consolidation.MAJORITY
    assert "Bouches-du-Rhône" in placement.explanation
    assert "le plus peuplé" in placement.explanation
    # It is expected in both départements, and has reported in both.
    assert network["metro"] in d84.expected and network["metro"] in d84.reported


def test_a_split_by_departement_is_followed(network):
    report = ReportFactory(
        structure=network["metro"], hours_total=10_000, people_total=40, companies_total=7
    )
    ReportDepartementSplit.objects.create(
        report=report, departement=network["d13"], hours=6000, people=25
    )
    ReportDepartementSplit.objects.create(
        report=report, departement=network["d84"], hours=4000, people=15
    )
    d13 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, network["d13"])
    d84 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, network["d84"])
    assert (d13.hours_total, d13.people_total) == (6000, 25)
    assert (d84.hours_total, d84.people_total) == (4000, 15)
    # Indicators without a split go to the split's main département (most hours).
    assert d13.companies_total == 7 and d84.companies_total is None
    assert d84.placements[0].mode == consolidation.SPLIT
    assert consolidation.consolidate(2024).hours_total == 10_000


def test_a_split_that_does_not_add_up_is_refused_and_the_majority_rule_applies(network):
    report = ReportFactory(structure=network["metro"], hours_total=10_000)
    row = ReportDepartementSplit(report=report, departement=network["d84"], hours=9000)
    row.save()
    assert consolidation.split_errors(report, [row])
    placement = consolidation.place(report, consolidation.coverage_populations())
    assert placement.mode == consolidation.MAJORITY
    assert list(placement.parts) == [network["d13"].pk]


def test_unreported_and_uncovered_structures(network):
    officer = FacilitatorFactory(structure__name="Chargée du Département").structure
    ReportFactory(structure=officer, hours_total=3000)
    d13 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, network["d13"])
    national = consolidation.consolidate(2024)
    assert d13.hours_total is None  # no coverage: national figures only
    assert national.hours_total == 3000
    assert d13.statement == "Aucune structure sur 3 n'a transmis son bilan 2024."
    assert {s.name for s in d13.missing} == {"PLIE Arles", "Métropole", "Silencieuse"}
    placement = consolidation.place(
        StructureReport.objects.get(structure=officer), consolidation.coverage_populations()
    )
    assert placement.mode == consolidation.UNPLACED


def test_trends_cover_at_most_ten_years(network):
    for year in range(2012, 2026):
        ReportFactory(structure=network["arles"], year=year, hours_total=year)
    trend = consolidation.territory_trend(consolidation.DEPARTEMENT, network["d13"])
    assert [year for year, _c in trend] == list(range(2016, 2026))
    assert trend[-1][1].hours_total == 2025


def test_hours_per_thousand_inhabitants_and_no_report(network):
    ReportFactory(structure=network["vaucluse"], hours_total=5000)
    rows = {row.departement.code: row for row in consolidation.hours_by_departement(2024)}
    assert rows["84"].per_thousand == 250.0  # 5,000 h for Pertuis's 20,000 inhabitants
    assert rows["13"].hours is None and rows["13"].per_thousand is None


def test_a_new_structure_gets_a_unique_slug():
    first = StructureFactory(name="PLIE du Sud")
    second = StructureFactory(name="PLIE du Sud !")
    assert first.slug == "plie-du-sud"
    assert second.slug == "plie-du-sud-2"


def test_populations_covered_follow_the_answers_rule_named_perimeters_included(land):
    """A structure whose facilitator covers a named perimeter (Pertuis and Tarascon) is
    expected where those communes are, with their populations, each commune once even when
    two of its facilitators cover it; a draft facilitator counts for nothing."""
    from directory.models import NamedPerimeter, PerimeterMember

    perimeter = NamedPerimeter.objects.create(name="Pays", code="P0001", search_name="pays")
    for member in (land["pertuis"], land["tarascon"]):
        PerimeterMember.objects.create(perimeter=perimeter, territory=member)
    pays = FacilitatorFactory(covers=[perimeter], structure__name="Pays").structure
    FacilitatorFactory(structure=pays, covers=[land["accm"]])  # Arles and Tarascon again
    FacilitatorFactory(covers=[land["marseille"]], structure__name="Brouillon", live=False)
    populations = consolidation.coverage_populations()
    assert populations == {
        pays.pk: {land["d84"].pk: 20000, land["d13"].pk: 15000 + 52000},
    }
    d84 = consolidation.consolidate(2024, consolidation.DEPARTEMENT, land["d84"])
    assert pays in d84.expected
