"""Who covers a commune, who leads there, and which communes are white zones.

These functions are the only place where the rules of `docs/domain.md` (coverage, white zones,
the lead rule and the statuses of an answer) are written down. Views, templates, the admin, the
API, the routing of project requests and the e-mails call them and display their answer.
"""

import datetime
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from directory.models import (
    ContractingAuthority,
    Coordination,
    DirectoryChange,
    Facilitator,
    LeadDesignation,
    PerimeterMember,
    Territory,
)
from directory.names import english_body, french_definite, same_body, territory_phrase
from directory.perimeters import (
    member_communes,
    perimeter_index,
    perimeters_in_index,
    perimeters_of,
)
from portal import pagecache
from portal.dates import date_format
from portal.parsing import parse_id

# Most specific first: a designation on a commune beats one on a named perimeter containing
# it, which beats one on its EPCI, and so on.
LEVELS = [
    Territory.Kind.COMMUNE,
    Territory.Kind.PERIMETER,
    Territory.Kind.EPCI,
    Territory.Kind.DEPARTEMENT,
    Territory.Kind.REGION,
]


def containing_territories(commune, perimeters=None):
    """The commune and the territories that contain it, most specific first, as
    (level, territory) pairs: the commune, the named perimeters containing it (by name), its
    EPCI, département and région. `perimeters` are the commune's named perimeters when the
    caller already has them (else one query fetches them)."""
    if perimeters is None:
        perimeters = perimeters_of(commune)
    pairs = [(Territory.Kind.COMMUNE, commune)]
    pairs += [(Territory.Kind.PERIMETER, perimeter) for perimeter in perimeters]
    for level, territory in (
        (Territory.Kind.EPCI, commune.epci),
        (Territory.Kind.DEPARTEMENT, commune.departement),
        (Territory.Kind.REGION, commune.region),
    ):
        if territory is not None:
            pairs.append((level, territory))
    return pairs


def covered_q(territory_ids, held=()):
    """The communes a coverage covers, as a filter: `territory_ids` are the territories
    covered (of any kind), `held` the communes and EPCI held by the named perimeters among
    them. A commune is covered when it, or a named perimeter holding it or its EPCI, or its
    EPCI, département or région is covered: the coverage rule, written once (the published
    directory, the designation checks and the white zones read it)."""
    covering = list(territory_ids)
    direct = set(covering) | set(held)
    return (
        Q(pk__in=direct) | Q(epci__in=direct) | Q(departement__in=covering) | Q(region__in=covering)
    )


def communes_of(territory):
    """The communes inside `territory` (a commune is itself; an arrondissement, its
    commune)."""
    communes = Territory.objects.communes()
    kind = territory.kind
    if kind == Territory.Kind.COMMUNE:
        return communes.filter(pk=territory.pk)
    if kind == Territory.Kind.ARRONDISSEMENT:
        return communes.filter(pk=territory.parent_id)
    if kind == Territory.Kind.PERIMETER:
        return member_communes([territory.pk])
    field_name = {
        Territory.Kind.EPCI: "epci",
        Territory.Kind.DEPARTEMENT: "departement",
        Territory.Kind.REGION: "region",
    }[kind]
    return communes.filter(**{field_name: territory.pk})


def covers(territory_ids, territory):
    """Whether a coverage (the ids of the territories it holds) covers all of `territory`:
    every commune inside it is covered by the coverage rule (`covered_q`): through the
    territory itself or a territory containing it, or commune by commune. A territory none
    of whose communes is loaded is covered when it, or its EPCI, département or région, is
    in the coverage.

    The same question says whether a territory lies within a buyer's territory:
    `covers([buyer_territory.pk], territory)`."""
    ids = set(territory_ids)
    if not ids:
        return False
    containers = {territory.pk, territory.epci_id, territory.departement_id, territory.region_id}
    if ids & containers:
        return True
    inside = communes_of(territory)
    if not inside.exists():
        return False
    held = PerimeterMember.objects.filter(perimeter__in=ids).values_list("territory", flat=True)
    return not inside.exclude(covered_q(ids, held)).exists()


