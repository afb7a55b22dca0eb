"""Who may see a project request, follow it, or receive it from someone else: the
`portal.policies` policy of `ProjectRequest`, built on the directory's territorial scope
(`directory.scope`), and the choice lists of the inbox that ask it.

- Superusers and the national coordination (or anyone given "Voir toutes les demandes"):
  every request.
- A member of a departmental or regional coordination: the requests of its territory.
- A facilitator account: the requests addressed to it, or that it follows.

Who may follow a request ("suivie par", `assignees`) and to whom it may be handed
(`handover_targets`) are decided here too, so that no coordinator of another territory is
ever offered a request — nor, through it, the buyer's contact details.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from directory import coverage
from directory.groups import COORDINATORS, FACILITATORS
from directory.models import Coordination, Facilitator
from directory.scope import coordinations_of, scope_for
from portal import policies
from referrals.models import ProjectRequest


class ProjectRequestPolicy(policies.Policy):
    """The requests a user may see (and, with Wagtail's permissions, act on)."""

    model = ProjectRequest

    def visible(self, user, queryset):
        if user is None or not user.is_authenticated or not user.is_active:
            return queryset.none()
        scope = scope_for(user)
        if scope.everything or user.has_perm("referrals.view_all_projectrequest"):
            return queryset
        own = Q(routed_to__user=user) | Q(assignee=user)
        if scope.territorial and user.has_perm("referrals.view_projectrequest"):
            own |= Q(commune__in=scope.communes().values("pk"))
        return queryset.filter(own)


def register():
    """Declare the requests' policy (called when the app is ready)."""
    policies.register(ProjectRequestPolicy())


def visible_requests(user):
    """The requests `user` may see, with what the inbox shows of each."""
    return policies.visible(
        user,
        ProjectRequest.objects.select_related(
            "routed_to__structure", "commune__departement", "assignee", "authority"
        ),
    )


def coordinations_holding(project):
    """The coordinations whose territory holds the request's commune (the national one
    always does); for a request without commune, the one it was sent to and the national
    one."""
    if project.commune_id is not None:
        return coordinations_of(project.commune)
    found = list(Coordination.objects.filter(kind=Coordination.Kind.NATIONAL))
    if project.coordination_id is not None:
        found.append(project.coordination)
    return found


def assignees(project, user=None):
    """Who may follow `project` ("suivie par"): the facilitator it is addressed to and the
    colleagues of that facilitator's structure who have an account, and the members
    (Coordinateurs) of the coordinations whose territory holds the request's commune — never
    a coordinator of another territory, nor a superuser as such. The current assignee stays
    listed, so that saving the form never drops them. Active accounts only, by name; for
    `user`, narrowed to the accounts their policy lets them choose."""
    users = get_user_model().objects.all()
    facilitator = project.routed_to
    allowed = Q(
        coordinations__in=[c.pk for c in coordinations_holding(project)],
        groups__name=COORDINATORS,
    )
    if facilitator is not None:
        if facilitator.user_id:
            allowed |= Q(pk=facilitator.user_id)
        if facilitator.structure_id:
            allowed |= Q(facilitator__structure_id=facilitator.structure_id)
    found = users.filter(is_active=True).filter(allowed)
    if project.assignee_id:
        found = found | users.filter(pk=project.assignee_id)
    found = users.filter(pk__in=found.values("pk")).order_by("last_name", "first_name", "username")
    return found if user is None else policies.choosable(user, found, purpose=policies.FOLLOW)


def handover_targets(project, user=None):
    """The published facilitators `project` may be handed to (forwarded or re-routed), as
    (near, others), never the present handler:

    - near: those covering its commune, whoever acts (they are the territory's people);
    - others: the published facilitators `user` may choose (`directory.policies`): for a
      departmental or regional coordination, those of its territory only — beyond it, the
      request goes back to the commune's coordination, not to a facilitator it does not
      keep; for the national coordination and for a facilitator (in the admin, or from its
      e-mail link: `user` None), every published facilitator.
    """
    published = Facilitator.objects.published().select_related("structure")
    if project.routed_to_id:
        published = published.exclude(pk=project.routed_to_id)
    near = []
    if project.commune_id:
        near = list(
            coverage.covering_facilitators(project.commune).exclude(pk=project.routed_to_id)
        )
    others = published if user is None else policies.choosable(user, published)
    others = others.exclude(pk__in=[f.pk for f in near]).order_by("last_name", "first_name")
    return near, list(others)


def full_name(user):
    """How a person is shown in the "suivie par" list and the history: full name, else the
    login."""
    return user.get_full_name() or user.get_username()


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
