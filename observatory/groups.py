"""Who handles the structures' yearly reports: the *Facilitateurs* group enters its own
structure's (`observatory.access` narrows them), the *Coordinateurs* group validates every
report (the coordinations will take it over per territory)."""

from directory.groups import COORDINATORS

FACILITATORS = "Facilitateurs"  # the group `referrals` creates for facilitators' accounts
VALIDATE = "validate_structurereport"
ENTRY = ["add_structurereport", "change_structurereport", "view_structurereport"]


def give_report_permissions(**kwargs):
    """Coordinators: see, enter and validate every report; facilitators: enter reports (their
    own structure's only, by `observatory.access`). Runs after every `migrate` (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    def permissions(codenames):
        return Permission.objects.filter(
            content_type__app_label="observatory", codename__in=codenames
        )

    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(*permissions(ENTRY + [VALIDATE]))
    facilitators, _created = Group.objects.get_or_create(name=FACILITATORS)
    facilitators.permissions.add(*permissions(ENTRY))
    return coordinators, facilitators
