import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from conftest import publish_child, text, translate
from directory.models import Territory
from events.models import EventIndexPage, EventPage
from events.tests.factories import EventPageFactory, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(home, locales):
    index = publish_child(home, EventIndexPage(title="Agenda", slug="agenda", intro="Rencontres."))
    translate(index, locales["en"], title="Events", slug="events")
    return index


def words(response):
    """The page's text without tags, spaces collapsed: what a visitor reads."""
    return " ".join(strip_tags(text(response)).split())


def add(index, **fields):
    return publish_child(index, EventPageFactory.build(**fields))


def calendar_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal):
    return [component for component in cal.walk("VEVENT")]


def test_ics_times_are_utc_across_daylight_saving_changes(client, agenda):
    # France moves to summer time on 29 March 2026 and back on 25 October 2026.
    cases = [
        (paris(2026, 3, 28, 10), datetime(2026, 3, 28, 9, tzinfo=UTC)),  # still winter: UTC+1
        (paris(2026, 3, 31, 10), datetime(2026, 3, 31, 8, tzinfo=UTC)),  # summer: UTC+2
        (paris(2026, 10, 24, 10), datetime(2026, 10, 24, 8, tzinfo=UTC)),  # still summer
        (paris(2026, 10, 27, 10), datetime(2026, 10, 27, 9, tzinfo=UTC)),  # winter again
    ]
    for number, (start, expected) in enumerate(cases):
        event = add(agenda, slug=f"e{number}", start=start, end=start + timedelta(hours=2))
        response = client.get(f"/fr/agenda/e{number}/ics/")
        assert f'filename="e{number}.ics"' in response["Content-Disposition"]
        (vevent,) = vevents(calendar_of(response))
        dtstart = vevent.decoded("dtstart")
        assert dtstart.utcoffset() == timedelta(0)
        assert dtstart == expected
        assert vevent.decoded("dtend") == expected + timedelta(hours=2)
        assert b"DTSTART:" + expected.strftime("%Y%m%dT%H%M%SZ").encode() in response.content
        assert str(vevent["summary"]) == event.title
        assert str(vevent["url"]) == f"http://testserver/fr/agenda/e{number}/"
        assert "Maison de la vie associative, 2 boulevard des Lices 13200 Arles" in str(
            vevent["location"]
        )
        assert vevent.decoded("dtstamp").utcoffset() == timedelta(0)
        assert "Acheteurs et structures" in str(vevent["description"])


def test_all_day_events_are_dates_with_an_exclusive_end(client, agenda):
    add(
        agenda,
        slug="forum",
        all_day=True,
        start=paris(2026, 11, 5, 0),
        end=paris(2026, 11, 6, 0),
    )
    response = client.get("/fr/agenda/forum/ics/")
    (vevent,) = vevents(calendar_of(response))
    assert vevent.decoded("dtstart") == date(2026, 11, 5)
    assert not isinstance(vevent.decoded("dtstart"), datetime)
    assert vevent.decoded("dtend") == date(2026, 11, 7)  # the day after the last one
    assert b"DTSTART;VALUE=DATE:20261105" in response.content
    html = words(client.get("/fr/agenda/forum/"))
    assert "du jeudi 5 novembre 2026 au vendredi 6 novembre 2026" in html


def test_feed_has_only_published_events_with_stable_uids(client, agenda, locales):
    shown = add(agenda, slug="publie", title="Publié")
    draft = EventPageFactory.build(slug="brouillon", title="Brouillon", live=False)
    agenda.add_child(instance=draft)
    draft.save_revision()  # never published
    unpublished = add(agenda, slug="retire", title="Retiré")
    unpublished.unpublish()
    translate(shown, locales["en"], title="Published", slug="published")

    response = client.get("/fr/agenda/ical/")
    cal = calendar_of(response)
    assert "Content-Disposition" not in response  # a feed to subscribe to, not a download
    assert [str(e["summary"]) for e in vevents(cal)] == ["Publié"]
    uid = str(vevents(cal)[0]["uid"])

    shown.title = "Publié (nouveau titre)"
    shown.save_revision().publish()
    again = vevents(calendar_of(client.get("/fr/agenda/ical/")))[0]
    assert str(again["uid"]) == uid and str(again["summary"]) == "Publié (nouveau titre)"
    english = vevents(calendar_of(client.get("/en/events/ical/")))
    assert [str(e["summary"]) for e in english] == ["Published"]
    assert str(english[0]["uid"]) == uid  # the same event in both languages
    assert "/fr/agenda/ical/" in text(client.get("/fr/agenda/"))


