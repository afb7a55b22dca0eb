"""Named perimeters: their place in the lead rule (commune → perimeter → EPCI → département →
région), the batch answers, the explanation, and the list of codes a coordinator imports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from shapely.geometry import box, mapping

from directory import coverage, perimeters
from directory.models import LeadDesignation, NamedPerimeter, PerimeterMember, Territory
from directory.tests.factories import FacilitatorFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
K = Territory.Kind
AMP = "la Métropole d'Aix-Marseille-Provence"


def designate(territory, facilitator, by=AMP):
    return LeadDesignation.objects.create(
        territory=territory, facilitator=facilitator, designated_by=by
    )


def make_perimeter(name, members, code=None):
    perimeter = NamedPerimeter.objects.create(
        name=name, code=code or perimeters.next_code(), search_name=name.lower()
    )
    for member in members:
        PerimeterMember.objects.create(perimeter=perimeter, territory=member)
    return perimeters.refresh(perimeter)


@pytest.fixture
def pays(land):
    """A "Pays d'Arles" perimeter made of Arles (a commune) and the CA Terre de Provence (an
    EPCI, so Châteaurenard is in it)."""
    return make_perimeter("Pays d'Arles", [land["arles"], land["tdp"]])


def test_the_perimeter_ranks_between_the_commune_and_the_epci(land, pays):
    assert [level for level, _t in coverage.containing_territories(land["arles"])] == [
        K.COMMUNE,
        K.PERIMETER,
        K.EPCI,
        K.DEPARTEMENT,
        K.REGION,
    ]
    epci_lead = FacilitatorFactory(last_name="Epci", covers=[land["accm"]])
    designate(land["accm"], epci_lead, "la CA Arles-Crau-Camargue")
    perimeter_lead = FacilitatorFactory(last_name="Pays", covers=[pays])
    designate(pays, perimeter_lead)
    arles = coverage.answer(land["arles"])
    assert (arles.status, arles.lead, arles.designated_on) == ("lead", perimeter_lead, pays)
    assert arles.perimeters == [pays]
    assert arles.perimeter_data == [{"code": pays.code, "name": "Pays d'Arles"}]
    # Tarascon is in the EPCI, not in the perimeter: the EPCI's lead.
    assert coverage.answer(land["tarascon"]).lead == epci_lead
    assert coverage.answer(land["tarascon"]).perimeters == []
    # Châteaurenard is in the perimeter through its EPCI.
    chateaurenard = coverage.answer(land["chateaurenard"])
    assert chateaurenard.lead == perimeter_lead and chateaurenard.perimeters == [pays]
    # The commune's own designation beats the perimeter's.
    own = FacilitatorFactory(last_name="Commune", covers=[land["arles"]])
    designate(land["arles"], own, "la Ville d'Arles")
    assert coverage.answer(land["arles"]).lead == own


def test_a_covered_perimeter_covers_its_communes(land, pays):
    assert coverage.answer(land["chateaurenard"]).status == "white"
    facilitator = FacilitatorFactory(covers=[pays])
    assert coverage.answer(land["chateaurenard"]).contact == facilitator
    white = set(coverage.white_zones().values_list("code", flat=True))
    assert "13027" not in white and "13004" not in white and "13108" in white


def test_two_designated_perimeters_containing_a_commune_tie(land, pays):
    other = make_perimeter("Bassin d'emploi d'Arles", [land["arles"]])
    designate(pays, FacilitatorFactory(last_name="Aaa", covers=[pays]))
    designate(other, FacilitatorFactory(last_name="Bbb", covers=[other]), "la coordination")
    assert coverage.answer(land["arles"]).status == "tied"
    assert coverage.answer(land["chateaurenard"]).status == "lead"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "Chef de file désigné par la Métropole d'Aix-Marseille-Provence pour le territoire "
            "du Pays d'Aix. En vigueur depuis le 1er mars 2026.",
        ),
        (
            "en",
            "Lead designated by the Aix-Marseille-Provence metropolis for the Pays d'Aix area. "
            "In force since 1 March 2026.",
        ),
    ],
)
def test_the_explanation_names_the_perimeter(land, language, expected):
    aix = make_perimeter("Pays d'Aix", [land["marseille"]])
    designation = designate(aix, FacilitatorFactory(covers=[aix]))
    designation.starts_on = datetime.date(2026, 3, 1)
    designation.save()
    with translation.override(language):
        assert coverage.answer(land["marseille"]).explanation == expected


def test_batch_answers_agree_and_take_a_constant_number_of_queries(land, pays):
    designate(pays, FacilitatorFactory(last_name="Pays", covers=[pays]))
    FacilitatorFactory(last_name="Epci", covers=[land["accm"]])
    communes = Territory.objects.communes()

    def compare():
        for batch in coverage.answers(communes):
            one = coverage.answer(batch.commune)
            for name in ("status", "rule", "designated_on", "explanation"):
                assert getattr(batch, name) == getattr(one, name), (batch.commune, name)
            assert [p.pk for p in batch.perimeters] == [p.pk for p in one.perimeters]
            assert [f.pk for f in batch.leads] == [f.pk for f in one.leads]

    compare()
    coverage.forget()  # the published directory read again, both times
    with CaptureQueriesContext(connection) as few:
        coverage.answers(communes)
    for n in range(5):
        commune = TerritoryFactory(name=f"Ajout {n}", epci=land["tdp"], departement=land["d13"])
        make_perimeter(f"Périmètre {n}", [commune])
    coverage.forget()
    with CaptureQueriesContext(connection) as many:
        coverage.answers(communes)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as kept:  # nothing changed: one query to check
        coverage.answers(communes)
    assert len(kept) < len(few)
    compare()


def test_outline_and_population_come_from_the_communes(land):
    land["arles"].outline = mapping(box(4.5, 43.5, 4.7, 43.7))
    land["arles"].save()
    land["chateaurenard"].outline = mapping(box(4.7, 43.8, 4.9, 43.9))
    land["chateaurenard"].save()
    pays = make_perimeter("Pays d'Arles", [land["arles"], land["tdp"]])
    stored = Territory.objects.with_outline().get(pk=pays.pk)
    assert stored.population == 52000 + 16000
    assert stored.outline["type"] == "MultiPolygon"
    assert (stored.min_lon, stored.max_lat) == (4.5, 43.9)
    assert stored.departement == land["d13"] and stored.region == land["region"]


def test_a_list_of_codes_names_each_unknown_code(land):
    result = perimeters.read_codes("13004, 200035087\n13203 ; 99999 13 abc 123456789 13004")
    assert result.territories == [land["arles"], land["tdp"], land["marseille"]]
    assert result.unknown == [
        ("99999", "commune"),
        ("13", "format"),
        ("ABC", "format"),
        ("123456789", "epci"),
    ]


@pytest.fixture
def coordinator_client(client, db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from directory.groups import COORDINATORS
    from directory.tests.factories import CoordinationFactory

    user = get_user_model().objects.create_user("coord", "coord@example.org", "pass")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    CoordinationFactory(name="Coordination nationale", members=[user])  # sees everything
    client.force_login(user)
    return client


def form_data(name, codes="", members=()):
    data = {
        "name": name,
        "codes": codes,
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for n, member in enumerate(members):
        data[f"members-{n}-territory"] = str(member.pk)
        data[f"members-{n}-id"] = ""
        data[f"members-{n}-ORDER"] = str(n)
        data[f"members-{n}-DELETE"] = ""
    return data


def test_a_coordinator_imports_a_perimeter_from_codes(coordinator_client, land):
    from django.urls import reverse

    add = reverse("wagtailsnippets_directory_namedperimeter:add")
    assert coordinator_client.get(add).status_code == 200
    response = coordinator_client.post(add, form_data("Pays d'Arles", "13004\n200035087 99999"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "« 99999 » : aucune commune chargée n&#x27;a ce code INSEE." in body
    assert not NamedPerimeter.objects.exists()  # nothing saved

    response = coordinator_client.post(
        add, form_data("Pays d'Arles", "13004, 200035087", members=[land["tarascon"]])
    )
    assert response.status_code == 302
    pays = NamedPerimeter.objects.get()
    assert pays.kind == K.PERIMETER and pays.code == "P0001"
    assert set(pays.members.values_list("territory__code", flat=True)) == {
        "13004",
        "200035087",
        "13108",
    }
    assert pays.population == 52000 + 16000 + 15000
    assert coverage.answer(land["chateaurenard"]).perimeters[0].pk == pays.pk

    # A département is not a member.
    response = coordinator_client.post(add, form_data("Trop grand", members=[land["d13"]]))
    assert response.status_code == 200
    assert "Un périmètre se compose de communes et d&#x27;EPCI" in response.content.decode()
