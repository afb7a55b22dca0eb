"""The English side of the seeded demo speaks English: every page type, its forms and their
error messages. French may appear only inside an element marked `lang="fr"` (content that
exists only in French, shown "(in French)") or as a known proper name (places, structures,
institutions), listed below or read from the directory."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from observatory.models import ReportAuthorityHours

# Frequent French words that English text never uses on its own.
FRENCH_WORDS = set(
    """
    le la les un une des du au aux et est sont être été avoir ont pour avec sans dans sur sous
    par vous nous votre vos notre nos leur leurs ce cette ces qui que quoi dont où mais ou donc
    très moins tout tous toute toutes chaque aussi entre depuis vers chez son sa ses
    année années heures marché marchés entreprise entreprises acheteur acheteurs demandeur
    emploi personne personnes recherche envoyer rechercher télécharger obligatoire fermer
    aller contenu accueil actualités résultats annuaire carte facilitateurs
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
FRENCH_LETTERS = re.compile(r"[éèêëàâîïôûùüçœæ]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+")
URL = re.compile(r"(https?://|/)\S*")

# Proper names and French terms English text keeps as they are.
KNOWN_FRENCH = [
    "Réseau des facilitateurs des clauses sociales",
    "Licence Ouverte",
    "Société des grands projets",
    "Département des Bouches-du-Rhône",
    "Département",
    "département",
    "départements",
    "Maison de l'Emploi",
    "Maison de l'emploi",
    "Mission locale",
    "Cap emploi",
    "Défenseur des droits",
    "rue de la République",  # an example address
    "Maison de l'Initiative et de l'Emploi",
    "Mission d'appui au développement des clauses sociales",
    "Île-de-France",
    "Métropole",
    "Comité de Bassin d'Emploi",
    "Fédération",
    "Français",  # the language switcher's link, marked lang="fr"
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def known_names():
    """Names the directory holds (communes, EPCI, structures, people, buyers): proper names,
    longest first so that "Maison de l'Emploi Ouest Provence" goes before "Ouest Provence"."""
    from directory import models as directory

    names = set(KNOWN_FRENCH)
    names.update(directory.Territory.objects.values_list("name", flat=True))
    names.update(directory.Structure.objects.values_list("name", flat=True))
    names.update(directory.ContractingAuthority.objects.values_list("name", flat=True))
    names.update(ReportAuthorityHours.objects.values_list("authority", flat=True))
    for first, last in directory.Facilitator.objects.values_list("first_name", "last_name"):
        names.update([first, last, f"{first} {last}"])
    for model_name in ("Coordination", "NamedPerimeter"):
        model = getattr(directory, model_name, None)
        if model is not None:
            names.update(model.objects.values_list("name", flat=True))
    return sorted((name for name in names if name), key=len, reverse=True)


def french_only_content():
    """What exists only in French (the guidance documents' titles and descriptions): allowed
    where no element can carry `lang="fr"`, the page's <title> and meta description."""
    from portal.models import GuidanceDocument

    documents = GuidanceDocument.objects.filter(language="fr")
    texts = [*documents.values_list("title", flat=True)]
    texts += [text for text in documents.values_list("description", flat=True) if text]
    return sorted(texts, key=len, reverse=True)


def visible_texts(html, head_allowed=()):
    """Text segments a visitor reads or hears, outside elements marked as French; in the
    <title> and meta description, the `head_allowed` texts are taken out."""
    soup = BeautifulSoup(html, "html.parser")
    head = []
    description = soup.find("meta", attrs={"name": "description"})
    if description is not None:
        head.append(description.get("content", ""))
    if soup.title is not None:
        head.append(soup.title.get_text())
        soup.title.decompose()
    for element in soup(["script", "style", "template", "noscript"]):
        element.decompose()
    for element in soup.select("[lang]:not(html)"):
        if element["lang"].startswith("fr"):
            element.decompose()
    segments = [line.strip() for line in soup.get_text("\n").splitlines()]
    for element in soup.find_all(True):
        for attribute in ("alt", "title", "aria-label", "placeholder"):
            if element.get(attribute):
                segments.append(element[attribute])
    for segment in head:
        for text in head_allowed:
            segment = segment.replace(text, " ").replace(text[:150], " ")
        segments.append(segment)
    # Paths are not prose ("/en/recherche/").
    return [URL.sub(" ", segment) for segment in segments if segment]


def french_in(segment, names):
    """The French words of `segment` once known names are taken out, or []."""
    if not (FRENCH_LETTERS.search(segment) or FRENCH_WORDS & set(WORD.findall(segment.lower()))):
        return []
    for name in names:
        if name in segment:
            segment = segment.replace(name, " ")
    return [
        word
        for word in WORD.findall(segment)
        if word.lower() in FRENCH_WORDS or FRENCH_LETTERS.search(word)
    ]


def english_urls(client):
    """One URL per English page, plus the pages routable pages and forms draw."""
    from portal.models import GuidanceDocument, GuidanceIndexPage

    english = Locale.objects.get(language_code="en")
    pages = Page.objects.live().public().filter(locale=english).specific()
    urls = [page.url for page in pages]
    guidance = GuidanceIndexPage.objects.get(locale=english)
    urls += [
        f"{guidance.url}documents/{pk}/"
        for pk in GuidanceDocument.objects.values_list("pk", flat=True)
    ]
    urls += [f"{guidance.url}?public=companies&type=guide"]
    by_type = {type(page).__name__: page.url for page in pages}
    directory = by_type["DirectoryPage"]
    urls += [
        f"{directory}communes/13004/",  # Arles: a lead
        f"{directory}communes/13027/",  # Châteaurenard: a white zone
        f"{directory}communes/40192/",  # Mont-de-Marsan: a contact
        f"{directory}communes/99999/",  # not found
        f"{directory}recherche/?q=Arles",
        f"{directory}recherche/?q=zzz",
    ]
    urls += [f"{by_type['MapPage']}?q=Arles", f"{by_type['MapPage']}?q=Paris"]
    urls += [f"{by_type['CalculatorPage']}?amount=1000000&rate=5&hourly_cost=30"]
    urls += [f"{by_type['CalculatorPage']}?amount=abc&rate=500"]
    with translation.override("en"):
        search = reverse("search")
    urls += [f"{search}?q=clause", f"{search}?q=zzzzz", "/en/no-such-page/"]
    return urls, by_type


@pytest.mark.django_db
def test_english_pages_have_no_untranslated_french(client, demo):
    names = known_names()
    head_allowed = french_only_content()
    urls, by_type = english_urls(client)
    responses = {url: client.get(url, follow=True) for url in urls}
    # Forms sent empty or wrong show their error messages, in English too.
    responses["contact (errors)"] = client.post(by_type["ContactPage"], {"adresse_e_mail": "x"})
    responses["referral (errors)"] = client.post(by_type["ReferralPage"], {"email": "x"})
    problems = []
    for url, response in responses.items():
        assert response.status_code in (200, 404), (url, response.status_code)
        for segment in visible_texts(response.content.decode(), head_allowed):
            words = french_in(segment, names)
            if words:
                problems.append(f"{url}: {segment[:120]!r} ({', '.join(words)})")
    assert not problems, "French on English pages:\n" + "\n".join(sorted(set(problems)))


@pytest.mark.django_db
def test_the_check_catches_an_untranslated_string(demo):
    """The detector is not blind: an English label left in French is reported."""
    names = known_names()
    page = '<html lang="en"><body><label>Nom et prénom</label><p>Full name</p></body></html>'
    found = [french_in(segment, names) for segment in visible_texts(page)]
    assert ["et", "prénom"] in found and [] in found
    marked = '<html lang="en"><body><p lang="fr">Guide de la clause</p> (in French)</body></html>'
    assert all(not french_in(segment, names) for segment in visible_texts(marked))


@pytest.mark.django_db
def test_every_page_has_a_meta_description(client, demo):
    for page in Page.objects.live().public().exclude(depth=1).specific():
        soup = BeautifulSoup(client.get(page.url, follow=True).content, "html.parser")
        description = soup.find("meta", attrs={"name": "description"})
        assert description is not None and len(description["content"]) >= 15, page.url
        assert len(description["content"]) <= 160, page.url


def drawing(image):
    with image.open_file() as stream:
        return stream.read()


@pytest.mark.django_db
def test_each_news_item_has_its_own_illustration_with_alt_text_and_credit(client, demo):
    from news.models import NewsPage

    for language in ("fr", "en"):
        articles = NewsPage.objects.live().filter(locale__language_code=language)
        assert articles.count() == 8, language  # every article exists in English too
        assert len({drawing(article.image) for article in articles}) == 8
        assert all(article.image_alt and article.image_credit for article in articles)
        html = client.get(articles.first().url).content.decode()
        assert f'alt="{articles.first().image_alt}"' in html.replace("&#x27;", "'")
        assert f"<figcaption>{articles.first().image_credit}</figcaption>" in html


@pytest.mark.django_db
def test_demo_texts_match_what_the_portal_does(client, demo):
    news = BeautifulSoup(client.get("/fr/actualites/").content, "html.parser").main.get_text()
    assert "bientôt" not in news
    explainer = BeautifulSoup(client.get("/fr/comprendre/").content, "html.parser").main
    intro = "Ce qu'est un achat responsable, comment fonctionne la clause d'insertion"
    assert explainer.get_text().count(intro) == 1  # the intro, once


@pytest.mark.django_db
def test_the_sitemap_and_feeds_use_the_served_address(client, demo, settings):
    from demo.builder import DemoBuilder

    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/fr/</loc>" in sitemap and "localhost" not in sitemap
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8471"
    DemoBuilder(log=lambda *args: None).home()  # `make run` on another port, seeded again
    cache.clear()  # the sitemap is cached for 15 minutes
    try:
        sitemap = client.get("/sitemap.xml").content.decode()
        assert "<loc>http://127.0.0.1:8471/en/news/</loc>" in sitemap
        feed = client.get("/en/news/rss/").content.decode()
        url = "http://127.0.0.1:8471/en/news/a-portal-to-find-your-facilitator/"
        assert f"<link>{url}</link>" in feed
    finally:
        cache.clear()  # the cache outlives the rolled-back database: leave no address in it
