"""What a visitor sees on the editorial pages, in French and in English."""

import pytest
from django.core.files.base import ContentFile
from wagtail.images.models import Image

from conftest import publish_child, text, translate
from demo import blocks as b
from portal.models import HomePage, StandardPage
from portal.tests.factories import GuidanceDocumentFactory

pytestmark = pytest.mark.django_db


def test_home_in_both_languages(client, home):
    fr = client.get("/fr/")
    assert fr.status_code == 200
    html = text(fr)
    assert '<html lang="fr">' in html
    assert "Les achats publics au service de l'emploi local" in html
    assert "Aller au contenu" in html
    en = text(client.get("/en/"))
    assert '<html lang="en">' in en
    assert "Public buying for local jobs" in en
    assert "Skip to content" in en


def test_root_redirects_to_french(client, home):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_every_block_renders(client, home):
    document = GuidanceDocumentFactory(title="Relevé d'heures")
    document.file.save("releve.pdf", ContentFile(b"%PDF-1.4\n" + b"x" * 1_250_000))
    image = Image.objects.create(title="Chantier", file=_png(), width=20, height=10)
    target = publish_child(home, StandardPage(title="Publics", slug="publics", body=[]))
    body = [
        b.heading("Section deux"),
        b.heading("Section trois", "h3"),
        b.para("<p>Un <b>texte</b> riche.</p>"),
        b.callout("Attention", "<p>Un encadré.</p>", "important"),
        b.figures("Repères", [("833 h", "pour 1 M€ de travaux")]),
        b.image(image.pk, "Des ouvriers sur un chantier", "Une légende", "Photographe fictif"),
        b.document(document.pk),
        b.faq("Questions", [("La clause est-elle obligatoire ?", "<p>Non.</p>")]),
        b.quote("Une citation.", "Claire Exemple", "facilitatrice"),
        b.table("Parts de main-d'œuvre", ["Lot", "Part"], [("Peinture", "70 %")]),
        b.cards("Pour aller plus loin", [(target.pk, "", "Qui peut en bénéficier.")]),
    ]
    page = publish_child(home, StandardPage(title="La clause", slug="clause", body=body))
    html = text(client.get(page.url))
    assert "<h2>Section deux</h2>" in html and "<h3>Section trois</h3>" in html
    assert "<b>texte</b>" in html
    assert "callout--important" in html
    assert "833 h" in html
    assert 'alt="Des ouvriers sur un chantier"' in html and "© Photographe fictif" in html
    assert "Relevé d'heures" in html and "PDF, 1,3\xa0Mo" in html
    assert "<summary>La clause est-elle obligatoire ?</summary>" in html
    assert "<blockquote><p>Une citation.</p></blockquote>" in html
    assert "<caption>Parts de main-d'œuvre</caption>" in html
    assert '<th scope="row">Peinture</th>' in html
    assert f'href="{target.url}"' in html and "Qui peut en bénéficier." in html


def test_breadcrumbs_and_menu(client, home):
    section = publish_child(
        home, StandardPage(title="Comprendre", slug="comprendre", show_in_menus=True, body=[])
    )
    child = publish_child(section, StandardPage(title="Les publics", slug="publics", body=[]))
    html = client.get(child.url).content.decode()
    assert 'aria-label="Fil d’Ariane"' in html
    assert '<a href="/fr/comprendre/">Comprendre</a>' in html
    assert '<span aria-current="page">Les publics</span>' in html
    # The section is in the main menu and marked as the current section.
    assert '<a href="/fr/comprendre/" aria-current="page">Comprendre</a>' in html


def test_language_switcher_goes_to_the_translation_or_the_home(client, home, locales):
    translated = publish_child(home, StandardPage(title="Contact", slug="contact-fr", body=[]))
    translate(translated, locales["en"], title="Contact us", slug="contact-us")
    untranslated = publish_child(home, StandardPage(title="Local", slug="local", body=[]))
    html = client.get("/fr/contact-fr/").content.decode()
    assert 'href="/en/contact-us/" lang="en" hreflang="en"' in html
    html = client.get(untranslated.url).content.decode()
    assert 'href="/en/" lang="en" hreflang="en"' in html


def test_page_types_restrict_the_tree():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert "portal.StandardPage" in HomePage.subpage_types
    assert StandardPage.parent_page_types == ["portal.HomePage", "portal.StandardPage"]


def test_unknown_url_gives_the_404_page_in_the_right_language(client, home):
    fr = client.get("/fr/nexiste-pas/")
    assert fr.status_code == 404
    assert "Page introuvable" in fr.content.decode()
    en = client.get("/en/does-not-exist/")
    assert en.status_code == 404
    assert "Page not found" in en.content.decode()
    assert '<html lang="en">' in en.content.decode()


def test_server_error_page_needs_nothing(rf):
    from portal.views import server_error

    response = server_error(rf.get("/fr/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    assert "Something went wrong" in response.content.decode()


def test_robots_and_sitemap_list_both_languages(client, home):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/fr/" in sitemap and "http://testserver/en/" in sitemap


def _png():
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    stream = io.BytesIO()
    PILImage.new("RGB", (20, 10), "#0a4a82").save(stream, "PNG")
    return ImageFile(stream, name="chantier.png")


def test_health_endpoint(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"  # portal/tests/test_health.py: each check


def test_home_offers_the_facilitator_search_once_the_directory_exists(client, home):
    from directory.models import DirectoryPage

    assert "Trouver le facilitateur" not in text(client.get("/fr/"))
    publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    html = text(client.get("/fr/"))
    assert 'action="/fr/annuaire/recherche/"' in html
    assert "Qui contacter pour vos travaux ?" in html


def test_section_pages_find_each_other_by_model_label_in_their_language(home, locales):
    from maps.models import MapPage

    english_home = home.get_translation(locales["en"])
    assert home.live_page("maps.MapPage") is None
    carte = publish_child(home, MapPage(title="Carte", slug="carte"))
    assert home.live_page("maps.MapPage") == carte
    assert home.live_page(MapPage) == carte
    assert english_home.live_page("maps.MapPage") is None  # not translated yet
    english = translate(carte, locales["en"], title="Map", slug="map")
    assert english_home.live_page("maps.MapPage") == english
    carte.unpublish()
    assert home.live_page("maps.MapPage") is None
