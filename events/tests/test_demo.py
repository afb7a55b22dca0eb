import io
from datetime import timedelta

import icalendar
import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import text
from events.models import EventPage

pytestmark = pytest.mark.django_db


def test_demo_agenda_has_past_and_upcoming_events_in_both_languages(client, locales):
    call_command("seed_demo", stdout=io.StringIO())
    french = EventPage.objects.filter(locale=locales["fr"])
    assert french.count() == 4 and EventPage.objects.filter(locale=locales["en"]).count() == 4
    assert french.past().count() == 2 and french.upcoming().count() == 2
    assert {e.departement.code for e in french if e.departement} == {"13", "40", "59"}

    html = text(client.get("/fr/agenda/"))
    assert "2 événements à venir" in html
    assert "Comité départemental des clauses sociales des Landes" in html
    assert "OpenMap ESS" in text(client.get("/fr/agenda/", {"quand": "passes"}))
    assert "Training for buyers" in text(client.get("/en/"))
    cal = icalendar.Calendar.from_ical(client.get("/en/events/ical/").content)
    assert len(cal.walk("VEVENT")) == 4

    # Months later, the upcoming demo events have passed: a new run dates them from today.
    committee = french.get(slug="comite-departemental-clauses-sociales-landes")
    committee.start -= timedelta(days=60)
    committee.end -= timedelta(days=60)
    committee.registration_deadline -= timedelta(days=60)
    committee.save_revision().publish()
    pages = EventPage.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert EventPage.objects.count() == pages
    assert french.upcoming().count() == 2
    english = EventPage.objects.get(translation_key=committee.translation_key, locale=locales["en"])
    assert english.end > timezone.now()