def test_upcoming_and_past_events(client, agenda):
    now = timezone.now()
    add(
        agenda,
        slug="demain",
        title="Demain",
        start=now + timedelta(days=1),
        end=now + timedelta(days=1, hours=2),
    )
    add(
        agenda,
        slug="bientot",
        title="Bientôt",
        start=now + timedelta(days=9),
        end=now + timedelta(days=9, hours=3),
    )
    add(
        agenda,
        slug="en-cours",
        title="En cours",
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=1),
    )
    add(
        agenda,
        slug="hier",
        title="Hier",
        start=now - timedelta(days=1, hours=3),
        end=now - timedelta(days=1),
    )
    add(
        agenda,
        slug="ancien",
        title="Ancien",
        start=now - timedelta(days=90),
        end=now - timedelta(days=90) + timedelta(hours=2),
    )
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    add(agenda, slug="journee", title="Journée", all_day=True, start=today, end=today)

    html = text(client.get("/fr/agenda/"))
    assert "4 événements à venir" in html
    assert html.index("En cours") < html.index("Demain") < html.index("Bientôt")
    assert "Journée" in html and "Hier" not in html
    html = text(client.get("/fr/agenda/", {"quand": "passes"}))
    assert "2 événements passés" in html
    assert html.index("Hier") < html.index("Ancien") and "Demain" not in html

    home = text(client.get("/fr/"))
    assert "Prochains événements" in home
    assert "En cours" in home and "Journée" in home and "Demain" in home
    assert "Bientôt" not in home  # three at most, the soonest
    assert "Hier" not in home

    past = text(client.get("/fr/agenda/hier/"))
    assert "Cet événement a eu lieu." in past


def test_filters_by_month_category_and_departement(client, agenda, land):
    d84 = land["d84"]
    add(
        agenda,
        slug="a",
        title="Comité de mars",
        start=paris(2030, 3, 5, 14),
        end=paris(2030, 3, 5, 16),
        category="committee",
        departement=land["d13"],
    )
    add(
        agenda,
        slug="b",
        title="Formation d'avril",
        start=paris(2030, 4, 2, 9),
        end=paris(2030, 4, 2, 17),
        category="training",
        departement=land["d13"],
    )
    add(
        agenda,
        slug="c",
        title="Formation vauclusienne",
        start=paris(2030, 4, 20, 9),
        end=paris(2030, 4, 20, 12),
        category="training",
        departement=d84,
    )
    # 31 March 23:30 in Paris is 21:30 UTC: still March for a visitor.
    add(
        agenda,
        slug="d",
        title="Soirée de fin mars",
        start=paris(2030, 3, 31, 23, 30),
        end=paris(2030, 3, 31, 23, 45),
    )

    html = text(client.get("/fr/agenda/", {"mois": "2030-03"}))
    assert "2 événements à venir" in html
    assert "Comité de mars" in html and "Soirée de fin mars" in html
    assert 'value="2030-04">Avril 2030' in html
    html = text(client.get("/fr/agenda/", {"categorie": "training"}))
    assert "2 événements à venir" in html and "Comité" not in html
    html = text(client.get("/fr/agenda/", {"departement": "84"}))
    assert "1 événement à venir" in html and "Formation vauclusienne" in html
    assert "84 – Vaucluse" in html and "13 – Bouches-du-Rhône" in html
    html = text(
        client.get("/fr/agenda/", {"categorie": "training", "departement": "13", "mois": "2030-04"})
    )
    assert "1 événement à venir" in html and "Formation d'avril" in html
    # Nonsense is ignored, never a 500.
    for params in (
        {"mois": "2030-13"},
        {"mois": "x"},
        {"departement": "'\""},
        {"categorie": "zz"},
        {"page": "abc"},
        {"quand": "?"},
    ):
        response = client.get("/fr/agenda/", params)
        assert response.status_code == 200 and "4 événements à venir" in text(response)
    assert Territory.objects.filter(kind="departement").count() == 2


