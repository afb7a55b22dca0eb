"""Putting messages in the outbox and delivering them: backoff, attempt limit, one message
at a time so that one failure never stops the others."""

import logging
import pickle
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone

from outbox.models import OutgoingMessage
from outbox.signals import delivery_attempted
from portal.validators import is_sendable_address

logger = logging.getLogger(__name__)
Status = OutgoingMessage.Status


def enqueue(message, key=None):
    """Store an EmailMessage for the worker; returns the OutgoingMessage. With a `key`, a
    message already queued under it is returned and nothing is added (no double sending)."""
    if key:
        existing = OutgoingMessage.objects.filter(key=key).first()
        if existing is not None:
            return existing
    connection, message.connection = message.connection, None  # connections do not pickle
    try:
        message.subject = str(message.subject)
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        message.connection = connection
    fields = {
        "subject": message.subject[:300],
        "recipients": ", ".join(message.recipients()),
        "payload": payload,
    }
    if key:
        return OutgoingMessage.objects.get_or_create(key=key, defaults=fields)[0]
    return OutgoingMessage.objects.create(**fields)


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th failure: OUTBOX_RETRY_SECONDS, doubled at
    each failure, at most OUTBOX_RETRY_MAX_SECONDS."""
    delay = settings.OUTBOX_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return min(delay, settings.OUTBOX_RETRY_MAX_SECONDS)


def is_transient(error):
    """A failure worth retrying: the server unreachable, slow or answering 4xx. A refusal
    (5xx) or a message that cannot be written is final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return False
    return isinstance(error, OSError)  # SMTPServerDisconnected, timeouts, refused connections


def unsendable_addresses(message):
    addresses = [message.from_email, *message.recipients(), *message.reply_to]
    return [address for address in addresses if not is_sendable_address(address)]


def _claim(pk, now):
    """Take a due message for this worker (another worker may race for it)."""
    return (
        OutgoingMessage.objects.filter(
            pk=pk, status=Status.QUEUED, next_attempt_at__lte=now
        ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def _fail(outgoing, error_text, transient, now):
    outgoing.last_error = error_text[:2000]
    if transient and outgoing.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        outgoing.status = Status.QUEUED
        outgoing.next_attempt_at = now + timedelta(seconds=retry_delay(outgoing.attempts))
    else:
        outgoing.status = Status.FAILED
    outgoing.claimed_at = None
    outgoing.save(update_fields=["status", "next_attempt_at", "last_error", "claimed_at"])


def deliver(outgoing, connection, now):
    """One attempt at one claimed message; records the outcome and returns its status."""
    try:
        message = pickle.loads(outgoing.payload)
        bad = unsendable_addresses(message)
        if bad:
            raise ValueError(f"address the e-mail package cannot encode: {bad[0]!r}")
        message.connection = connection
        message.send()
    except Exception as error:  # any failure is this message's, not the run's
        transient = is_transient(error)
        logger.warning(
            "Message %s not sent (%s): %s: %s",
            outgoing.pk,
            "will retry" if transient else "gave up",
            type(error).__name__,
            error,
        )
        _fail(outgoing, f"{type(error).__name__}: {error}", transient, now)
        try:
            connection.close()  # a broken connection is reopened by the next message
        except Exception:
            logger.debug("Closing the mail connection failed", exc_info=True)
    else:
        outgoing.status = Status.SENT
        outgoing.sent_at = timezone.now()
        outgoing.last_error = ""
        outgoing.claimed_at = None
        outgoing.save(update_fields=["status", "sent_at", "last_error", "claimed_at"])
    delivery_attempted.send(sender=OutgoingMessage, message=outgoing)
    return outgoing.status


def release_stale(now):
    """Messages left "sending" by a worker that died: queued again (or given up)."""
    limit = now - timedelta(seconds=max(300, 10 * settings.EMAIL_TIMEOUT))
    for outgoing in OutgoingMessage.objects.filter(status=Status.SENDING, claimed_at__lt=limit):
        _fail(outgoing, "Worker stopped while sending", True, now)
        delivery_attempted.send(sender=OutgoingMessage, message=outgoing)


def purge(now):
    """Sent and failed messages older than OUTBOX_KEEP_DAYS are deleted (personal data)."""
    limit = now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    OutgoingMessage.objects.filter(
        status__in=[Status.SENT, Status.FAILED], created_at__lt=limit
    ).delete()


def send_due(now=None, limit=None):
    """Deliver the messages whose time has come, oldest first, through
    OUTBOX_DELIVERY_BACKEND with EMAIL_TIMEOUT; returns the count of each outcome."""
    now = now or timezone.now()
    release_stale(now)
    purge(now)
    due = OutgoingMessage.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    pks = list(
        due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[
            : limit or settings.OUTBOX_BATCH_SIZE
        ]
    )
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not pks:
        return counts
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
    try:
        for pk in pks:
            if not _claim(pk, now):
                continue
            status = deliver(OutgoingMessage.objects.get(pk=pk), connection, now)
            counts[{Status.SENT: "sent", Status.QUEUED: "retry"}.get(status, "failed")] += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.debug("Closing the mail connection failed", exc_info=True)
    return counts


def retry_failed(messages=None):
    """Give the messages that failed for good (among `messages`, a queryset; all by default)
    a fresh set of attempts, due now (after the cause was fixed); returns how many."""
    messages = OutgoingMessage.objects.all() if messages is None else messages
    return messages.filter(status=Status.FAILED).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )


def run_forever(interval, stop, report=None):
    """The worker loop: send what is due, wait `interval` seconds, until `stop()`."""
    while not stop():
        close_old_connections()
        counts = send_due()
        if report and any(counts.values()):
            report(counts)
        waited = 0.0
        while waited < interval and not stop():
            time.sleep(min(0.5, interval))
            waited += 0.5
