"""Sending a project to the lead facilitator: routing, storage, e-mails, failures, protection,
and the "Demandes" inbox."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import flush_outbox, text
from outbox.models import OutgoingMessage
from referrals.models import ProjectRequest
from referrals.routing import route

pytestmark = pytest.mark.django_db

URL = "/fr/envoyer-mon-projet/"


def form_data(**changes):
    data = {
        "place": "Tarascon (13)",
        "organisation": "Ville de Tarascon",
        "contact_name": "Alice Exemple",
        "email": "alice@example.org",
        "phone": "04 90 00 00 00",
        "nature": "works",
        "subject": "Réhabilitation de l'école Jean-Moulin",
        "amount": "1 200 000",
        "duration": "18 mois",
        "publication_date": "2027-03-01",
        "insertion_hours": "1 000",
        "message": "Premier marché avec clause pour nous.",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def send(client, **changes):
    return client.post(URL, form_data(**changes), REMOTE_ADDR=changes.pop("ip", "10.0.0.1"))


# -- Routing ------------------------------------------------------------------------------


def test_routing_to_the_territorys_lead(people, land):
    routing = route(land["tarascon"])
    assert routing.facilitator == people["plie"] and routing.route == "territory"
    assert "la CA Arles-Crau-Camargue" in routing.explanation


def test_routing_to_the_buyers_own_lead(people, land):
    routing = route(land["chateaurenard"], people["departement"])
    assert routing.facilitator == people["officer"] and routing.route == "authority"
    # Its designation applies in its perimeter even where a territorial lead exists.
    assert route(land["tarascon"], people["departement"]).facilitator == people["officer"]


def test_routing_to_the_single_covering_facilitator(people, land):
    routing = route(land["pertuis"])
    assert routing.facilitator == people["pertuis"] and routing.route == "single"


def test_routing_of_a_white_zone_goes_to_the_coordinators(people, land):
    routing = route(land["chateaurenard"])
    assert routing.facilitator is None and routing.route == "coordination"
    assert "zone blanche" in routing.explanation


def test_several_facilitators_without_lead_go_to_the_coordinators(people, land):
    routing = route(land["marseille"])
    assert routing.facilitator is None and routing.route == "coordination"
    assert "sans chef de file" in routing.explanation


# -- The form -----------------------------------------------------------------------------


def test_form_is_prefilled_from_the_commune_answer(client, referral_page, people):
    body = text(client.get(URL, {"commune": "13108", "heures": "833", "montant": "1000000"}))
    assert 'value="Tarascon (13)"' in body
    assert 'value="833"' in body and 'value="1000000"' in body
    assert "Votre projet sera adressé à" in body and "Camille Arnaud" in body


def test_recipient_box_follows_the_chosen_buyer(client, referral_page, people):
    """Choosing the Département as buyer sends the project to its officer: the box says so,
    before sending (as the page's script asks it) and after a validation error."""
    departement = people["departement"].pk
    body = text(client.get(URL, {"commune": "13108", "authority": departement}))
    box = body.split('id="recipient"')[1].split("</div>")[0]
    assert "Marion Chevalier" in box and "Camille Arnaud" not in box
    assert "par le Département des Bouches-du-Rhône pour ses propres marchés" in box

    partial = text(
        client.get(URL, {"destinataire": "1", "place": "Tarascon (13)", "authority": departement})
    )
    assert "Marion Chevalier" in partial and "<html" not in partial
    partial = text(client.get(URL, {"destinataire": "1", "place": "Tarascon (13)"}))
    assert "Camille Arnaud" in partial
    for place in ("", "Nulle-part", "x" * 500):
        assert "Votre projet sera adressé" not in text(
            client.get(URL, {"destinataire": "1", "place": place, "authority": "²"})
        )

    response = send(client, authority=str(departement), email="pas-un-email")
    body = text(response)
    assert response.status_code == 200 and "Saisissez une adresse e-mail valide" in body
    box = body.split('id="recipient"')[1].split("</div>")[0]
    assert "Votre projet sera adressé à" in box and "Marion Chevalier" in box


def test_amounts_keep_their_cents_in_the_inbox_and_the_mail(client, referral_page, people):
    assert send(client, amount="1000000.50").status_code == 302
    project = ProjectRequest.objects.get()
    assert str(project.amount) == "1000000.50"
    flush_outbox()
    body = mail.outbox[0].body.replace("\u202f", " ").replace("\xa0", " ")
    assert "1 000 000,50 € HT" in body


def test_sending_stores_routes_mails_and_confirms(client, referral_page, people, land):
    response = send(client)
    assert response.status_code == 302
    assert re.match(r"^/fr/envoyer-mon-projet/\?envoye=[\w%.-]+$", response["Location"])
    project = ProjectRequest.objects.get()
    assert project.commune == land["tarascon"] and project.routed_to == people["plie"]
    assert project.amount == 1200000 and project.insertion_hours == 1000
    assert project.publication_date == datetime.date(2027, 3, 1)
    assert project.status == "new"
    # The answer does not wait for the mail server: the messages wait in the outbox.
    assert project.mail_status == "pending" and mail.outbox == []
    assert OutgoingMessage.objects.count() == 3
    assert flush_outbox() == {"sent": 3, "retry": 0, "failed": 0}
    project.refresh_from_db()
    assert project.mail_status == "sent"
    assert project.mails_sent == "coordination,facilitator,sender"

    to_facilitator, to_coordination, to_sender = mail.outbox
    assert to_facilitator.to == ["camille.arnaud@example.org"]
    assert to_facilitator.reply_to == ["alice@example.org"]
    assert "Réhabilitation de l'école Jean-Moulin" in to_facilitator.subject
    body = to_facilitator.body
    for detail in (
        "Ville de Tarascon",
        "04 90 00 00 00",
        "Travaux",
        "1\xa0200\xa0000 € HT",
        "18 mois",
        "1er mars 2027",
        "1000",
        "Premier marché avec clause",
    ):
        assert detail in body, detail
    assert f"/admin/demandes/edit/{project.pk}/" in body
    assert to_coordination.to == ["coordination@example.org"]
    assert to_coordination.subject.startswith("Copie")
    assert to_sender.to == ["alice@example.org"]
    assert "Camille Arnaud (PLIE Arles Crau Camargue Montagnette) vous répondra sous 5 jours" in (
        to_sender.body
    )

    confirmation = text(client.get(response["Location"]))
    assert f"Demande n° {project.pk}" in confirmation
    assert "Camille Arnaud" in confirmation and "vous répondra sous 5 jours ouvrés" in confirmation


def test_white_zone_request_goes_to_the_coordinators_and_says_so(client, referral_page, people):
    response = send(client, place="Châteaurenard")
    project = ProjectRequest.objects.get()
    assert project.routed_to is None and project.route == "coordination"
    flush_outbox()
    subjects = [message.subject for message in mail.outbox]
    assert len(mail.outbox) == 2  # coordination and sender: no facilitator to write to
    assert subjects[0].startswith("Projet à orienter")
    assert "la coordination des clauses sociales vous répondra" in mail.outbox[1].body
    assert "la coordination des clauses sociales" in text(client.get(response["Location"]))


def test_buyer_chosen_from_the_directory_gets_its_own_lead(client, referral_page, people):
    send(client, place="Châteaurenard", organisation="", authority=people["departement"].pk)
    project = ProjectRequest.objects.get()
    assert project.routed_to == people["officer"] and project.route == "authority"
    assert project.organisation == "Département des Bouches-du-Rhône"


def test_english_sender_gets_an_english_acknowledgment(client, referral_page, people):
    client.post("/en/send-my-project/", form_data())
    project = ProjectRequest.objects.get()
    assert project.language == "en"
    flush_outbox()
    assert "will answer you within 5 working days" in mail.outbox[-1].body


def test_bad_input_keeps_values_and_explains(client, referral_page, people):
    response = send(
        client,
        place="Nulle-part",
        email="pas-un-email",
        amount="-5",
        consent=None,
        organisation="",
        phone="appelez-moi",
    )
    body = text(response)
    assert response.status_code == 200
    assert ProjectRequest.objects.count() == 0 and OutgoingMessage.objects.count() == 0
    assert "Aucune commune ne correspond à « Nulle-part »" in body
    assert "Saisissez une adresse e-mail valide" in body
    assert "entre 1 et" in body
    assert "Indiquez votre organisme" in body
    assert "Saisissez un numéro de téléphone" in body
    assert 'value="Réhabilitation de l\'école Jean-Moulin"' in body.replace("&#x27;", "'")
    assert 'value="pas-un-email"' in body


def test_ambiguous_place_asks_which_commune(client, referral_page, people, land):
    land["tarascon"].postal_codes = "13150,13200"
    land["tarascon"].save()
    land["arles"].postal_codes = "13200"
    land["arles"].save()
    body = text(send(client, place="13200"))
    assert "Plusieurs communes correspondent" in body and "Tarascon (13)" in body


def test_no_header_injection(client, referral_page, people):
    response = send(client, subject="Travaux\r\nBcc: victim@example.org")
    assert response.status_code == 200 and ProjectRequest.objects.count() == 0
    assert "caractère invisible non autorisé (U+000D)" in text(response)
    send(client, subject="Travaux   de voirie")  # runs of spaces fold into one line
    project = ProjectRequest.objects.get()
    assert project.subject == "Travaux de voirie"
    ProjectRequest.objects.all().delete()
    response = send(client, email="alice@example.org\nBcc: victim@example.org")
    assert response.status_code == 200 and ProjectRequest.objects.count() == 0


def test_control_characters_are_refused_with_a_message(client, referral_page, people):
    response = send(client, contact_name="Alice\x1cExemple", duration="18\x00mois")
    body = text(response)
    assert response.status_code == 200 and ProjectRequest.objects.count() == 0
    assert "caractère invisible non autorisé (U+001C)" in body
    assert "Le caractère nul" in body  # Django's own rule for NUL
    # Line breaks and tabs are fine in the message, nowhere else.
    assert send(client, message="Bonjour,\r\n\tvoici notre projet.").status_code == 302
    assert ProjectRequest.objects.get().message == "Bonjour,\r\n\tvoici notre projet."


def test_an_address_the_mail_package_cannot_encode_is_refused(client, referral_page, people):
    response = send(client, email='"a\x1cb"@example.org')
    assert response.status_code == 200 and ProjectRequest.objects.count() == 0
    assert "caractère invisible non autorisé" in text(response)
    response = send(client, email="alice@" + "x" * 70 + ".example.org")  # label over 63
    assert response.status_code == 200 and ProjectRequest.objects.count() == 0
    assert "ne peut pas recevoir de message" in text(response)


def test_honeypot_pretends_and_keeps_nothing(client, referral_page, people):
    response = send(client, site_web="http://spam.example")
    assert response.status_code == 302
    assert ProjectRequest.objects.count() == 0 and OutgoingMessage.objects.count() == 0
    assert "votre projet a été transmis" in text(client.get(response["Location"]))


def test_rate_limit_per_ip_keeps_the_values(client, referral_page, people, settings):
    settings.REFERRAL_RATE_LIMIT = 2
    for _attempt in range(3):  # correcting mistakes does not count
        assert send(client, email="pas-un-email").status_code == 200
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    body = text(response)
    assert "Trop de demandes" in body and 'value="Alice Exemple"' in body
    assert "réessayez dans" in body and 1 <= int(response["Retry-After"]) <= 3600
    assert ProjectRequest.objects.count() == 2
    assert send(client, ip="10.0.0.2").status_code == 302


def test_confirmation_link_cannot_be_forged(client, referral_page, people):
    send(client)
    body = text(client.get(URL, {"envoye": "1"}))
    assert "Alice" not in body and "Camille Arnaud" not in body
    assert "votre projet a été transmis" in body


def test_redirect_stays_on_the_site(client, referral_page, people):
    response = client.post(URL + "?next=https://evil.example/", form_data())
    assert response["Location"].startswith("/fr/envoyer-mon-projet/?envoye=")


# -- Mail failures --------------------------------------------------------------------------


def test_mail_server_down_keeps_the_request_and_retries(client, referral_page, people, settings):
    settings.OUTBOX_DELIVERY_BACKEND = "referrals.tests.backends.DownBackend"
    response = send(client)
    assert response.status_code == 302  # the sender still gets the confirmation
    assert "vous répondra" in text(client.get(response["Location"]))
    assert flush_outbox() == {"sent": 0, "retry": 3, "failed": 0}
    project = ProjectRequest.objects.get()
    assert project.mail_status == "failed" and project.mail_attempts == 1
    assert "SMTPServerDisconnected" in project.mail_error

    with pytest.raises(SystemExit):  # still down: the command says so with its exit code
        call_command("send_request_mails")
    project.refresh_from_db()
    assert project.mail_attempts == 2
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_request_mails")
    project.refresh_from_db()
    assert project.mail_status == "sent" and project.mail_error == ""
    assert len(mail.outbox) == 3
    call_command("send_request_mails")  # nothing left: nothing sent twice
    assert len(mail.outbox) == 3


def test_nothing_is_sent_twice_once_the_outbox_forgot(client, referral_page, people, settings):
    settings.OUTBOX_DELIVERY_BACKEND = "referrals.tests.backends.FlakyBackend"
    send(client)
    flush_outbox()
    OutgoingMessage.objects.filter(status="sent").delete()  # as the outbox purge does
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_request_mails")
    assert [m.to[0] for m in mail.outbox] == [
        "camille.arnaud@example.org",
        "coordination@example.org",
        "alice@example.org",
    ]


def test_retry_sends_only_what_is_missing(client, referral_page, people, settings):
    settings.OUTBOX_DELIVERY_BACKEND = "referrals.tests.backends.FlakyBackend"
    send(client)
    flush_outbox()
    project = ProjectRequest.objects.get()
    assert project.mail_status == "failed" and project.mails_sent == "facilitator"
    assert [m.to for m in mail.outbox] == [["camille.arnaud@example.org"]]
    send(client, subject="Deuxième projet")  # queued meanwhile: its own three messages
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_request_mails")
    recipients = [m.to[0] for m in mail.outbox]
    assert recipients == [
        "camille.arnaud@example.org",
        "coordination@example.org",
        "alice@example.org",
        "camille.arnaud@example.org",
        "coordination@example.org",
        "alice@example.org",
    ]
    assert set(ProjectRequest.objects.values_list("mail_status", flat=True)) == {"sent"}


def test_a_poisoned_request_does_not_stop_the_next_ones(client, referral_page, people):
    """A request stored before the form checked addresses: its acknowledgment cannot be
    written; it is given up, and the requests after it are mailed."""
    send(client, subject="Ancien projet")
    poisoned = ProjectRequest.objects.get()
    OutgoingMessage.objects.all().delete()
    ProjectRequest.objects.filter(pk=poisoned.pk).update(
        email='"a\x1cb"@example.org', mail_status="pending"
    )
    with pytest.raises(SystemExit):
        call_command("send_request_mails")
    send(client, subject="Projet suivant")
    flush_outbox()
    poisoned.refresh_from_db()
    assert poisoned.mail_status == "gave_up"
    assert "cannot encode" in poisoned.mail_error
    assert ProjectRequest.objects.get(subject="Projet suivant").mail_status == "sent"
    assert [m.subject for m in mail.outbox if "Projet suivant" in m.subject]


def test_deleting_a_request_removes_its_messages(client, referral_page, people):
    send(client)
    assert OutgoingMessage.objects.count() == 3
    ProjectRequest.objects.get().delete()
    assert OutgoingMessage.objects.count() == 0


# -- Retention ------------------------------------------------------------------------------


def test_purge_deletes_requests_older_than_the_retention(client, referral_page, people, settings):
    settings.REFERRAL_RETENTION_DAYS = 365
    send(client)
    send(client, subject="Ancien marché")
    old = ProjectRequest.objects.get(subject="Ancien marché")
    ProjectRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    call_command("purge_requests", "--dry-run")
    assert ProjectRequest.objects.count() == 2
    call_command("purge_requests")
    assert list(ProjectRequest.objects.values_list("subject", flat=True)) == [
        "Réhabilitation de l'école Jean-Moulin"
    ]
