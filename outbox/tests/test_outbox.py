"""The outbox: messages wait in a table, the worker sends them one at a time, retries with
backoff up to a limit, and a message that cannot be sent never stops the others."""

import datetime
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import flush_outbox
from outbox.models import OutgoingMessage

pytestmark = pytest.mark.django_db
POISONED = '"a\x1cb"@example.org'
ROOT = Path(__file__).resolve().parents[2]


def queue(subject="Bonjour", to="claire@example.org", **kwargs):
    mail.EmailMessage(subject, "Texte", "portail@example.org", [to], **kwargs).send()
    return OutgoingMessage.objects.get(subject=subject)


def test_sending_only_queues_and_the_worker_delivers():
    message = queue()
    assert message.status == "queued" and mail.outbox == []
    call_command("send_outbox")
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["Bonjour"]
    call_command("send_outbox")  # sent once, never twice
    assert len(mail.outbox) == 1


def test_a_poisoned_message_is_marked_failed_and_does_not_block_the_next():
    poisoned = queue("Empoisonné", to=POISONED)
    reply_poisoned = queue("Réponse empoisonnée", reply_to=[POISONED])
    good = queue("Suivant")
    assert flush_outbox() == {"sent": 1, "retry": 0, "failed": 2}
    for message in (poisoned, reply_poisoned):
        message.refresh_from_db()
        assert message.status == "failed" and message.attempts == 1
        assert "cannot encode" in message.last_error
    good.refresh_from_db()
    assert good.status == "sent"
    assert [m.subject for m in mail.outbox] == ["Suivant"]
    assert flush_outbox() == {"sent": 0, "retry": 0, "failed": 0}  # given up: not retried


