"""Who covers a commune, who leads there, and which communes are white zones.

These functions are the only place where the rules of `DESIGN.md` ("Facilitators, coverage and
the lead") are written down. Views, templates, the admin and the API call them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory import names
from directory.models import (
    ContractingAuthority,
    Facilitator,
    FacilitatorTerritory,
    LeadDesignation,
    Territory,
)

# Most specific first: a designation on a commune beats one on its EPCI, and so on.
LEVELS = [
    Territory.Kind.COMMUNE,
    Territory.Kind.EPCI,
    Territory.Kind.DEPARTEMENT,
    Territory.Kind.REGION,
]


def containing_territories(commune):
    """The commune and the territories that contain it, most specific first, as
    (level, territory) pairs."""
    pairs = [(Territory.Kind.COMMUNE, commune)]
    for level, territory in (
        (Territory.Kind.EPCI, commune.epci),
        (Territory.Kind.DEPARTEMENT, commune.departement),
        (Territory.Kind.REGION, commune.region),
    ):
        if territory is not None:
            pairs.append((level, territory))
    return pairs


def _territory_ids(commune):
    return [territory.pk for _level, territory in containing_territories(commune)]


def covering_facilitators(commune):
    """Published facilitators who cover the commune, itself or through its EPCI, département
    or région."""
    return (
        Facilitator.objects.published()
        .filter(coverage__in=_territory_ids(commune))
        .select_related("structure")
        .distinct()
        .order_by("last_name", "first_name")
    )


@dataclass
class LeadAnswer:
    """The answer to "who leads here?": the facilitator(s), how it was decided, and why."""

    commune: Territory
    leads: list = field(default_factory=list)
    rule: str = "none"  # "authority", "territory", "single", "none"
    explanation: str = ""
    designated_on: Territory | None = None

    @property
    def lead(self):
        return self.leads[0] if len(self.leads) == 1 and self.rule != "single" else None

    @property
    def contact(self):
        """The one person to contact: the lead, or the only covering facilitator."""
        return self.leads[0] if len(self.leads) == 1 else None

    @property
    def ambiguous(self):
        return len(self.leads) > 1


def lead_for(commune, authority=None):
    """The lead facilitator for works in `commune`, for an optional contracting authority.

    1. The authority's own designation, when its perimeter contains the commune.
    2. Else the territorial designation on the most specific territory containing the commune
       (commune, EPCI, département, région); two designations at that level are both returned
       and the answer is ambiguous.
    3. Else, if exactly one facilitator covers the commune, that facilitator is the contact
       (rule "single"), not called lead.
    Only published facilitators count.
    """
    territories = containing_territories(commune)
    ids = [territory.pk for _level, territory in territories]

    if authority is not None and authority.lead_id:
        lead = Facilitator.objects.published().filter(pk=authority.lead_id).first()
        perimeter = authority.lead_perimeter.filter(pk__in=ids)
        if lead and perimeter.exists():
            return LeadAnswer(
                commune,
                [lead],
                "authority",
                _("Chef de file désigné par %(authority)s pour ses propres marchés.")
                % {"authority": authority.name},
                perimeter.first(),
            )

    designations = (
        LeadDesignation.objects.filter(territory__in=ids, facilitator__live=True)
        .select_related("facilitator__structure", "territory")
        .defer("territory__outline")
        .order_by("facilitator__last_name")
    )
    by_territory = {}
    for designation in designations:
        by_territory.setdefault(designation.territory_id, []).append(designation)
    return _decide(commune, territories, by_territory, lambda: list(covering_facilitators(commune)))


def _decide(commune, territories, by_territory, covering):
    """Steps 2 and 3 of `lead_for`, on data already fetched: `by_territory` maps territory ids to
    their published designations, `covering()` gives the published facilitators covering the
    commune (sorted by name)."""
    for _level, territory in territories:
        found = by_territory.get(territory.pk)
        if found:
            designers = sorted({d.designated_by for d in found})
            if not (get_language() or "fr").startswith("fr"):
                # "designated by CA Arles…", not "designated by la CA Arles…"
                designers = [names.without_french_article(name) for name in designers]
            explanation = _("Chef de file désigné par %(by)s pour le territoire %(territory)s.") % {
                "by": ", ".join(designers),
                "territory": territory.name,
            }
            if len(found) > 1:
                explanation = _(
                    "Plusieurs chefs de file sont désignés pour %(territory)s : la coordination "
                    "doit trancher."
                ) % {"territory": territory.name}
            return LeadAnswer(
                commune, [d.facilitator for d in found], "territory", explanation, territory
            )

    covering = covering()
    if len(covering) == 1:
        return LeadAnswer(
            commune,
            covering,
            "single",
            _(
                "Aucun chef de file n'est désigné ici ; ce facilitateur est le seul à couvrir la "
                "commune."
            ),
        )
    if covering:
        return LeadAnswer(
            commune,
            [],
            "none",
            _(
                "Plusieurs facilitateurs couvrent la commune et aucun chef de file n'est désigné : "
                "contactez l'un d'eux ou la coordination."
            ),
        )
    return LeadAnswer(
        commune, [], "none", _("Aucun facilitateur ne couvre cette commune : zone blanche.")
    )


@dataclass
class CommuneStatus:
    """One commune's place on the map: who covers it and who leads there (no buyer chosen)."""

    commune: Territory
    covering: list
    answer: LeadAnswer

    @property
    def white_zone(self):
        return not self.covering


