"""The life of a request (referrals.lifecycle): every step recorded with who and when, the
e-mails of each step, the refusals, and the signed links of the e-mails."""

import datetime
import time
from unittest import mock

import pytest
from django.core import mail

from conftest import flush_outbox, text
from referrals import lifecycle, links
from referrals.lifecycle import TransitionRefused
from referrals.models import ProjectRequest
from referrals.tests.test_referrals import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(client, referral_page, people):
    """A request from Tarascon, routed to Camille Arnaud (PLIE), its first e-mails sent."""
    assert send(client).status_code == 302
    flush_outbox()
    mail.outbox.clear()
    return ProjectRequest.objects.get()


def messages_to(address):
    flush_outbox()
    return [m for m in mail.outbox if address in m.to]


def test_reception_is_recorded_and_the_acknowledgment_links_the_tracking_page(
    client, referral_page, people
):
    send(client)
    project = ProjectRequest.objects.get()
    (event,) = project.events.all()
    assert event.kind == "received" and event.public and event.facilitator == people["plie"]
    flush_outbox()
    to_facilitator, _copy, to_sender = mail.outbox
    assert "/fr/suivi-demande/je-m-en-occupe/" in to_facilitator.body
    assert "/fr/suivi-demande/transmettre/" in to_facilitator.body
    assert "/fr/suivi-demande/decliner/" in to_facilitator.body
    assert "/fr/suivi-demande/" in to_sender.body


def test_a_whole_life_records_each_step_and_tells_the_sender(sent, people):
    coordinator = people["coordinator"]
    lifecycle.acknowledge(sent, by=people["plie_user"])
    assert sent.status == "acknowledged" and sent.acknowledged_at is not None
    (message,) = messages_to("alice@example.org")
    assert message.reply_to == ["camille.arnaud@example.org"]
    assert "Camille Arnaud" in message.body and "pris en compte" in message.subject
    mail.outbox.clear()

    with pytest.raises(TransitionRefused):
        lifecycle.acknowledge(sent)
    lifecycle.start(sent, by=people["plie_user"])
    lifecycle.reply(sent, "Bonjour, je vous appelle demain.", by=people["plie_user"])
    (update, answer) = messages_to("alice@example.org")
    assert answer.body.startswith("Bonjour, je vous appelle demain.")
    assert answer.reply_to == ["camille.arnaud@example.org"]
    mail.outbox.clear()

    lifecycle.write_clause(sent, 1200, datetime.date(2027, 4, 1), by=coordinator)
    assert sent.status == "clause_written" and sent.clause_hours == 1200
    assert sent.closed_at is not None
    (closing,) = messages_to("alice@example.org")
    assert "/fr/suivi-demande/avis/" in closing.body
    with pytest.raises(TransitionRefused):
        lifecycle.close_without_clause(sent, "plus de budget")
    lifecycle.rate(sent, 4, "Très réactif")
    assert sent.rating == 4 and sent.rated_at is not None
    with pytest.raises(TransitionRefused):
        lifecycle.rate(sent, 5)
    kinds = list(sent.events.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "acknowledged",
        "in_progress",
        "replied",
        "clause_written",
        "rated",
    ]
    assert sent.events.get(kind="acknowledged").actor_label == "camille"


def test_forward_hands_over_and_old_links_only_show_the_state(client, sent, people):
    flush_outbox()
    token = links.make("take", sent, f=people["plie"].pk, h=sent.handover().pk)
    lifecycle.forward(sent, to_facilitator=people["pertuis"], message="Votre secteur")
    assert sent.routed_to == people["pertuis"] and sent.status == "new"
    (handed,) = messages_to(people["pertuis"].email)
    assert "Votre secteur" in handed.body and "je-m-en-occupe" in handed.body
    response = client.get(f"/fr/suivi-demande/je-m-en-occupe/{token}/")
    assert response.status_code == 200
    assert "désormais suivie par Jules Roux" in text(response)
    assert client.post(f"/fr/suivi-demande/je-m-en-occupe/{token}/").status_code == 200
    sent.refresh_from_db()
    assert sent.status == "new"