def _territory_ids(commune):
    return [territory.pk for _level, territory in containing_territories(commune)]


def covering_facilitators(commune, territory_ids=None):
    """Published facilitators who cover the commune, itself or through a named perimeter, its
    EPCI, département or région."""
    return (
        Facilitator.objects.published()
        .filter(coverage__in=territory_ids or _territory_ids(commune))
        .select_related("structure")
        .distinct()
        .order_by("last_name", "first_name")
    )


class CoordinationIndex:
    """Every coordination and its territories, fetched once (two queries), to find the
    coordination of many communes."""

    def __init__(self):
        self.departemental, self.regional, self.national = {}, {}, None
        for coordination in Coordination.objects.prefetch_related("territories").order_by("name"):
            if coordination.kind == Coordination.Kind.NATIONAL:
                self.national = self.national or coordination
                continue
            where = (
                self.departemental
                if coordination.kind == Coordination.Kind.DEPARTEMENTAL
                else self.regional
            )
            for territory in coordination.territories.all():
                where.setdefault(territory.pk, coordination)


def coordination_for(commune, index=None):
    """The coordination that answers for `commune`: the one of the smallest territory
    containing it — a departmental coordination of its département, else a regional one of
    its région, else the national coordination (None when no coordination is recorded)."""
    # Kept until the next purge (coordinations purge the page cache, `directory.signals`).
    index = index or pagecache.remember("coordinations", CoordinationIndex)
    return (
        index.departemental.get(commune.departement_id)
        or index.regional.get(commune.region_id)
        or index.national
    )


def coordination_above(commune, coordination, index=None):
    """The coordination above `coordination` for `commune`: where a request that
    `coordination` handles itself is escalated. Above a departmental coordination, the
    regional coordination of the commune's région, else the national one; above a regional
    one, the national one; None above the national coordination (or when none is
    recorded)."""
    index = index or pagecache.remember("coordinations", CoordinationIndex)
    if coordination is None or coordination.kind == Coordination.Kind.NATIONAL:
        return None
    above = None
    if coordination.kind == Coordination.Kind.DEPARTEMENTAL:
        above = index.regional.get(commune.region_id)
    above = above or index.national
    return above if above is not None and above.pk != coordination.pk else None


