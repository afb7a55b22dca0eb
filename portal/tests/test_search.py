import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import publish_child, text, translate
from demo import blocks as b
from portal.models import StandardPage

pytestmark = pytest.mark.django_db


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
    # Index updates run as tasks after commit, which a test transaction never reaches.
    call_command("update_index", stdout=io.StringIO())
    return clause


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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no French stemming")
def test_french_stemming_on_postgresql(client, pages):
    html = text(client.get("/fr/recherche/", {"q": "insertions"}))
    assert "La clause sociale d'insertion" in html
