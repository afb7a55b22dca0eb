""" "Signaler une erreur": what a report is about, who receives it, storing and mailing it,
the thank-you token and the retention (docs/domain.md, "Error reports").

The views only call these functions; the admin lists the reports through
`directory.scope.Scope.error_reports`, which follows the routing rule below.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory import coverage, scope
from directory.models import ErrorReport, Facilitator, Territory
from portal.parsing import parse_id

SALT = "directory.error_report"
THANKS_SECONDS = 3600  # how long the thank-you link names the report


@dataclass
class Subject:
    """What a report is about, read from the link's parameters `fiche` (a published
    facilitator's id) and `commune` (an INSEE code). `problem` says what was wrong with
    them: "missing" (neither given), "facilitator" or "commune" (unknown or withdrawn)."""

    facilitator: Facilitator | None = None
    commune: Territory | None = None
    problem: str | None = None

    @property
    def label(self):
        """How the subject is named to the visitor, in the e-mail and in the admin."""
        parts = []
        if self.facilitator is not None:
            parts.append(f"{self.facilitator.full_name} ({self.facilitator.structure.name})")
        if self.commune is not None:
            parts.append(f"{self.commune.name} ({self.commune.code})")
        return " — ".join(parts)

    def query(self):
        """The link's parameters for this subject, to carry it through the form."""
        params = {}
        if self.facilitator is not None:
            params["fiche"] = self.facilitator.pk
        if self.commune is not None:
            params["commune"] = self.commune.code
        return params


def read_subject(params):
    """The `Subject` named by a link's parameters (a QueryDict or a dict). Bad values never
    raise: they give a `problem`."""
    raw_facilitator = (params.get("fiche") or "").strip()
    raw_commune = (params.get("commune") or "").strip()
    if not raw_facilitator and not raw_commune:
        return Subject(problem="missing")
    subject = Subject()
    if raw_facilitator:
        pk = parse_id(raw_facilitator)
        subject.facilitator = (
            Facilitator.objects.published().select_related("structure").filter(pk=pk).first()
            if pk is not None
            else None
        )
        if subject.facilitator is None:
            return Subject(problem="facilitator")
    if raw_commune:
        commune = Territory.objects.by_code(raw_commune[:10]) if len(raw_commune) <= 10 else None
        if commune is None or commune.kind != Territory.Kind.COMMUNE:
            return Subject(problem="commune")
        subject.commune = commune
    return subject


def recipients(subject):
    """The coordinations a report goes to. About a facilitator: the closest coordinations
    of its territory (`directory.scope.closest_coordinations`, the rule that also receives
    its proposed changes), since they are the ones who may correct the record. About a
    commune's answer only: the commune's coordination (`directory.coverage.coordination_for`).
    Empty when no coordination is recorded."""
    if subject.facilitator is not None:
        return scope.closest_coordinations(subject.facilitator)
    if subject.commune is not None:
        coordination = coverage.coordination_for(subject.commune)
        return [coordination] if coordination is not None else []
    return []


def addresses(coordinations):
    """The e-mail of each coordination and of its active members, once each."""
    found = []
    for coordination in coordinations:
        members = coordination.members.filter(is_active=True).exclude(email="").order_by("email")
        for address in [coordination.email, *members.values_list("email", flat=True)]:
            if address and address not in found:
                found.append(address)
    return found


def submit(subject, form, language):
    """Store the report from a valid form (the subject already read), then queue the e-mail
    to its coordination(s) in the outbox (sent by the worker: the visitor never waits)."""
    data = form.cleaned_data
    coordinations = recipients(subject)
    with transaction.atomic():
        report = ErrorReport.objects.create(
            language=(language or "fr")[:5],
            facilitator=subject.facilitator,
            commune=subject.commune,
            subject=subject.label[:300],
            message=data["message"],
            email=data.get("email", ""),
            consent_at=timezone.now(),
            coordination=coordinations[0] if coordinations else None,
        )
        notify(report, coordinations)
    return report


def admin_url(report):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "signalements:edit", args=[report.pk]
    )


def notify(report, coordinations):
    """Queue the e-mail telling the coordination(s) of a new report (in French: the network
    works in French). Replying answers the visitor when they left an address."""
    to = addresses(coordinations)
    if not to:
        return None
    with translation.override("fr"):
        message = EmailMessage(
            _("Erreur signalée dans l'annuaire : %(subject)s")
            % {"subject": " ".join(report.subject.split())[:120]},
            render_to_string(
                "directory/email/error_report.txt",
                {"report": report, "url": admin_url(report)},
            ),
            None,
            to,
            reply_to=[report.email] if report.email else None,
        )
        message.send()
    return message


def thanks_token(report):
    """A signed token for the thank-you page (no cookie, not guessable)."""
    return signing.dumps(report.pk, salt=SALT)


def read_thanks_token(token):
    """The report a thank-you token names, or None when it is forged or over an hour old."""
    try:
        pk = signing.loads(token or "", salt=SALT, max_age=THANKS_SECONDS)
    except signing.BadSignature:
        return None
    return ErrorReport.objects.select_related("coordination").filter(pk=pk).first()


def retention_days():
    return settings.ERROR_REPORT_RETENTION_DAYS


def expired(now=None):
    """The reports received more than `ERROR_REPORT_RETENTION_DAYS` days ago."""
    limit = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    return ErrorReport.objects.filter(created_at__lt=limit)


def purge(now=None):
    """Delete the expired reports and their rows in Wagtail's audit log (which hold their
    title and changes); returns how many reports were deleted."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    old = expired(now)
    with transaction.atomic():
        ids = [str(pk) for pk in old.values_list("pk", flat=True)]
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ErrorReport), object_id__in=ids
        ).delete()
        count = old.delete()[1].get(ErrorReport._meta.label, 0)
    return count
