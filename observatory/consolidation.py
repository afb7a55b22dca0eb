"""Consolidation of the structures' validated reports into département, région and national
figures (docs/domain.md, "Consolidated results").

The rule, in one place:
- only validated reports count;
- national figures are the sum of every validated report of the year;
- a report counts in the départements where its structure's coverage lies (the published
  coverage of its published facilitators);
- a structure covering one département counts entirely there;
- a structure covering several départements counts by département when its report gives that
  split (hours and people as split; its other indicators in the département of the split with
  the most hours), else entirely in the département holding most of its covered population;
- a structure without coverage counts in the national figures only;
- a région's figures are the sum of its départements';
- the figures say how many of the structures expected there have reported.

And the rule of publication (`publication`, `is_published`, `default_year`): a year's
consolidation becomes the public default once the national coordination has published it
(`PublishedYear`), or once at least `OBSERVATORY_MIN_SHARE` of the structures expected
nationally have a validated report for it. Before that the year is *provisional*: still
reachable by its address and in the lists of years, marked as such wherever it is shown,
never the default and never silently mixed into trends.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory import coverage
from directory.models import Structure, Territory
from observatory.models import PublishedYear, StructureReport
from portal import results as results_rules

WHOLE, SPLIT, MAJORITY, UNPLACED = "whole", "split", "majority", "unplaced"
NATIONAL, DEPARTEMENT, REGION, STRUCTURE = "national", "departement", "region", "structure"
TREND_YEARS = 10


def coverage_populations():
    """{structure id: {département id: population covered}}: where each structure's published
    facilitators' published coverage lies, as the population of the communes it holds (each
    commune once per structure; coverage read as answers read it, named perimeters included,
    from `coverage.published()`: one query)."""
    result = defaultdict(lambda: defaultdict(int))
    for departement_id, population, facilitators in coverage.published().covered_communes(
        "departement_id", "population"
    ):
        if departement_id:
            for structure_id in {facilitator.structure_id for facilitator in facilitators}:
                result[structure_id][departement_id] += population or 0
    return {structure_id: dict(parts) for structure_id, parts in result.items()}


def split_errors(report, split_rows):
    """Messages when a report's split by département does not add up to its totals."""
    if not split_rows:
        return []
    errors = []
    hours = sum(row.hours for row in split_rows)
    if report.hours_total is not None and hours != report.hours_total:
        errors.append(
            _("La répartition par département totalise %(sum)s heures, le bilan %(total)s.")
            % {"sum": hours, "total": report.hours_total}
        )
    people = [row.people for row in split_rows if row.people is not None]
    if people and report.people_total is not None and sum(people) != report.people_total:
        errors.append(
            _("La répartition par département totalise %(sum)s personnes, le bilan %(total)s.")
            % {"sum": sum(people), "total": report.people_total}
        )
    return errors


@dataclass
class Placement:
    """Where one report counts: {département id: {field: value}} and how it was decided."""

    report: StructureReport
    mode: str
    parts: dict = field(default_factory=dict)
    main: int | None = None  # the département that takes the indicators not split

    @property
    def explanation(self):
        names = {pk: t.name for pk, t in Territory.objects.in_bulk(list(self.parts)).items()}
        main = names.get(self.main)
        if self.mode == WHOLE:
            return _("compté entièrement dans son département (%(name)s)") % {"name": main}
        if self.mode == SPLIT:
            return _("réparti entre %(names)s selon la répartition donnée par la structure") % {
                "names": ", ".join(names[pk] for pk in sorted(self.parts, key=str))
            }
        if self.mode == MAJORITY:
            return _(
                "compté entièrement en %(name)s, le département le plus peuplé de sa couverture "
                "(pas de répartition par département)"
            ) % {"name": main}
        return _("compté au niveau national seulement (pas de territoire couvert)")


def _figures(report):
    return {name: getattr(report, name) for name in results_rules.indicator_fields()}


def place(report, populations):
    """The Placement of one validated report, by the rule of this module's docstring;
    `populations` is `coverage_populations()`."""
    covered = {pk: pop for pk, pop in populations.get(report.structure_id, {}).items()}
    figures = _figures(report)
    split = [row for row in report.departement_split.all() if row.hours is not None]
    if len(covered) == 1:
        (only,) = covered
        return Placement(report, WHOLE, {only: figures}, only)
    if split and not split_errors(report, split):
        main = max(split, key=lambda row: row.hours).departement_id
        parts = {}
        for row in split:
            part = {name: None for name in figures}
            part["hours_total"] = row.hours
            part["people_total"] = row.people
            parts[row.departement_id] = part
        for name, value in figures.items():
            if name not in ("hours_total", "people_total"):
                parts[main][name] = value
        if all(row.people is None for row in split):  # people not split: all in the main one
            parts[main]["people_total"] = report.people_total
        return Placement(report, SPLIT, parts, main)
    if covered:
        main = max(sorted(covered), key=lambda pk: covered[pk])
        return Placement(report, MAJORITY, {main: figures}, main)
    return Placement(report, UNPLACED)


