"""Who may see, choose and manage which admin accounts (`portal.policies`, for the user model).

- Superusers and the national coordination: every account.
- A departmental or regional coordination: the members of its own coordination(s), the
  accounts linked to facilitator records inside its territory (`directory.scope`), and the
  accounts it invited, pending or not.
- A facilitator account: itself.
- Anyone else: nothing.

Whom a user may *name* (`choosable`: who follows a request, which account a record gets) is
wider: the colleagues of its structure and the members of the coordinations above it too.

What a visible account may have done to it (deactivating, resetting its second factor…) is
`accounts.team`'s rule; outside this policy, every view answers 404."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from directory.groups import FACILITATORS
from directory.models import Facilitator
from directory.scope import coordinations_of, scope_for
from portal import policies


def keeps_a_team(user):
    """Members of a coordination (national or territorial) and superusers: those who manage
    accounts in "Mon équipe"."""
    scope = scope_for(user)
    return scope.everything or scope.territorial


class AccountPolicy(policies.Policy):
    def __init__(self, model):
        self.model = model

    def visible(self, user, queryset):
        if user is None or not user.is_authenticated or not user.is_active:
            return queryset.none()
        scope = scope_for(user)
        if scope.everything:
            return queryset
        if scope.territorial:
            mine = user.coordinations.values("pk")
            members = get_user_model().objects.filter(coordinations__in=mine).values("pk")
            linked = Facilitator.objects.filter(
                pk__in=scope.facilitators().values("pk"), user__isnull=False
            ).values("user")
            from accounts.models import Invitation

            invited = Invitation.objects.filter(coordination__in=mine).values("user")
            return queryset.filter(
                Q(pk__in=members) | Q(pk__in=linked) | Q(pk__in=invited) | Q(pk=user.pk)
            )
        if scope.own or user.groups.filter(name=FACILITATORS).exists():
            return queryset.filter(pk=user.pk)
        return queryset.none()

    def choosable(self, user, queryset, purpose=None):
        """The accounts `user` may choose: those it sees (an account to link to a record, a
        coordination's members). To follow a request (`purpose` "follow"), also the
        colleagues of its own structure and the members of the coordinations whose territory
        holds its own (its coordination's, or its record's): the people it works with, never
        a coordination of another territory."""
        visible = self.visible(user, queryset)
        scope = scope_for(user)
        if purpose != policies.FOLLOW or scope.everything or not (scope.own or scope.territorial):
            return visible
        seen = list(visible.values_list("pk", flat=True))  # flat: SQLite's parser is shallow
        holding = set()
        for coordination in user.coordinations.prefetch_related("territories"):
            for territory in coordination.territories.all():
                holding |= {c.pk for c in coordinations_of(territory)}
        records = list(Facilitator.objects.filter(pk__in=scope.own))
        for record in records:
            holding |= {c.pk for c in coordinations_of(record)}
        colleagues = Q(facilitator__structure__in=[r.structure_id for r in records])
        return queryset.filter(
            Q(pk__in=seen) | (Q(is_active=True) & (colleagues | Q(coordinations__in=holding)))
        ).distinct()

    def may_change(self, user, obj):
        """Managing an account is for those who keep a team (`accounts.team` says what each
        action allows); a facilitator sees its own account but does not manage it here."""
        return keeps_a_team(user) and self.may_see(user, obj)

    def may_delete(self, user, obj):
        # Accounts are deactivated, never deleted from the team screen (their history stays).
        return bool(user.is_superuser) and self.may_see(user, obj)


def register():
    """Declare the policy of the user model (called when the app is ready)."""
    policies.register(AccountPolicy(get_user_model()))
