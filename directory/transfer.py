"""Import and export of the directory (CSV, XLSX, GeoJSON).

Import is all or nothing: every row is validated first, and the file is applied only when no
row has an error; otherwise the report lists each bad row and why, and nothing is written.

Columns (French headers, same for import and export):
  structure, type_structure, prenom, nom, fonction, email, telephone, secteurs,
  couverture   territory codes separated by spaces, commas or semicolons: commune INSEE code
               (13004), EPCI SIREN (241300417), département (13, 2A, 971), région as R93;
  chef_de_file "oui" to be lead on every covered territory, "non"/empty, or a list of codes;
  publie       (export only) whether the record is published.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import outlines
from directory.models import Facilitator, LeadDesignation, Structure, Territory
from portal.spreadsheets import unescape_cell, write_csv, xlsx_bytes
from portal.validators import control_character, validate_sendable_email

COLUMNS = [
    "structure",
    "type_structure",
    "prenom",
    "nom",
    "fonction",
    "email",
    "telephone",
    "secteurs",
    "couverture",
    "chef_de_file",
]
REQUIRED = ["structure", "prenom", "nom", "email"]
PHONE = re.compile(r"^(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}$")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 2 * MAX_ROWS  # blank ones included
MAX_COLUMNS = 30
MAX_CELL_CHARS = 5000
MAX_XLSX_UNPACKED = 40 * 2**20
MAX_SHEET_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS
MAX_SHARED_STRINGS = 8 * MAX_ROWS  # entries: openpyxl parses some 30,000 a second


class UnreadableFile(Exception):
    """The upload is not a CSV or XLSX file this importer can read."""


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self):
        return not self.errors


def read_rows(upload):
    """The rows of an uploaded CSV (UTF-8, ; or , separated) or XLSX file as dicts with
    lower-case headers; raises UnreadableFile with a message a person understands.

    Bounded before anything big is built: at most MAX_BYTES read, an XLSX whose members
    would unpack to more than MAX_XLSX_UNPACKED (or whose shared-strings table exceeds
    MAX_SHARED_STRINGS) is refused unopened, rows are streamed and reading stops at
    MAX_ROWS, MAX_COLUMNS or a cell over MAX_CELL_CHARS; every parser error becomes a
    message."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("Le fichier dépasse 5 Mo."))
    if name.endswith(".xlsx"):
        rows, fmt = _xlsx_rows(data), "xlsx"
    elif name.endswith(".csv"):
        rows, fmt = _csv_rows(data), "csv"
    else:
        raise UnreadableFile(_("Envoyez un fichier .csv ou .xlsx."))
    values = _bounded(rows, fmt)
    if not values:
        raise UnreadableFile(_("Le fichier est vide."))
    headers = [header.strip().lower() for header in values[0]]
    missing = [column for column in REQUIRED + ["couverture"] if column not in headers]
    if missing:
        raise UnreadableFile(
            _("Colonnes manquantes : %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return [
        dict(zip(headers, row + [""] * (len(headers) - len(row)), strict=False))
        for row in values[1:]
    ]


def _bounded(rows, fmt):
    """The non-empty rows of `rows` as lists of stripped texts (the apostrophe an export
    put before a formula start taken off), refusing the file past a limit."""
    values = []
    line = 0
    row_start = 1  # where the row being read starts (a quoted cell may span lines)
    try:
        for line, row in enumerate(rows, start=1):
            row_start = getattr(rows, "line_num", line) + 1  # for the next row
            if line > MAX_LINES:  # blank rows count too: a sheet may pad a far row with them
                raise UnreadableFile(_("Au plus %(max)s lignes par fichier.") % {"max": MAX_ROWS})
            cells = [unescape_cell("" if cell is None else str(cell).strip()) for cell in row]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            if len(cells) > MAX_COLUMNS:
                raise UnreadableFile(
                    _("Ligne %(line)s : plus de %(max)s colonnes.")
                    % {"line": line, "max": MAX_COLUMNS}
                )
            for column, cell in enumerate(cells, start=1):
                if len(cell) > MAX_CELL_CHARS:
                    raise UnreadableFile(
                        _("Ligne %(line)s, colonne %(column)s : plus de %(max)s caractères.")
                        % {"line": line, "column": column, "max": MAX_CELL_CHARS}
                    )
            values.append(cells)
            if len(values) > MAX_ROWS + 1:  # the header, then the rows
                raise UnreadableFile(_("Au plus %(max)s lignes par fichier.") % {"max": MAX_ROWS})
    except UnreadableFile:
        raise
    except csv.Error as error:
        raise UnreadableFile(
            _("Ligne %(line)s illisible (guillemet non fermé ou mal placé ?) : %(error)s")
            % {"line": row_start, "error": error}
        ) from error
    except Exception as error:  # openpyxl and its XML/zip parsers raise many kinds of errors
        message = _("Ce fichier XLSX ne peut pas être lu.") if fmt == "xlsx" else str(error)
        raise UnreadableFile(message) from error
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()
    return values


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("Le fichier CSV doit être encodé en UTF-8 (octet invalide à la position %(at)s).")
            % {"at": error.start}
        ) from error
    delimiter = ";" if text.split("\n", 1)[0].count(";") >= 1 else ","
    # Strict: a quote left open would otherwise swallow the rest of the file into one cell.
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def _more_than(archive, member, pattern, limit, chunk=2**20):
    """Whether `pattern` (which starts with "<") occurs more than `limit` times in a zip
    member; read by chunks cut before a "<" (no match straddles two), stops at the limit."""
    count, rest = 0, b""
    try:
        with archive.open(member) as stream:
            while block := stream.read(chunk):
                block = rest + block
                cut = block.rfind(b"<")
                if cut <= 0:
                    rest = block[-64:]
                    continue
                count += sum(1 for _match in pattern.finditer(block, 0, cut))
                if count > limit:
                    return True
                rest = block[cut:]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise UnreadableFile(_("Ce fichier XLSX ne peut pas être lu.")) from error
    return count + sum(1 for _match in pattern.finditer(rest)) > limit