def _add(totals, figures):
    for name, value in figures.items():
        if value is not None:
            totals[name] = (totals.get(name) or 0) + value


@dataclass
class Consolidated:
    """A territory's (or the nation's) figures for one year, and who they come from."""

    level: str
    territory: Territory | None
    year: int
    totals: dict = field(default_factory=dict)
    authority_hours: dict = field(default_factory=dict)
    placements: list = field(default_factory=list)
    expected: list = field(default_factory=list)
    reported: list = field(default_factory=list)

    @property
    def missing(self):
        reported = {structure.pk for structure in self.reported}
        return [structure for structure in self.expected if structure.pk not in reported]

    @property
    def has_figures(self):
        return any(value is not None for value in self.totals.values())

    @property
    def statement(self):
        """ "12 structures sur 14 ont transmis leur bilan" for this territory and year."""
        return reporting_statement(len(self.reported), len(self.expected), self.year)

    @cached_property
    def provisional(self):
        """True while the year is not published (`is_published`); portal's results pages
        read it too."""
        return not is_published(self.year)

    # The attributes portal.results reads (it takes results pages and reports alike).
    def __getattr__(self, name):
        if name in results_rules.indicator_fields():
            return self.totals.get(name)
        raise AttributeError(name)


def reporting_statement(reported, expected, year):
    """ "1 structure sur 18 a transmis son bilan 2026.", in the right number."""
    values = {"reported": reported, "expected": expected, "year": year}
    if not expected and not reported:
        return _("Aucune structure n'est attendue ici pour %(year)s.") % values
    if not reported:
        return (
            ngettext(
                "Aucune structure sur %(expected)s n'a transmis son bilan %(year)s.",
                "Aucune structure sur %(expected)s n'a transmis son bilan %(year)s.",
                expected,
            )
            % values
        )
    return (
        ngettext(
            "%(reported)s structure sur %(expected)s a transmis son bilan %(year)s.",
            "%(reported)s structures sur %(expected)s ont transmis leur bilan %(year)s.",
            reported,
        )
        % values
    )


def departements_of(level, territory):
    """Ids of the départements a level/territory spans; None for the nation."""
    if level == DEPARTEMENT:
        return {territory.pk}
    if level == REGION:
        return set(
            Territory.objects.of_kind(Territory.Kind.DEPARTEMENT)
            .filter(region=territory)
            .values_list("pk", flat=True)
        ) | set(
            Territory.objects.communes()
            .filter(region=territory)
            .order_by()
            .values_list("departement", flat=True)
            .distinct()
        )
    return None


def validated_reports(year):
    """The validated reports of a year, with what consolidation reads."""
    return (
        StructureReport.objects.public()
        .filter(year=year)
        .select_related("structure")
        .prefetch_related("departement_split", "authority_hours")
    )


def reporting_structures():
    """Structures expected to report: published, with at least one published facilitator."""
    return Structure.objects.published().filter(facilitators__live=True).distinct()


def consolidate(year, level=NATIONAL, territory=None, populations=None):
    """The Consolidated figures of a département, a région or the nation for `year`."""
    populations = coverage_populations() if populations is None else populations
    departements = departements_of(level, territory)
    result = Consolidated(level, territory, year)
    reports = list(validated_reports(year))
    for report in reports:
        placement = place(report, populations)
        if departements is None:
            _add(result.totals, _figures(report))
            counted = True
        else:
            counted = False
            for departement_id, figures in placement.parts.items():
                if departement_id in departements:
                    _add(result.totals, figures)
                    counted = True
        if counted:
            result.placements.append(placement)
            # Hours by authority go where the indicators not split go.
            if departements is None or placement.main in departements:
                for row in report.authority_hours.all():
                    result.authority_hours[row.authority] = (
                        result.authority_hours.get(row.authority, 0) + row.hours
                    )
    structures = list(reporting_structures())
    if departements is not None:
        structures = [s for s in structures if set(populations.get(s.pk, {})) & departements] + [
            placement.report.structure
            for placement in result.placements
            if not set(populations.get(placement.report.structure_id, {})) & departements
        ]
    reported_ids = {report.structure_id for report in reports}
    result.expected = sorted({s.pk: s for s in structures}.values(), key=lambda s: s.name)
    result.reported = [s for s in result.expected if s.pk in reported_ids]
    return result


def structure_departements(structure, populations=None):
    """The départements a structure's coverage lies in, largest covered population first."""
    populations = coverage_populations() if populations is None else populations
    covered = populations.get(structure.pk, {})
    departements = Territory.objects.in_bulk(list(covered))
    return [departements[pk] for pk in sorted(covered, key=lambda pk: -covered[pk])]


def report_years():
    """The years that have at least one validated report, most recent first."""
    return list(
        StructureReport.objects.public().order_by("-year").values_list("year", flat=True).distinct()
    )


def min_share():
    """`OBSERVATORY_MIN_SHARE` as an exact decimal (0.8: 12 of 15 is enough, whatever the
    floating point says)."""
    return Decimal(str(settings.OBSERVATORY_MIN_SHARE))


