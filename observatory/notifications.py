"""The e-mails of a yearly report's life, in French (the network works in French), each with
the link to the report in the admin:

- submitted (by its structure, or entered as such): to the coordination(s) closest to the
  structure among those whose territory it works in (`report_coordinations`), with the
  structure's comment;
- validated or refused: to the structure (`structure_addresses`), with the coordination's
  comment;
- the campaign's reminders use the same addresses (`observatory.campaign`).

Whoever acts is not e-mailed their own action."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from directory import scope as directory_scope
from directory.models import Coordination
from observatory.models import StructureReport

Status = StructureReport.Status


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def report_url(report):
    return absolute(reverse("wagtailsnippets_observatory_structurereport:edit", args=[report.pk]))


def structure_addresses(structure):
    """Where a structure's e-mails go: the accounts of its facilitators (the account's
    address, else the record's); when none has an account, the addresses of its published
    facilitators (of all of them when none is published)."""
    facilitators = structure.facilitators.order_by("last_name", "first_name", "pk")
    with_account = facilitators.filter(user__isnull=False, user__is_active=True).select_related(
        "user"
    )
    if with_account:
        found = [facilitator.user.email or facilitator.email for facilitator in with_account]
    else:
        found = [facilitator.email for facilitator in facilitators.filter(live=True)] or [
            facilitator.email for facilitator in facilitators
        ]
    addresses = []
    for address in found:
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def report_coordinations(structure):
    """The coordinations told of a report: among those whose territory the structure works
    in (`Scope.structures_at_work`, the scope that shows them the report), the closest
    (departmental, else regional, else national)."""
    holding = [
        coordination
        for coordination in Coordination.objects.prefetch_related("territories")
        if directory_scope.Scope.of_coordinations([coordination])
        .structures_at_work()
        .filter(pk=structure.pk)
        .exists()
    ]
    return directory_scope.closest_coordinations(structure, found=holding)


def send_to(subject, template, context, addresses, actor=None):
    """Send one French e-mail rendered from `template` to `addresses` (less the actor's own
    address); returns the addresses written to."""
    own = getattr(actor, "email", "") or ""
    addresses = [address for address in addresses if address.lower() != own.lower()]
    if not addresses:
        return []
    with translation.override("fr"):
        send_mail(
            " ".join(str(subject).split()),
            render_to_string(template, context),
            None,
            addresses,
        )
    return addresses


def _context(report, actor):
    return {
        "report": report,
        "structure": report.structure,
        "year": report.year,
        "actor": actor,
        "actor_name": (actor.get_full_name() or actor.get_username()) if actor else "",
        "url": report_url(report),
    }


def report_changed(report, previous_status, actor=None):
    """Send the e-mail of `report`'s new status when it changed (from `previous_status`, None
    for a new report): submitted, validated or refused. Returns the addresses written to."""
    if report.status == previous_status:
        return []
    with translation.override("fr"):
        context = _context(report, actor)
        if report.status == Status.SUBMITTED:
            return send_to(
                _("Bilan %(year)s à valider : %(structure)s")
                % {"year": report.year, "structure": report.structure.name},
                "observatory/email/report_submitted.txt",
                context,
                directory_scope.coordination_addresses(report_coordinations(report.structure)),
                actor,
            )
        if report.status == Status.VALIDATED:
            return send_to(
                _("Votre bilan %(year)s est validé") % {"year": report.year},
                "observatory/email/report_validated.txt",
                context,
                structure_addresses(report.structure),
                actor,
            )
        if report.status == Status.REJECTED:
            return send_to(
                _("Votre bilan %(year)s est à corriger") % {"year": report.year},
                "observatory/email/report_rejected.txt",
                context,
                structure_addresses(report.structure),
                actor,
            )
    return []