def _xlsx_rows(data):
    """The rows of the first sheet, streamed (read-only mode), never more columns than
    MAX_COLUMNS + 1 and whatever size the file claims for its sheet."""
    from openpyxl import load_workbook

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableFile(_("Ce fichier XLSX ne peut pas être lu.")) from error
    # The sizes in the zip directory bound what unpacking can produce (zipfile stops there).
    if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED:
        raise UnreadableFile(
            _("Ce fichier XLSX décompressé dépasse %(max)s Mo.")
            % {"max": MAX_XLSX_UNPACKED // 2**20}
        )
    # openpyxl builds a whole row, and the whole shared-strings table, before handing them
    # over: count cells and strings first (a fast scan of the XML bytes).
    archive = zipfile.ZipFile(io.BytesIO(data))
    for member in members:
        name = member.filename.lower()
        if name.endswith("sharedstrings.xml") and _more_than(
            archive, member, SHARED_STRING, MAX_SHARED_STRINGS
        ):
            raise UnreadableFile(
                _("La table des textes de ce fichier XLSX dépasse %(max)s entrées.")
                % {"max": MAX_SHARED_STRINGS}
            )
        if (
            name.startswith("xl/worksheets/")
            and name.endswith(".xml")
            and _more_than(archive, member, CELL, MAX_SHEET_CELLS)
        ):
            raise UnreadableFile(
                _("Une feuille de ce fichier XLSX dépasse %(max)s cellules.")
                % {"max": MAX_SHEET_CELLS}
            )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.active
        sheet.reset_dimensions()  # the dimension the file claims is not trusted
    except Exception as error:  # openpyxl raises many kinds of errors on bad files
        raise UnreadableFile(_("Ce fichier XLSX ne peut pas être lu.")) from error

    def rows():
        try:
            yield from sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1, values_only=True)
        finally:
            book.close()

    return rows()


def _split_codes(text):
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def resolve_code(code):
    """The territory for a code of the import format, or None."""
    code = code.strip().upper()
    if re.fullmatch(r"R\d{2}", code):
        return Territory.objects.filter(kind=Territory.Kind.REGION, code=code[1:]).first()
    if re.fullmatch(r"\d{9}", code):
        return Territory.objects.filter(kind=Territory.Kind.EPCI, code=code).first()
    if re.fullmatch(r"\d{2,3}|2[AB]", code):
        return Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT, code=code).first()
    return Territory.objects.by_code(code)


