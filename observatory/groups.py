"""Who handles the structures' yearly reports: the *Facilitateurs* group enters its own
structure's, the *Coordinateurs* group validates them and publishes a year; what each member
reaches is narrowed by `observatory.policies` (a coordination's territory; publishing a year
is the national coordination's)."""

from directory.groups import COORDINATORS

FACILITATORS = "Facilitateurs"  # the group `referrals` creates for facilitators' accounts
VALIDATE = "validate_structurereport"
PUBLISH = "publish_year"
ENTRY = ["add_structurereport", "change_structurereport", "view_structurereport"]


def give_report_permissions(**kwargs):
    """Coordinators: see, enter and validate reports, publish a year (narrowed by
    `observatory.policies`: their territory's reports; publishing for the national
    coordination only); facilitators: enter their own structure's reports. Runs after every
    `migrate` (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    def permissions(codenames):
        return Permission.objects.filter(
            content_type__app_label="observatory", codename__in=codenames
        )

    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(*permissions(ENTRY + [VALIDATE, PUBLISH]))
    facilitators, _created = Group.objects.get_or_create(name=FACILITATORS)
    facilitators.permissions.add(*permissions(ENTRY))
    return coordinators, facilitators
