"""Who may see, enter, validate and publish the structures' yearly reports: the observatory's
policies (`portal.policies`), built on the territorial scope (`directory.scope`).

- A report is the business of its structure and of the coordinations of the territory where
  the structure works: superusers and the national coordination see every report; a
  departmental or regional coordination the reports of the structures at work in its
  territory (`Scope.structures_at_work`: one of their facilitators has a territory inside or
  overlapping it, so a structure working across two départements is seen by both
  coordinations); a facilitator account its own structure's. Any other report is a 404.
- A facilitator enters and submits its structure's report; a coordination (permission
  `observatory.validate_structurereport`) validates or refuses the reports it sees, and only
  it may change a validated report.
- The national coordination and superusers publish a year's consolidation
  (`observatory.publish_year`, held by the coordinators' group, narrowed to the national
  scope here).
"""

from django.utils.translation import gettext as _

from directory.models import Structure, Territory
from directory.scope import scope_for
from observatory import consolidation
from observatory.models import PublishedYear, ReportReminder, StructureReport
from portal import policies

Status = StructureReport.Status


def reportable_structures(user, queryset=None):
    """The structures whose reports `user` sees and may enter: every structure for the
    national scope, those at work in the territory for a coordination, its own for a
    facilitator account, none otherwise."""
    return scope_for(user).structures_at_work(
        Structure.objects.all() if queryset is None else queryset
    )


def may_validate(user, report=None):
    """May `user` validate or refuse reports (this one, when given)? A coordination (national
    or territorial) holding the permission, for the reports it sees."""
    if not (user.is_active and user.has_perm("observatory.validate_structurereport")):
        return False
    scope = scope_for(user)
    if not (scope.everything or scope.territorial):
        return False
    return report is None or policies.policy_for(StructureReport).may_see(user, report)


def may_publish(user):
    """May `user` publish a year's consolidation? The national coordination and superusers."""
    return (
        user.is_active and user.has_perm("observatory.publish_year") and scope_for(user).everything
    )


def may_run_campaign(user):
    """May `user` open the campaign screen and remind the structures? Whoever validates."""
    return may_validate(user)


def allowed_statuses(user, report):
    """The statuses `user` may give `report` (its current status included)."""
    if may_validate(user) and (report.structure_id is None or _reportable(user, report)):
        return list(Status.values)
    if report.pk and report.status == Status.VALIDATED:
        return [Status.VALIDATED]  # a validated report is the coordination's to change
    current = [report.status] if report.pk else []
    return sorted(set(current) | {Status.DRAFT, Status.SUBMITTED})


def _reportable(user, report):
    return reportable_structures(user).filter(pk=report.structure_id).exists()


def may_change_figures(user, report):
    """May `user` change this report's figures? Its structure or coordination, and once
    validated only a coordination that may validate it."""
    if report.structure_id is None:
        return True
    if not _reportable(user, report):
        return False
    return report.status != Status.VALIDATED or may_validate(user)


def check_change(user, report, new_status):
    """None when `user` may save `report` (as it was before the change) with `new_status`,
    else the sentence saying why not."""
    if report.structure_id and not _reportable(user, report):
        if scope_for(user).territorial or scope_for(user).everything:
            return _(
                "Cette structure n'est pas dans votre territoire : vous ne pouvez pas saisir "
                "son bilan."
            )
        return _("Vous ne pouvez saisir que les bilans de votre propre structure.")
    if report.pk and not may_change_figures(user, report):
        return _("Ce bilan est validé : seule la coordination peut le modifier.")
    if new_status not in allowed_statuses(user, report):
        return _("Seule la coordination peut valider ou refuser un bilan.")
    return None


def split_departements(user):
    """The départements a report's split may name: for the national scope all of them; else
    those where the structures `user` may report for work (their published coverage, as the
    consolidation reads it)."""
    departements = Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).order_by("code")
    if scope_for(user).everything:
        return departements
    populations = consolidation.coverage_populations()
    ids = set()
    for structure_id in reportable_structures(user).values_list("pk", flat=True):
        ids |= set(populations.get(structure_id, {}))
    return departements.filter(pk__in=ids)


class StructureReportPolicy(policies.Policy):
    """The reports of the structures `reportable_structures` gives; a validated report is
    changed or deleted only by a coordination that may validate it."""

    model = StructureReport

    def visible(self, user, queryset):
        return queryset.filter(structure__in=reportable_structures(user).values("pk"))

    def may_change(self, user, obj):
        return self.may_see(user, obj) and (obj.status != Status.VALIDATED or may_validate(user))

    def deletion_refused(self, user, obj):
        if obj.status == Status.VALIDATED and not may_validate(user, obj):
            return _("Ce bilan est validé : seule la coordination peut le supprimer.")
        return None


class ReportReminderPolicy(policies.Policy):
    """The reminders sent to the structures the user may report for."""

    model = ReportReminder

    def visible(self, user, queryset):
        return queryset.filter(structure__in=reportable_structures(user).values("pk"))


def register():
    """Declare the observatory's policies (called when the app is ready)."""
    policies.register(StructureReportPolicy())
    policies.register(ReportReminderPolicy())
    policies.register(
        policies.Unrestricted(
            PublishedYear,
            "A published year is public: every coordination sees which years are published.",
        )
    )
