import pytest

from conftest import publish_child, text
from portal.models import GuidanceDocument, GuidanceIndexPage
from portal.tests.factories import GuidanceDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home):
    GuidanceDocumentFactory(
        title="Relevé mensuel",
        doc_type=GuidanceDocument.DocType.HOURS_STATEMENT,
        audiences=["companies"],
    )
    GuidanceDocumentFactory(
        title="Clause type travaux",
        doc_type=GuidanceDocument.DocType.MODEL_CLAUSE,
        audiences=["buyers", "partners"],
    )
    GuidanceDocumentFactory(title="Image d'une page", in_library=False)
    return publish_child(home, GuidanceIndexPage(title="Guides et modèles", slug="guides"))


def test_listing_shows_documents_with_format_size_and_date(client, library):
    html = text(client.get("/fr/guides/"))
    assert "2 documents" in html
    assert "Relevé mensuel" in html and "Clause type travaux" in html
    assert "Image d'une page" not in html  # not part of the library
    assert "(PDF, 2,1\xa0Ko)" in html


def test_filter_by_audience_and_type(client, library):
    html = text(client.get("/fr/guides/?public=buyers"))
    assert "1 document" in html and "Clause type travaux" in html
    assert "Relevé mensuel" not in html
    html = text(client.get("/fr/guides/?type=hours-statement"))
    assert "Relevé mensuel" in html and "Clause type travaux" not in html
    html = text(client.get("/fr/guides/?public=companies&type=model-clause"))
    assert "Aucun document ne correspond à ces filtres." in html


def test_unknown_filter_values_are_ignored(client, library):
    response = client.get("/fr/guides/?public=<script>&type=zzz&page=999")
    assert response.status_code == 200
    assert "2 documents" in text(response)


def test_document_page_works_without_javascript(client, library):
    document = GuidanceDocument.objects.get(title="Clause type travaux")
    listing = text(client.get("/fr/guides/"))
    detail_url = f"/fr/guides/documents/{document.pk}/"
    assert f'href="{detail_url}"' in listing
    html = text(client.get(detail_url))
    assert "<h1>Clause type travaux</h1>" in html
    assert "Acheteurs publics, Partenaires" in html
    assert f'href="{document.url}"' in html
    download = client.get(document.url)
    assert download.status_code == 200
    # Reading the whole stream closes the file (the test client's wrapper does it).
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    hidden = GuidanceDocument.objects.get(title="Image d'une page")
    assert client.get(f"/fr/guides/documents/{hidden.pk}/").status_code == 404


def test_french_documents_are_marked_on_english_pages(client, library, locales):
    from conftest import translate

    translate(library, locales["en"], title="Guides and templates", slug="guidance")
    english = GuidanceDocumentFactory(title="Guide for companies", language="en")
    html = text(client.get("/en/guidance/"))
    assert 'lang="fr">Relevé mensuel</a> <span class="language-mark">(in French)</span>' in html
    assert ">Guide for companies</a></h2>" in html  # in the page's language: no mark
    detail = text(client.get(f"/en/guidance/documents/{english.pk}/"))
    assert "(in French)" not in detail and "Language</dt><dd>English" in detail
    french = text(client.get("/fr/guides/"))
    assert "(en français)" not in french
    assert '<span class="language-mark">(en anglais)</span>' in french