class PublishedDirectory:
    """The published directory of one day, read once: the published facilitators (with their
    structure and coverage), who covers each territory, the lead designations in force that
    day, the named perimeters' memberships and the coordinations. The rules below read it
    instead of querying for every commune; `published()` keeps one per process until the
    directory changes or the day ends."""

    def __init__(self, day=None):
        self.day = day or timezone.localdate()
        self.facilitators = list(  # the order answers list them in
            Facilitator.objects.published()
            .select_related("structure")
            .prefetch_related("coverage")
            .order_by("last_name", "first_name")
        )
        self.by_id = {facilitator.pk: facilitator for facilitator in self.facilitators}
        self.rank = {facilitator.pk: n for n, facilitator in enumerate(self.facilitators)}
        self.covering = {}  # territory id → ids of the published facilitators covering it
        for facilitator in self.facilitators:
            for territory in facilitator.coverage.all():
                self.covering.setdefault(territory.pk, set()).add(facilitator.pk)
        self.designations = {}  # territory id → its published designations
        for designation in (
            LeadDesignation.objects.in_force(self.day)
            .filter(facilitator__live=True)
            .select_related("territory")
            .defer("territory__outline")
            .order_by("facilitator__last_name")
        ):
            designation.facilitator = self.by_id[designation.facilitator_id]
            self.designations.setdefault(designation.territory_id, []).append(designation)
        self.perimeters = perimeter_index()
        self.held_by = {}  # commune or EPCI id → ids of the covered perimeters holding it
        for member_id, perimeters in self.perimeters.items():
            covered = {p.pk for p in perimeters if p.pk in self.covering}
            if covered:
                self.held_by[member_id] = covered
        self.coordinations = CoordinationIndex()

    def facilitators_covering(self, territory_ids):
        """The published facilitators covering any of the territories, sorted by name."""
        ids = set().union(*(self.covering.get(pk, ()) for pk in territory_ids))
        return sorted((self.by_id[pk] for pk in ids), key=lambda f: self.rank[f.pk])

    def covered_communes(self, *fields, queryset=None):
        """(the `fields` of a commune..., the published facilitators covering it, sorted by
        name) for every covered commune of `queryset` (all communes by default): one query.
        A commune is covered through itself, a named perimeter holding it or its EPCI, its
        EPCI, département or région, as in `answers()`."""
        held_by = self.held_by
        if not self.covering:
            return
        rows = (
            (queryset if queryset is not None else Territory.objects.all())
            .communes()
            .filter(self.covered_q())
            .order_by()
            .values_list("pk", "epci_id", "departement_id", "region_id", *fields)
        )
        for row in rows:
            pk, epci, departement, region = row[:4]
            ids = {pk, epci, departement, region} | held_by.get(pk, set())
            found = self.facilitators_covering(ids | held_by.get(epci, set()))
            if found:
                yield (*row[4:], found)

    def covered_q(self):
        """The communes this directory covers, as a filter: a commune covered itself or as a
        member of a covered named perimeter, or whose EPCI is covered or a member of one, or
        whose département or région is covered."""
        return covered_q(self.covering, self.held_by)

    @cached_property
    def town_halls(self):
        """The covered communes with a town hall, by cells of `CELL` degrees: {(lat cell,
        lon cell): [(lon, lat, pk, search_name, facilitators covering it)]}. Read on the
        first white zone asked (one query), then kept with the rest."""
        grid = {}
        located = Territory.objects.filter(lon__isnull=False, lat__isnull=False)
        for lon, lat, pk, search_name, found in self.covered_communes(
            "lon", "lat", "pk", "search_name", queryset=located
        ):
            cell = (math.floor(lat / CELL), math.floor(lon / CELL))
            grid.setdefault(cell, []).append((lon, lat, pk, search_name, found))
        return grid


_published = {}


def published():
    """The `PublishedDirectory` of this process, built again when the directory's version
    (`DirectoryChange`, moved by every change the public sees and at the midnight a
    designation starts or ends) or the page cache's version (moved by coordinations too) has
    changed, or the day has: a designation that ends tonight stops counting at midnight
    without anything saved. One small query and one cache read."""
    today = timezone.localdate()
    key = (DirectoryChange.last(), pagecache.version(), today)
    found = _published.get("current")
    if found is None or found[0] != key:
        found = (key, PublishedDirectory(today))
        _published["current"] = found
    return found[1]


def forget():
    """Drop this process's `PublishedDirectory` (tests start each with none)."""
    _published.clear()


class Status(models.TextChoices):
    """What the answer for a commune is (docs/domain.md, "Statuses of an answer")."""

    WHITE = "white", _lazy("Zone blanche : aucun facilitateur")
    LEAD = "lead", _lazy("Chef de file désigné")
    CONTACT = "contact", _lazy("Un seul facilitateur, sans désignation")
    SEVERAL = "several", _lazy("Plusieurs facilitateurs, sans chef de file")
    TIED = "tied", _lazy("Plusieurs chefs de file au même niveau")