def max_lengths():
    """The longest value each column may hold: the model's own field lengths."""
    field = Facilitator._meta.get_field
    return {
        "structure": Structure._meta.get_field("name").max_length,
        "prenom": field("first_name").max_length,
        "nom": field("last_name").max_length,
        "fonction": field("job_title").max_length,
        "email": field("email").max_length,
        "telephone": field("phone").max_length,
        "secteurs": field("sectors").max_length,
    }


def validate(rows):
    """Check every row; returns (errors, cleaned rows)."""
    errors, cleaned = [], []
    resolved = {}  # a code usually repeats across rows: one query per distinct code

    def resolve(code):
        key = code.strip().upper()
        if key not in resolved:
            resolved[key] = resolve_code(key)
        return resolved[key]

    structures = {s.name.lower(): s for s in Structure.objects.all()}
    kinds = {value for value, _label in Structure.Kind.choices}
    seen_emails, seen_people = {}, {}
    lengths = max_lengths()
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        row_errors = []
        for column, value in row.items():
            if control_character(value) is not None:
                row_errors.append(
                    RowError(line, column, _("Caractère invisible ou de contrôle non autorisé."))
                )
            elif column in lengths and len(value) > lengths[column]:
                row_errors.append(
                    RowError(
                        line,
                        column,
                        _("Au plus %(max)s caractères (ici %(length)s).")
                        % {"max": lengths[column], "length": len(value)},
                    )
                )
        if row_errors:  # the other checks would only repeat these
            errors += row_errors
            continue
        for column in REQUIRED:
            if not row.get(column):
                row_errors.append(RowError(line, column, _("Valeur obligatoire manquante.")))
        email = row.get("email", "").lower()
        if email:
            try:
                validate_email(email)
                validate_sendable_email(email)
            except ValidationError:
                row_errors.append(RowError(line, "email", _("Adresse e-mail invalide.")))
            if email in seen_emails:
                row_errors.append(
                    RowError(
                        line,
                        "email",
                        _("Même e-mail qu'à la ligne %(line)s.") % {"line": seen_emails[email]},
                    )
                )
            seen_emails.setdefault(email, line)
        person = (
            row.get("prenom", "").lower(),
            row.get("nom", "").lower(),
            row.get("structure", "").lower(),
        )
        if all(person):
            if person in seen_people:
                row_errors.append(
                    RowError(
                        line,
                        "nom",
                        _("Personne en double (déjà à la ligne %(line)s).")
                        % {"line": seen_people[person]},
                    )
                )
            seen_people.setdefault(person, line)
        phone = row.get("telephone", "")
        if phone and not PHONE.match(phone):
            row_errors.append(
                RowError(
                    line, "telephone", _("Numéro de téléphone invalide (ex. : 01 23 45 67 89).")
                )
            )
        structure_name = row.get("structure", "")
        structure_kind = row.get("type_structure", "").lower()
        if structure_name and structure_name.lower() not in structures:
            if not structure_kind:
                row_errors.append(
                    RowError(
                        line,
                        "structure",
                        _("Structure inconnue : indiquez son type (type_structure) pour la créer."),
                    )
                )
            elif structure_kind not in kinds:
                row_errors.append(
                    RowError(
                        line,
                        "type_structure",
                        _("Type inconnu ; types possibles : %(kinds)s.")
                        % {"kinds": ", ".join(sorted(kinds))},
                    )
                )
            else:
                # Created by this row: the next rows may name it without its type.
                structures[structure_name.lower()] = None
        territories = []
        for code in _split_codes(row.get("couverture", "")):
            territory = resolve(code)
            if territory is None:
                row_errors.append(
                    RowError(
                        line,
                        "couverture",
                        _("Code de territoire inconnu : %(code)s.") % {"code": code},
                    )
                )
            else:
                territories.append(territory)
        lead_value = row.get("chef_de_file", "").strip().lower()
        if lead_value in ("oui", "yes", "x", "1"):
            leads = list(territories)
        elif lead_value in ("", "non", "no", "0"):
            leads = []
        else:
            leads = []
            covered = {t.pk for t in territories}
            for code in _split_codes(lead_value):
                territory = resolve(code)
                if territory is None or territory.pk not in covered:
                    row_errors.append(
                        RowError(
                            line,
                            "chef_de_file",
                            _("%(code)s n'est pas dans la couverture de cette personne.")
                            % {"code": code},
                        )
                    )
                else:
                    leads.append(territory)
        errors += row_errors
        if not row_errors:
            cleaned.append(
                {
                    **row,
                    "email": email,
                    "territories": territories,
                    "leads": leads,
                    "structure_kind": structure_kind,
                }
            )
    return errors, cleaned


