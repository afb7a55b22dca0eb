"""White zones one can act on: the facilitators of the nearest covered communes (town hall to
town hall, at most 3, within 30 km), named as not covering the commune."""

import pytest

from conftest import publish_child, text, translate
from directory import coverage
from directory.models import DirectoryPage, NamedPerimeter, PerimeterMember, Territory
from directory.tests.factories import FacilitatorFactory

pytestmark = pytest.mark.django_db

TOWN_HALLS = {
    "arles": (4.6278, 43.6766),
    "tarascon": (4.6603, 43.8058),
    "chateaurenard": (4.8547, 43.8825),
    "marseille": (5.3698, 43.2965),
    "pertuis": (5.5019, 43.6942),
}


@pytest.fixture
def placed(land):
    for key, (lon, lat) in TOWN_HALLS.items():
        land[key].lon, land[key].lat = lon, lat
        land[key].save()
    return land


def test_haversine_distances():
    assert coverage.distance_km(2.3522, 48.8566, 5.3698, 43.2965) == pytest.approx(661, abs=2)
    assert coverage.distance_km(4.85, 43.88, 4.85, 43.88) == 0


def test_nearest_facilitators_nearest_first_within_30_km(placed):
    tarascon = FacilitatorFactory(last_name="Aubert", covers=[placed["tarascon"]])
    arles = FacilitatorFactory(last_name="Benoit", covers=[placed["arles"]])
    FacilitatorFactory(last_name="Caron", covers=[placed["marseille"]])  # about 75 km away
    answer = coverage.answer(placed["chateaurenard"])
    assert answer.status == "white"
    expected = [
        (tarascon, placed["tarascon"], *TOWN_HALLS["tarascon"]),
        (arles, placed["arles"], *TOWN_HALLS["arles"]),
    ]
    assert [(n.facilitator, n.commune) for n in answer.nearest] == [e[:2] for e in expected]
    for near, (_f, _c, lon, lat) in zip(answer.nearest, expected, strict=True):
        assert near.distance == round(coverage.distance_km(4.8547, 43.8825, lon, lat), 1)
    assert 17 < answer.nearest[0].distance < 19 and 27 < answer.nearest[1].distance < 30
    assert answer.nearest_data[0] == {
        "facilitator": tarascon.pk,
        "distance_km": answer.nearest[0].distance,
        "commune": "13108",
    }
    # Not a white zone: nobody "nearest".
    assert coverage.answer(placed["tarascon"]).nearest == []


def test_at_most_three_each_once(placed):
    accm = FacilitatorFactory(last_name="Aaa", covers=[placed["accm"]])  # Arles and Tarascon
    others = [
        FacilitatorFactory(last_name=name, covers=[placed["tarascon"]]) for name in ("Bbb", "Ccc")
    ]
    FacilitatorFactory(last_name="Ddd", covers=[placed["tarascon"]])
    nearest = coverage.answer(placed["chateaurenard"]).nearest
    assert [n.facilitator for n in nearest] == [accm, *others]
    assert {n.commune for n in nearest} == {placed["tarascon"]}


def test_unpublished_and_far_facilitators_are_not_named(placed):
    FacilitatorFactory(last_name="Draft", covers=[placed["tarascon"]], live=False)
    FacilitatorFactory(last_name="Far", covers=[placed["pertuis"]])  # about 60 km
    assert coverage.answer(placed["chateaurenard"]).nearest == []


@pytest.mark.parametrize(
    ("url", "heading", "line"),
    [
        (
            "/fr/annuaire/communes/13027/",
            "Facilitateurs les plus proches, qui ne couvrent pas cette commune",
            'À 17,8 km : couvre <a href="/fr/annuaire/communes/13108/">Tarascon</a>, pas cette '
            "commune.",
        ),
        (
            "/en/directory/communes/13027/",
            "Nearest facilitators, who do not cover this commune",
            '17.8 km away: covers <a href="/en/directory/communes/13108/">Tarascon</a>, not this '
            "commune.",
        ),
    ],
)
def test_the_commune_page_names_them_as_not_covering(
    client, home, locales, placed, url, heading, line
):
    page = publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    translate(page, locales["en"], title="Directory", slug="directory")
    FacilitatorFactory(first_name="Léa", last_name="Aubert", covers=[placed["tarascon"]])
    body = " ".join(text(client.get(url)).split())
    assert 'data-status="white"' in body
    assert heading in body and "Léa Aubert" in body
    assert line in body, body[body.find("card__distance") - 20 : body.find("card__distance") + 300]


def reference_nearest(commune, count=3, radius=30):
    """The nearest facilitators as the rule reads: every commune's answer (`answers()`), the
    covered ones within the radius, nearest first."""
    others = coverage.answers(Territory.objects.communes().exclude(pk=commune.pk))
    near = sorted(
        (coverage.distance_km(commune.lon, commune.lat, a.commune.lon, a.commune.lat), a)
        for a in others
        if a.facilitators and a.commune.lon is not None
    )
    chosen = []
    for distance, found in near:
        for facilitator in found.facilitators:
            if distance <= radius and facilitator not in [f for f, _d, _c in chosen]:
                chosen.append((facilitator, round(distance, 1), found.commune))
    return chosen[:count]


@pytest.mark.parametrize("covered_by", ["perimeter", "epci", "departement", "region", "commune"])
def test_nearest_read_through_every_kind_of_coverage(placed, covered_by):
    """A facilitator covers Tarascon through a named perimeter holding its EPCI, the EPCI,
    its département, its région or the commune itself (Châteaurenard, the white zone, is
    taken out of that département or région): the nearest are those the whole-directory
    answers give, in the same order."""
    perimeter = NamedPerimeter.objects.create(
        name="Pays d'Arles", code="P0001", search_name="pays d arles"
    )
    PerimeterMember.objects.create(perimeter=perimeter, territory=placed["accm"])
    territory = {
        "perimeter": perimeter,
        "epci": placed["accm"],
        "departement": placed["d13"],
        "region": placed["region"],
        "commune": placed["tarascon"],
    }[covered_by]
    zola = FacilitatorFactory(last_name="Zola", covers=[territory])
    FacilitatorFactory(last_name="Abel", covers=[placed["arles"]])
    FacilitatorFactory(last_name="Hidden", covers=[territory], live=False)
    white = placed["chateaurenard"]
    if covered_by in ("departement", "region"):
        setattr(white, covered_by, None)
        white.save()
    answer = coverage.answer(white)
    assert answer.status == "white"
    got = [(n.facilitator, n.distance, n.commune) for n in answer.nearest]
    assert got == reference_nearest(white)
    assert zola in [facilitator for facilitator, _d, _c in got]


@pytest.mark.parametrize("dlon, dlat", [(-0.1, -0.1), (0.1, 0.1), (-0.1, 0.1), (0.1, -0.1)])
def test_nearest_across_the_cells_of_the_town_halls_index(placed, dlon, dlat):
    """Town halls are filed by half-degree cells: a covered commune on a corner of four
    cells is found from each of them."""
    placed["tarascon"].lon, placed["tarascon"].lat = 5.0, 44.0
    placed["tarascon"].save()
    aubert = FacilitatorFactory(last_name="Aubert", covers=[placed["tarascon"]])
    white = placed["chateaurenard"]
    white.lon, white.lat = 5.0 + dlon, 44.0 + dlat
    white.save()
    nearest = coverage.answer(white).nearest
    assert [(n.facilitator, n.commune) for n in nearest] == [(aubert, placed["tarascon"])]
    assert nearest[0].distance == round(coverage.distance_km(5.0 + dlon, 44.0 + dlat, 5, 44), 1)