@dataclass
class Answer:
    """The answer to "whom do I contact for works in this commune?", for an optional buyer.

    Computed once by `answer()` (or `answers()` for many communes) and only displayed by the
    pages, the map, the API, the routing of project requests and the e-mails."""

    commune: Territory
    status: str
    facilitators: list = field(default_factory=list)  # every published one covering it
    leads: list = field(default_factory=list)  # one for LEAD, two or more for TIED
    authority: ContractingAuthority | None = None  # the buyer asked for
    rule: str | None = None  # "authority" or "territory" when a designation decided
    designated_on: Territory | None = None  # where the deciding designation applies
    designated_by: list = field(default_factory=list)  # who designated, as written
    coordination: Coordination | None = None  # who answers for the commune (`coordination_for`)
    perimeters: list = field(default_factory=list)  # the named perimeters containing it
    nearest: list = field(default_factory=list)  # white zone: `Nearest` facilitators nearby
    designations: list = field(default_factory=list)  # the deciding `LeadDesignation`s

    @property
    def period(self):
        """(start, end or None, reference) of the designation that decided a `lead` answer
        (the buyer's or the territorial one), else None."""
        if self.status != Status.LEAD:
            return None
        if self.rule == "authority":
            authority = self.authority
            return authority.lead_starts_on, authority.lead_ends_on, authority.lead_reference
        if len(self.designations) == 1:
            designation = self.designations[0]
            return designation.starts_on, designation.ends_on, designation.reference
        return None

    @property
    def lead(self):
        """The designated lead (status `lead`), else None."""
        return self.leads[0] if self.status == Status.LEAD else None

    @property
    def contact(self):
        """The only facilitator covering the commune when nobody is designated (status
        `contact`), else None: a contact is never called lead."""
        return self.facilitators[0] if self.status == Status.CONTACT else None

    @property
    def recipient(self):
        """The one person a project goes to (the lead or the contact); None means the
        coordination (`coordination`)."""
        return self.lead or self.contact

    @property
    def shown(self):
        """The people the answer puts first: the lead(s) or the contact."""
        return [self.contact] if self.contact else list(self.leads)

    @property
    def others(self):
        """Covering facilitators not already shown first."""
        first = {facilitator.pk for facilitator in self.shown}
        return [f for f in self.facilitators if f.pk not in first]

    def get_status_display(self):
        return Status(self.status).label

    @property
    def white_zone(self):
        """No published facilitator covers the commune (a buyer's own lead may still answer
        for its contracts)."""
        return not self.facilitators

    @property
    def perimeter_data(self):
        """The named perimeters containing the commune as plain data (what the API shows):
        [{"code", "name"}], by name."""
        return [{"code": p.code, "name": p.name} for p in self.perimeters]

    @property
    def nearest_data(self):
        """`nearest` as plain data: [{"facilitator" (id), "distance_km", "commune" (code)}]."""
        return [
            {"facilitator": n.facilitator.pk, "distance_km": n.distance, "commune": n.commune.code}
            for n in self.nearest
        ]

    @property
    def nearest_radius(self):
        """How far `nearest` looks, in km."""
        return NEAREST_KM

    @property
    def explanation(self):
        """Why this answer, in the active language."""
        return explain(self, (get_language() or "fr")[:2])


def explain(answer, language):
    """The sentence that says which rule produced `answer`, built from parts so that French
    gets its articles ("désigné par le Département des Bouches-du-Rhône") and English its own
    words ("designated by the Arles-Crau-Camargue-Montagnette urban community"); a lead's
    designation adds since when it holds, until when and on what ("En vigueur depuis le
    1er mars 2026 (Délibération 2026-045 du conseil métropolitain).")."""
    sentence = _rule_sentence(answer, language)
    period = answer.period
    if period is None or period[0] is None:
        return sentence
    return f"{sentence} {period_sentence(*period)}"


def period_sentence(starts_on, ends_on=None, reference=""):
    """ "En vigueur depuis le 1er mars 2026 (Délibération 2026-045…)." in the active
    language."""
    if ends_on is None:
        text = _("En vigueur depuis le %(start)s") % {"start": date_format(starts_on, "j F Y")}
    else:
        text = _("En vigueur du %(start)s au %(end)s") % {
            "start": date_format(starts_on, "j F Y"),
            "end": date_format(ends_on, "j F Y"),
        }
    if reference:
        text = f"{text} ({reference})"
    return f"{text}."


