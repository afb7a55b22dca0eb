"""A facilitator's absence (`referrals.routing.cover_absence`): during it, and only during
it, a new request goes to the deputy — or to the coordination — and the history, the
sender's acknowledgment, the confirmation page and the tracking page say so; requests
received before stay where they are."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail

from conftest import flush_outbox, text
from directory.tests.factories import AbsenceFactory
from referrals.models import ProjectRequest
from referrals.routing import route
from referrals.tests.test_referrals import URL, send

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
FIRST, LAST = datetime.date(2027, 1, 4), datetime.date(2027, 1, 12)


def at(day, hour=10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS), tick=False
    )


@pytest.fixture
def away(people):
    """Camille Arnaud (the Arles PLIE, Tarascon's lead) is away 4–12 January 2027; Léa
    Bernard stands in."""
    return AbsenceFactory(facilitator=people["plie"], start=FIRST, end=LAST, deputy=people["est"])


def sent_on(client, day, **data):
    """Send the form on `day`; its e-mails are delivered that day (`mail.outbox`)."""
    mail.outbox.clear()
    with at(day):
        response = send(client, **data)
        flush_outbox()
    assert response.status_code == 302
    return response, ProjectRequest.objects.order_by("-pk").first()


def test_routing_goes_to_the_deputy_during_the_absence_only(people, land, away):
    assert route(land["tarascon"], day=FIRST - datetime.timedelta(1)).facilitator == people["plie"]
    for day in (FIRST, LAST):
        routing = route(land["tarascon"], day=day)
        assert routing.facilitator == people["est"] and routing.absence == away
        assert routing.route == "territory"  # the directory's rule is unchanged
    assert route(land["tarascon"], day=LAST + datetime.timedelta(1)).facilitator == people["plie"]
    with at(datetime.date(2027, 1, 8)):
        assert route(land["tarascon"]).facilitator == people["est"]  # today, by default


def test_a_request_during_the_absence_goes_to_the_deputy_and_everyone_is_told(
    client, referral_page, people, away
):
    _response, before = sent_on(client, FIRST - datetime.timedelta(3))
    response, project = sent_on(client, datetime.date(2027, 1, 8))
    assert project.routed_to == people["est"]
    # The history names who is away, until when, and who stands in.
    event = project.absence_step()
    assert (event.absent_label, event.absent_until, event.facilitator) == (
        "Camille Arnaud",
        LAST,
        people["est"],
    )
    line = (
        "Demande reçue : Camille Arnaud est indisponible jusqu'au 12 janvier 2027 ; elle est "
        f"adressée à Léa Bernard ({people['est'].structure.name}), qui assure sa suppléance"
    )
    # The confirmation page.
    confirmation = text(client.get(response["Location"]))
    assert (
        "Camille Arnaud est indisponible jusqu'au 12 janvier 2027 : Léa Bernard assure sa "
        "suppléance." in confirmation
    )
    assert "Léa Bernard" in confirmation and "vous répondra sous 5 jours ouvrés" in confirmation
    # The sender's acknowledgment, and the deputy's e-mail.
    (to_sender,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert (
        "Camille Arnaud est indisponible jusqu'au 12 janvier 2027 : Léa Bernard assure sa "
        "suppléance." in to_sender.body
    )
    (to_deputy,) = [m for m in mail.outbox if people["est"].email in m.to]
    assert "En suppléance : Camille Arnaud est indisponible jusqu'au 12 janvier 2027" in (
        to_deputy.body
    )
    assert not [m for m in mail.outbox if people["plie"].email in m.to]
    # The tracking page.
    tracking = re.search(r"http\S+/fr/suivi-demande/\S+/", to_sender.body).group(0)
    assert line in text(client.get(tracking.split("testserver", 1)[-1]))
    # The admin's history.
    client.force_login(people["coordinator"])
    assert line in text(client.get(f"/admin/demandes/edit/{project.pk}/"))
    # The request received before the absence stays with Camille Arnaud.
    before.refresh_from_db()
    assert before.routed_to == people["plie"] and before.absence_step() is None
    # The form's "sent to" box says it before sending.
    with at(LAST):
        box = text(client.get(URL, {"destinataire": "1", "place": "13108"}))
    assert "Léa Bernard" in box and "Camille Arnaud est indisponible jusqu'au 12 janvier" in box
    # After the absence, requests go to her again.
    _response, after = sent_on(client, LAST + datetime.timedelta(1))
    assert after.routed_to == people["plie"] and after.absence_step() is None


def test_without_a_deputy_the_coordination_receives_it(client, referral_page, people, c13, away):
    away.deputy = None
    away.save()
    response, project = sent_on(client, FIRST)
    assert project.routed_to is None and project.coordination == c13
    event = project.absence_step()
    assert event.coordination == c13 and event.facilitator is None
    confirmation = text(client.get(response["Location"]))
    assert (
        "Camille Arnaud est indisponible jusqu'au 12 janvier 2027 : la coordination des clauses "
        "sociales de son territoire prend le relais." in confirmation
    )
    assert "Aucun facilitateur n'est désigné" not in confirmation
    (to_coordination,) = [m for m in mail.outbox if "coordination13@example.org" in m.to]
    assert to_coordination.subject.startswith("Projet à orienter (facilitateur indisponible)")


def test_a_deputy_away_too_leaves_it_to_the_coordination(people, land, c13, away):
    AbsenceFactory(facilitator=people["est"], start=LAST, end=LAST)  # recorded later
    assert route(land["tarascon"], day=FIRST).facilitator == people["est"]
    routing = route(land["tarascon"], day=LAST)
    assert routing.facilitator is None and routing.absence == away
    assert routing.coordination == c13


def test_the_sender_reads_it_in_english(client, referral_page, people, away):
    with at(FIRST):
        response = client.post(
            "/en/send-my-project/",
            {
                "place": "Tarascon (13)",
                "organisation": "Ville de Tarascon",
                "contact_name": "Alice Example",
                "email": "alice@example.org",
                "nature": "works",
                "subject": "School works",
                "consent": "on",
            },
        )
        flush_outbox()
    assert response.status_code == 302
    (to_sender,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "Camille Arnaud is away until 12 January 2027: Léa Bernard stands in for them." in (
        to_sender.body
    )
