"""E-mails of a project request: at reception the facilitator's (with its action links), the
coordination's copy and the sender's acknowledgment (with the tracking link), each under its
own key so that it is queued once and sent once, the request recording which were sent; then
those of each step of its life (`referrals.lifecycle`), keyed by the step.

The sender's e-mails are in the sender's language, the network's in French."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox.models import OutgoingMessage
from outbox.queue import enqueue
from outbox.signals import delivery_attempted
from portal import dates
from referrals import links
from referrals.models import ProjectRequest

logger = logging.getLogger(__name__)
KEY = "referrals.request:{pk}:{name}"
# The messages of a step: "referrals.lifecycle:<request>:<event>:<name>".
STEP_KEY = "referrals.lifecycle:{pk}:{event}:{name}"


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


def action_links(project, handover=None):
    """The handling facilitator's signed links ("take", "forward", "decline") for the
    request's present hand-over; {} when it is addressed to no facilitator."""
    if not project.routed_to_id:
        return {}
    handover = handover or project.handover()
    data = {"f": project.routed_to_id, "h": handover.pk if handover else None}
    return {purpose: links.url(purpose, project, "fr", **data) for purpose in links.ACTION_PURPOSES}


def tracking_url(project):
    return links.url("track", project, project.language)


def _context(project, **extra):
    return {
        "project": project,
        "admin_url": admin_url(project),
        "answer_days": settings.REFERRAL_ANSWER_DAYS,
        "link_days": links.ACTION_DAYS,
        "organisation": settings.REFERRAL_SENDER_NAME,
        **extra,
    }