def _rule_sentence(answer, language):
    """The sentence of the rule itself (`explain` without the period)."""

    def body(name):
        return english_body(name) if language == "en" else french_definite(name)

    if answer.status == Status.LEAD and answer.rule == "authority":
        return _("Chef de file désigné par %(by)s pour ses propres marchés.") % {
            "by": body(answer.authority.name)
        }
    if answer.status in (Status.LEAD, Status.TIED):
        territory = answer.designated_on
        where = territory_phrase(territory, language)
        if answer.status == Status.TIED:
            return _(
                "Plusieurs chefs de file sont désignés pour %(where)s : la coordination doit "
                "trancher."
            ) % {"where": where}
        designers = [name for name in answer.designated_by if name]
        if len(designers) == 1 and same_body(designers[0], territory.name):
            return _("Chef de file désigné par %(by)s pour son territoire.") % {
                "by": body(designers[0])
            }
        if not designers:
            return _("Chef de file désigné pour %(where)s.") % {"where": where}
        return _("Chef de file désigné par %(by)s pour %(where)s.") % {
            "by": _(" et ").join(body(name) for name in designers),
            "where": where,
        }
    if answer.status == Status.CONTACT:
        return _(
            "Aucun chef de file n'est désigné ici ; ce facilitateur est le seul à couvrir la "
            "commune."
        )
    if answer.status == Status.SEVERAL:
        return _(
            "Plusieurs facilitateurs couvrent la commune et aucun chef de file n'est désigné : "
            "contactez l'un d'eux ou la coordination."
        )
    return _("Aucun facilitateur ne couvre cette commune : zone blanche.")


def answer(commune, authority=None):
    """The `Answer` for works in `commune`, for an optional contracting authority.

    1. The authority's own designation, when it is in force and its perimeter contains the
       commune → `lead`.
    2. Else the territorial designation in force on the most specific territory containing
       the commune (commune, named perimeter, EPCI, département, région) whose facilitator
       covers the commune: one facilitator → `lead`, two or more → `tied`.
    3. Else by the published facilitators covering the commune: none → `white`, exactly one
       → `contact`, several → `several`.
    Whatever the status, `coordination` is the commune's coordination (`coordination_for`).
    Only published facilitators count. The facilitators come with their coverage loaded.
    Reads the `published()` directory: no query but the buyer's perimeter and, for a white
    zone, the town halls around.
    """
    directory = published()
    perimeters = perimeters_in_index(commune, directory.perimeters)
    territories = containing_territories(commune, perimeters)
    ids = [territory.pk for _level, territory in territories]
    facilitators = directory.facilitators_covering(ids)
    result = None

    if authority is not None and authority.lead_in_force(directory.day):
        lead = directory.by_id.get(authority.lead_id)
        perimeter = authority.lead_perimeter.filter(pk__in=ids).first() if lead else None
        if lead and perimeter:
            result = Answer(
                commune,
                Status.LEAD,
                facilitators,
                [lead],
                authority,
                "authority",
                perimeter,
                [authority.name],
            )

    if result is None:
        result = _decide(commune, territories, directory.designations, facilitators)
        result.authority = authority
    result.perimeters = perimeters
    result.coordination = coordination_for(commune, directory.coordinations)
    if result.white_zone:
        result.nearest = nearest_facilitators(commune, directory=directory)
    return result


# Facilitators named to a white zone: at most this many, covering a commune at most this far.
NEAREST_COUNT = 3
NEAREST_KM = 30
CELL = 0.5  # degrees: the cells `PublishedDirectory.town_halls` files town halls in
EARTH_RADIUS_KM = 6371.0


class Nearest(NamedTuple):
    """A facilitator who does not cover a white-zone commune but covers `commune`, at
    `distance` km (town hall to town hall)."""

    facilitator: Facilitator
    distance: float
    commune: Territory


