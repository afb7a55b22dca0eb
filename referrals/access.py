"""Who sees which requests: national administrators all of them, a coordination member
those of its territory (`directory.scope`), a facilitator those addressed to them (or that
they follow)."""

from django.db.models import Q
from wagtail.models import ModelLogEntry

from directory.groups import COORDINATORS, FACILITATORS
from directory.scope import hide_out_of_scope_log_entries, scope_for
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


def possible_assignees(project):
    """Who may follow `project` ("suivie par"): the facilitator it is routed to, the
    colleagues of that facilitator's structure who have an account, and the coordinators;
    the current assignee stays listed so that saving the form never drops them. Active
    accounts only, by name."""
    from django.contrib.auth import get_user_model

    facilitator = project.routed_to
    allowed = Q(groups__name=COORDINATORS)
    if facilitator is not None:
        if facilitator.user_id:
            allowed |= Q(pk=facilitator.user_id)
        if facilitator.structure_id:
            allowed |= Q(facilitator__structure_id=facilitator.structure_id)
    users = get_user_model().objects.filter(is_active=True).filter(allowed)
    if project.assignee_id:
        users = users | get_user_model().objects.filter(pk=project.assignee_id)
    return users.distinct().order_by("last_name", "first_name", "username")


def full_name(user):
    """How a person is shown in the "suivie par" list: full name, else the login."""
    return user.get_full_name() or user.get_username()


def hide_others_log_entries(user, queryset):
    """The audit-log rows of `queryset` (Wagtail's ModelLogEntry) `user` may read: those of
    project requests they may not see are left out (the site-history report)."""
    from django.contrib.contenttypes.models import ContentType

    if user.is_superuser or user.has_perm("referrals.view_all_projectrequest"):
        return queryset
    visible = [str(pk) for pk in visible_requests(user).values_list("pk", flat=True)]
    requests = ContentType.objects.get_for_model(ProjectRequest)
    return queryset.exclude(Q(content_type=requests) & ~Q(object_id__in=visible))


def visible_log_entries(user, log_model):
    """The rows of the audit-log model `log_model` (a page's or a model's) `user` may read in
    the site history: what Wagtail's permissions allow, less the project requests they may
    not see and the directory records outside their scope."""
    entries = log_model.objects.viewable_by_user(user)
    if log_model is ModelLogEntry:
        entries = hide_out_of_scope_log_entries(user, hide_others_log_entries(user, entries))
    return entries


def log_users(user):
    """The people whose entries `user` may read in the site history: its user filter lists
    them and no one else."""
    from django.contrib.auth import get_user_model
    from wagtail.log_actions import registry

    ids = set()
    for log_model in registry.get_log_entry_models():
        ids |= visible_log_entries(user, log_model).get_user_ids()
    ids.discard(None)
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name")


def purge_log_entries(requests):
    """Delete the audit-log rows (Wagtail's ModelLogEntry: title, changed fields) of the
    project requests of `requests`, so that a purged request leaves no text behind."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    ids = [str(pk) for pk in requests.values_list("pk", flat=True)]
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ProjectRequest), object_id__in=ids
    ).delete()[0]
