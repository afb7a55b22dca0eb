"""One answer everywhere: for every status of `directory.coverage.Answer`, the commune page, the
finder result, the map panel fragment, the map layer, the API JSON, the referral form's
recipient box and the routing of a project all say the same thing."""

import pytest

from conftest import publish_child, text
from directory import coverage
from directory.models import DirectoryPage, LeadDesignation
from directory.tests.factories import AuthorityFactory, FacilitatorFactory
from maps import geo
from maps.models import MapPage
from referrals.models import ProjectRequest, ReferralPage
from referrals.routing import route

pytestmark = pytest.mark.django_db

HEADINGS = {
    "white": "Zone blanche",
    "lead": "Chef de file",
    "contact": "Votre contact",
    "several": "Pas de chef de file",
    "tied": "Chefs de file à départager",
}
ROUTES = {
    "white": ProjectRequest.Route.COORDINATION,
    "contact": ProjectRequest.Route.SINGLE,
    "several": ProjectRequest.Route.COORDINATION,
    "tied": ProjectRequest.Route.COORDINATION,
}


def designate(territory, facilitator, by="CA Arles-Crau-Camargue"):
    LeadDesignation.objects.create(territory=territory, facilitator=facilitator, designated_by=by)


def white(land):
    return land["chateaurenard"], None, []


def territorial_lead(land):
    plie = FacilitatorFactory(first_name="Camille", last_name="Arnaud", covers=[land["accm"]])
    designate(land["accm"], plie)
    return land["tarascon"], None, [plie]


def buyer_lead(land):
    officer = FacilitatorFactory(first_name="Marion", last_name="Chevalier")
    authority = AuthorityFactory(
        name="Département des Bouches-du-Rhône", lead=officer, perimeter=[land["d13"]]
    )
    return land["chateaurenard"], authority, [officer]


def contact(land):
    only = FacilitatorFactory(first_name="Hugo", last_name="Lemoine", covers=[land["accm"]])
    return land["tarascon"], None, [only]


def several(land):
    FacilitatorFactory(first_name="Claire", last_name="Dumas", covers=[land["accm"]])
    FacilitatorFactory(first_name="Yanis", last_name="Robert", covers=[land["tarascon"]])
    return land["tarascon"], None, []


def tied(land):
    first = FacilitatorFactory(first_name="Léa", last_name="Aubert", covers=[land["accm"]])
    second = FacilitatorFactory(first_name="Noé", last_name="Barbier", covers=[land["accm"]])
    designate(land["accm"], first)
    designate(land["accm"], second, by="la coordination départementale")
    return land["tarascon"], None, [first, second]


@pytest.fixture
def pages(home):
    return {
        "directory": publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire")),
        "map": publish_child(
            home, MapPage(title="Trouver mon facilitateur", slug="trouver-mon-facilitateur")
        ),
        "referral": publish_child(
            home, ReferralPage(title="Envoyer mon projet", slug="envoyer-mon-projet")
        ),
    }


@pytest.mark.parametrize(
    ("case", "status"),
    [
        (white, "white"),
        (territorial_lead, "lead"),
        (buyer_lead, "lead"),
        (contact, "contact"),
        (several, "several"),
        (tied, "tied"),
    ],
)
def test_every_consumer_shows_the_same_answer(client, land, pages, case, status):
    commune, authority, first = case(land)
    answer = coverage.answer(commune, authority)
    assert answer.status == status
    assert [f.pk for f in answer.shown] == [f.pk for f in first]
    buyer = {"authority": authority.pk} if authority else {}

    # The pages: commune page, finder result and map panel fragment show the same heading,
    # explanation and people, and say where the project would go.
    urls = [
        f"/fr/annuaire/communes/{commune.code}/",
        "/fr/trouver-mon-facilitateur/",
        f"/fr/trouver-mon-facilitateur/reponse/{commune.code}/",
    ]
    params = [buyer, {"q": commune.code, **buyer}, buyer]
    for url, query in zip(urls, params, strict=True):
        response = client.get(url, query)
        assert response.status_code == 200, url
        body = text(response)
        assert f'data-status="{status}"' in body, url
        assert HEADINGS[status] in body, url
        assert answer.explanation in body, url
        for facilitator in first:
            assert facilitator.full_name in body, url
        recipient = answer.recipient
        expected = (
            f"Envoyer mon projet à {recipient.full_name}"
            if recipient
            else "Envoyer mon projet à la coordination"
        )
        assert expected in body, url

    # The API.
    data = client.get(f"/api/v1/communes/{commune.code}/", buyer).json()
    assert data["status"] == status
    assert data["explanation"] == answer.explanation
    assert (data["lead"] or {}).get("id") == (answer.lead.pk if answer.lead else None)
    assert (data["contact"] or {}).get("id") == (answer.contact.pk if answer.contact else None)
    if status != "lead":
        assert data["lead"] is None
    assert [f["id"] for f in data["facilitators"]] == [f.pk for f in answer.facilitators]

    # The map layer (no buyer there).
    if authority is None:
        layer = geo.communes_layer(land["d13"])
        properties = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
        assert properties[commune.code]["status"] == status
        assert properties[commune.code]["leads"] == [f.pk for f in first]

    # The routing of a project and the recipient box of the form.
    routing = route(commune, authority)
    assert routing.facilitator == answer.recipient
    expected_route = ROUTES.get(status) or (
        ProjectRequest.Route.AUTHORITY if authority else ProjectRequest.Route.TERRITORY
    )
    assert routing.route == expected_route
    box = text(
        client.get(
            "/fr/envoyer-mon-projet/",
            {"destinataire": "1", "place": commune.code, "authority": buyer.get("authority", "")},
        )
    )
    assert "Votre projet sera adressé à" in box
    if answer.recipient:
        assert answer.recipient.full_name in box
    else:
        assert "la coordination des clauses sociales" in box
