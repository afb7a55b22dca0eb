"""The XLSX template of a structure's yearly report, and reading it back.

The portal generates one workbook per structure and year (`template_workbook`); the structure
fills it and uploads it (`read_upload`). Reading is bounded (size, rows, columns) and streams
the sheets (openpyxl read-only mode). Every cell is checked first; the report is written only
when no cell has an error (`apply_upload`), else the errors list sheet, cell and message and
nothing changes — like the directory import (`directory.transfer`).
"""

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from directory.models import Territory
from observatory import consolidation
from observatory.models import ReportAuthorityHours, ReportDepartementSplit, StructureReport
from portal import results as results_rules

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 300
MAX_COLUMNS = 10
FIRST_ROW = 6  # indicators start here, below the identification block and the headers

SHEET_REPORT = "Bilan"
SHEET_AUTHORITIES = "Donneurs d'ordre"
SHEET_SPLIT = "Départements"


class UnreadableFile(Exception):
    """The upload is not an XLSX file of this template."""


@dataclass
class CellError:
    sheet: str
    cell: str
    message: str


@dataclass
class Upload:
    """What a filled template holds, and what is wrong with it."""

    figures: dict = field(default_factory=dict)
    authorities: list = field(default_factory=list)  # [(name, hours)]
    split: list = field(default_factory=list)  # [(département, hours, people)]
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def labels():
    """{field: label} of every indicator, in the template's order."""
    result = {name: str(label) for name, label, _unit in results_rules.KEY_FIGURES}
    for _slug, title, _unit, _total, rows in results_rules.BREAKDOWNS:
        for name, label in rows:
            result[name] = f"{title} — {label}"
    return result


