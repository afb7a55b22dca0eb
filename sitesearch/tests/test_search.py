import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils.html import strip_tags

from conftest import publish_child, text, translate
from demo import blocks as b
from directory.models import DirectoryPage
from directory.tests.factories import FacilitatorFactory, StructureFactory
from events.models import EventIndexPage
from events.tests.factories import EventPageFactory, paris
from maps.models import MapPage
from news.models import NewsIndexPage, NewsPage
from portal.models import GuidanceDocument, GuidanceIndexPage, StandardPage
from portal.tests.factories import GuidanceDocumentFactory

pytestmark = pytest.mark.django_db


def words(response):
    return " ".join(strip_tags(text(response)).split())


def reindex():
    # Index updates run as tasks after commit, which a test transaction never reaches.
    call_command("update_index", stdout=io.StringIO())


@pytest.fixture
def pages(home, locales):
    clause = publish_child(
        home,
        StandardPage(
            title="La clause sociale d'insertion",
            slug="clause",
            intro="Des heures réservées dans les marchés publics.",
            body=[b.para("<p>Le facilitateur calibre les heures d'insertion.</p>")],
        ),
    )
    translate(clause, locales["en"], title="The insertion clause", slug="clause-en")
    publish_child(home, StandardPage(title="Mentions légales", slug="legal", body=[]))
    reindex()
    return clause


@pytest.fixture
def site(home, locales, land):
    """Pages, a news item, an event, documents, the Arles PLIE and its facilitator, the
    directory and the map page."""
    publish_child(
        home,
        StandardPage(
            title="Sécurité des chantiers d'insertion",
            slug="securite",
            intro="Les règles sur les chantiers.",
            body=[],
        ),
    )
    news = publish_child(home, NewsIndexPage(title="Actualités", slug="actualites"))
    publish_child(
        news,
        NewsPage(
            title="Bilan du PLIE à Arles", slug="bilan", intro="Une année de clauses.", body=[]
        ),
    )
    agenda = publish_child(home, EventIndexPage(title="Agenda", slug="agenda"))
    publish_child(
        agenda,
        EventPageFactory.build(
            title="Matinale des acheteurs à Arles",
            slug="matinale",
            start=paris(2030, 3, 31, 9),
            end=paris(2030, 3, 31, 12),
        ),
    )
    guidance = publish_child(home, GuidanceIndexPage(title="Guides", slug="guides"))
    publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    publish_child(home, MapPage(title="Trouver mon facilitateur", slug="trouver"))
    GuidanceDocumentFactory(
        title="Attestation de réalisation des heures d'insertion",
        description="À remettre à l'entreprise à la fin du marché.",
        doc_type=GuidanceDocument.DocType.CERTIFICATE,
        audiences=["companies"],
    )
    GuidanceDocumentFactory(
        title="Relevé mensuel",
        description="Tableau des heures réalisées chaque mois.",
        doc_type=GuidanceDocument.DocType.HOURS_STATEMENT,
        audiences=["buyers"],
    )
    GuidanceDocumentFactory(title="Clause hors bibliothèque", in_library=False)
    plie = StructureFactory(
        name="PLIE Arles Crau Camargue Montagnette", address="5 rue du Port\n13200 Arles"
    )
    FacilitatorFactory(
        first_name="Inès", last_name="Exemple", structure=plie, covers=[land["arles"]]
    )
    FacilitatorFactory(
        first_name="Jean", last_name="Brouillon", structure=plie, live=False, covers=[land["arles"]]
    )
    FacilitatorFactory(first_name="Paul", last_name="Ailleurs", covers=[land["pertuis"]])
    reindex()
    return guidance


def group(html, kind):
    """The HTML of one result group."""
    match = re.search(
        rf'<section class="search-group" aria-labelledby="group-{kind}">(.*?)</section>', html, re.S
    )
    return match.group(1) if match else ""


def test_search_finds_pages_of_the_current_language(client, pages):
    html = text(client.get("/fr/recherche/", {"q": "clause"}))
    # (PostgreSQL's French stemming also finds "clauses" on the home page.)
    assert re.search(r"\d résultats? pour « clause »", html)
    assert "La clause sociale d'insertion" in html
    assert "Des heures réservées" in html
    html = text(client.get("/en/recherche/", {"q": "clause"}))
    assert "The insertion clause" in html and "La clause sociale" not in html


def test_empty_and_unknown_queries(client, pages):
    assert "résultat" not in text(client.get("/fr/recherche/", {"q": "   "}))
    html = text(client.get("/fr/recherche/", {"q": "zzzzzz"}))
    assert "0 résultat pour « zzzzzz »" in html  # French: zero takes the singular
    assert "Essayez d'autres mots" in html
    long_query = "a" * 5000
    assert client.get("/fr/recherche/", {"q": long_query}).status_code == 200


