"""Rules for the yearly results: which figures exist (the one list of indicators, from which
the structures' reports are built), how they compare, how they are exported.

The national figures of a year are the observatory's consolidation of the structures'
validated reports, given through `register_national_figures`; the yearly results page shows
them with its introduction and notes. Figures whose `provisional` attribute is true belong to
a year not published yet (the observatory's rule): they are never the default (the home
page's key figures) and are labelled provisional wherever shown. Pages, templates and the
CSV export call these functions; none of them re-derives a figure on its own.
"""

import csv
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# The key figures, in display order: (field, label, unit).
KEY_FIGURES = [
    ("hours_total", _("heures d'insertion réalisées"), "h"),
    ("people_total", _("personnes bénéficiaires"), ""),
    ("operations_total", _("marchés ou opérations suivis"), ""),
    ("companies_total", _("entreprises mobilisées"), ""),
    ("authorities_total", _("donneurs d'ordre"), ""),
]

# Each breakdown: slug, title, unit, the total it splits, and its (field, label) rows.
BREAKDOWNS = [
    (
        "public",
        _("Personnes par public"),
        "",
        "people_total",
        [
            ("public_long_term_unemployed", _("Demandeurs d'emploi de longue durée")),
            ("public_minimum_benefits", _("Bénéficiaires de minima sociaux (RSA, ASS, AAH)")),
            ("public_youth", _("Jeunes de moins de 26 ans peu qualifiés")),
            ("public_disabled", _("Travailleurs handicapés (RQTH)")),
            ("public_over_50", _("Personnes de plus de 50 ans sans emploi")),
            ("public_siae", _("Salariés d'une structure d'insertion (SIAE)")),
            ("public_other", _("Autres publics validés")),
        ],
    ),
    (
        "sex",
        _("Personnes par sexe"),
        "",
        "people_total",
        [("people_women", _("Femmes")), ("people_men", _("Hommes"))],
    ),
    (
        "age",
        _("Personnes par âge"),
        "",
        "people_total",
        [
            ("age_under_26", _("Moins de 26 ans")),
            ("age_26_49", _("26 à 49 ans")),
            ("age_50_plus", _("50 ans et plus")),
        ],
    ),
    (
        "sector",
        _("Heures par secteur"),
        "h",
        "hours_total",
        [
            ("hours_building", _("Bâtiment et travaux publics")),
            ("hours_services", _("Services")),
            ("hours_intellectual", _("Prestations intellectuelles")),
        ],
    ),
    (
        "outcome",
        _("Situation des personnes six mois après"),
        "",
        "people_total",
        [
            ("outcome_cdi", _("CDI")),
            ("outcome_cdd", _("CDD de 6 mois ou plus")),
            ("outcome_work_study", _("Contrat en alternance")),
            ("outcome_training", _("Formation qualifiante")),
            ("outcome_other", _("Retour à la recherche d'emploi ou autre")),
        ],
    ),
]


# Apps above portal give the national figures of a year (the observatory's consolidation) and
# add to a results page's context by registering functions here; portal imports none of them.
_context_providers = []
_national_figures = []


def register_context_provider(provider):
    """Register `provider(page, request) -> dict`, merged into every results page's context."""
    if provider not in _context_providers:
        _context_providers.append(provider)


def register_national_figures(provider):
    """Register `provider(year) -> source or None`: the national figures of a year, an object
    with the indicators of this module as attributes, `authority_hours` (a dict
    {authority: hours} or rows with `authority` and `hours`) and, optionally, `provisional`
    (true while the year is not published)."""
    if provider not in _national_figures:
        _national_figures.append(provider)


def extra_context(page, request):
    """What the registered providers add to a results page's context."""
    context = {}
    for provider in _context_providers:
        context.update(provider(page, request))
    return context


def national_figures(year):
    """The national figures of `year` from the registered provider, None without any (or
    without a figure)."""
    for provider in _national_figures:
        source = provider(year)
        if source is not None and has_figures(source):
            return source
    return None


def indicator_fields():
    """Every indicator field of a year's results: the key figures, then each breakdown's."""
    names = [name for name, _label, _unit in KEY_FIGURES]
    for _slug, _title, _unit, _total, rows in BREAKDOWNS:
        names += [name for name, _label in rows]
    return names


def indicator_labels():
    """[(field, label)] of every indicator, in the order of `indicator_fields`: the one list
    the reports' fields, their template, the consolidation and the pages are made from."""
    labels = [(name, label) for name, label, _unit in KEY_FIGURES]
    for _slug, _title, _unit, _total, rows in BREAKDOWNS:
        labels += rows
    return labels


def fields_of(slug):
    """The model fields of one breakdown, in display order."""
    for breakdown_slug, _title, _unit, _total, rows in BREAKDOWNS:
        if breakdown_slug == slug:
            return [name for name, _label in rows]
    raise KeyError(slug)


def authority_pairs(source):
    """[(authority, hours)] of a source's hours by contracting authority, largest first."""
    rows = getattr(source, "authority_hours", None)
    if rows is None:
        return []
    if isinstance(rows, dict):
        pairs = rows.items()
    else:
        pairs = [(row.authority, row.hours) for row in rows.all()]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


