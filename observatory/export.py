"""The open data of the results: one long CSV format for every results page (structure,
département, région, nation), the JSON of the API, and the Table Schema describing the CSV.

One row per figure: year, level, territory or structure code and name, section, indicator
code, label, value, and whether the year is provisional (not published yet,
`observatory.consolidation.is_published`). Semicolon separated, UTF-8 with BOM; cells that a
spreadsheet would take for a formula (starting with = + - @) are neutralised with a leading
apostrophe."""

import csv

from django.utils.translation import gettext as _

from portal import results as results_rules

COLUMNS = [
    "annee",
    "niveau",
    "code",
    "nom",
    "rubrique",
    "indicateur",
    "libelle",
    "valeur",
    "provisoire",
]
LEVELS = ["structure", "departement", "region", "national"]
AUTHORITY_HOURS = "authority_hours"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sections():
    """{indicator field: (section code, label)} in display order."""
    result = {name: ("key", str(label)) for name, label, _unit in results_rules.KEY_FIGURES}
    for slug, _title, _unit, _total, rows in results_rules.BREAKDOWNS:
        for name, label in rows:
            result[name] = (slug, str(label))
    return result


def authority_rows(source):
    """[(authority, hours)] of a report or a Consolidated, largest first."""
    return results_rules.authority_pairs(source)


def rows(year, level, code, name, source, provisional=False):
    """The CSV rows (dicts keyed by COLUMNS) of one year's figures of `source` (a validated
    report or a Consolidated); figures left empty are left out; `provisional` says the year
    is not published yet."""
    result = []
    for field, (section, label) in sections().items():
        value = getattr(source, field)
        if value is None:
            continue
        values = [year, level, code, name, section, field, label, value, provisional]
        result.append(dict(zip(COLUMNS, values, strict=True)))
    for authority, hours in authority_rows(source):
        values = [year, level, code, name, "authority", AUTHORITY_HOURS, authority, hours]
        result.append(dict(zip(COLUMNS, [*values, provisional], strict=True)))
    return result


def cell(value):
    """A CSV cell: booleans as the Table Schema reads them, formulas neutralised."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


def write_csv(stream, all_rows):
    """Write the BOM, the header and the rows to `stream` (a response or a text file)."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in all_rows:
        writer.writerow([cell(row[column]) for column in COLUMNS])


def schema():
    """The Table Schema (frictionless) of the results CSV files."""
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "resultats-clauses-sociales",
        "title": _("Résultats des clauses sociales d'insertion"),
        "description": _(
            "Une ligne par chiffre : bilans validés des structures, et leurs sommes par "
            "département, par région et au niveau national. Séparateur point-virgule, UTF-8."
        ),
        "fields": [
            {
                "name": "annee",
                "type": "integer",
                "title": _("Année"),
                "constraints": {"required": True, "minimum": 2000, "maximum": 2100},
            },
            {
                "name": "niveau",
                "type": "string",
                "title": _("Niveau"),
                "constraints": {"required": True, "enum": LEVELS},
            },
            {
                "name": "code",
                "type": "string",
                "title": _("Code"),
                "description": _(
                    "Code INSEE du département ou de la région, identifiant de la "
                    "structure ; vide au niveau national."
                ),
            },
            {"name": "nom", "type": "string", "title": _("Nom du territoire ou de la structure")},
            {
                "name": "rubrique",
                "type": "string",
                "title": _("Rubrique"),
                "constraints": {
                    "required": True,
                    "enum": ["key", "public", "sex", "age", "sector", "outcome", "authority"],
                },
            },
            {
                "name": "indicateur",
                "type": "string",
                "title": _("Code de l'indicateur"),
                "constraints": {"required": True, "enum": list(sections()) + [AUTHORITY_HOURS]},
            },
            {
                "name": "libelle",
                "type": "string",
                "title": _("Libellé"),
                "constraints": {"required": True},
            },
            {
                "name": "valeur",
                "type": "integer",
                "title": _("Valeur"),
                "constraints": {"required": True, "minimum": 0},
            },
            {
                "name": "provisoire",
                "type": "boolean",
                "title": _("Provisoire"),
                "description": _(
                    "true : les chiffres de l'année ne sont pas encore publiés (tous les "
                    "bilans ne sont pas validés) et vont encore changer."
                ),
                "constraints": {"required": True},
            },
        ],
        "missingValues": [""],
    }