def test_arles_shows_the_commune_the_plie_and_its_facilitator(client, site):
    response = client.get("/fr/recherche/", {"q": "Arles"})
    html = text(response)
    communes = group(html, "communes")
    assert "Arles" in communes and "Bouches-du-Rhône" in communes
    assert "Qui contacter pour des travaux à Arles" in communes
    assert 'href="/fr/trouver/?q=13004#resultat"' in communes
    assert 'href="/fr/annuaire/communes/13004/"' in communes
    people = group(html, "directory")
    assert "PLIE Arles Crau Camargue Montagnette" in people
    assert "Inès Exemple" in people and "mailto:exemple" in people
    assert "Brouillon" not in people  # unpublished
    assert "Ailleurs" not in people  # covers Pertuis, another structure
    assert "Bilan du PLIE à Arles" in group(html, "pages")
    assert "Matinale des acheteurs à Arles" in group(html, "events")
    # Groups come in a fixed order, each with its count.
    order = [
        html.index(f'id="group-{kind}"') for kind in ("pages", "events", "directory", "communes")
    ]
    assert order == sorted(order)
    assert "Structures et facilitateurs (2)" in words(response)


def test_attestation_finds_the_certificate_template(client, site):
    html = text(client.get("/fr/recherche/", {"q": "attestation"}))
    documents = group(html, "documents")
    assert "Attestation de réalisation des heures d'insertion" in documents
    assert "Modèle d'attestation" in documents and "Entreprises" in documents
    document = GuidanceDocument.objects.get(title__startswith="Attestation")
    assert f'href="/fr/guides/documents/{document.pk}/"' in documents
    # By description, by audience (in either language), never outside the library.
    assert (
        "Relevé mensuel" in group(text(client.get("/fr/recherche/", {"q": "mois"})), "documents")
        or connection.vendor != "postgresql"
    )
    assert "Relevé mensuel" in group(
        text(client.get("/fr/recherche/", {"q": "acheteurs"})), "documents"
    )
    assert "Relevé mensuel" in group(
        text(client.get("/en/recherche/", {"q": "buyers"})), "documents"
    )
    assert "hors bibliothèque" not in text(client.get("/fr/recherche/", {"q": "clause"}))


def test_accents_and_case_do_not_matter(client, site):
    for query in ("securite", "SÉCURITÉ", "Sécurité"):
        assert "Sécurité des chantiers" in group(
            text(client.get("/fr/recherche/", {"q": query})), "pages"
        )
    for query in ("ines exemple", "INÈS", "arles crau"):
        assert "Inès Exemple" in group(
            text(client.get("/fr/recherche/", {"q": query})), "directory"
        )
    assert "Châteaurenard" in group(
        text(client.get("/fr/recherche/", {"q": "chateaurenard"})), "communes"
    )
    assert "Arles" in group(text(client.get("/fr/recherche/", {"q": "13004"})), "communes")


def test_one_kind_at_a_time_with_pagination(client, site):
    html = text(client.get("/fr/recherche/", {"q": "Arles", "type": "communes"}))
    assert 'id="group-communes"' in html and 'id="group-directory"' not in html
    assert "Tous les types de résultats" in html
    # An unknown kind shows every group.
    html = text(client.get("/fr/recherche/", {"q": "Arles", "type": "nope"}))
    assert 'id="group-communes"' in html and 'id="group-directory"' in html


ODD_QUERIES = [
    '"',
    '"Arles',
    "l'insertion",
    'clause"sociale',
    "(",
    ")",
    "*",
    "AND",
    "OR NOT",
    "NEAR(a b)",
    "title:clause",
    "-",
    "^clause",
    "a & b | !c",
    "clause:*",
    "'; DROP TABLE wagtailcore_page; --",
    "\\",
    "%",
    "_",
    "\x00",
    "é" * 300,
    "{}[]<>",
    "💡",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_input_never_fails(client, site, query):
    # A NUL byte never reaches the search: the site answers 400 with a plain page before.
    expected = 400 if "\x00" in query else 200
    response = client.get("/fr/recherche/", {"q": query})
    assert response.status_code == expected
    assert (
        client.get("/fr/recherche/", {"q": query, "type": "pages", "page": "x"}).status_code
        == expected
    )


def test_quotes_do_not_hide_the_words(client, site):
    html = text(client.get("/fr/recherche/", {"q": '"attestation'}))
    assert "Attestation de réalisation" in group(html, "documents")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no French stemming")
def test_french_stemming_on_postgresql(client, pages):
    html = text(client.get("/fr/recherche/", {"q": "insertions"}))
    assert "La clause sociale d'insertion" in html