def distance_km(lon1, lat1, lon2, lat2):
    """Great-circle distance between two points in kilometres (haversine formula)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearest_facilitators(commune, count=NEAREST_COUNT, radius=NEAREST_KM, directory=None):
    """For a white zone: the published facilitators covering the nearest covered communes,
    nearest first (by town-hall distance), each once with the nearest commune it covers: at
    most `count` of them, within `radius` km. They do not cover `commune` and must be shown
    as such.

    Coverage is read as `answers()` reads it (a commune is covered through itself, a named
    perimeter holding it or its EPCI, its EPCI, département or région), from the published
    directory's `town_halls`: only the communes named are read from the database."""
    if commune.lon is None or commune.lat is None:
        return []
    directory = directory or published()
    dlat = math.degrees(radius / EARTH_RADIUS_KM)
    dlon = dlat / max(math.cos(math.radians(commune.lat)), 0.01)
    grid = directory.town_halls
    near = []
    for lat_cell in range(
        math.floor((commune.lat - dlat) / CELL), math.floor((commune.lat + dlat) / CELL) + 1
    ):
        for lon_cell in range(
            math.floor((commune.lon - dlon) / CELL), math.floor((commune.lon + dlon) / CELL) + 1
        ):
            for lon, lat, pk, search_name, found in grid.get((lat_cell, lon_cell), ()):
                if pk == commune.pk or abs(lat - commune.lat) > dlat:
                    continue
                if abs(lon - commune.lon) > dlon:
                    continue
                distance = distance_km(commune.lon, commune.lat, lon, lat)
                if distance <= radius:
                    near.append((distance, search_name, pk, found))
    near.sort(key=lambda item: item[:2])
    chosen, seen = [], set()
    for distance, _name, pk, found in near:
        for facilitator in found:
            if facilitator.pk not in seen and len(chosen) < count:
                seen.add(facilitator.pk)
                chosen.append((facilitator, round(distance, 1), pk))
    if not chosen:
        return []
    communes = Territory.objects.with_parents().in_bulk([pk for *_rest, pk in chosen])
    return [Nearest(facilitator, distance, communes[pk]) for facilitator, distance, pk in chosen]


def _decide(commune, territories, by_territory, covering):
    """Steps 2 and 3 of `answer`, on data already fetched: `by_territory` maps territory ids to
    their published designations in force, `covering` is the list of published facilitators
    covering the commune (sorted by name). A territorial designation counts for a commune
    only when its facilitator covers that commune (a lead covers the territory it leads:
    `directory.designations`; an older designation whose facilitator no longer covers the
    place does not make a lead of someone who does not work there). Designations are
    compared level by level: two facilitators designated on the same level (on one
    territory, or on two named perimeters containing the commune) tie."""
    covering_ids = {facilitator.pk for facilitator in covering}
    for level in LEVELS:
        found, on_level = [], []
        for kind, territory in territories:
            if kind != level:
                continue
            here = [
                designation
                for designation in by_territory.get(territory.pk, ())
                if designation.facilitator_id in covering_ids
            ]
            if here:
                on_level.append(territory)
                found += here
        if found:
            leads = list({d.facilitator_id: d.facilitator for d in found}.values())
            return Answer(
                commune,
                Status.TIED if len(leads) > 1 else Status.LEAD,
                covering,
                leads,
                rule="territory",
                designated_on=on_level[0],
                designated_by=sorted({designation.designated_by for designation in found}),
                designations=found,
            )
    if not covering:
        return Answer(commune, Status.WHITE)
    return Answer(commune, Status.CONTACT if len(covering) == 1 else Status.SEVERAL, covering)


def answers(communes):
    """The `Answer` (without a buyer) of many communes in one query: the same rules as
    `answer()`, on the `published()` directory. `communes` is a queryset of communes; the
    result is sorted by name."""
    directory = published()
    result = []
    for commune in communes.with_parents().order_by("search_name"):
        perimeters = perimeters_in_index(commune, directory.perimeters)
        territories = containing_territories(commune, perimeters)
        covering = directory.facilitators_covering([t.pk for _level, t in territories])
        found = _decide(commune, territories, directory.designations, covering)
        found.perimeters = perimeters
        found.coordination = coordination_for(commune, directory.coordinations)
        result.append(found)
    return result


# The buyer's parameter in every URL; pages also read the older French alias.
BUYER_PARAMETER = "authority"
BUYER_ALIASES = ("authority", "donneur")


def buyer_value(params):
    """The raw buyer id from query parameters (`authority`, or its alias `donneur`)."""
    for name in BUYER_ALIASES:
        value = (params.get(name) or "").strip()
        if value:
            return value
    return ""


def find_buyer(value):
    """The contracting authority whose id is `value` (ASCII digits), or None."""
    pk = parse_id(value)
    return ContractingAuthority.objects.filter(pk=pk).first() if pk is not None else None


