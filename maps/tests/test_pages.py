"""The map page and the "find my facilitator" result, as a visitor without JavaScript sees
them."""

import pytest

from conftest import publish_child, text, translate
from directory.models import DirectoryPage
from directory.tests.factories import AuthorityFactory, FacilitatorFactory
from maps.models import MapPage

pytestmark = pytest.mark.django_db

URL = "/fr/trouver-mon-facilitateur/"


@pytest.fixture
def map_page(home, locales, directory, outlines):
    page = publish_child(
        home, MapPage(title="Trouver mon facilitateur", slug="trouver-mon-facilitateur")
    )
    translate(page, locales["en"], title="Find my facilitator", slug="find-my-facilitator")
    directory_page = publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    translate(directory_page, locales["en"], title="Directory", slug="directory")
    return page


def test_map_page_draws_from_the_layers_and_lists_departements(client, map_page):
    response = client.get(URL)
    assert response.status_code == 200
    body = text(response)
    assert 'id="coverage-map"' in body
    config = response.context["map_config"]
    assert config["departements"].startswith("/api/v1/map/departements.geojson?v=")
    assert config["answer"] == "/fr/trouver-mon-facilitateur/reponse/CODE/"
    assert config["tiles"]["url"] is not None
    # The table that stands in for the national map.
    assert "Bouches-du-Rhône (13)" in body and "7 %" in body  # 67,000 of 953,000 covered


def test_search_by_name_shows_the_lead_with_its_explanation(client, map_page):
    response = client.get(URL, {"q": "Tarascon"})
    body = text(response)
    assert "Camille Arnaud" in body
    assert "Chef de file désigné par la CA Arles-Crau-Camargue" in body
    assert 'href="/fr/annuaire/communes/13108/"' in body
    assert response.context["map_config"]["commune"] == "13108"
    # The département's communes are listed with their status.
    assert "Communes : Bouches-du-Rhône (13)" in body and "Zone blanche" in body


def test_search_as_the_autocompletion_writes_it(client, map_page):
    response = client.get(URL, {"q": "Tarascon (13)"})
    assert response.context["finding"].commune.code == "13108"
    assert client.get(URL, {"q": "Tarascon (84)"}).context["finding"].commune is None


def test_white_zone_result_says_so(client, map_page):
    body = text(client.get(URL, {"q": "13160"}))
    assert "Aucun facilitateur ne couvre cette commune : zone blanche." in body


def test_shared_postal_code_lists_candidates(client, map_page, land):
    land["tarascon"].postal_codes = "13150,13200"
    land["tarascon"].save()
    response = client.get(URL, {"q": "13200"})
    body = text(response)
    assert "Plusieurs communes correspondent à « 13200 »" in body
    assert "?q=13004#resultat" in body and "?q=13108#resultat" in body


def test_nothing_found_and_empty_or_long_queries(client, map_page):
    body = text(client.get(URL, {"q": "Nulle-part"}))
    assert "Aucune commune ne correspond à « Nulle-part »" in body
    body = text(client.get(URL, {"q": ""}))
    assert "Saisissez une commune" in body
    response = client.get(URL, {"q": "x" * 300})
    assert response.status_code == 200 and "dépasse 200 caractères" in text(response)


def test_buying_for_an_authority_applies_its_designation(client, map_page, land):
    officer = FacilitatorFactory(first_name="Marion", last_name="Chevalier")
    authority = AuthorityFactory(
        name="Département des Bouches-du-Rhône", lead=officer, perimeter=[land["d13"]]
    )
    body = text(client.get(URL, {"q": "Châteaurenard", "donneur": authority.pk}))
    assert "Marion Chevalier" in body and "pour ses propres marchés" in body
    assert f'<option value="{authority.pk}" selected>' in body
    # An unknown buyer is ignored, not an error.
    assert client.get(URL, {"q": "Châteaurenard", "donneur": "abc"}).status_code == 200


def test_address_service_down_falls_back_and_says_so(client, map_page, geocoder):
    geocoder.mode = "error"
    body = text(client.get(URL, {"q": "12 rue de la République, 13150 Tarascon"}))
    assert "ne répond pas" in body and "Camille Arnaud" in body


