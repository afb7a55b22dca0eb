"""The life of a request (referrals.lifecycle): every step recorded with who and when, the
e-mails of each step, the refusals, and the signed links of the e-mails."""

import datetime

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