def buyer_choice(params):
    """The contracting authorities a visitor can say they buy for (those with a published
    designated lead), and the one chosen in the query parameters, if valid."""
    authorities = pagecache.remember(  # until the directory changes
        "buyers",
        lambda: list(ContractingAuthority.objects.filter(lead__live=True).order_by("name")),
    )
    authorities = [a for a in authorities if a.lead_in_force()]
    pk = parse_id(buyer_value(params))
    authority = next((a for a in authorities if a.pk == pk), None) if pk is not None else None
    return authorities, authority


def white_zones(departement=None):
    """Communes covered by no published facilitator (in one département, or everywhere loaded),
    largest population first."""
    communes = Territory.objects.communes()
    if departement is not None:
        communes = communes.filter(departement=departement)
    return communes.exclude(published().covered_q()).order_by("-population", "search_name")


@dataclass
class WhiteZoneSummary:
    departement: Territory
    communes: int
    population: int
    total_communes: int
    total_population: int

    @property
    def population_share(self):
        if not self.total_population:
            return 0.0
        return round(self.population * 100 / self.total_population, 1)

    @property
    def covered_share(self):
        """Share of the population covered by at least one facilitator (percent)."""
        if not self.total_population:
            return 0.0
        return round(100 - self.population_share, 1)


def white_zone_summary():
    """Per loaded département: white-zone communes and their population, against the totals
    (two grouped queries, whatever the number of départements)."""

    def per_departement(communes):
        rows = (
            communes.order_by()
            .values("departement")
            .annotate(count=Count("pk"), population=Sum("population"))
        )
        return {row["departement"]: row for row in rows}

    white = per_departement(white_zones())
    totals = per_departement(Territory.objects.communes())
    result = []
    for departement in Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).order_by("code"):
        row, total = white.get(departement.pk, {}), totals.get(departement.pk, {})
        result.append(
            WhiteZoneSummary(
                departement,
                row.get("count") or 0,
                row.get("population") or 0,
                total.get("count") or 0,
                total.get("population") or 0,
            )
        )
    return result


@dataclass
class WhiteZoneGroup:
    """The white-zone communes of one EPCI (or of none), and their population."""

    epci: Territory | None
    communes: list
    population: int


def white_zone_groups(communes):
    """White-zone communes (a queryset, e.g. `white_zones()`) grouped by EPCI, the most
    populated group first, communes by population within each; communes without EPCI last."""
    groups = {}
    for commune in communes.with_parents("epci", "departement").order_by(
        "-population", "search_name"
    ):
        groups.setdefault(commune.epci_id, []).append(commune)
    result = [
        WhiteZoneGroup(members[0].epci, members, sum(c.population for c in members))
        for members in groups.values()
    ]
    result.sort(key=lambda g: (g.epci is None, -g.population, g.epci.name if g.epci else ""))
    return result


def snapshot_white_zones(month=None):
    """Record this month's white-zone figures per loaded département (`WhiteZoneSnapshot`):
    once a month, a second run the same month updates the month's rows. Returns the rows."""
    from directory.models import WhiteZoneSnapshot

    month = (month or timezone.localdate()).replace(day=1)
    rows = []
    for row in white_zone_summary():
        snapshot, _created = WhiteZoneSnapshot.objects.update_or_create(
            month=month,
            departement=row.departement,
            defaults={
                "communes": row.communes,
                "population": row.population,
                "total_communes": row.total_communes,
                "total_population": row.total_population,
            },
        )
        rows.append(snapshot)
    return rows


