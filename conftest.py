"""Fixtures shared by every app's tests: the page tree is built explicitly, root → site → home."""

import html

import pytest
from django.utils import translation
from wagtail.models import Locale, Page, Site

from directory.models import Territory
from directory.tests.factories import TerritoryFactory
from portal.models import HomePage

K = Territory.Kind


@pytest.fixture(autouse=True)
def mail_through_the_outbox(settings):
    """As in production, every message waits in the outbox; `flush_outbox()` delivers it
    (to Django's `mail.outbox` in tests)."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts and ends in the default language: a request to an English page
    leaves English active in the thread, which would leak into the next test's strings."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with no request counted by the rate limits."""
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Every test starts with no page cached (the cache itself stays on)."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(autouse=True)
def fresh_published_directory():
    """Every test starts with no published directory kept in memory (`coverage.published`):
    the directory version of one test's data can come back in another's."""
    from directory import coverage

    coverage.forget()


def flush_outbox(**kwargs):
    """Run the mail worker once, as `manage.py send_outbox` does; returns its counts."""
    from outbox.queue import send_due

    return send_due(**kwargs)


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


@pytest.fixture
def land(db):
    """Région PACA > département 13 > CA Arles (Arles, Tarascon) and CA Terre de Provence
    (Châteaurenard); Marseille with an arrondissement; Pertuis (84) in the Métropole."""
    region = TerritoryFactory(kind=K.REGION, code="93", name="Provence-Alpes-Côte d'Azur")
    d13 = TerritoryFactory(kind=K.DEPARTEMENT, code="13", name="Bouches-du-Rhône", region=region)
    d84 = TerritoryFactory(kind=K.DEPARTEMENT, code="84", name="Vaucluse", region=region)
    accm = TerritoryFactory(kind=K.EPCI, code="241300417", name="CA Arles-Crau-Camargue")
    tdp = TerritoryFactory(kind=K.EPCI, code="200035087", name="CA Terre de Provence")
    amp = TerritoryFactory(kind=K.EPCI, code="200054807", name="Métropole Aix-Marseille")

    def commune(code, name, epci, departement, population=1000):
        return TerritoryFactory(
            code=code,
            name=name,
            epci=epci,
            departement=departement,
            region=region,
            population=population,
        )

    places = {
        "arles": commune("13004", "Arles", accm, d13, 52000),
        "tarascon": commune("13108", "Tarascon", accm, d13, 15000),
        "chateaurenard": commune("13027", "Châteaurenard", tdp, d13, 16000),
        "marseille": commune("13055", "Marseille", amp, d13, 870000),
        "pertuis": commune("84089", "Pertuis", amp, d84, 20000),
    }
    TerritoryFactory(
        kind=K.ARRONDISSEMENT, code="13203", name="Marseille 3e", parent=places["marseille"]
    )
    return {
        "region": region,
        "d13": d13,
        "d84": d84,
        "accm": accm,
        "tdp": tdp,
        "amp": amp,
        **places,
    }