def statuses(communes):
    """`CommuneStatus` for many communes in a constant number of queries: the same rules as
    `covering_facilitators` and `lead_for` (without a contracting authority), on the whole
    published directory fetched once. `communes` is a queryset of communes."""
    communes = list(communes.with_parents().order_by("search_name"))
    facilitators = list(
        Facilitator.objects.published()
        .select_related("structure")
        .order_by("last_name", "first_name")
    )
    coverage_of = {}
    for facilitator_id, territory_id in FacilitatorTerritory.objects.filter(
        facilitator__live=True
    ).values_list("facilitator_id", "territory_id"):
        coverage_of.setdefault(facilitator_id, set()).add(territory_id)
    by_territory = {}
    for designation in (
        LeadDesignation.objects.filter(facilitator__live=True)
        .select_related("facilitator__structure", "territory")
        .defer("territory__outline")
        .order_by("facilitator__last_name")
    ):
        by_territory.setdefault(designation.territory_id, []).append(designation)

    result = []
    for commune in communes:
        territories = containing_territories(commune)
        ids = {territory.pk for _level, territory in territories}
        covering = [f for f in facilitators if coverage_of.get(f.pk, set()) & ids]
        answer = _decide(commune, territories, by_territory, lambda c=covering: c)
        result.append(CommuneStatus(commune, covering, answer))
    return result


def buyer_choice(value):
    """The contracting authorities a visitor can say they buy for (those with a published
    designated lead), and the one chosen by `value` (its id as text), if valid."""
    authorities = ContractingAuthority.objects.filter(lead__live=True).order_by("name")
    value = (value or "").strip()
    authority = authorities.filter(pk=int(value)).first() if value.isdigit() else None
    return authorities, authority


def contacts(commune, authority=None):
    """What a visitor needs for one commune: the `lead_for` answer and the other published
    facilitators covering it, each with its coverage loaded (one query for all)."""
    answer = lead_for(commune, authority)
    lead_ids = {f.pk for f in answer.leads}
    others = [f for f in covering_facilitators(commune) if f.pk not in lead_ids]
    prefetch_related_objects(answer.leads + others, "coverage")
    return answer, others


def covered_territory_ids():
    """Ids of the territories in the coverage of at least one published facilitator."""
    return set(
        Facilitator.objects.published()
        .filter(coverage__isnull=False)
        .values_list("coverage", flat=True)
    )


def white_zones(departement=None):
    """Communes covered by no published facilitator (in one département, or everywhere loaded),
    largest population first."""
    covered = covered_territory_ids()
    communes = Territory.objects.communes()
    if departement is not None:
        communes = communes.filter(departement=departement)
    return communes.exclude(
        Q(pk__in=covered) | Q(epci__in=covered) | Q(departement__in=covered) | Q(region__in=covered)
    ).order_by("-population", "search_name")


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


def ambiguous_designations():
    """Territories with two or more published lead designations (coordinators must decide)."""
    return (
        Territory.objects.filter(lead_designations__facilitator__live=True)
        .annotate(leads=Count("lead_designations"))
        .filter(leads__gt=1)
        .order_by("kind", "name")
    )


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
