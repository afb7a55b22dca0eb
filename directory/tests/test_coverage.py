"""The coverage and lead rules of docs/domain.md, on a small hand-made map."""

import datetime

import pytest
from django.utils import translation

from directory import coverage
from directory.models import LeadDesignation, Territory
from directory.tests.factories import AuthorityFactory, FacilitatorFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
K = Territory.Kind


def designate(territory, facilitator, by="la coordination", **fields):
    return LeadDesignation.objects.create(
        territory=territory, facilitator=facilitator, designated_by=by, **fields
    )


def test_a_commune_is_covered_through_its_epci(land):
    plie = FacilitatorFactory(covers=[land["accm"]])
    assert list(coverage.covering_facilitators(land["tarascon"])) == [plie]
    assert list(coverage.covering_facilitators(land["chateaurenard"])) == []


def test_territorial_lead_through_the_epci(land):
    plie = FacilitatorFactory(covers=[land["accm"]])
    designate(land["accm"], plie, "la CA Arles-Crau-Camargue")
    answer = coverage.answer(land["tarascon"])
    assert answer.status == "lead" and answer.lead == plie and answer.rule == "territory"
    assert answer.designated_on == land["accm"] and answer.contact is None
    assert "désigné par la CA Arles-Crau-Camargue" in answer.explanation


def test_commune_level_designation_beats_epci_level(land):
    metro = FacilitatorFactory(covers=[land["amp"]])
    local = FacilitatorFactory(covers=[land["marseille"]])
    designate(land["amp"], metro)
    designate(land["marseille"], local)
    assert coverage.answer(land["marseille"]).lead == local
    assert coverage.answer(land["pertuis"]).lead == metro


def test_epci_spanning_two_departements(land):
    metro = FacilitatorFactory(covers=[land["amp"]])
    designate(land["amp"], metro)
    pertuis = coverage.answer(land["pertuis"])
    assert pertuis.lead == metro
    assert land["pertuis"] not in coverage.white_zones(land["d84"])


def test_arrondissement_codes_resolve_to_their_commune(land):
    assert Territory.objects.by_code("13203") == land["marseille"]
    assert list(Territory.objects.search("13203")) == [land["marseille"]]


def test_unpublished_facilitators_are_ignored(land):
    draft = FacilitatorFactory(covers=[land["accm"]], live=False)
    designate(land["accm"], draft)
    assert list(coverage.covering_facilitators(land["arles"])) == []
    answer = coverage.answer(land["arles"])
    assert answer.status == "white" and answer.leads == []
    assert "zone blanche" in answer.explanation
    assert land["arles"] in coverage.white_zones()


def test_two_designations_at_the_same_level_are_flagged(land):
    first = FacilitatorFactory(covers=[land["accm"]])
    second = FacilitatorFactory(covers=[land["accm"]])
    designate(land["accm"], first)
    designate(land["accm"], second)
    answer = coverage.answer(land["arles"])
    assert answer.status == "tied" and set(answer.leads) == {first, second}
    assert answer.lead is None and answer.recipient is None
    assert list(coverage.ambiguous_designations()) == [land["accm"]]


def test_single_covering_facilitator_is_contact_not_lead(land):
    only = FacilitatorFactory(covers=[land["arles"]])
    answer = coverage.answer(land["arles"])
    assert answer.status == "contact" and answer.contact == only and answer.lead is None
    assert answer.rule is None and answer.leads == [] and answer.recipient == only


def test_several_covering_facilitators_without_designation(land):
    first = FacilitatorFactory(covers=[land["arles"]])
    second = FacilitatorFactory(covers=[land["accm"]])
    answer = coverage.answer(land["arles"])
    assert answer.status == "several" and answer.recipient is None
    assert set(answer.facilitators) == {first, second} and answer.shown == []


def test_authority_designation_without_territorial_coverage(land):
    officer = FacilitatorFactory()  # covers nothing
    departement = AuthorityFactory(
        name="Département des Bouches-du-Rhône", lead=officer, perimeter=[land["d13"]]
    )
    # White zone for everybody…
    assert land["chateaurenard"] in coverage.white_zones(land["d13"])
    assert coverage.answer(land["chateaurenard"]).status == "white"
    # …but the Département's own works there are led by its officer.
    answer = coverage.answer(land["chateaurenard"], departement)
    assert answer.status == "lead" and answer.lead == officer and answer.rule == "authority"
    assert answer.white_zone and answer.facilitators == []
    assert "par le Département des Bouches-du-Rhône pour ses propres" in answer.explanation
    # Outside its perimeter the designation does not apply.
    assert coverage.answer(land["pertuis"], departement).status == "white"


def test_authority_designation_beats_territorial_one(land):
    plie = FacilitatorFactory(covers=[land["accm"]])
    designate(land["accm"], plie)
    officer = FacilitatorFactory()
    departement = AuthorityFactory(lead=officer, perimeter=[land["d13"]])
    assert coverage.answer(land["arles"], departement).lead == officer
    assert coverage.answer(land["arles"]).lead == plie


def test_white_zones_count_population(land):
    FacilitatorFactory(covers=[land["accm"], land["amp"]])
    white = list(coverage.white_zones(land["d13"]))
    assert white == [land["chateaurenard"]]
    summary = {row.departement.code: row for row in coverage.white_zone_summary()}
    assert summary["13"].communes == 1 and summary["13"].population == 16000
    assert summary["13"].total_communes == 4
    assert summary["84"].communes == 0