def test_address_found_puts_the_point_on_the_map(client, map_page, geocoder):
    response = client.get(URL, {"q": "12 rue de la République, Arles"})
    assert "12 Rue de la République 13200 Arles" in text(response)
    config = response.context["map_config"]
    assert config["commune"] == "13004" and config["point"] == [4.6286, 43.6766]


def test_commune_list_sorts_and_filters_white_zones(client, map_page):
    response = client.get(URL, {"departement": "13"})
    names = [status.commune.name for status in response.context["communes"]]
    assert names == ["Arles", "Châteaurenard", "Marseille", "Tarascon"]
    response = client.get(URL, {"departement": "13", "tri": "population"})
    assert response.context["communes"][0].commune.name == "Marseille"
    assert 'aria-sort="descending"' in text(response)
    response = client.get(URL, {"departement": "13", "zones_blanches": "1"})
    assert [s.commune.name for s in response.context["communes"]] == ["Châteaurenard", "Marseille"]
    assert "2 communes affichées." in text(response)
    body = text(client.get(URL, {"departement": "99"}))
    assert "Département inconnu ou non chargé : 99." in body


def test_english_page(client, map_page):
    response = client.get("/en/find-my-facilitator/", {"q": "Châteaurenard"})
    body = text(response)
    assert response.status_code == 200
    assert "No facilitator covers this commune: white zone." in body
    assert response.context["map_config"]["language"] == "en"
    assert response.context["map_config"]["answer"] == "/en/find-my-facilitator/reponse/CODE/"


def test_home_search_box_leads_to_the_map_page(client, map_page):
    body = text(client.get("/fr/"))
    assert 'action="/fr/trouver-mon-facilitateur/#resultat"' in body
    assert 'data-suggest="/api/v1/suggest/"' in body


def test_commune_page_links_to_the_map(client, map_page):
    body = text(client.get("/fr/annuaire/communes/13108/"))
    assert 'href="/fr/trouver-mon-facilitateur/?q=13108#carte"' in body


def test_home_links_to_the_map_and_the_calculator(client, map_page, home):
    from portal.models import CalculatorPage

    publish_child(home, CalculatorPage(title="Calculer les heures", slug="calculateur"))
    body = text(client.get("/fr/"))
    assert 'href="/fr/trouver-mon-facilitateur/#carte"' in body
    assert 'href="/fr/calculateur/"' in body


def test_exact_name_wins_and_similar_names_are_offered(client, map_page, land):
    from directory.tests.factories import TerritoryFactory

    d09 = TerritoryFactory(kind="departement", code="09", name="Ariège")
    TerritoryFactory(code="09306", name="Tarascon-sur-Ariège", departement=d09, population=3500)
    response = client.get(URL, {"q": "Tarascon"})
    assert response.context["finding"].commune.code == "13108"
    assert 'href="?q=09306#resultat">Tarascon-sur-Ariège (09)</a>' in text(response)
    # The API answers the commune too, and a prefix shared by two names still asks.
    data = client.get("/api/v1/lookup/", {"q": "tarascon"}).json()
    assert data["commune"]["code"] == "13108"
    data = client.get("/api/v1/lookup/", {"q": "tarasc"}).json()
    assert data["commune"] is None and len(data["candidates"]) == 2
    # The directory's search says so too.
    response = client.get("/fr/annuaire/recherche/", {"q": "Tarascon"}, follow=True)
    assert "Autres communes au nom proche : Tarascon-sur-Ariège (09)." in text(response)


def test_finder_past_its_limit_keeps_the_query_and_says_when(client, map_page, settings):
    settings.FINDER_RATE_LIMIT = 2
    for _number in range(2):
        assert client.get(URL, {"q": "Tarascon"}).status_code == 200
    assert client.get(URL).status_code == 200  # the page without a query is not counted
    response = client.get(URL, {"q": "Tarascon"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    body = text(response)
    assert "Trop de recherches" in body and "réessayez dans" in body
    assert 'value="Tarascon"' in body and "Camille Arnaud" not in body


def test_answer_fragment_past_its_limit(client, map_page, settings):
    settings.FINDER_RATE_LIMIT = 1
    fragment = URL + "reponse/13108/"
    assert client.get(fragment).status_code == 200
    response = client.get(fragment)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "réessayez dans" in text(response)
