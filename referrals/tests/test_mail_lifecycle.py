"""A whole request lifecycle through a real SMTP server on 127.0.0.1 (aiosmtpd): the outbox
delivers with Django's SMTP backend, every message is parsed back with Python's `email`
package, and each link is followed: it works for its purpose, once, and for nothing else."""

import datetime
import email
import os
import re
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation

from conftest import flush_outbox, text
from referrals import lifecycle
from referrals.models import ProjectRequest
from referrals.tests.test_referrals import form_data

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+)")


class Mailbox:
    """aiosmtpd handler: keeps every envelope received."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture(autouse=True)
def back_to_french(settings):
    """The English pages visited leave English active in this thread: the next tests expect
    the site's default language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def smtp(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield mailbox
    finally:
        controller.stop()


class Received:
    """One message as the mail server got it: envelope recipients, parsed headers and body."""

    def __init__(self, envelope):
        self.rcpt = sorted(envelope.rcpt_tos)
        self.message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.subject = " ".join(str(self.message["Subject"]).split())  # unfolded
        self.reply_to = str(self.message.get("Reply-To", ""))
        self.body = self.message.get_body(("plain",)).get_content()

    def links(self):
        return LINK.findall(self.body)

    def link(self, part):
        (found,) = [path for path in self.links() if part in path]
        return found


def delivered(smtp):
    """Run the outbox worker, return the messages the server received since last call."""
    counts = flush_outbox()
    assert counts["failed"] == counts["retry"] == 0, counts
    new = [Received(envelope) for envelope in smtp.envelopes]
    smtp.envelopes.clear()
    if os.environ.get("LIFECYCLE_MAIL_DUMP"):  # writes the e-mails for the closing note
        with Path(os.environ["LIFECYCLE_MAIL_DUMP"]).open("a", encoding="utf-8") as dump:
            for message in new:
                dump.write(
                    f"\n---- To: {', '.join(message.rcpt)}\nSubject: {message.subject}\n"
                    f"Reply-To: {message.reply_to}\n\n{message.body}"
                )
    return new


def one_to(messages, address):
    (message,) = [m for m in messages if address in m.rcpt]
    return message


