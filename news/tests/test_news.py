import datetime
import xml.etree.ElementTree as ET

import pytest

from conftest import publish_child, text
from news.models import NewsCategory, NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(home, locales):
    index = publish_child(
        home, NewsIndexPage(title="Actualités", slug="actualites", intro="Le réseau.")
    )
    network = NewsCategory.objects.create(locale=locales["fr"], name="Réseau", slug="reseau")
    buyers = NewsCategory.objects.create(
        locale=locales["fr"], name="Donneurs d'ordre", slug="donneurs-ordre"
    )
    articles = []
    for number, (day, category) in enumerate(
        [("2024-05-02", network), ("2025-03-12", buyers), ("2025-09-09", network)]
    ):
        article = NewsPage(
            title=f"Article {number}",
            slug=f"article-{number}",
            date=datetime.date.fromisoformat(day),
            intro=f"Résumé {number}",
            category=category,
            body=[],
        )
        article.tags.add("Landes" if number == 2 else "Nord")
        articles.append(publish_child(index, article))
    return index, articles


def test_index_lists_newest_first_with_feeds(client, news):
    html = text(client.get("/fr/actualites/"))
    assert "3 articles" in html
    assert html.index("Article 2") < html.index("Article 1") < html.index("Article 0")
    assert 'type="application/rss+xml"' in html and 'href="/fr/actualites/rss/"' in html


def test_filter_by_category_year_and_tag(client, news):
    html = text(client.get("/fr/actualites/", {"categorie": "reseau"}))
    assert "Article 0" in html and "Article 2" in html and "Article 1" not in html
    html = text(client.get("/fr/actualites/", {"annee": "2025"}))
    assert "2 articles" in html and "Article 0" not in html
    html = text(client.get("/fr/actualites/", {"categorie": "reseau", "annee": "2025"}))
    assert "1 article" in html and "Article 2" in html
    html = text(client.get("/fr/actualites/", {"tag": "landes"}))
    assert "Article 2" in html and "Article 1" not in html
    # Nonsense filters are ignored rather than failing.
    response = client.get("/fr/actualites/", {"categorie": "nope", "annee": "19x"})
    assert response.status_code == 200 and "3 articles" in text(response)


def test_pagination_keeps_the_filters(client, news):
    index, _articles = news
    NewsIndexPage.per_page = 1
    try:
        html = text(client.get("/fr/actualites/", {"categorie": "reseau"}))
        assert "Page 1 sur 2" in html
        assert 'href="?categorie=reseau&page=2"' in html
        html = text(client.get("/fr/actualites/", {"categorie": "reseau", "page": 2}))
        assert "Article 0" in html and "Article 2" not in html
    finally:
        NewsIndexPage.per_page = 10


def test_article_has_previous_and_next_links(client, news):
    _index, articles = news
    html = text(client.get(articles[1].url))
    assert "<h1>Article 1</h1>" in html
    assert 'rel="prev" href="/fr/actualites/article-0/"' in html
    assert 'rel="next" href="/fr/actualites/article-2/"' in html
    assert 'href="/fr/actualites/?categorie=donneurs-ordre"' in html
    assert 'href="/fr/actualites/?tag=nord"' in html


def test_rss_and_atom_feeds(client, news):
    rss = client.get("/fr/actualites/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(rss.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Article 2", "Article 1", "Article 0"]
    assert items[0].findtext("link") == "http://testserver/fr/actualites/article-2/"
    atom = client.get("/fr/actualites/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 3


def test_home_shows_the_latest_news(client, news):
    html = text(client.get("/fr/"))
    assert "Dernières actualités" in html
    assert "Article 2" in html and "Article 0" in html


def test_english_list_shows_untranslated_articles_marked_in_french(client, news, locales):
    from conftest import translate

    index, articles = news
    english_index = translate(index, locales["en"], title="News", slug="news")
    translate(articles[0], locales["en"], title="Article zero", slug="article-zero")
    html = text(client.get("/en/news/"))
    assert "3 articles" in html
    assert 'href="/en/news/article-zero/">Article zero</a></h2>' in html  # translated: unmarked
    assert 'lang="fr">Article 2</a> <span class="language-mark">(in French)</span>' in html
    assert '<p lang="fr">Résumé 2</p>' in html
    assert "Article 0<" not in html  # the French original of a translated article is not listed
    # The feeds stay in their own language.
    assert [item.title for item in english_index.articles()] == ["Article zero"]


def test_renaming_a_category_or_a_tag_reaches_the_cached_pages(client, news):
    """The article and the list come from the page cache; a category or a tag renamed in
    the admin is in their next visit."""
    from taggit.models import Tag

    from portal import pagecache

    _index, articles = news
    for url in (articles[1].url, articles[0].url):
        client.get(url)
        assert client.get(url)[pagecache.HEADER] == "hit"
    category = NewsCategory.objects.get(slug="donneurs-ordre")
    category.name = "Acheteurs publics"
    category.save()
    response = client.get(articles[1].url)
    assert response[pagecache.HEADER] == "miss" and "Acheteurs publics" in text(response)
    tag = Tag.objects.get(name="Nord")
    tag.name = "Hauts-de-France"
    tag.save()
    response = client.get(articles[0].url)
    assert response[pagecache.HEADER] == "miss" and "Hauts-de-France" in text(response)
