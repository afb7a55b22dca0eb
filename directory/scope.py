"""What part of the directory an admin user works on (docs/domain.md, "Coordinations").

- Superusers and members of the national coordination: everything.
- Members of departmental or regional coordinations: what lies inside their territories —
  the communes of their départements or régions, the EPCI all of whose communes are inside,
  the départements and régions themselves; the facilitators whose every territory (coverage,
  and the perimeters of the buyers' designations) is inside; the buyers and lead
  designations of territories inside; the structures at work there (one of their
  facilitators has a territory inside or overlapping it: a structure working across two
  départements is in the scope of both coordinations).
- A facilitator account: its own record (and its absences) and its structure only.
- Anyone else: nothing.

Every admin view, chooser, export, report and dashboard panel of the directory (and the
project requests, the error reports, the site history) filters through `scope_for(user)`,
through the policies built on it (`directory.policies`); nothing else decides.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q

from directory.models import (
    Absence,
    AuthorityPerimeter,
    ContractingAuthority,
    Coordination,
    ErrorReport,
    Facilitator,
    FacilitatorTerritory,
    LeadDesignation,
    NamedPerimeter,
    PerimeterMember,
    Structure,
    Territory,
    TerritoryChange,
)
from portal import policies

K = Territory.Kind
COMMUNE_KINDS = [K.COMMUNE, K.ARRONDISSEMENT]


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    departements: frozenset = field(default_factory=frozenset)  # territory ids
    regions: frozenset = field(default_factory=frozenset)
    own: frozenset = field(default_factory=frozenset)  # a facilitator account's record ids

    @classmethod
    def of_coordinations(cls, coordinations):
        """The scope of members of `coordinations` (with their territories prefetched)."""
        departements, regions = set(), set()
        for coordination in coordinations:
            if coordination.kind == Coordination.Kind.NATIONAL:
                return cls(everything=True)
            for territory in coordination.territories.all():
                if territory.kind == K.REGION:
                    regions.add(territory.pk)
                elif territory.kind == K.DEPARTEMENT:
                    departements.add(territory.pk)
        return cls(departements=frozenset(departements), regions=frozenset(regions))

    @property
    def territorial(self):
        return bool(self.departements or self.regions)

    def _inside(self, prefix=""):
        return Q(**{f"{prefix}departement__in": self.departements}) | Q(
            **{f"{prefix}region__in": self.regions}
        )

    def communes(self, queryset=None):
        """The communes (and arrondissements) inside the scope."""
        queryset = Territory.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        if not self.territorial:
            return queryset.none()
        return queryset.filter(kind__in=COMMUNE_KINDS).filter(self._inside())

    def territories(self, queryset=None):
        """Every territory inside the scope (an EPCI when all its communes are, a named
        perimeter when it lies within one of its départements or its région)."""
        queryset = Territory.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        if not self.territorial:
            return queryset.none()
        communes = Territory.objects.filter(kind=K.COMMUNE, epci__isnull=False)
        epci_in = communes.filter(self._inside()).values("epci")
        epci_out = communes.exclude(self._inside()).values("epci")
        return queryset.filter(
            (Q(kind__in=COMMUNE_KINDS) & self._inside())
            | (Q(kind=K.DEPARTEMENT) & (Q(pk__in=self.departements) | Q(region__in=self.regions)))
            | Q(kind=K.REGION, pk__in=self.regions)
            | (Q(kind=K.EPCI, pk__in=epci_in) & ~Q(pk__in=epci_out))
            # A named perimeter has a département (or région) when all its communes share it.
            | (Q(kind=K.PERIMETER) & self._inside())
        )

    @property
    def proposes(self):
        """Whether the user is a facilitator account proposing changes of its own record
        (its coordination reviews them), with no territory of its own."""
        return bool(self.own) and not self.territorial and not self.everything

    def overlapping_territories(self, queryset=None):
        """Every territory that lies inside the scope or overlaps it: the territories inside
        (`territories()`), an EPCI or a named perimeter with at least one commune inside, a
        région holding one of the scope's départements."""
        queryset = Territory.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        if not self.territorial:
            return queryset.none()
        communes = Territory.objects.filter(kind__in=COMMUNE_KINDS).filter(self._inside())
        epci = communes.exclude(epci__isnull=True).values("epci")
        perimeters = PerimeterMember.objects.filter(
            Q(territory__in=communes.values("pk")) | Q(territory__in=epci)
        ).values("perimeter")
        holding = Territory.objects.filter(pk__in=self.departements).values("region")
        return queryset.filter(
            Q(pk__in=self.territories().values("pk"))
            | Q(kind=K.EPCI, pk__in=epci)
            | Q(kind=K.PERIMETER, pk__in=perimeters)
            | Q(kind=K.REGION, pk__in=holding)
        )

    def departements_of(self):
        """The départements inside the scope, by code."""
        return self.territories(Territory.objects.of_kind(K.DEPARTEMENT)).order_by("code")

    def facilitators(self, queryset=None):
        """The facilitators the user may edit: every territory of theirs inside the scope."""
        queryset = Facilitator.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        if not self.territorial:
            return queryset.filter(pk__in=self.own)
        inside = self.territories().values("pk")
        covering_outside = FacilitatorTerritory.objects.exclude(territory__in=inside).values(
            "facilitator"
        )
        leading_outside = (
            AuthorityPerimeter.objects.exclude(territory__in=inside)
            .filter(authority__lead__isnull=False)
            .values("authority__lead")
        )
        with_territory_inside = Facilitator.objects.filter(
            Q(coverage__in=inside) | Q(authority_designations__lead_perimeter__in=inside)
        ).values("pk")
        inside_only = (
            Q(pk__in=with_territory_inside)
            & ~Q(pk__in=covering_outside)
            & ~Q(pk__in=leading_outside)
        )
        return queryset.filter(inside_only | Q(pk__in=self.own))

    def authorities(self, queryset=None):
        queryset = ContractingAuthority.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(territory__in=self.territories().values("pk"))

    def designations(self, queryset=None):
        queryset = LeadDesignation.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(territory__in=self.territories().values("pk"))

    def structures(self, queryset=None):
        """Structures at work in the scope: employing a facilitator one of whose territories
        (coverage, or the perimeter of a buyer's designation) lies inside the scope or
        overlaps it, so that a structure working across two départements is in the scope of
        both coordinations; or employing nobody yet (just created). For a facilitator
        account, its own record's structure only."""
        queryset = Structure.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        if not self.territorial:
            own = Facilitator.objects.filter(pk__in=self.own).values("structure")
            return queryset.filter(pk__in=own) if self.own else queryset.none()
        return queryset.filter(
            Q(pk__in=self.structures_at_work().values("pk"))
            | ~Q(pk__in=Facilitator.objects.values("structure"))
        )

    def structures_at_work(self, queryset=None):
        """Structures employing a facilitator one of whose territories (coverage, or the
        perimeter of a buyer's designation) lies inside the scope or overlaps it; for a
        facilitator account, its own record's structure. Unlike `structures()`, a structure
        that employs nobody is in no territory."""
        queryset = Structure.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        if not self.territorial:
            own = Facilitator.objects.filter(pk__in=self.own).values("structure")
            return queryset.filter(pk__in=own) if self.own else queryset.none()
        overlapping = self.overlapping_territories().values("pk")
        working = Facilitator.objects.filter(
            Q(coverage__in=overlapping)
            | Q(authority_designations__lead_perimeter__in=overlapping)
            | Q(pk__in=self.own)
        ).values("structure")
        return queryset.filter(pk__in=working)

    def coordinations(self, queryset=None):
        queryset = Coordination.objects.all() if queryset is None else queryset
        return queryset if self.everything else queryset.none()

    def error_reports(self, queryset=None):
        """The error reports routed inside the scope: about a facilitator the user may
        edit, or, when no facilitator is named, about a commune inside the scope (the rule
        of `directory.error_reports.recipients`). A facilitator account sees none: its
        coordination handles them."""
        queryset = ErrorReport.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        if not self.territorial:
            return queryset.none()
        return queryset.filter(
            Q(facilitator__in=self.facilitators().values("pk"))
            | Q(facilitator__isnull=True, commune__in=self.communes().values("pk"))
        )

    def absences(self, queryset=None):
        """The absences of the facilitators the user may edit (a facilitator account: its
        own)."""
        queryset = Absence.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(facilitator__in=self.facilitators().values("pk"))

    def filter(self, queryset):
        """`queryset` of any directory model, narrowed to the scope."""
        by_model = {
            Absence: self.absences,
            Territory: self.territories,
            Facilitator: self.facilitators,
            ContractingAuthority: self.authorities,
            LeadDesignation: self.designations,
            Structure: self.structures,
            Coordination: self.coordinations,
            ErrorReport: self.error_reports,
            NamedPerimeter: self.territories,
            # What `load_territories` changed is the same for everyone who keeps a territory.
            TerritoryChange: lambda changes: changes,
        }
        return by_model[queryset.model](queryset)

    def allows(self, obj):
        """Whether `obj` (any directory record) is inside the scope."""
        if self.everything:
            return True
        if obj is None or obj.pk is None:
            return False
        return self.filter(type(obj).objects.filter(pk=obj.pk)).exists()


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def scope_for(user):
    """The `Scope` of an admin user (remembered on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_directory_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = EVERYTHING
    else:
        scope = Scope.of_coordinations(user.coordinations.prefetch_related("territories"))
        if not scope.everything:
            own = Facilitator.objects.filter(user=user).values_list("pk", flat=True)
            scope = Scope(scope.everything, scope.departements, scope.regions, frozenset(own))
    user._directory_scope = scope
    return scope


def is_national(user):
    return scope_for(user).everything


def coordinations_of(obj):
    """The coordinations whose territory contains a directory record (the national one
    always does)."""
    return [
        coordination
        for coordination in Coordination.objects.prefetch_related("territories")
        if Scope.of_coordinations([coordination]).allows(obj)
    ]


def approvers(obj):
    """Who may approve a facilitator's proposed change: the active members of the
    coordinations whose territory contains the record, and the superusers."""
    ids = [coordination.pk for coordination in coordinations_of(obj)]
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(coordinations__in=ids))
        .distinct()
    )


def closest_coordinations(obj, found=None):
    """Among `coordinations_of(obj)` (or the coordinations `found`), those of the most
    specific kind (departmental, else regional, else national): who is told first of a
    facilitator's proposal."""
    found = coordinations_of(obj) if found is None else found
    for kind in Coordination.Kind.values:
        closest = [coordination for coordination in found if coordination.kind == kind]
        if closest:
            return closest
    return []


