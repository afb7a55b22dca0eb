"""iCalendar (RFC 5545) files of the agenda, built with the `icalendar` package.

Times are written in UTC (`DTSTART:20260317T080000Z`), which every calendar application reads
without a VTIMEZONE; all-day events are DATE values, the end being the day after the last one
(RFC 5545: DTEND is exclusive).
"""

from datetime import UTC, timedelta

import icalendar
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

PRODID = "-//Portail des clauses sociales//Agenda//FR"


def uid(page):
    """A UID that never changes for an event: its translation key (shared by its languages, so
    both files describe the same event) and a fixed domain-like suffix."""
    return f"{page.translation_key}@agenda.clauses-sociales"


def event_component(page, request):
    """One VEVENT for an EventPage."""
    event = icalendar.Event()
    event.add("uid", uid(page))
    stamp = page.last_published_at or page.latest_revision_created_at or timezone.now()
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("last-modified", stamp.astimezone(UTC))
    if page.all_day:
        event.add("dtstart", page.local_start.date())
        event.add("dtend", page.local_end.date() + timedelta(days=1))
    else:
        event.add("dtstart", page.start.astimezone(UTC))
        event.add("dtend", page.end.astimezone(UTC))
    event.add("summary", page.title)
    url = page.get_full_url(request)
    description = [page.intro]
    if page.registration_url:
        description.append(f"{_('Inscription')} : {page.registration_url}")
    if page.online_url:
        description.append(f"{_('En ligne')} : {page.online_url}")
    description.append(url)
    event.add("description", "\n\n".join(part for part in description if part))
    if page.location_text:
        event.add("location", page.location_text)
    if page.has_map:
        event.add("geo", (page.latitude, page.longitude))
    event.add("url", url)
    event.add("categories", [str(page.get_category_display())])
    return event


def calendar_for(pages, name, request):
    """A VCALENDAR with one VEVENT per page, as bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", strip_tags(name))
    cal.add("x-wr-timezone", "Europe/Paris")
    for page in pages:
        cal.add_component(event_component(page, request))
    return cal.to_ical()


def response(body, filename=None):
    """An HTTP response serving iCal `body`; with `filename`, as a download."""
    result = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        result["Content-Disposition"] = content_disposition_header(True, filename)
    return result