def test_wrong_links_say_nothing(client, sent):
    take = links.make("take", sent, f=sent.routed_to_id, h=sent.handover().pk)
    for url in (
        "/fr/suivi-demande/nimportequoi/",
        f"/fr/suivi-demande/{take}/",  # a facilitator's link is not a tracking link
        f"/fr/suivi-demande/decliner/{take}/",
        f"/en/suivi-demande/avis/{take}/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert sent.subject not in text(response)


def test_decline_goes_back_to_the_coordination_with_the_reason(client, sent, people):
    with pytest.raises(TransitionRefused):
        lifecycle.decline(sent, "  ")
    lifecycle.decline(sent, "Hors de mon secteur", label="Camille Arnaud")
    assert sent.routed_to is None and sent.status == "new"
    event = sent.events.get(kind="declined")
    assert event.facilitator == people["plie"] and event.message == "Hors de mon secteur"
    (to_coordination,) = messages_to("coordination@example.org")
    assert "Projet à orienter" in to_coordination.subject
    assert "Hors de mon secteur" in to_coordination.body
    assert "je-m-en-occupe" not in to_coordination.body
    (to_sender,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "nouvel interlocuteur" in to_sender.subject
    with pytest.raises(TransitionRefused):
        lifecycle.decline(sent, "encore")  # no facilitator left to decline


def test_reroute_tells_the_new_and_the_previous_facilitator(sent, people):
    lifecycle.reroute(sent, to_facilitator=people["centre"], by=people["coordinator"])
    flush_outbox()
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(
        [people["centre"].email, "camille.arnaud@example.org", "alice@example.org"]
    )
    (previous,) = [m for m in mail.outbox if m.to == ["camille.arnaud@example.org"]]
    assert "réorientée vers Hugo Martin" in previous.body
    with pytest.raises(TransitionRefused):
        lifecycle.reroute(sent, to_facilitator=people["centre"])
    with pytest.raises(TransitionRefused):
        lifecycle.reroute(sent)


def test_assign_only_to_who_may_follow_it_and_tells_them(sent, people, django_user_model):
    stranger = django_user_model.objects.create_user("x", "x@example.org", "pass-word-123")
    with pytest.raises(TransitionRefused):
        lifecycle.assign(sent, stranger, by=people["coordinator"])
    lifecycle.assign(sent, people["plie_user"], by=people["coordinator"])
    assert sent.assignee == people["plie_user"]
    (told,) = messages_to("camille@example.org")
    assert "Demande à suivre" in told.subject and "/admin/demandes/edit/" in told.body
    assert not sent.events.get(kind="assigned").public


def test_reminder_and_escalation_only_while_nobody_took_it(sent, people):
    lifecycle.remind(sent)
    lifecycle.escalate(sent)
    assert sent.reminded_at and sent.escalated_at
    flush_outbox()
    reminder, escalation = mail.outbox
    assert reminder.to == ["camille.arnaud@example.org"] and "Rappel" in reminder.subject
    assert "je-m-en-occupe" in reminder.body
    assert "coordination@example.org" in escalation.to
    assert "Projet sans réponse" in escalation.subject
    lifecycle.acknowledge(sent)
    for step in (lifecycle.remind, lifecycle.escalate):
        with pytest.raises(TransitionRefused):
            step(sent)
    assert not sent.events.filter(kind__in=["reminded", "escalated"], public=True).exists()


def test_links_expire(client, sent, settings):
    track = links.make("track", sent)
    take = links.make("take", sent, f=sent.routed_to_id, h=sent.handover().pk)
    now = time.time()
    with mock.patch("django.core.signing.time.time", return_value=now + 29 * 86400):
        assert client.get(f"/fr/suivi-demande/je-m-en-occupe/{take}/").status_code == 200
    with mock.patch("django.core.signing.time.time", return_value=now + 31 * 86400):
        assert client.get(f"/fr/suivi-demande/je-m-en-occupe/{take}/").status_code == 404
        assert client.get(f"/fr/suivi-demande/{track}/").status_code == 200
    later = now + (settings.REFERRAL_RETENTION_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(f"/fr/suivi-demande/{track}/")
        assert response.status_code == 404 and sent.subject not in text(response)
        assert response["Referrer-Policy"] == "no-referrer"


def test_a_get_never_changes_anything_and_bad_posts_lose_nothing(client, sent):
    data = {"f": sent.routed_to_id, "h": sent.handover().pk}
    for purpose in ("take", "forward", "decline"):
        assert client.get(links.url(purpose, sent, **data)).status_code == 200
    assert sent.events.count() == 1 and ProjectRequest.objects.get().status == "new"
    decline = links.url("decline", sent, **data)
    response = client.post(decline, {"reason": ""})
    assert response.status_code == 400 and "obligatoire" in text(response)
    response = client.post(links.url("forward", sent, **data), {"to": "999999", "message": "x"})
    assert response.status_code == 400
    assert ProjectRequest.objects.get().routed_to_id == data["f"]


def test_forward_to_the_coordination_from_the_link(client, sent, people):
    forward = links.url("forward", sent, f=sent.routed_to_id, h=sent.handover().pk)
    response = client.post(forward, {"to": "coordination", "message": "Plutôt pour vous"})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.routed_to is None and sent.status == "new"
    event = sent.events.get(kind="forwarded")
    assert event.actor_label == "Camille Arnaud" and event.actor == people["plie_user"]
    assert "Plutôt pour vous" in messages_to("coordination@example.org")[0].body


def test_the_opinion_link_before_closing_asks_nothing(client, sent):
    response = client.get(links.url("rate", sent))
    assert response.status_code == 200 and 'name="rating"' not in response.content.decode()
    assert client.post(links.url("rate", sent), {"rating": "5"}).status_code == 200
    assert ProjectRequest.objects.get().rating is None


def test_closing_without_clause_needs_a_reason_and_shows_it_to_the_sender(client, sent):
    with pytest.raises(TransitionRefused):
        lifecycle.close_without_clause(sent, "")
    lifecycle.close_without_clause(sent, "Marché abandonné")
    (closing,) = messages_to("alice@example.org")
    assert "Marché abandonné" in closing.body and "/suivi-demande/avis/" in closing.body
    track = links.url("track", sent)
    body = text(client.get(track))
    assert "Close sans clause" in body and "Marché abandonné" in body


def test_a_request_its_coordination_handles_is_escalated_to_the_coordination_above(
    c13, sent, people, land
):
    """Declined, the request waits on the Bouches-du-Rhône's coordination: its reminder goes
    there, and its escalation to the coordination above (the région's, else the national
    one), which the event names. Above the national coordination there is nobody else."""
    from directory.models import Coordination
    from directory.tests.factories import CoordinationFactory

    national = Coordination.objects.get(kind=Coordination.Kind.NATIONAL)
    lifecycle.decline(sent, "Hors de notre territoire.", by=people["plie_user"])
    assert sent.routed_to is None and sent.coordination == c13
    mail.outbox.clear()
    lifecycle.remind(sent)
    lifecycle.escalate(sent)
    assert "coordination13@example.org" in messages_to("coordination13@example.org")[0].to
    (escalation,) = [m for m in mail.outbox if "Projet sans réponse" in m.subject]
    assert "coordination@example.org" in escalation.to  # the national coordination's
    assert "coordination13@example.org" not in escalation.to
    event = sent.events.get(kind="escalated")
    assert event.coordination == national
    from django.template.loader import render_to_string
    from django.utils import translation

    shown = render_to_string("referrals/includes/event.html", {"event": event}).strip()
    assert shown == "Signalée à la coordination nationale"  # with its article
    with translation.override("en"):
        shown = render_to_string("referrals/includes/event.html", {"event": event}).strip()
    assert shown == "Escalated to the Coordination nationale"

    paca = CoordinationFactory(
        name="Coordination régionale PACA",
        kind=Coordination.Kind.REGIONAL,
        email="paca@example.org",
        territories=[land["region"]],
    )
    from directory import coverage

    assert coverage.coordination_above(land["tarascon"], c13) == paca
    assert coverage.coordination_above(land["tarascon"], paca) == national
    assert coverage.coordination_above(land["tarascon"], national) is None