@dataclass
class Figure:
    """One value, with last year's value and the change between them."""

    label: str
    value: int | None
    previous: int | None = None
    unit: str = ""
    share: float | None = None  # share of the breakdown's total, in percent
    bar: float = 0.0  # bar length relative to the largest row, 0–100

    @property
    def change(self):
        """Change against the previous year, in percent; None when it cannot be computed."""
        if self.value is None or not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous, 1)


@dataclass
class Breakdown:
    slug: str
    title: str
    unit: str
    rows: list = field(default_factory=list)


def previous_results(page):
    """The live results page of the year before `page`, in the same language, if any."""
    from portal.models import ResultsPage

    return (
        ResultsPage.objects.live()
        .public()
        .filter(locale_id=page.locale_id, year=page.year - 1)
        .first()
    )


def is_provisional(figures):
    """True when `figures` (from `national_figures`) belong to a year not published yet."""
    return bool(getattr(figures, "provisional", False))


def latest_results(locale):
    """(page, figures) of the most recent live results page in `locale` whose year has
    published national figures; without any, of the most recent one with provisional
    figures (labelled so); or (None, None)."""
    from portal.models import ResultsPage

    provisional = (None, None)
    for page in ResultsPage.objects.live().public().filter(locale=locale).order_by("-year"):
        figures = national_figures(page.year)
        if figures is None:
            continue
        if not is_provisional(figures):
            return page, figures
        if provisional[0] is None:
            provisional = (page, figures)
    return provisional


def has_figures(source):
    """True when at least one figure of `source` is known."""
    return any(getattr(source, name) is not None for name in indicator_fields()) or bool(
        authority_pairs(source)
    )


def key_figures(page, previous=None):
    """The filled-in key figures of `page`, compared with `previous` when given."""
    return [
        Figure(
            label=label,
            value=getattr(page, name),
            previous=getattr(previous, name) if previous else None,
            unit=unit,
        )
        for name, label, unit in KEY_FIGURES
        if getattr(page, name) is not None
    ]


def _finish(rows, total):
    largest = max((row.value or 0 for row in rows), default=0)
    for row in rows:
        if total:
            row.share = round((row.value or 0) * 100 / total, 1)
        row.bar = round((row.value or 0) * 100 / largest, 1) if largest else 0.0
    return rows


def breakdowns(page, previous=None):
    """Every breakdown of `page` (a report or a year's figures) that has at least one value,
    ready to chart and tabulate."""
    result = []
    for slug, title, unit, _total, fields in BREAKDOWNS:
        rows = [
            Figure(
                label=label,
                value=getattr(page, name),
                previous=getattr(previous, name) if previous else None,
                unit=unit,
            )
            for name, label in fields
        ]
        if all(row.value is None for row in rows):
            continue
        total = sum(row.value or 0 for row in rows)
        result.append(Breakdown(slug, title, unit, _finish(rows, total)))

    authorities = authority_pairs(page)
    if authorities:
        previous_hours = dict(authority_pairs(previous)) if previous else {}
        rows = [
            Figure(authority, hours, previous_hours.get(authority), "h")
            for authority, hours in authorities
        ]
        total = sum(row.value for row in rows)
        result.append(
            Breakdown("authority", _("Heures par donneur d'ordre"), "h", _finish(rows, total))
        )
    return result


def inconsistencies(page):
    """Field errors when a breakdown adds up to more than the total it splits."""
    errors = {}
    for _slug, title, _unit, total_field, fields in BREAKDOWNS:
        total = getattr(page, total_field)
        parts = [getattr(page, name) for name, _label in fields]
        if total is None or all(part is None for part in parts):
            continue
        if sum(part or 0 for part in parts) > total:
            errors[fields[0][0]] = _(
                "« %(title)s » totalise %(sum)s, plus que le total saisi (%(total)s)."
            ) % {"title": title, "sum": sum(part or 0 for part in parts), "total": total}
    return errors


def _year_heading(year, figures):
    if figures is not None and is_provisional(figures):
        return str(_("%(year)s (provisoire)") % {"year": year})
    return str(year)


def write_csv(year, figures, previous, stream):
    """Write a year's national figures as CSV rows: section, indicator, value, previous
    year, change; a provisional year says so in its column's heading."""
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(
        [
            str(_("Rubrique")),
            str(_("Indicateur")),
            _year_heading(year, figures),
            _year_heading(year - 1, previous),
            str(_("Évolution (%)")),
        ]
    )

    def row(section, figure):
        change = figure.change
        writer.writerow(
            [
                section,
                str(figure.label),
                "" if figure.value is None else figure.value,
                "" if figure.previous is None else figure.previous,
                "" if change is None else number_format(change, 1),
            ]
        )

    for figure in key_figures(figures, previous):
        row(str(_("Chiffres clés")), figure)
    for breakdown in breakdowns(figures, previous):
        for figure in breakdown.rows:
            row(str(breakdown.title), figure)