@dataclass
class Publication:
    """Whether a year's consolidation is public by default, and why."""

    year: int
    reported: int  # expected structures with a validated report for the year
    expected: int  # structures expected nationally (`reporting_structures`)
    record: PublishedYear | None = None  # published by the national coordination
    threshold: Decimal = Decimal("0.8")

    @property
    def share(self):
        """The share of expected structures that have reported, 0 to 1 (0 when none is
        expected)."""
        return Decimal(self.reported) / self.expected if self.expected else Decimal(0)

    @property
    def percent(self):
        return int(self.share * 100)

    @property
    def threshold_percent(self):
        return int(self.threshold * 100)

    @property
    def by_share(self):
        """True when enough expected structures have reported."""
        return bool(self.expected) and self.reported >= self.threshold * self.expected

    @property
    def published(self):
        return self.record is not None or self.by_share

    @property
    def provisional(self):
        return not self.published


def publications(years=None):
    """{year: Publication} of `years` (default: every year with a validated report), in three
    queries whatever their number."""
    years = report_years() if years is None else list(years)
    expected = set(reporting_structures().values_list("pk", flat=True))
    counts = dict(
        StructureReport.objects.public()
        .filter(year__in=years, structure__in=expected)
        .order_by()
        .values_list("year")
        .annotate(count=Count("structure", distinct=True))
    )
    records = {record.year: record for record in PublishedYear.objects.filter(year__in=years)}
    threshold = min_share()
    return {
        year: Publication(year, counts.get(year, 0), len(expected), records.get(year), threshold)
        for year in years
    }


def publication(year):
    """The Publication of one year."""
    return publications([year])[year]


def is_published(year):
    """True when `year`'s consolidation is public by default: published by the national
    coordination, or reported by at least `OBSERVATORY_MIN_SHARE` of the expected
    structures. Otherwise the year is provisional."""
    return publication(year).published


def default_year():
    """The year the public pages, the API and the exports show when none is asked: the most
    recent published year; without any, the most recent year with a validated report
    (shown as provisional); None without any validated report."""
    years = report_years()
    found = publications(years)
    for year in years:
        if found[year].published:
            return year
    return years[0] if years else None


def publish(year, user):
    """Publish `year`'s consolidation (the national coordination's decision); returns the
    PublishedYear. Publishing twice keeps the first record."""
    record, _created = PublishedYear.objects.get_or_create(
        year=year, defaults={"published_by": user if user and user.pk else None}
    )
    return record


def unpublish(year):
    """Withdraw the national coordination's publication of `year` (the share rule may still
    make it public); True when there was one."""
    deleted, _detail = PublishedYear.objects.filter(year=year).delete()
    return bool(deleted)


def trend_years(latest=None):
    """Up to TREND_YEARS years with validated reports ending with `latest` (default: the
    default year). Provisional years are kept: the charts mark them (`provisional_years`)."""
    years = report_years()
    if latest is None:
        latest = default_year()
        if latest is None:
            return []
    return [year for year in sorted(years) if latest - TREND_YEARS < year <= latest]


def provisional_years(years):
    """The years of `years` that are not published."""
    found = publications(years)
    return {year for year in years if found[year].provisional}


def territory_trend(level, territory, latest=None):
    """[(year, Consolidated)] for up to ten years, oldest first."""
    populations = coverage_populations()
    return [
        (year, consolidate(year, level, territory, populations)) for year in trend_years(latest)
    ]


def structure_trend(structure, latest=None):
    """[(year, validated report)] for up to ten years ending with `latest` (default: the
    structure's last validated report), oldest first."""
    reports = {
        report.year: report
        for report in StructureReport.objects.public().filter(structure=structure)
    }
    if latest is None:
        latest = max(reports, default=None)
    if latest is None:
        return []
    return [
        (year, reports[year]) for year in sorted(reports) if latest - TREND_YEARS < year <= latest
    ]


def departement_populations():
    """{département id: population of its loaded communes}."""
    rows = (
        Territory.objects.communes()
        .order_by()
        .values("departement")
        .annotate(population=Sum("population"))
    )
    return {row["departement"]: row["population"] or 0 for row in rows if row["departement"]}


@dataclass
class DepartementHours:
    departement: Territory
    hours: int | None  # None: no validated report counts here
    population: int

    @property
    def per_thousand(self):
        """Hours per 1,000 inhabitants, one decimal; None without report or population."""
        if self.hours is None or not self.population:
            return None
        return round(self.hours * 1000 / self.population, 1)


def hours_by_departement(year):
    """Every loaded département with the hours counted there in `year` and its population."""
    populations = coverage_populations()
    hours = {}
    for report in validated_reports(year):
        for departement_id, figures in place(report, populations).parts.items():
            if figures.get("hours_total") is not None:
                hours[departement_id] = hours.get(departement_id, 0) + figures["hours_total"]
    people = departement_populations()
    return [
        DepartementHours(departement, hours.get(departement.pk), people.get(departement.pk, 0))
        for departement in Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).order_by("code")
    ]