def ambiguous_designations(day=None):
    """Territories where designations of two published facilitators in force on `day` (today
    by default) tie, so that coordinators must decide (`_decide` answers `tied` there): on
    the territory itself, or on two named perimeters sharing a commune (both listed)."""
    day = day or timezone.localdate()
    designations = LeadDesignation.objects.in_force(day).filter(facilitator__live=True)
    ids = set(
        designations.order_by()
        .values("territory")
        .annotate(leads=Count("facilitator", distinct=True))
        .filter(leads__gt=1)
        .values_list("territory", flat=True)
    )
    on_perimeters = {}
    for territory_id, facilitator_id in designations.filter(
        territory__kind=Territory.Kind.PERIMETER
    ).values_list("territory", "facilitator"):
        on_perimeters.setdefault(territory_id, set()).add(facilitator_id)
    perimeters = sorted(on_perimeters)
    for n, first in enumerate(perimeters):
        for second in perimeters[n + 1 :]:
            people = on_perimeters[first] | on_perimeters[second]
            if len(people) == 1:
                continue  # the same one person on both: no tie
            if _share_a_commune(first, second):
                ids |= {first, second}
    return Territory.objects.filter(pk__in=ids).order_by("kind", "name")


def _share_a_commune(first_id, second_id):
    """Whether two named perimeters hold a commune in common."""
    second = member_communes([second_id]).values("pk")
    return member_communes([first_id]).filter(pk__in=second).exists()


def overlapping_q(starts_on, ends_on=None):
    """Designations whose period meets the period from `starts_on` to `ends_on` (None: no
    end), as a filter."""
    meets = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    return meets if ends_on is None else meets & Q(starts_on__lte=ends_on)


def rival_designations(territory, facilitator, starts_on, ends_on=None, exclude=None):
    """The designations that would tie with designating `facilitator` lead on `territory`
    from `starts_on` to `ends_on` (the rule of `_decide` and `ambiguous_designations`):
    another facilitator's, published or not, whose period meets this one, on the same
    territory or, for a named perimeter, on another named perimeter sharing a commune with
    it. `exclude`: the id of the designation being edited."""
    others = (
        LeadDesignation.objects.filter(overlapping_q(starts_on, ends_on))
        .select_related("territory", "facilitator")
        .order_by("facilitator__last_name", "pk")
    )
    if facilitator is not None:
        others = others.exclude(facilitator=facilitator)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    found = list(others.filter(territory=territory))
    if territory.kind == Territory.Kind.PERIMETER:
        for designation in others.filter(territory__kind=Territory.Kind.PERIMETER).exclude(
            territory=territory
        ):
            if _share_a_commune(territory.pk, designation.territory_id):
                found.append(designation)
    return found


def to_reverify(months=12, today=None):
    """Facilitators whose details were not verified for `months` months."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=round(months * 30.44))
    return Facilitator.objects.filter(last_verified__lt=limit).select_related("structure")


def directory_by_departement():
    """Published facilitators grouped by département (a facilitator may appear in several),
    then those without territory of their own (designated by a contracting authority).

    A facilitator works in the départements it covers, those of its communes, and those its
    EPCI span; the EPCI are resolved for everyone in one query.
    """
    facilitators = list(
        Facilitator.objects.published()
        .select_related("structure")
        .prefetch_related("coverage")
        .order_by("structure__name", "last_name")
    )
    epci_ids = {
        territory.pk
        for facilitator in facilitators
        for territory in facilitator.coverage.all()
        if territory.kind == Territory.Kind.EPCI
    }
    epci_departements = {}
    for epci_id, departement_id in (
        Territory.objects.communes()
        .filter(epci__in=epci_ids)
        .order_by()
        .values_list("epci", "departement")
        .distinct()
    ):
        epci_departements.setdefault(epci_id, set()).add(departement_id)

    groups, without = {}, []
    for facilitator in facilitators:
        ids = set()
        for territory in facilitator.coverage.all():
            if territory.kind == Territory.Kind.DEPARTEMENT:
                ids.add(territory.pk)
            elif territory.kind == Territory.Kind.EPCI:
                ids |= epci_departements.get(territory.pk, set())
            elif territory.departement_id:
                ids.add(territory.departement_id)
        if not ids:
            without.append(facilitator)
        for departement_id in ids:
            groups.setdefault(departement_id, []).append(facilitator)
    departements = Territory.objects.in_bulk(list(groups))
    return (
        sorted(
            ((departements[pk], members) for pk, members in groups.items()),
            key=lambda item: item[0].code,
        ),
        without,
    )