def import_directory(upload, designated_by, user=None):
    """Validate the whole upload, then apply it in one transaction, or not at all."""
    result = ImportResult()
    try:
        rows = read_rows(upload)
    except UnreadableFile as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    result.rows = len(rows)
    result.errors, cleaned = validate(rows)
    if result.errors:
        return result
    with transaction.atomic():
        for row in cleaned:
            structure, _created = Structure.objects.get_or_create(
                name__iexact=row["structure"],
                defaults={"name": row["structure"], "kind": row["structure_kind"] or "other"},
            )
            facilitator = Facilitator.objects.filter(email__iexact=row["email"]).first()
            if facilitator is None:
                facilitator = Facilitator(email=row["email"])
                result.created += 1
            else:
                result.updated += 1
            facilitator.first_name = row["prenom"]
            facilitator.last_name = row["nom"]
            facilitator.job_title = row.get("fonction", "")
            facilitator.phone = row.get("telephone", "")
            facilitator.sectors = row.get("secteurs", "")
            facilitator.structure = structure
            facilitator.last_verified = timezone.localdate()
            facilitator.save()
            facilitator.coverage.set(row["territories"])
            facilitator.save_revision(user=user, log_action=True).publish(user=user)
            LeadDesignation.objects.filter(facilitator=facilitator).exclude(
                territory__in=row["leads"]
            ).delete()
            for territory in row["leads"]:
                LeadDesignation.objects.get_or_create(
                    territory=territory,
                    facilitator=facilitator,
                    defaults={"designated_by": designated_by},
                )
    return result


def export_rows(queryset=None):
    """The directory as rows of the import format (plus "publie"), header first."""
    facilitators = (queryset if queryset is not None else Facilitator.objects.all()).select_related(
        "structure"
    )
    facilitators = facilitators.prefetch_related("coverage", "lead_designations__territory")
    yield COLUMNS + ["publie"]
    for facilitator in facilitators.order_by("structure__name", "last_name"):
        coverage = [export_code(t) for t in facilitator.coverage.all()]
        leads = {d.territory_id for d in facilitator.lead_designations.all()}
        covered = {t.pk for t in facilitator.coverage.all()}
        if covered and leads >= covered:
            lead = "oui"
        else:
            lead = " ".join(export_code(d.territory) for d in facilitator.lead_designations.all())
        yield [
            facilitator.structure.name,
            facilitator.structure.kind,
            facilitator.first_name,
            facilitator.last_name,
            facilitator.job_title,
            facilitator.email,
            facilitator.phone,
            facilitator.sectors,
            " ".join(coverage),
            lead or "non",
            "oui" if facilitator.live else "non",
        ]


def export_code(territory):
    return f"R{territory.code}" if territory.kind == Territory.Kind.REGION else territory.code


def export_csv(stream, queryset=None):
    """The directory as CSV (";"-separated), safe to open in a spreadsheet."""
    write_csv(stream, export_rows(queryset))


def export_xlsx(queryset=None):
    """The directory as XLSX: text cells only, safe to open."""
    return xlsx_bytes(export_rows(queryset), title="Annuaire")


def export_geojson(queryset=None):
    """One feature per (published facilitator, covered territory), with the outline (valid,
    `directory.outlines.servable`)."""
    facilitators = (
        queryset if queryset is not None else Facilitator.objects.published()
    ).select_related("structure")
    features = []
    with_outlines = Prefetch("coverage", queryset=Territory.objects.with_outline())
    for facilitator in facilitators.prefetch_related(with_outlines):
        for territory in facilitator.coverage.all():
            features.append(
                {
                    "type": "Feature",
                    "geometry": outlines.servable(territory.outline),
                    "properties": {
                        "facilitator_id": facilitator.pk,
                        "facilitator": facilitator.full_name,
                        "structure": facilitator.structure.name,
                        "email": facilitator.email,
                        "phone": facilitator.phone,
                        "territory_kind": territory.kind,
                        "territory_code": territory.code,
                        "territory_name": territory.name,
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "licence": "Licence Ouverte / Open Licence 2.0",
        "features": features,
    }
