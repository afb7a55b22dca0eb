"""E-mails of a project request: the facilitator's, the coordination's copy and the sender's
acknowledgment. Each goes through the outbox under its own key, so it is queued once and
sent once; the request records which were sent, as the outbox worker reports them."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from outbox.models import OutgoingMessage
from outbox.queue import enqueue
from outbox.signals import delivery_attempted
from referrals.models import ProjectRequest

logger = logging.getLogger(__name__)
KEY = "referrals.request:{pk}:{name}"


def one_line(text, limit=120):
    """Text fit for a mail header: no line breaks (header injection), bounded length."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def coordination_addresses(coordination=None):
    """Where the coordination's copy goes: the e-mail of the commune's coordination and its
    active members; without one (or when it has no address), `REFERRAL_COORDINATION_EMAILS`
    and the members of the national coordination."""
    from directory.models import Coordination

    addresses = []

    def add(*values):
        for address in values:
            if address and address not in addresses:
                addresses.append(address)

    if coordination is not None:
        add(coordination.email, *_member_addresses(coordination))
    if not addresses:
        add(*settings.REFERRAL_COORDINATION_EMAILS)
        for national in Coordination.objects.filter(kind=Coordination.Kind.NATIONAL):
            add(national.email, *_member_addresses(national))
    return addresses


def _member_addresses(coordination):
    return (
        coordination.members.filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


def admin_url(project):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("demandes:edit", args=[project.pk])


def build(project):
    """The messages to send, by key: "facilitator", "coordination", "sender"."""
    context = {
        "project": project,
        "admin_url": admin_url(project),
        "answer_days": settings.REFERRAL_ANSWER_DAYS,
        "organisation": settings.REFERRAL_SENDER_NAME,
    }
    messages = {}
    with translation.override("fr"):  # the network works in French
        body = render_to_string("referrals/email/to_facilitator.txt", context)
        topic = one_line(f"{project.subject} — {project.place}")
        if project.routed_to_id:
            messages["facilitator"] = EmailMessage(
                _("Nouveau projet à accompagner : %(topic)s") % {"topic": topic},
                body,
                to=[project.routed_to.email],
                reply_to=[project.email],
            )
        coordinators = coordination_addresses(project.coordination)
        if coordinators:
            subject = (
                _("Copie — nouveau projet : %(topic)s")
                if project.routed_to_id
                else _("Projet à orienter (pas de facilitateur désigné) : %(topic)s")
            )
            messages["coordination"] = EmailMessage(
                subject % {"topic": topic}, body, to=coordinators, reply_to=[project.email]
            )
        else:
            logger.warning("No coordination address: set REFERRAL_COORDINATION_EMAILS.")
    with translation.override(project.language):
        messages["sender"] = EmailMessage(
            _("Votre projet a bien été transmis : %(subject)s")
            % {"subject": one_line(project.subject)},
            render_to_string("referrals/email/to_sender.txt", context),
            to=[project.email],
            reply_to=[project.routed_to.email] if project.routed_to_id else coordinators[:1],
        )
    return messages


def key_prefix(pk):
    return KEY.format(pk=pk, name="")


def send(project):
    """Queue the request's messages not queued yet (each at most once, whatever the number
    of calls) and record the state of its mails; the outbox worker sends them."""
    already_sent = set(project.mails_sent.split(","))  # outlives the outbox's own records
    for name, message in build(project).items():
        if name not in already_sent:
            enqueue(message, key=KEY.format(pk=project.pk, name=name))
    return record(project)


def record(project):
    """Bring the request's mail fields in line with its messages in the outbox: "sent" once
    all left, "failed" when one failed (retried, or given up), "pending" meanwhile. Returns
    True when all were sent."""
    messages = list(OutgoingMessage.objects.filter(key__startswith=key_prefix(project.pk)))
    Status = OutgoingMessage.Status
    sent = {name for name in project.mails_sent.split(",") if name}
    sent |= {m.key.rsplit(":", 1)[1] for m in messages if m.status == Status.SENT}
    waiting = [m for m in messages if m.status != Status.SENT]
    errors = [m.last_error for m in waiting if m.last_error]
    if sent and not waiting:
        status = ProjectRequest.Mail.SENT
    elif any(m.status == Status.FAILED for m in waiting):
        status = ProjectRequest.Mail.GAVE_UP
    elif errors:
        status = ProjectRequest.Mail.FAILED
    else:
        status = ProjectRequest.Mail.PENDING
    project.mails_sent = ",".join(sorted(sent))
    project.mail_attempts = max([project.mail_attempts, *(m.attempts for m in messages)])
    project.mail_error = errors[-1] if errors else ""
    project.mail_status = status
    project.save(update_fields=["mails_sent", "mail_attempts", "mail_error", "mail_status"])
    return status == ProjectRequest.Mail.SENT


def retry_now(project):
    """Make the request's messages waiting for a retry due at once (the retry command)."""
    from django.utils import timezone

    OutgoingMessage.objects.filter(
        key__startswith=key_prefix(project.pk), status=OutgoingMessage.Status.QUEUED
    ).update(next_attempt_at=timezone.now())


@receiver(delivery_attempted)
def follow_delivery(sender, message, **kwargs):
    """The outbox tried one of our messages: record the outcome on its request."""
    if not (message.key or "").startswith("referrals.request:"):
        return
    pk = message.key.split(":")[1]
    with transaction.atomic():
        project = ProjectRequest.objects.select_for_update().filter(pk=pk).first()
        if project is not None:
            record(project)


def forget(project):
    """The request's messages leave the outbox with it (personal data)."""
    OutgoingMessage.objects.filter(key__startswith=key_prefix(project.pk)).delete()
