"""Keeping published records fresh (docs/domain.md, "Freshness"): every
`DIRECTORY_CONFIRM_MONTHS` months a facilitator is asked by e-mail whether its record is still
accurate, with two signed links; records left unconfirmed `UNANSWERED_DAYS` days after the
reminder are listed to their coordination. Nothing is ever unpublished automatically."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Facilitator

SALT = "directory.confirmation"
LINK_DAYS = 30  # how long the links of a reminder work
UNANSWERED_DAYS = 30  # after this, the coordination's dashboard lists the record


def period_days(months=None):
    months = settings.DIRECTORY_CONFIRM_MONTHS if months is None else months
    return round(months * 30.44)


def due_for_reminder(now=None):
    """Published facilitators not confirmed for a period and not reminded during it: each
    gets at most one reminder per period."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=period_days())
    return (
        Facilitator.objects.published()
        .filter(last_verified__lte=limit.date())
        .exclude(confirmation_sent_at__gt=limit)
        .select_related("structure")
    )


def unanswered(queryset=None, now=None):
    """Records whose reminder went out `UNANSWERED_DAYS` days ago or more and that were not
    confirmed since."""
    now = now or timezone.now()
    queryset = Facilitator.objects.all() if queryset is None else queryset
    rows = queryset.filter(
        confirmation_sent_at__lte=now - datetime.timedelta(days=UNANSWERED_DAYS)
    ).select_related("structure")
    return [f for f in rows if f.last_verified < timezone.localdate(f.confirmation_sent_at)]


def make_token(facilitator):
    """The signed token of the last reminder sent to `facilitator`."""
    return signing.dumps(
        {"f": facilitator.pk, "at": int(facilitator.confirmation_sent_at.timestamp())}, salt=SALT
    )


@dataclass
class Reading:
    facilitator: Facilitator | None = None
    problem: str = ""  # "", "expired", "invalid", "used", "replaced"

    @property
    def message(self):
        return {
            "expired": _(
                "Ce lien a expiré (il vaut %(days)s jours). Rien n'a été modifié : la "
                "coordination vous enverra un nouveau lien, ou écrivez-lui."
            )
            % {"days": LINK_DAYS},
            "invalid": _(
                "Ce lien n'est pas valide (incomplet ou modifié). Rien n'a été modifié : "
                "copiez le lien complet depuis l'e-mail reçu."
            ),
            "used": _("Ces informations ont déjà été confirmées : merci, il n'y a rien à faire."),
            "replaced": _(
                "Un rappel plus récent vous a été envoyé : utilisez le lien de ce dernier "
                "e-mail. Rien n'a été modifié."
            ),
        }.get(self.problem, "")


def read_token(token):
    """The facilitator a reminder's token names, or why it cannot be used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        return Reading(problem="expired")
    except signing.BadSignature:
        return Reading(problem="invalid")
    try:
        facilitator = Facilitator.objects.filter(pk=int(data["f"])).first()
        sent = int(data["at"])
    except (KeyError, TypeError, ValueError):
        return Reading(problem="invalid")
    if facilitator is None or facilitator.confirmation_sent_at is None:
        return Reading(problem="invalid")
    if int(facilitator.confirmation_sent_at.timestamp()) != sent:
        return Reading(facilitator, "replaced")
    if facilitator.last_verified >= timezone.localdate(facilitator.confirmation_sent_at):
        return Reading(facilitator, "used")
    return Reading(facilitator)


@transaction.atomic
def confirm(facilitator, today=None):
    """Record that the facilitator's published details are still accurate today. The live
    record and its revisions agree: a pending draft keeps its changes, with the new date."""
    today = today or timezone.localdate()
    facilitator = Facilitator.objects.select_for_update().get(pk=facilitator.pk)
    Facilitator.objects.filter(pk=facilitator.pk).update(last_verified=today)
    revision = facilitator.latest_revision
    if revision is not None:
        revision.content["last_verified"] = today.isoformat()
        revision.save(update_fields=["content"])
    facilitator.refresh_from_db()
    return facilitator


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_reminder(facilitator, now=None):
    """Send one reminder and record when (the links name that reminder)."""
    facilitator.confirmation_sent_at = now or timezone.now()
    token = make_token(facilitator)
    with translation.override("fr"):  # the network works in French: /fr/ links
        context = {
            "facilitator": facilitator,
            "confirm_url": absolute(reverse("directory_confirm", args=[token])),
            "change_url": absolute(reverse("directory_confirm_change", args=[token])),
            "days": LINK_DAYS,
            "months": settings.DIRECTORY_CONFIRM_MONTHS,
        }
        send_mail(
            _("Vos informations dans l'annuaire des facilitateurs sont-elles exactes ?"),
            render_to_string("directory/email/confirmation_reminder.txt", context),
            None,
            [facilitator.email],
        )
    Facilitator.objects.filter(pk=facilitator.pk).update(
        confirmation_sent_at=facilitator.confirmation_sent_at
    )


def send_reminders(now=None):
    """Send every reminder due; returns the facilitators reminded."""
    sent = []
    for facilitator in due_for_reminder(now):
        send_reminder(facilitator, now)
        sent.append(facilitator)
    return sent
