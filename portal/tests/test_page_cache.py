"""The page cache (`portal.pagecache`): anonymous pages are served from it, and forgotten when
what they show changes; logged-in users, forms, searches and the API never go through it."""

import gzip

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from conftest import publish_child, text, translate
from directory.models import DirectoryPage
from directory.tests.factories import FacilitatorFactory
from portal import pagecache
from portal.models import StandardPage

pytestmark = pytest.mark.django_db


def get(client, url, **extra):
    """(response, number of queries) of a GET."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    return response, len(context)


@pytest.fixture
def about(home, locales):
    page = publish_child(home, StandardPage(title="À propos", slug="a-propos", body=[]))
    translate(page, locales["en"], title="About", slug="about")
    return page


def test_a_second_anonymous_visit_is_a_hit_without_a_query(client, about):
    first, queries = get(client, "/fr/a-propos/")
    assert first.status_code == 200 and first[pagecache.HEADER] == "miss" and queries > 0
    second, queries = get(client, "/fr/a-propos/")
    assert second[pagecache.HEADER] == "hit"
    assert queries == 0
    assert second.content == first.content
    # Security headers are added to the cached answer too (they sit outside the cache).
    assert "Content-Security-Policy" in second


def test_french_and_english_do_not_mix(client, about):
    assert "À propos" in text(client.get("/fr/a-propos/"))
    english = client.get("/en/about/")
    assert english[pagecache.HEADER] == "miss"
    assert "About" in text(english) and "À propos" not in text(english).split("<main")[-1]
    again = client.get("/en/about/")
    assert again[pagecache.HEADER] == "hit" and 'lang="en"' in text(again)
    assert 'lang="fr"' in text(client.get("/fr/a-propos/"))
    # The root redirects by Accept-Language: never cached, and each language gets its own.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"].startswith("/en/")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"].startswith("/fr/")


def test_publishing_and_unpublishing_purge_the_cache(client, about):
    client.get("/fr/a-propos/")
    assert client.get("/fr/a-propos/")[pagecache.HEADER] == "hit"
    page = StandardPage.objects.get(pk=about.pk)
    page.title = "Qui sommes-nous"
    page.save_revision().publish()
    response = client.get("/fr/a-propos/")
    assert response[pagecache.HEADER] == "miss" and "Qui sommes-nous" in text(response)

    # A draft changes nothing the public sees: the cache stays.
    assert client.get("/fr/a-propos/")[pagecache.HEADER] == "hit"
    page.title = "Brouillon"
    page.save_revision()
    assert client.get("/fr/a-propos/")[pagecache.HEADER] == "hit"

    page.unpublish()
    assert client.get("/fr/a-propos/").status_code == 404


def test_moving_and_deleting_a_page_purge_the_cache(client, home, about):
    other = publish_child(home, StandardPage(title="Ressources", slug="ressources", body=[]))
    client.get("/fr/a-propos/")
    Page.objects.get(pk=about.pk).move(other, pos="last-child")
    assert client.get("/fr/a-propos/").status_code != 200  # a redirect, or not found
    assert client.get("/fr/ressources/a-propos/").status_code == 200
    Page.objects.get(pk=about.pk).delete()
    assert client.get("/fr/ressources/a-propos/").status_code == 404


def test_a_directory_change_purges_the_commune_page(client, home, locales, land):
    publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    url = "/fr/annuaire/communes/13108/"
    assert "Camille Arnaud" not in text(client.get(url))
    assert client.get(url)[pagecache.HEADER] == "hit"
    FacilitatorFactory(first_name="Camille", last_name="Arnaud", covers=[land["tarascon"]])
    response = client.get(url)
    assert response[pagecache.HEADER] == "miss" and "Camille Arnaud" in text(response)


def test_logged_in_users_are_never_served_from_the_cache(client, about):
    client.get("/fr/a-propos/")
    assert client.get("/fr/a-propos/")[pagecache.HEADER] == "hit"
    user = User.objects.create_user("lecteur", "lecteur@example.org", "changeme")
    client.force_login(user)
    response = client.get("/fr/a-propos/")
    assert pagecache.HEADER not in response
    client.logout()
    client.cookies.clear()
    assert client.get("/fr/a-propos/")[pagecache.HEADER] == "hit"


def test_what_a_logged_in_user_sees_is_not_stored(client, about):
    user = User.objects.create_superuser("chef", "chef@example.org", "changeme")
    client.force_login(user)
    client.get("/fr/a-propos/")
    client.logout()
    client.cookies.clear()
    assert client.get("/fr/a-propos/")[pagecache.HEADER] == "miss"


def test_searches_posts_and_the_api_are_not_cached(client, home, land):
    publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    for _ in range(2):
        response = client.get("/fr/annuaire/?q=Tarascon", follow=True)
        assert pagecache.HEADER not in response
        response = client.get("/api/v1/lookup/?q=Tarascon")
        assert pagecache.HEADER not in response
    response = client.post("/fr/annuaire/", {"q": "Tarascon"})
    assert pagecache.HEADER not in response


def test_a_form_page_is_not_cached(client, home):
    from portal.models import ContactFormField, ContactPage

    page = ContactPage(
        title="Contact",
        slug="contact",
        to_address="coordination@example.org",
        from_address="portail@example.org",
        subject="Message du portail",
        thank_you_text="<p>Merci.</p>",
    )
    page.form_fields = [ContactFormField(label="Nom", field_type="singleline", required=True)]
    publish_child(home, page)
    for _ in range(2):
        client.cookies.clear()
        response = client.get("/fr/contact/")
        assert "csrfmiddlewaretoken" in text(response)
        assert pagecache.HEADER not in response


def test_html_and_json_are_compressed_for_clients_that_accept_it(client, about, land):
    page = client.get("/fr/a-propos/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert "À propos" in gzip.decompress(page.content).decode()
    assert "Accept-Encoding" in page["Vary"]
    cached = client.get("/fr/a-propos/", HTTP_ACCEPT_ENCODING="gzip")
    assert cached[pagecache.HEADER] == "hit" and cached["Content-Encoding"] == "gzip"
    plain = client.get("/fr/a-propos/")
    assert "Content-Encoding" not in plain and "À propos" in text(plain)
    api = client.get("/api/v1/lookup/?q=Tarascon", HTTP_ACCEPT_ENCODING="gzip")
    assert api.status_code == 200 and api["Content-Encoding"] == "gzip"
    assert b"13108" in gzip.decompress(api.content)


def test_the_cache_can_be_turned_off(client, about, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/fr/a-propos/")
    assert pagecache.HEADER not in client.get("/fr/a-propos/")


def test_a_shared_cache_in_front_keeps_anonymous_pages_a_minute_and_nothing_else(
    client, about, settings
):
    """A CDN may keep what the page cache stores for FRONTEND_CACHE_SECONDS (a change of the
    directory is not purged there, so this bounds how old an answer it shows); browsers
    revalidate; what a logged-in user sees is private."""
    for attempt in ("miss", "hit"):
        response = client.get("/fr/a-propos/")
        assert response[pagecache.HEADER] == attempt
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert control == {"public", "max-age=0", "s-maxage=60"}
    settings.FRONTEND_CACHE_SECONDS = 0
    pagecache.purge()
    control = client.get("/fr/a-propos/")["Cache-Control"]
    assert "s-maxage=0" in control
    client.force_login(User.objects.create_user("lecteur", "lecteur@example.org", "changeme"))
    response = client.get("/fr/a-propos/")
    assert "public" not in response.get("Cache-Control", "")