WORDS = {
    "fr": {
        "ack": "Nous avons bien reçu votre projet",
        "taken": "pris en compte",
        "new_contact": "nouvel interlocuteur",
        "clause": "clause sociale de votre projet est rédigée",
        "status": "Prise en compte",
    },
    "en": {
        "ack": "We have received your project",
        "taken": "acknowledged",
        "new_contact": "new contact",
        "clause": "social clause of your project is written",
        "status": "Acknowledged",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_whole_lifecycle_through_a_real_smtp_server(
    client, referral_page, people, smtp, language
):
    words = WORDS[language]
    url = "/fr/envoyer-mon-projet/" if language == "fr" else "/en/send-my-project/"
    assert client.post(url, form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302
    project = ProjectRequest.objects.get()
    assert project.language == language

    # Reception: the facilitator (French, three action links), the coordination's copy,
    # the sender's acknowledgment (their language, the tracking link).
    first = delivered(smtp)
    assert len(first) == 3
    to_facilitator = one_to(first, "camille.arnaud@example.org")
    assert to_facilitator.rcpt == ["camille.arnaud@example.org"]
    assert to_facilitator.reply_to == "alice@example.org"
    assert "Nouveau projet à accompagner" in to_facilitator.subject
    assert all(p.startswith("/fr/") for p in to_facilitator.links() if "suivi-demande" in p)
    take = to_facilitator.link("/je-m-en-occupe/")
    forward = to_facilitator.link("/transmettre/")
    decline = to_facilitator.link("/decliner/")
    copy = one_to(first, "coordination@example.org")
    assert [path for path in copy.links() if "/admin/demandes/edit/" in path]
    assert not [path for path in copy.links() if "suivi-demande" in path]  # no action links
    ack = one_to(first, "alice@example.org")
    assert ack.rcpt == ["alice@example.org"]
    assert words["ack"] in ack.body
    (track,) = ack.links()
    assert track.startswith(f"/{language}/suivi-demande/")

    # Each link only for its purpose: a take token at the forward address, the tracking
    # token at a facilitator's address, all answer the same "nothing here".
    token = take.rstrip("/").rsplit("/", 1)[1]
    track_token = track.rstrip("/").rsplit("/", 1)[1]
    for wrong in (
        f"/fr/suivi-demande/transmettre/{token}/",
        f"/fr/suivi-demande/decliner/{token}/",
        f"/fr/suivi-demande/{token}/",
        f"/fr/suivi-demande/je-m-en-occupe/{track_token}/",
        f"/fr/suivi-demande/avis/{track_token}/",
    ):
        response = client.post(wrong, {"reason": "x", "to": "coordination", "message": "x"})
        assert response.status_code == 404 and project.subject not in text(response)
    project.refresh_from_db()
    assert project.status == "new" and project.events.count() == 1

    # The tracking page: the sender's data, the handler, never cached, no referrer.
    response = client.get(track)
    assert response.status_code == 200
    assert "Alice Exemple" in text(response) and "Camille Arnaud" in text(response)
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]

    # "I take it": GET shows and changes nothing, POST acts, a second POST does nothing.
    response = client.get(take)
    assert response.status_code == 200 and "Je confirme : je m'en occupe" in text(response)
    assert ProjectRequest.objects.get().status == "new"
    assert client.post(take).status_code == 200
    assert client.post(take).status_code == 200
    project.refresh_from_db()
    assert project.status == "acknowledged"
    assert list(project.events.values_list("kind", flat=True)) == ["received", "acknowledged"]
    assert "déjà prise en compte" in text(client.get(take))
    taken = delivered(smtp)
    (update,) = taken
    assert update.rcpt == ["alice@example.org"] and words["taken"] in update.subject
    assert update.reply_to == "camille.arnaud@example.org"
    assert client.get(update.link(f"/{language}/suivi-demande/")).status_code == 200
    assert f'class="request-status">{words["status"]}<' in text(client.get(track))

    # "Forward to…" a colleague, with a message: the colleague gets its own links, the old
    # decline link only shows where the request stands.
    pertuis = people["pertuis"]
    response = client.get(forward)
    assert response.status_code == 200 and "Jules Roux" in text(response)
    response = client.post(forward, {"to": str(pertuis.pk), "message": ""})
    assert response.status_code == 400  # the message is required; nothing done
    assert ProjectRequest.objects.get().routed_to == people["plie"]
    client.post(forward, {"to": str(pertuis.pk), "message": "Pertuis est sur ton secteur."})
    project.refresh_from_db()
    assert project.routed_to == pertuis and project.status == "new"
    handed = delivered(smtp)
    to_pertuis = one_to(handed, pertuis.email)
    assert "Pertuis est sur ton secteur." in to_pertuis.body
    assert "Camille Arnaud vous transmet ce projet" in to_pertuis.body
    to_sender = one_to(handed, "alice@example.org")
    assert words["new_contact"] in to_sender.subject and "Jules Roux" in to_sender.body
    assert to_sender.reply_to == pertuis.email
    response = client.post(decline, {"reason": "Trop tard"})
    assert "désormais suivie par Jules Roux" in text(response)
    assert ProjectRequest.objects.get().routed_to == pertuis
    assert client.post(forward, {"to": "coordination", "message": "x"}).status_code == 200
    assert ProjectRequest.objects.get().routed_to == pertuis

    # The new handler takes it from its own e-mail.
    client.post(to_pertuis.link("/je-m-en-occupe/"))
    project.refresh_from_db()
    assert project.status == "acknowledged"
    assert one_to(delivered(smtp), "alice@example.org")

    # Clause written (from the admin): the sender's e-mail carries one opinion link.
    lifecycle.write_clause(project, 1200, datetime.date(2027, 4, 1), by=people["pertuis_user"])
    (closing,) = delivered(smtp)
    assert words["clause"] in closing.subject.lower() or words["clause"] in closing.body
    rate = closing.link("/avis/")
    (track_again,) = [path for path in closing.links() if path != rate]
    with translation.override(language):
        written = str(ProjectRequest.Status.CLAUSE_WRITTEN.label)
    assert f'class="request-status">{written}<' in text(client.get(track_again))
    response = client.get(rate)
    assert response.status_code == 200 and 'name="rating"' in response.content.decode()
    assert client.post(rate, {"rating": "9"}).status_code == 400
    assert client.post(rate, {"rating": "4", "comment": "Réactif"}).status_code == 200
    assert client.post(rate, {"rating": "1", "comment": "Changé d'avis"}).status_code == 200
    project.refresh_from_db()
    assert (project.rating, project.rating_comment) == (4, "Réactif")
    rated = delivered(smtp)
    assert one_to(rated, pertuis.email).subject.startswith("Avis du donneur d'ordre (4/5)")
    # The rating link is no tracking link, and the tracking page shows the closing.
    rate_token = rate.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/{language}/suivi-demande/{rate_token}/").status_code == 404
    body = text(client.get(track))
    assert re.search(r"1[\s,\u202f\xa0]200", body)  # the clause's hours
    assert project.events.filter(kind="rated", public=False).exists()