def test_a_server_down_is_retried_with_backoff_up_to_the_attempt_limit(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "referrals.tests.backends.DownBackend"
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 4
    message = queue()
    now = timezone.now()
    delays = []
    for _attempt in range(3):
        assert flush_outbox(now=now) == {"sent": 0, "retry": 1, "failed": 0}
        message.refresh_from_db()
        delay = (message.next_attempt_at - now).total_seconds()
        delays.append(round(delay))
        # Not before its time.
        assert flush_outbox(now=now + datetime.timedelta(seconds=delay - 1))["retry"] == 0
        now += datetime.timedelta(seconds=delay)
    assert delays == [60, 120, 240]
    assert "SMTPServerDisconnected" in message.last_error
    assert flush_outbox(now=now) == {"sent": 0, "retry": 0, "failed": 1}
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 4
    # Once the cause is fixed, an operator queues it again.
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_outbox", "--retry-failed")
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


def test_a_refusal_by_the_server_is_final(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "outbox.tests.backends.RefusingBackend"
    message = queue()
    assert flush_outbox() == {"sent": 0, "retry": 0, "failed": 1}
    message.refresh_from_db()
    assert "550" in message.last_error


@pytest.fixture
def silent_smtp_server():
    """A mail server on 127.0.0.1 that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted, stop = [], threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_server_that_never_answers_neither_blocks_the_form_nor_the_worker(
    client, settings, silent_smtp_server, contact_page
):
    port, accepted = silent_smtp_server
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 1
    response = client.post(
        "/fr/contact/",
        {"nom": "Claire Exemple", "adresse_e_mail": "claire@example.org", "message": "Bonjour"},
    )
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert accepted == []  # the request never spoke to the mail server
    message = OutgoingMessage.objects.get()
    assert message.status == "queued"
    assert flush_outbox() == {"sent": 0, "retry": 1, "failed": 0}
    assert len(accepted) == 1  # the worker tried, waited EMAIL_TIMEOUT, and gave up
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 1
    assert "timed out" in message.last_error


def test_a_worker_that_died_while_sending_does_not_lose_the_message(settings):
    message = queue()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status="sending", claimed_at=long_ago, attempts=1
    )
    flush_outbox()  # released, with a retry later
    message.refresh_from_db()
    assert message.status == "queued" and message.next_attempt_at > timezone.now()
    flush_outbox(now=message.next_attempt_at)
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


def test_old_messages_are_deleted(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    old, recent = queue("Ancien"), queue("Récent")
    flush_outbox()
    OutgoingMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    flush_outbox()
    assert list(OutgoingMessage.objects.values_list("pk", flat=True)) == [recent.pk]


def test_password_reset_mail_goes_through_the_outbox(client, django_user_model):
    django_user_model.objects.create_user("claire", "claire@example.org", "pass-word-123")
    response = client.post("/admin/password_reset/", {"email": "claire@example.org"})
    assert response.status_code == 302
    assert mail.outbox == [] and OutgoingMessage.objects.get().recipients == "claire@example.org"
    flush_outbox()
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body


def test_the_dashboard_lists_the_failures(client, django_user_model, home):
    queue("Message impossible", to=POISONED)
    queue("Serveur absent")
    flush_outbox()
    OutgoingMessage.objects.filter(subject="Serveur absent").update(
        status="queued", attempts=2, last_error="TimeoutError: timed out"
    )
    editor = django_user_model.objects.create_user("editrice", "e@example.org", "pass-word-123")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "E-mails non envoyés" not in client.get("/admin/").content.decode()
    editor.user_permissions.add(Permission.objects.get(codename="view_outgoingmessage"))
    body = client.get("/admin/").content.decode()
    assert "E-mails non envoyés" in body
    assert "1 e-mail attend un nouvel essai" in body
    assert "1 e-mail n&#x27;a pas pu être envoyé" in body or "1 e-mail n'a pas pu" in body
    assert "Message impossible" in body
    # The cause in words, never the raw exception nor a command to type.
    assert "Adresse e-mail impossible à écrire" in body
    assert "cannot encode" not in body and "ValueError" not in body
    assert "send_outbox" not in body
    assert "Renvoyer" not in body  # viewing is not resending


def test_wagtail_notifications_go_through_the_outbox():
    from wagtail.admin.mail import send_mail

    send_mail("Page à relire", "Une page attend votre relecture.", ["editeur@example.org"])
    assert mail.outbox == [] and OutgoingMessage.objects.get().subject == "Page à relire"


def test_mail_settings_come_from_the_environment(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        "EMAIL_TIMEOUT": "7",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.OUTBOX_DELIVERY_BACKEND, s.EMAIL_FILE_PATH, s.EMAIL_TIMEOUT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == [
        "outbox.backends.OutboxBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path),
        "7",
    ], result.stderr


def test_the_file_backend_writes_to_email_file_path(settings, tmp_path):
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    queue("Dans un fichier")
    flush_outbox()
    (written,) = tmp_path.iterdir()
    assert "Subject: Dans un fichier" in written.read_text()


def test_every_stored_error_reads_as_a_sentence():
    from outbox.failures import explain

    cases = {
        "ConnectionRefusedError: [Errno 111] Connection refused": "injoignable",
        "TimeoutError: timed out": "n'a pas répondu à temps",
        "SMTPServerDisconnected: Connection unexpectedly closed": "a coupé la connexion",
        "SMTPRecipientsRefused: {'x@example.org': (550, b'5.1.1 User unknown')}": (
            "Adresse refusée par le serveur du destinataire"
        ),
        "SMTPRecipientsRefused: {'x@example.org': (451, b'4.7.1 Try later')}": "pour l'instant",
        "SMTPSenderRefused: (553, b'5.7.1 Sender rejected', 'portail@example.org')": (
            "Adresse d'expédition"
        ),
        "SMTPAuthenticationError: (535, b'5.7.8 Bad credentials')": "identification",
        "SMTPDataError: (552, b'5.3.4 Message too big')": "trop volumineux",
        "SMTPDataError: (554, b'5.7.1 Spam')": "Message refusé par le serveur",
        "ValueError: address the e-mail package cannot encode: 'a'": "impossible à écrire",
        "Worker stopped while sending": "interrompu",
        "KeyError: 'surprise'": "Erreur d'envoi inattendue",
    }
    for stored, words in cases.items():
        sentence = explain(stored)
        assert words in sentence, (stored, sentence)
        assert "Error" not in sentence and "SMTP" not in sentence, sentence
    assert explain("") == ""


def test_a_failed_message_is_sent_again_from_the_dashboard(client, django_user_model, home):
    message = queue("Relance", to=POISONED)
    other = queue("Autre échec", to=POISONED)
    flush_outbox()
    message.refresh_from_db()
    assert message.status == "failed"
    url = f"/admin/outbox/{message.pk}/resend/"

    viewer = django_user_model.objects.create_user("lectrice", "l@example.org", "pass-word-123")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_outgoingmessage"])
    )
    client.force_login(viewer)
    body = client.get("/admin/").content.decode()
    assert "Un administrateur du portail peut les renvoyer" in body
    refused = client.post(url, follow=True)  # seeing is not resending: the admin says so
    assert "autorisation" in refused.content.decode()
    message.refresh_from_db()
    assert message.status == "failed"

    admin = django_user_model.objects.create_superuser("admin2", "a2@example.org", "pass-word")
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    assert f'action="{url}"' in body and "Renvoyer" in body
    assert client.get(url).status_code == 405  # a link cannot resend
    response = client.post(url)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 0 and message.last_error == ""
    other.refresh_from_db()
    assert other.status == "failed"  # only the one asked for
    assert client.post("/admin/outbox/999999/resend/").status_code == 404

    # "Renvoyer les … e-mails en échec" takes every one left.
    assert client.post("/admin/outbox/resend-all/").status_code == 302
    other.refresh_from_db()
    assert other.status == "queued"