def test_departement_coverage_covers_every_commune(land):
    FacilitatorFactory(covers=[land["d13"]])
    assert list(coverage.white_zones(land["d13"])) == []


def test_corsican_codes(db):
    corse = TerritoryFactory(kind=K.DEPARTEMENT, code="2A", name="Corse-du-Sud")
    ajaccio = TerritoryFactory(code="2A004", name="Ajaccio", departement=corse)
    assert Territory.objects.by_code("2a004") == ajaccio
    assert list(Territory.objects.search("2A004")) == [ajaccio]
    assert ajaccio.departement_code == "2A"
    facilitator = FacilitatorFactory(covers=[corse])
    assert list(coverage.covering_facilitators(ajaccio)) == [facilitator]


def test_records_to_reverify(db):
    old = FacilitatorFactory(last_verified=datetime.date(2025, 1, 10))
    FacilitatorFactory(last_verified=datetime.date(2026, 6, 1))
    assert list(coverage.to_reverify(today=datetime.date(2026, 11, 22))) == [old]


def test_codes_shared_by_two_levels_prefer_the_most_specific(db):
    region = TerritoryFactory(kind=K.REGION, code="93", name="Provence-Alpes-Côte d'Azur")
    seine = TerritoryFactory(kind=K.DEPARTEMENT, code="93", name="Seine-Saint-Denis")
    assert Territory.objects.by_code("93") == seine
    assert region != seine


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "Chef de file désigné par la CA Arles-Crau-Camargue pour son territoire. En "
            "vigueur depuis le 1er mars 2026 (Délibération 2026-045 du conseil communautaire).",
        ),
        (
            "en",
            "Lead designated by the Arles-Crau-Camargue urban community for its territory. "
            "In force since 1 March 2026 (Délibération 2026-045 du conseil communautaire).",
        ),
    ],
)
def test_explanations_speak_each_language(land, language, expected):
    plie = FacilitatorFactory(covers=[land["accm"]])
    designate(
        land["accm"],
        plie,
        "CA Arles-Crau-Camargue",
        starts_on=datetime.date(2026, 3, 1),
        reference="Délibération 2026-045 du conseil communautaire",
    )
    answer = coverage.answer(land["arles"])
    with translation.override(language):
        assert answer.explanation == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "Chef de file désigné par la Métropole d'Aix-Marseille-Provence pour la commune de "
            "Marseille. En vigueur du 1er mars 2026 au 28 février 2099.",
        ),
        (
            "en",
            "Lead designated by the Aix-Marseille-Provence metropolis for Marseille. In force "
            "from 1 March 2026 to 28 February 2099.",
        ),
    ],
)
def test_explanations_name_who_designated_and_where(land, language, expected):
    local = FacilitatorFactory(covers=[land["marseille"]])
    designate(
        land["marseille"],
        local,
        "la Métropole d'Aix-Marseille-Provence",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2099, 2, 28),
    )
    with translation.override(language):
        assert coverage.answer(land["marseille"]).explanation == expected


def test_buyer_ids_are_ascii_digits_only(land):
    officer = FacilitatorFactory()
    authority = AuthorityFactory(lead=officer, perimeter=[land["d13"]])
    assert coverage.buyer_choice({"authority": str(authority.pk)})[1] == authority
    assert coverage.buyer_choice({"donneur": str(authority.pk)})[1] == authority
    for value in ("²", "٣", "1e3", "-1", "99999999999999999999", " ", "\x00"):
        assert coverage.buyer_choice({"authority": value})[1] is None
        assert coverage.find_buyer(value) is None


def test_answers_follow_every_change_of_the_published_directory(land):
    """`coverage.published()` keeps the directory in memory between answers: a publication,
    an unpublication, a new designation, a coverage change and a coordination's edit are
    each in the next answer; a change rolled back is in none."""
    from django.db import transaction

    from directory.tests.factories import CoordinationFactory

    tarascon = land["tarascon"]
    assert coverage.answer(tarascon).status == "white"
    plie = FacilitatorFactory(live=False, covers=[land["accm"]])
    assert coverage.answer(tarascon).status == "white"  # a draft
    plie.save_revision().publish()
    assert coverage.answer(tarascon).contact == plie
    designate(land["accm"], plie)
    assert coverage.answer(tarascon).lead == plie
    plie.coverage.set([land["arles"]])
    assert coverage.answer(tarascon).facilitators == []
    coordination = CoordinationFactory(name="Coordination nationale")
    assert coverage.answer(tarascon).coordination.name == "Coordination nationale"
    coordination.name = "Coordination nationale des clauses"
    coordination.save()
    assert coverage.answer(tarascon).coordination.name == "Coordination nationale des clauses"
    with pytest.raises(RuntimeError), transaction.atomic():
        plie.coverage.add(land["tarascon"])
        assert coverage.answer(tarascon).contact is None  # designated: the lead
        raise RuntimeError("rolled back")
    assert coverage.answer(tarascon).facilitators == []
    plie.refresh_from_db()  # published from its revision: this copy still says draft
    plie.unpublish()
    assert coverage.answer(land["arles"]).status == "white"
