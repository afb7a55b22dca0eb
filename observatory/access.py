"""Who may enter, submit and validate a structure's yearly report.

A facilitator (`Facilitator.user`) enters and submits the reports of their own structure only;
the coordination (permission `observatory.validate_structurereport`) validates or rejects
every report. A validated report is no longer edited by its structure."""

from directory.models import Structure
from observatory.models import StructureReport

Status = StructureReport.Status


def can_validate(user):
    return user.is_active and user.has_perm("observatory.validate_structurereport")


def editable_structures(user):
    """The structures whose reports `user` may enter: all for the coordination, the own
    structure of a facilitator, none otherwise."""
    if can_validate(user):
        return Structure.objects.all()
    facilitator = getattr(user, "facilitator", None) if user.is_authenticated else None
    if facilitator is None:
        return Structure.objects.none()
    return Structure.objects.filter(pk=facilitator.structure_id)


def visible_reports(user):
    """The reports `user` sees in the admin."""
    return StructureReport.objects.filter(structure__in=editable_structures(user))


def allowed_statuses(user, report):
    """The statuses `user` may give `report` (its current status included)."""
    if can_validate(user):
        return list(Status.values)
    if report.pk and report.status == Status.VALIDATED:
        return [Status.VALIDATED]  # a validated report is the coordination's to change
    current = [report.status] if report.pk else []
    return sorted(set(current) | {Status.DRAFT, Status.SUBMITTED})


def can_edit(user, report):
    """May `user` change this report's figures?"""
    if can_validate(user):
        return True
    if not editable_structures(user).filter(pk=report.structure_id).exists():
        return False
    return report.status != Status.VALIDATED


def check_change(user, report, new_status):
    """None when `user` may save `report` with `new_status`, else the message saying why not."""
    from django.utils.translation import gettext as _

    if report.structure_id and not editable_structures(user).filter(pk=report.structure_id):
        return _("Vous ne pouvez saisir que les bilans de votre propre structure.")
    if report.pk and not can_edit(user, report):
        return _("Ce bilan est validé : seule la coordination peut le modifier.")
    if new_status not in allowed_statuses(user, report):
        return _("Seule la coordination peut valider ou refuser un bilan.")
    return None
