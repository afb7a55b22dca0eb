"""Who sees which requests: national administrators all of them, a coordination member
those of its territory (`directory.scope`), a facilitator those addressed to them (or that
they follow)."""

from django.db.models import Q

from directory.groups import COORDINATORS, FACILITATORS
from directory.scope import scope_for
from referrals.models import ProjectRequest

__all__ = ["FACILITATORS", "ensure_groups", "visible_requests"]


def visible_requests(user):
    """The requests `user` may see in the admin."""
    requests = ProjectRequest.objects.select_related(
        "routed_to__structure", "commune__departement", "assignee", "authority"
    )
    if not user.is_authenticated or not user.is_active:
        return requests.none()
    scope = scope_for(user)
    if scope.everything or user.has_perm("referrals.view_all_projectrequest"):
        return requests
    own = Q(routed_to__user=user) | Q(assignee=user)
    if scope.territorial and user.has_perm("referrals.view_projectrequest"):
        own |= Q(commune__in=scope.communes().values("pk"))
    return requests.filter(own)


def ensure_groups(**kwargs):
    """Coordinators: the requests of their territory (view, follow, delete). Facilitators:
    admin access and their own requests (view, follow). Runs after every `migrate`
    (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    def permissions(*codenames):
        return Permission.objects.filter(
            content_type__app_label__in=["referrals", "wagtailadmin"], codename__in=codenames
        )

    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(
        *permissions("view_projectrequest", "change_projectrequest", "delete_projectrequest")
    )
    # Seeing every request is the national coordination's (directory.scope), not the group's.
    coordinators.permissions.remove(*permissions("view_all_projectrequest"))
    facilitators, _created = Group.objects.get_or_create(name=FACILITATORS)
    facilitators.permissions.add(
        *permissions("access_admin", "view_projectrequest", "change_projectrequest")
    )