def test_pagination_keeps_the_filters(client, agenda):
    for number in range(5):
        add(
            agenda,
            slug=f"f{number}",
            title=f"Formation {number}",
            category="training",
            start=paris(2030, 5, number + 1, 9),
            end=paris(2030, 5, number + 1, 12),
        )
    add(
        agenda,
        slug="r",
        title="Comité",
        category="meeting",
        start=paris(2030, 5, 9, 9),
        end=paris(2030, 5, 9, 12),
    )
    EventIndexPage.per_page = 2
    try:
        html = text(client.get("/fr/agenda/", {"categorie": "training"}))
        assert "Page 1 sur 3" in html
        assert (
            'href="?categorie=training&amp;page=2"'
            in client.get("/fr/agenda/", {"categorie": "training"}).content.decode()
        )
        html = text(client.get("/fr/agenda/", {"categorie": "training", "page": "3"}))
        assert "Formation 4" in html and "Comité" not in html
    finally:
        EventIndexPage.per_page = 10


def test_event_page_shows_what_a_visitor_needs(client, agenda, land, settings):
    settings.MAP_TILES_URL = ""
    add(
        agenda,
        slug="matinale",
        title="Matinale acheteurs",
        start=paris(2030, 6, 12, 9, 30),
        end=paris(2030, 6, 12, 12),
        organiser="PLIE du pays d'Arles",
        registration_url="https://inscriptions.example.org/matinale",
        registration_deadline=paris(2030, 6, 5, 18),
        departement=land["d13"],
        latitude=43.6768,
        longitude=4.6303,
    )
    response = client.get("/fr/agenda/matinale/")
    html = text(response)
    assert "mercredi 12 juin 2030, 09:30 – 12:00" in words(response)
    assert "heure de Paris" in html
    assert "PLIE du pays d'Arles" in html
    assert "jusqu'au 5 juin 2030, 18:00" in html
    assert 'href="https://inscriptions.example.org/matinale"' in html
    assert 'href="/fr/agenda/matinale/ics/"' in html
    assert "Bouches-du-Rhône (13)" in html
    assert 'id="event-map-config"' in html and '"url": ""' in html  # no tiles offline
    assert "openstreetmap.org/?mlat=43.67680&mlon=4.63030" in html
    # The English agenda lists English pages only.
    assert "Matinale acheteurs" not in text(client.get("/en/events/"))


def test_online_event_without_map(client, agenda):
    add(
        agenda,
        slug="webinaire",
        venue="",
        address="",
        online_url="https://visio.example.org/salle",
        category="webinar",
    )
    html = text(client.get("/fr/agenda/webinaire/"))
    assert "event-map" not in html and 'href="https://visio.example.org/salle"' in html
    (vevent,) = vevents(calendar_of(client.get("/fr/agenda/webinaire/ics/")))
    assert str(vevent["location"]) == "https://visio.example.org/salle"


def test_validation(agenda):
    event = EventPageFactory.build(start=paris(2030, 1, 2, 10), end=paris(2030, 1, 2, 9))
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "end" in error.value.message_dict
    event = EventPageFactory.build(latitude=43.6)
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "longitude" in error.value.message_dict


def test_sitemap_and_rss_list_events(client, agenda):
    add(agenda, slug="comite", title="Comité départemental")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/fr/agenda/comite/" in sitemap and "/fr/agenda/" in sitemap
    response = client.get("/fr/agenda/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Comité départemental"]
    assert "31 mars 2030" in items[0].findtext("description")
    assert items[0].findtext("link").endswith("/fr/agenda/comite/")


def test_dates_in_english(client, agenda, locales):
    event = add(agenda, slug="formation", start=paris(2030, 3, 5, 14), end=paris(2030, 3, 5, 16))
    translate(event, locales["en"], title="Training for buyers", slug="training")
    html = words(client.get("/en/events/training/"))
    assert "Training for buyers" in html and "Tuesday 5 March 2030, 14:00 – 16:00" in html
    assert "Paris time" in html


def test_editors_create_an_event_in_the_admin(client, agenda, land, django_user_model):
    editor = django_user_model.objects.create_superuser("editeur", "editeur@example.org", "x")
    client.force_login(editor)
    url = f"/admin/pages/add/events/eventpage/{agenda.pk}/"
    assert "/admin/agenda/departements/" in text(client.get(url))  # the events' own chooser
    response = client.post(
        url,
        {
            "title": "Petit-déjeuner des acheteurs",
            "slug": "petit-dejeuner",
            "intro": "Un rendez-vous.",
            "start": "2030-03-31 10:00",
            "end": "2030-03-31 09:00",  # before the start
            "category": "meeting",
            "departement": land["arles"].pk,  # a commune, not a département
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )
    assert "La fin doit être après le début." in text(response)
    assert "Sélectionnez un choix valide" in text(response)
    assert not EventPage.objects.filter(slug="petit-dejeuner").exists()
