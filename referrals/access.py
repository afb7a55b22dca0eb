"""Who sees which requests: coordinators see all of them, a facilitator those addressed to
them (or that they follow)."""

from django.db.models import Q

from directory.groups import COORDINATORS
from referrals.models import ProjectRequest

FACILITATORS = "Facilitateurs"


def visible_requests(user):
    """The requests `user` may see in the admin."""
    requests = ProjectRequest.objects.select_related(
        "routed_to__structure", "commune__departement", "assignee", "authority"
    )
    if not user.is_authenticated or not user.is_active:
        return requests.none()
    if user.is_superuser or user.has_perm("referrals.view_all_projectrequest"):
        return requests
    return requests.filter(Q(routed_to__user=user) | Q(assignee=user))


def ensure_groups(**kwargs):
    """Coordinators: every request (view, follow, delete). Facilitators: admin access and
    their own requests (view, follow). Runs after every `migrate` (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    def permissions(*codenames):
        return Permission.objects.filter(
            content_type__app_label__in=["referrals", "wagtailadmin"], codename__in=codenames
        )

    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(
        *permissions(
            "view_projectrequest",
            "change_projectrequest",
            "delete_projectrequest",
            "view_all_projectrequest",
        )
    )
    facilitators, _created = Group.objects.get_or_create(name=FACILITATORS)
    facilitators.permissions.add(
        *permissions("access_admin", "view_projectrequest", "change_projectrequest")
    )