def template_workbook(structure, year, report=None):
    """The workbook to fill for `structure` and `year` (bytes), prefilled from `report`."""
    book = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    sheet = book.active
    sheet.title = SHEET_REPORT
    sheet["A1"], sheet["B1"] = _("Structure"), structure.name
    sheet["A2"], sheet["B2"] = _("Année"), year
    sheet["A3"], sheet["B3"] = _("Identifiant (ne pas modifier)"), structure.slug
    for column, header in enumerate((_("Code"), _("Indicateur"), _("Valeur")), start=1):
        sheet.cell(row=FIRST_ROW - 1, column=column, value=header).font = bold
    for row, (name, label) in enumerate(labels().items(), start=FIRST_ROW):
        sheet.cell(row=row, column=1, value=name)
        sheet.cell(row=row, column=2, value=label)
        cell = sheet.cell(row=row, column=3, value=getattr(report, name) if report else None)
        cell.fill = fill
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 14

    authorities = book.create_sheet(SHEET_AUTHORITIES)
    authorities.append([_("Donneur d'ordre"), _("Heures")])
    for row in report.authority_hours.all() if report else []:
        authorities.append([row.authority, row.hours])
    authorities.column_dimensions["A"].width = 50

    split = book.create_sheet(SHEET_SPLIT)
    split.append([_("Code du département"), _("Heures"), _("Personnes")])
    for row in report.departement_split.all() if report else []:
        split.append([row.departement.code, row.hours, row.people])
    for letter in "ABC":
        split.column_dimensions[letter].width = 22
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _count(value):
    """(integer or None, error message or None) for one cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("Un nombre entier est attendu.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if not text.isdigit():
            return None, _("« %(value)s » n'est pas un nombre entier positif.") % {
                "value": value[:40]
            }
        value = int(text)
    if not isinstance(value, int):
        return None, _("Un nombre entier est attendu.")
    if value < 0:
        return None, _("Un nombre ne peut pas être négatif.")
    if value > 100_000_000:
        return None, _("Ce nombre est trop grand.")
    return value, None


def _rows(book, name, errors):
    """The rows of one sheet as (row number, values), bounded; a missing sheet is an error."""
    if name not in book.sheetnames:
        errors.append(CellError(name, "—", _("Cette feuille manque.")))
        return []
    rows = []
    for number, values in enumerate(
        book[name].iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 1, values_only=True),
        start=1,
    ):
        if number > MAX_ROWS:
            errors.append(
                CellError(name, "—", _("Au plus %(max)s lignes par feuille.") % {"max": MAX_ROWS})
            )
            break
        rows.append((number, list(values) + [None] * (MAX_COLUMNS - len(values))))
    return rows


def read_upload(upload, structure, year):
    """Read a filled template for `structure` and `year`: an Upload with its values or the
    errors of every bad cell. Raises UnreadableFile when it is no XLSX file at all."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("Le fichier dépasse 2 Mo."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on bad files
        raise UnreadableFile(_("Ce fichier XLSX ne peut pas être lu.")) from error
    result = Upload()
    errors = result.errors
    try:
        report_rows = _rows(book, SHEET_REPORT, errors)
        known = labels()
        by_number = dict(report_rows)
        identity = by_number.get(3, [None, None])[1]
        if report_rows and str(identity or "").strip() != structure.slug:
            errors.append(
                CellError(
                    SHEET_REPORT,
                    "B3",
                    _("Ce modèle est celui d'une autre structure (%(found)s).")
                    % {"found": str(identity or "")[:60]},
                )
            )
        found_year, _message = _count(by_number.get(2, [None, None])[1])
        if report_rows and found_year != year:
            errors.append(
                CellError(
                    SHEET_REPORT,
                    "B2",
                    _("Ce modèle est celui de l'année %(found)s, pas %(year)s.")
                    % {"found": found_year, "year": year},
                )
            )
        for number, values in report_rows:
            if number < FIRST_ROW or not any(v is not None for v in values[:3]):
                continue
            code = str(values[0] or "").strip()
            if code not in known:
                errors.append(
                    CellError(
                        SHEET_REPORT,
                        f"A{number}",
                        _("Code d'indicateur inconnu : « %(code)s ».") % {"code": code[:40]},
                    )
                )
                continue
            value, message = _count(values[2])
            if message:
                errors.append(CellError(SHEET_REPORT, f"C{number}", message))
            else:
                result.figures[code] = value

        for number, values in _rows(book, SHEET_AUTHORITIES, errors)[1:]:
            name, hours = str(values[0] or "").strip(), values[1]
            if not name and hours is None:
                continue
            if not name:
                errors.append(CellError(SHEET_AUTHORITIES, f"A{number}", _("Nom manquant.")))
                continue
            value, message = _count(hours)
            if message or value is None:
                errors.append(
                    CellError(SHEET_AUTHORITIES, f"B{number}", message or _("Heures manquantes."))
                )
                continue
            result.authorities.append((name[:200], value))

        departements = {t.code: t for t in Territory.objects.of_kind(Territory.Kind.DEPARTEMENT)}
        for number, values in _rows(book, SHEET_SPLIT, errors)[1:]:
            if all(v is None or str(v).strip() == "" for v in values[:3]):
                continue
            code = str(values[0] or "").strip().upper()
            if code.isdigit() and len(code) == 1:
                code = "0" + code
            departement = departements.get(code)
            if departement is None:
                errors.append(
                    CellError(
                        SHEET_SPLIT,
                        f"A{number}",
                        _("Département inconnu : « %(code)s ».") % {"code": code[:10]},
                    )
                )
            hours, message = _count(values[1])
            if message or hours is None:
                errors.append(
                    CellError(SHEET_SPLIT, f"B{number}", message or _("Heures manquantes."))
                )
            people, people_message = _count(values[2])
            if people_message:
                errors.append(CellError(SHEET_SPLIT, f"C{number}", people_message))
            if departement and hours is not None and not message and not people_message:
                result.split.append((departement, hours, people))
    finally:
        book.close()

    if not errors:
        _check_totals(result, by_number)
    return result


def _check_totals(result, by_number):
    """Breakdowns above their totals and a split that does not add up are errors too."""
    rows = {str(values[0] or "").strip(): number for number, values in by_number.items()}
    report = StructureReport(**result.figures)
    for name, message in results_rules.inconsistencies(report).items():
        result.errors.append(CellError(SHEET_REPORT, f"C{rows.get(name, '?')}", str(message)))
    split = [ReportDepartementSplit(departement=d, hours=h, people=p) for d, h, p in result.split]
    for message in consolidation.split_errors(report, split):
        result.errors.append(CellError(SHEET_SPLIT, "B2", message))


@transaction.atomic
def apply_upload(upload, structure, year):
    """Write a checked Upload into the structure's report for `year` (created if needed), as a
    draft; returns the report."""
    report, _created = StructureReport.objects.get_or_create(structure=structure, year=year)
    for name in labels():
        setattr(report, name, upload.figures.get(name))
    report.status = StructureReport.Status.DRAFT
    report.validated_at = report.validated_by = None
    report.save()
    report.authority_hours.all().delete()
    ReportAuthorityHours.objects.bulk_create(
        ReportAuthorityHours(report=report, authority=name, hours=hours, sort_order=index)
        for index, (name, hours) in enumerate(upload.authorities)
    )
    report.departement_split.all().delete()
    ReportDepartementSplit.objects.bulk_create(
        ReportDepartementSplit(
            report=report, departement=departement, hours=hours, people=people, sort_order=i
        )
        for i, (departement, hours, people) in enumerate(upload.split)
    )
    return report