def coordination_addresses(coordinations):
    """The e-mail addresses of `coordinations`: each one's own address, then its active
    members', each address once."""
    addresses = []
    for coordination in coordinations:
        members = coordination.members.filter(is_active=True).exclude(email="").order_by("email")
        for address in [coordination.email, *members.values_list("email", flat=True)]:
            if address and address not in addresses:
                addresses.append(address)
    return addresses


def linkable_accounts(user, facilitator=None):
    """The admin accounts `user` may link to `facilitator` (its "compte d'administration"):
    active accounts of the *Facilitateurs* group that are neither superusers nor members of
    a coordination, are linked to no other record, and that the user model's policy lets
    `user` choose (a territorial coordination: the accounts of its team); the current
    account of the record stays listed so that saving never drops it. Nobody outside the
    directory's editors gets any."""
    from directory.groups import FACILITATORS

    accounts = get_user_model().objects.all()
    current = facilitator.user_id if facilitator is not None else None
    record = facilitator.pk if facilitator is not None else None
    if not scope_for(user).everything and not scope_for(user).territorial:
        return accounts.filter(pk=current) if current else accounts.none()
    free = (
        accounts.filter(is_active=True, is_superuser=False, groups__name=FACILITATORS)
        .filter(coordinations__isnull=True)
        .filter(Q(facilitator__isnull=True) | Q(facilitator__pk=record))
    )
    offered = Q(pk__in=policies.choosable(user, free).values("pk"))
    if current:
        offered |= Q(pk=current)
    return accounts.filter(offered).order_by("last_name", "first_name", "username")
