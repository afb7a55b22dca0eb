"""Fixtures shared by every app's tests: the page tree is built explicitly, root → site → home."""

import html

import pytest
from wagtail.models import Locale, Page, Site

from portal.models import HomePage


@pytest.fixture
def locales(db):
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return {"fr": fr, "en": en}


@pytest.fixture
def home(locales):
    """A French home page as the default site's root, with its English translation published."""
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    home = HomePage(
        title="Accueil",
        slug="accueil",
        locale=locales["fr"],
        hero_title="Les achats publics au service de l'emploi local",
        intro="<p>Les clauses sociales d'insertion expliquées.</p>",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    english = home.copy_for_translation(locales["en"])
    english.title, english.slug, english.hero_title = "Home", "home", "Public buying for local jobs"
    english.save_revision().publish()
    return home


def publish_child(parent, page):
    """Add `page` under `parent` and publish it; returns the page."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page, locale, **fields):
    """Publish an English (or other) translation of `page` with `fields` changed."""
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def text(response):
    """The response body as a visitor reads it (HTML entities decoded)."""
    return html.unescape(response.content.decode())
