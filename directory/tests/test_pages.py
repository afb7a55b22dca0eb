"""The public directory: listing by département and one page per commune."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import publish_child, text, translate
from directory.models import ContractingAuthority, DirectoryPage, LeadDesignation
from directory.tests.factories import AuthorityFactory, FacilitatorFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(home, locales, land):
    page = publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    translate(page, locales["en"], title="Directory", slug="directory")
    plie = FacilitatorFactory(
        first_name="Camille",
        last_name="Arnaud",
        covers=[land["accm"]],
        structure=StructureFactory(name="PLIE Arles Crau Camargue Montagnette"),
    )
    LeadDesignation.objects.create(
        territory=land["accm"], facilitator=plie, designated_by="la CA Arles-Crau-Camargue"
    )
    officer = FacilitatorFactory(first_name="Marion", last_name="Chevalier")
    AuthorityFactory(name="Département des Bouches-du-Rhône", lead=officer, perimeter=[land["d13"]])
    return page


def test_commune_page_shows_the_lead_and_why(client, directory, land):
    html = text(client.get("/fr/annuaire/communes/13108/"))
    assert "<h1>Tarascon" in html
    assert "Camille Arnaud" in html
    assert "Chef de file désigné par la CA Arles-Crau-Camargue" in html
    english = text(client.get("/en/directory/communes/13108/"))
    assert "Camille Arnaud" in english and "Lead facilitator" in english


def test_white_zone_commune_and_the_authority_choice(client, directory, land):
    html = text(client.get("/fr/annuaire/communes/13027/"))
    assert "zone blanche" in html and "answer--white" in html
    departement = ContractingAuthority.objects.get(name="Département des Bouches-du-Rhône")
    html = text(client.get("/fr/annuaire/communes/13027/", {"donneur": departement.pk}))
    assert "Marion Chevalier" in html
    assert "pour ses propres marchés" in html
    # Nonsense authority ids are ignored.
    assert client.get("/fr/annuaire/communes/13027/", {"donneur": "x"}).status_code == 200


def test_arrondissement_redirects_to_its_commune(client, directory, land):
    response = client.get("/fr/annuaire/communes/13203/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/annuaire/communes/13055/"


def test_unknown_code_gives_a_clear_404(client, directory):
    response = client.get("/fr/annuaire/communes/99999/")
    assert response.status_code == 404
    assert "Commune introuvable" in text(response)
    assert client.get("/fr/annuaire/communes/13/").status_code == 404  # a département


def test_search_by_name_postal_code_and_nonsense(client, directory, land):
    land["tarascon"].postal_codes = "13150"
    land["tarascon"].save()
    response = client.get("/fr/annuaire/recherche/", {"q": "13150"})
    assert response["Location"] == "/fr/annuaire/communes/13108/"
    response = client.get("/fr/annuaire/recherche/", {"q": "nulle-part"})
    assert response.status_code == 200
    assert "Aucune commune ne correspond à « nulle-part »" in text(response)
    assert "Saisissez le nom" in text(client.get("/fr/annuaire/recherche/", {"q": ""}))


def test_listing_by_departement_with_contacts(client, directory, land):
    html = text(client.get("/fr/annuaire/"))
    assert 'id="dep-13"' in html
    assert "camille.arnaud" not in html or "mailto:" in html
    assert "Camille Arnaud" in html and "Marion Chevalier" in html
    assert "Chargés de mission des donneurs d'ordre" in html
    assert "Zones blanches" in html


def test_commune_page_query_count_does_not_grow_with_the_directory(client, directory, land):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/fr/annuaire/communes/13108/").status_code == 200
        return len(context)

    before = queries()
    for number in range(15):
        facilitator = FacilitatorFactory(covers=[land["d13"]])
        LeadDesignation.objects.create(
            territory=land["region"], facilitator=facilitator, designated_by=f"d{number}"
        )
    assert queries() <= before + 2


def test_search_by_street_address_uses_the_address_service(client, directory, land, settings):
    from maps.tests.fake_geocoder import FakeGeocoder

    with FakeGeocoder() as fake:
        settings.GEOCODER_DOMAIN = f"127.0.0.1:{fake.port}"
        settings.GEOCODER_SCHEME = "http"
        response = client.get("/fr/annuaire/recherche/", {"q": "12 rue de la République, Arles"})
        assert response["Location"] == "/fr/annuaire/communes/13004/"
        html = text(client.get(response["Location"]))
        assert "12 Rue de la République 13200 Arles" in html
        fake.mode = "error"
        response = client.get("/fr/annuaire/recherche/", {"q": "5 rue Inconnue, Tarascon"})
        assert response["Location"] == "/fr/annuaire/communes/13108/"
        assert "ne répond pas" in text(client.get(response["Location"]))


def test_listing_query_count_does_not_grow_with_the_directory(client, directory, land):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/fr/annuaire/").status_code == 200
        return len(context)

    before = queries()
    for number in range(10):
        FacilitatorFactory(
            last_name=f"Nouveau{number}",
            covers=[land["amp"], land["arles"], land["d84"]],
            structure=StructureFactory(name=f"Structure {number}"),
        )
    html = text(client.get("/fr/annuaire/"))
    assert "Nouveau9" in html and 'id="dep-84"' in html  # EPCI spanning 13 and 84
    assert 'href="/fr/annuaire/communes/13004/"' in html
    assert queries() <= before + 2


def test_search_past_its_limit_keeps_the_query_and_says_when(client, directory, settings):
    settings.SEARCH_RATE_LIMIT = 1
    assert client.get("/fr/annuaire/recherche/", {"q": "13150"}).status_code == 200
    response = client.get("/fr/annuaire/recherche/", {"q": "13150"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    body = text(response)
    assert "Trop de recherches" in body and "réessayez dans" in body
    assert 'value="13150"' in body
