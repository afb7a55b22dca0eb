"""The demo directory reproduces every rule of docs/domain.md on the real territories."""

import pytest

from demo import directory as demo
from directory import coverage
from directory.models import ContractingAuthority, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_directory(db):
    demo.build()
    assert demo.build(load=False) == 0  # idempotent
    return {a.name: a for a in ContractingAuthority.objects.all()}


def lead(code, authority=None):
    return coverage.lead_for(Territory.objects.by_code(code), authority)


def test_demo_rules(demo_directory):
    tarascon = lead("13108")
    assert tarascon.lead.structure.name == "PLIE Arles Crau Camargue Montagnette"
    assert tarascon.designated_on.code == "241300417"
    assert "la CA Arles-Crau-Camargue-Montagnette" in tarascon.explanation

    assert lead("13027").leads == []  # Châteaurenard, CA Terre de Provence
    assert lead("13100").leads == []  # Saint-Rémy-de-Provence, CC Vallée des Baux-Alpilles
    for code in ("13201", "13208", "13216"):
        assert lead(code).lead.structure.name == "PLIE Marseille Provence Métropole Centre"

    roubaix = lead("59512")
    assert roubaix.lead.structure.name.startswith("Maison de l'Initiative et de l'Emploi")
    assert lead("59350").lead.structure.name.startswith("Métropole Européenne de Lille")

    departement = demo_directory["Département des Bouches-du-Rhône"]
    for code in ("13027", "13108", "13055"):
        answer = lead(code, departement)
        assert answer.rule == "authority"
        assert answer.lead.last_name == "Chevalier"
    assert lead("59512", departement).lead.structure.name.startswith("Maison de l'Initiative")

    assert lead("95018").lead.structure.name.startswith("Coordination départementale")
    roissy = Territory.objects.communes().filter(epci__code="200055655").first()
    assert lead(roissy.code).lead.structure.name.startswith("Maison de l'Emploi de la CA Roissy")
    assert lead("40065").leads == []  # Capbreton: Landes outside the Seignanx
    seignanx = Territory.objects.communes().filter(epci__code="244000659").first()
    assert lead(seignanx.code).lead.structure.name == "CBE du Seignanx"

    summary = {row.departement.code: row for row in coverage.white_zone_summary()}
    assert summary["92"].communes == summary["92"].total_communes == 36
    assert summary["95"].communes == 0
    assert summary["13"].communes == 23
    assert list(coverage.ambiguous_designations()) == []


def test_batch_statuses_agree_with_the_rules_commune_by_commune(demo_directory):
    """The map's batch computation gives, for every commune of the demo, the same covering
    facilitators, lead, rule and explanation as the per-commune rule functions."""
    communes = Territory.objects.communes().filter(departement__code__in=["13", "59", "95"])
    checked = 0
    for status in coverage.statuses(communes):
        one = coverage.lead_for(status.commune)
        assert [f.pk for f in status.answer.leads] == [f.pk for f in one.leads], status.commune
        assert (status.answer.rule, status.answer.explanation) == (one.rule, one.explanation)
        covering = coverage.covering_facilitators(status.commune)
        assert [f.pk for f in status.covering] == [f.pk for f in covering]
        checked += 1
    assert checked == communes.count() > 800


def test_batch_statuses_take_a_constant_number_of_queries(
    demo_directory, django_assert_max_num_queries
):
    communes = Territory.objects.communes().filter(departement__code="59")
    with django_assert_max_num_queries(4):
        statuses = coverage.statuses(communes)
    assert len(statuses) > 600
    assert sum(status.white_zone for status in statuses) > 0
