"""E-mails of a project request: the facilitator's, the coordination's copy and the sender's
acknowledgment. Each is recorded once sent, so a retry after a mail-server failure sends
only what is missing."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from referrals.models import ProjectRequest

logger = logging.getLogger(__name__)
MAIL_ERRORS = (smtplib.SMTPException, OSError)


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


def send(project):
    """Send the messages not sent yet and record the outcome on the request; True when all
    are sent. Never raises for a mail-server failure: the request stays marked "failed" for
    `manage.py send_request_mails`."""
    sent = {key for key in project.mails_sent.split(",") if key}
    error = ""
    try:
        messages = build(project)
        connection = get_connection()
        for key, message in messages.items():
            if key in sent:
                continue
            message.connection = connection
            message.send()
            sent.add(key)
    except MAIL_ERRORS as exception:
        error = f"{type(exception).__name__}: {exception}"
        logger.warning("Mails of request %s not all sent: %s", project.pk, error)
    project.mails_sent = ",".join(sorted(sent))
    project.mail_attempts += 1
    project.mail_error = error
    project.mail_status = ProjectRequest.Mail.FAILED if error else ProjectRequest.Mail.SENT
    project.save(update_fields=["mails_sent", "mail_attempts", "mail_error", "mail_status"])
    return not error
