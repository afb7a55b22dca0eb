"""What the public results pages show: a structure's page, a territory's (département, région,
nation) results of a year, and the consolidation added to the national results page.

Views and the portal's results page call these builders; the figures come from
`observatory.consolidation`, the request counts from `referrals.figures`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Facilitator, Territory
from maps.geo import TOLERANCE, simplified
from observatory import charts, choropleth, consolidation
from observatory.models import StructureReport
from portal import pagecache
from portal import results as results_rules
from referrals.figures import request_figures

# The indicators drawn as trends: (field, label, unit).
TREND_INDICATORS = [
    ("hours_total", results_rules.KEY_FIGURES[0][1], "h"),
    ("people_total", results_rules.KEY_FIGURES[1][1], ""),
    ("operations_total", results_rules.KEY_FIGURES[2][1], ""),
    ("companies_total", results_rules.KEY_FIGURES[3][1], ""),
]


def trend_charts(series):
    """One TrendChart per main indicator for [(year, report or Consolidated)]; the years not
    published are marked provisional."""
    provisional = consolidation.provisional_years([year for year, _source in series])
    result = []
    for name, label, unit in TREND_INDICATORS:
        values = [(year, getattr(source, name)) for year, source in series]
        if any(value is not None for _year, value in values):
            result.append(charts.trend_chart(name, label, unit, values, provisional))
    return result


def year_links(years):
    """[{"year", "provisional"}] of `years`, for the lists of other years."""
    found = consolidation.publications(years)
    return [{"year": year, "provisional": found[year].provisional} for year in years]


def figures_context(source):
    """Key figures and breakdowns of a report or a Consolidated (portal's rules)."""
    return {
        "key_figures": results_rules.key_figures(source),
        "breakdowns": results_rules.breakdowns(source),
    }


def structure_coverage_map(structure):
    """SVG paths of the territories a structure's published facilitators cover."""
    territories = (
        Territory.objects.with_outline()
        .filter(facilitators__structure=structure, facilitators__live=True)
        .distinct()
    )
    geometries = {
        territory.pk: simplified(territory.outline, TOLERANCE["departement"])
        for territory in territories
        if territory.outline
    }
    paths, height = choropleth.project(geometries, width=320)
    names = {t.pk: t for t in territories}
    return {
        "shapes": [(names[pk], d) for pk, d in paths.items()],
        "width": 320,
        "height": height,
    }


def structure_context(structure):
    facilitators = (
        Facilitator.objects.published()
        .filter(structure=structure)
        .prefetch_related("coverage")
        .order_by("last_name", "first_name")
    )
    series = consolidation.structure_trend(structure)
    latest = series[-1][1] if series else None
    populations = consolidation.coverage_populations()
    placement = consolidation.place(latest, populations) if latest else None
    departements = consolidation.structure_departements(structure, populations)
    reports = list(StructureReport.objects.public().filter(structure=structure).order_by("-year"))
    context = {
        "latest_provisional": bool(latest) and not consolidation.is_published(latest.year),
        "structure": structure,
        "facilitators": facilitators,
        "coverage_map": structure_coverage_map(structure),
        "departements": departements,
        "latest": latest,
        "placement": placement,
        "reports": reports,
        "trends": trend_charts(series),
        "news": tagged_news(structure),
        "csv_url": reverse("observatory_structure_csv", args=[structure.slug]),
    }
    if latest:
        context.update(figures_context(latest))
    return context


def tagged_news(structure, limit=5):
    """Live news tagged with the structure's slug or name, newest first."""
    from django.apps import apps
    from django.db.models import Q
    from wagtail.models import Locale

    if not apps.is_installed("news"):
        return []
    NewsPage = apps.get_model("news", "NewsPage")
    return list(
        NewsPage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .filter(Q(tags__slug__iexact=structure.slug) | Q(tags__name__iexact=structure.name))
        .distinct()
        .order_by("-first_published_at")[:limit]
    )


def territory_label(level, territory):
    if level == consolidation.NATIONAL:
        return _("France entière")
    return str(territory)


def territory_context(year, level, territory):
    """The results page of a département, a région or the nation for `year`."""
    populations = consolidation.coverage_populations()
    consolidated = consolidation.consolidate(year, level, territory, populations)
    series = [
        (y, consolidation.consolidate(y, level, territory, populations))
        for y in consolidation.trend_years(year)
    ]
    departements = consolidation.departements_of(level, territory)
    publication = consolidation.publication(year)
    context = {
        "provisional": publication.provisional,
        "publication": publication,
        "default_year": consolidation.default_year(),
        "year": year,
        "level": level,
        "territory": territory,
        "label": territory_label(level, territory),
        "consolidated": consolidated,
        "trends": trend_charts(series),
        "requests": request_figures(year, departements),
        "years": year_links(consolidation.report_years()),
        "csv_url": territory_url(year, level, territory, csv=True),
        "national_url": territory_url(year, consolidation.NATIONAL, None),
    }
    published = context["default_year"]
    if (
        publication.provisional
        and published
        and published != year
        and consolidation.is_published(published)
    ):
        context["published_year"] = published
        context["published_url"] = territory_url(published, level, territory)
    context["map"] = choropleth.choropleth(year)
    if level == consolidation.DEPARTEMENT and territory.region_id:
        context["region"] = territory.region
    context.update(figures_context(consolidated))
    return context


def territory_url(year, level, territory, csv=False):
    suffix = "_csv" if csv else ""
    if level == consolidation.NATIONAL:
        return reverse(f"observatory_national{suffix}", args=[year])
    return reverse(f"observatory_{level}{suffix}", args=[year, territory.code])


def national_figures(year):
    """The national figures of `year` for portal's results pages (the home page shows them
    too): the consolidation of every validated report of the year, with whether the year is
    provisional, kept until the next purge of the page cache (a validated report, a published
    year and a change of the directory purge it)."""

    def build():
        consolidated = consolidation.consolidate(year)
        consolidated.provisional  # noqa: B018 -- computed now, remembered with the figures
        return consolidated

    return pagecache.remember(f"national-consolidation:{year}", build)


def national_results_context(page, request):
    """Added to the national results page of a year (portal's ResultsPage): how its figures
    were made (the statement of coverage) and the link to the observatory's detail."""
    consolidated = national_figures(page.year)
    if not consolidated.expected and not consolidated.has_figures:
        return {}
    return {
        "consolidated": consolidated,
        "provisional": consolidated.provisional,
        "observatory_url": territory_url(page.year, consolidation.NATIONAL, None),
        "consolidation_template": "observatory/includes/national_consolidation.html",
    }