def build(project):
    """The messages to send, by key: "facilitator", "coordination", "sender". When the
    facilitator meant was away, each says who stands in for them."""
    absence = project.absence_step()
    context = _context(project, tracking_url=tracking_url(project), absence=absence)
    messages = {}
    with translation.override("fr"):  # the network works in French
        # The action links are the facilitator's own: the coordination's copy has none.
        body = render_to_string(
            "referrals/email/to_facilitator.txt", {**context, "links": action_links(project)}
        )
        copy = render_to_string("referrals/email/to_facilitator.txt", context)
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
            if project.routed_to_id:
                subject = _("Copie — nouveau projet : %(topic)s")
            elif absence is not None:
                subject = _("Projet à orienter (facilitateur indisponible) : %(topic)s")
            else:
                subject = _("Projet à orienter (pas de facilitateur désigné) : %(topic)s")
            messages["coordination"] = EmailMessage(
                subject % {"topic": topic}, copy, to=coordinators, reply_to=[project.email]
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
    OutgoingMessage.objects.filter(
        Q(key__startswith=key_prefix(project.pk))
        | Q(key__startswith=STEP_KEY.format(pk=project.pk, event="", name="")[:-1])
    ).delete()


# -- The steps' messages ---------------------------------------------------------------------


def _queue(project, event, name, message):
    return enqueue(message, key=STEP_KEY.format(pk=project.pk, event=event.pk, name=name))


def _topic(project):
    return one_line(f"{project.subject} — {project.place}")


SENDER_SUBJECTS = {
    "acknowledged": gettext_lazy("Votre projet est pris en compte : %(subject)s"),
    "in_progress": gettext_lazy("Votre projet est en cours de traitement : %(subject)s"),
    "forwarded": gettext_lazy("Votre projet a un nouvel interlocuteur : %(subject)s"),
    "rerouted": gettext_lazy("Votre projet a un nouvel interlocuteur : %(subject)s"),
    "declined": gettext_lazy("Votre projet a un nouvel interlocuteur : %(subject)s"),
    "clause_written": gettext_lazy("La clause sociale de votre projet est rédigée : %(subject)s"),
    "closed": gettext_lazy("Votre demande est close : %(subject)s"),
    "replied": gettext_lazy("Réponse à votre projet : %(subject)s"),
}


def handler_addresses(project):
    """Where the handler's e-mails go: the facilitator, else the coordination's addresses."""
    if project.routed_to_id:
        return [project.routed_to.email]
    return coordination_addresses(project.coordination)


def to_sender(project, event):
    """Tell the sender, in their language, of a change of status or of handler; on closing,
    with the one "was this useful?" link. Reply-To: the handler."""
    handler = project.handler()
    with translation.override(project.language):
        context = _context(
            project,
            event=event,
            handler=handler,
            tracking_url=tracking_url(project),
            rating_url=links.url("rate", project, project.language) if not project.is_open else "",
        )
        message = EmailMessage(
            SENDER_SUBJECTS[event.kind] % {"subject": one_line(project.subject)},
            render_to_string("referrals/email/sender_update.txt", context),
            to=[project.email],
            reply_to=[handler.email] if handler.email else [],
        )
    return _queue(project, event, "sender", message)


def reply(project, event, by=None):
    """The handler's reply to the sender, with Reply-To the facilitator's address (else the
    replying person's, else the coordination's)."""
    handler = project.handler()
    reply_to = [handler.email] if project.routed_to_id else []
    if not reply_to and by is not None and by.email:
        reply_to = [by.email]
    if not reply_to and handler.email:
        reply_to = [handler.email]
    with translation.override(project.language):
        context = _context(
            project, event=event, handler=handler, tracking_url=tracking_url(project)
        )
        message = EmailMessage(
            SENDER_SUBJECTS["replied"] % {"subject": one_line(project.subject)},
            render_to_string("referrals/email/sender_reply.txt", context),
            to=[project.email],
            reply_to=reply_to,
        )
    return _queue(project, event, "sender", message)


def _to_network(project, event, name, subject, to, intro, with_links=True):
    """A French message to the network about the request: its whole content, an
    introduction, the admin link and (for its facilitator) the action links."""
    if not to:
        logger.warning("No address for %s of request %s.", name, project.pk)
        return None
    with translation.override("fr"):
        context = _context(
            project,
            intro=intro,
            links=action_links(project) if with_links else {},
            tracking_url="",
        )
        message = EmailMessage(
            subject,
            render_to_string("referrals/email/to_facilitator.txt", context),
            to=to,
            reply_to=[project.email],
        )
    return _queue(project, event, name, message)


def to_new_handler(project, event, previous=None):
    """After a forward, a decline or a re-route: the new handler gets the request (a
    facilitator with its own links; a coordination to orient it); on a re-route the
    previous facilitator is told it is no longer theirs."""
    with translation.override("fr"):
        who = event.actor_label or _("La coordination")
        if event.kind == "declined":
            intro = _("%(who)s ne peut pas suivre ce projet et le renvoie à la coordination.") % {
                "who": who
            }
            reason = _("Raison : %(reason)s") % {"reason": event.message}
            intro = f"{intro}\n{reason}"
        else:
            intro = _("%(who)s vous transmet ce projet.") % {"who": who}
            if event.message:
                intro = f"{intro}\n{_('Son message :')}\n{event.message}"
        if project.routed_to_id:
            subject = _("Projet transmis à accompagner : %(topic)s")
        else:
            subject = _("Projet à orienter : %(topic)s")
        _to_network(
            project,
            event,
            "handler",
            subject % {"topic": _topic(project)},
            handler_addresses(project),
            intro,
        )
        if event.kind == "rerouted" and previous is not None and previous.email:
            body = _(
                "Bonjour,\n\nLa demande n° %(number)s (%(topic)s) a été réorientée vers "
                "%(target)s par %(who)s. Vous n'avez plus rien à faire pour elle.\n\n"
                "%(message)s\n\n%(organisation)s\n"
            ) % {
                "number": project.pk,
                "topic": _topic(project),
                "target": (
                    event.coordination.article_name
                    if event.coordination_id and not event.facilitator_id
                    else event.target_label or project.handler().article_name
                ),
                "who": who,
                "message": event.message,
                "organisation": settings.REFERRAL_SENDER_NAME,
            }
            _queue(
                project,
                event,
                "previous",
                EmailMessage(
                    _("Demande réorientée : %(topic)s") % {"topic": _topic(project)},
                    body,
                    to=[previous.email],
                ),
            )


def to_assignee(project, event):
    """The person named to follow the request is told, with the admin link."""
    user = project.assignee
    if not user.email:
        return None
    with translation.override("fr"):
        intro = _("%(who)s vous confie le suivi de cette demande.") % {
            "who": event.actor_label or _("La coordination")
        }
        return _to_network(
            project,
            event,
            "assignee",
            _("Demande à suivre : %(topic)s") % {"topic": _topic(project)},
            [user.email],
            intro,
            with_links=False,
        )


def to_handler_rating(project, event):
    """The handler learns the sender's opinion."""
    with translation.override("fr"):
        body = _(
            "Bonjour,\n\n%(name)s a donné son avis sur l'accompagnement de la demande "
            "n° %(number)s (%(topic)s) : %(rating)s/5.\n\n%(comment)s\n\n%(admin_url)s\n"
        ) % {
            "name": project.contact_name,
            "number": project.pk,
            "topic": _topic(project),
            "rating": project.rating,
            "comment": project.rating_comment or _("(sans commentaire)"),
            "admin_url": admin_url(project),
        }
        message = EmailMessage(
            _("Avis du donneur d'ordre (%(rating)s/5) : %(topic)s")
            % {"rating": project.rating, "topic": _topic(project)},
            body,
            to=handler_addresses(project),
        )
    if not message.to:
        return None
    return _queue(project, event, "handler", message)


def reminder(project, event):
    """Remind the handler that the request waits for its answer (with the links again)."""
    with translation.override("fr"):
        intro = _(
            "Rappel : ce projet, reçu le %(date)s, attend votre réponse. Le donneur d'ordre "
            "attend une réponse sous %(days)s jours ouvrés."
        ) % {
            "date": dates.date_format(timezone.localtime(project.created_at), "j F Y"),
            "days": settings.REFERRAL_ANSWER_DAYS,
        }
        return _to_network(
            project,
            event,
            "handler",
            _("Rappel — projet en attente de réponse : %(topic)s") % {"topic": _topic(project)},
            handler_addresses(project),
            intro,
        )


def escalation(project, event):
    """Tell the coordination the request is escalated to (`event.coordination`: the
    commune's, or the one above when the commune's handles it) that it is still
    unanswered."""
    with translation.override("fr"):
        intro = _(
            "Ce projet, reçu le %(date)s et adressé %(to_who)s, n'a pas été pris en compte. "
            "Orientez-le ou relancez son interlocuteur."
        ) % {
            "date": dates.date_format(timezone.localtime(project.created_at), "j F Y"),
            "to_who": project.recipient_phrase("à"),
        }
        return _to_network(
            project,
            event,
            "coordination",
            _("Projet sans réponse : %(topic)s") % {"topic": _topic(project)},
            coordination_addresses(event.coordination or project.coordination),
            intro,
            with_links=False,
        )
