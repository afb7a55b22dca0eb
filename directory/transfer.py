"""Import and export of the directory (CSV, XLSX, GeoJSON).

Import is previewed, then all or nothing: every row is validated first (a bad file gets the
list of each bad row and why, and nothing is kept); a sound one gets a preview
(`plan_import`: each row created, updated with its old and new values, unchanged, or skipped
because its record holds a pending change; the rows outside the user's territory refused; the
records the file leaves out listed, and kept). The file waits server-side (`stash`) until the
user applies it (`apply_file`), in one transaction, and only if the directory would still
change exactly as previewed. A row that changes nothing writes nothing: the export imported
back is a no-op (no revision, no version change).

Columns (French headers, same for import and export):
  structure, type_structure, prenom, nom, fonction, email, telephone, secteurs,
  couverture   territory codes separated by spaces, commas or semicolons: commune INSEE code
               (13004), EPCI SIREN (241300417), département (13, 2A, 971), région as R93;
  chef_de_file "oui" to be lead on every covered territory, "non"/empty, or a list of codes:
               each must be covered by the person's coverage (`directory.designations`),
               except a designation the person already holds (kept, with a warning);
  chef_de_file_details  optional: the dates and reference of the designations, one entry per
               code of chef_de_file, separated by " | ":
               "241300417 du 2026-03-01 au 2027-02-28 : Délibération 2026-045" (the end
               date and the reference are optional); a code without entry keeps the dates
               and reference it has, or starts today;
  derniere_verification  the date the details were last confirmed (2026-03-31 or 31/03/2026);
               empty or absent: a known record keeps its date, a new one gets today's;
  publie       "oui" or "non": whether the public sees the record; empty or absent: a known
               record keeps its state, a new one is published.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory import designations as designation_rules
from directory import outlines
from directory.models import (
    ContractingAuthority,
    Facilitator,
    FacilitatorTerritory,
    LeadDesignation,
    Structure,
    Territory,
)
from directory.scope import EVERYTHING, scope_for
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
# Written by the export, read back by the import: the dates and references of the
# designations, what the public sees, and since when the details are known to be right.
# Optional columns: a file without them keeps what is known.
DETAILS_COLUMN = "chef_de_file_details"
STATE_COLUMNS = ["derniere_verification", "publie"]
EXPORT_COLUMNS = [*COLUMNS, DETAILS_COLUMN, *STATE_COLUMNS]
REQUIRED = ["structure", "prenom", "nom", "email"]
YES = ("oui", "yes", "x", "1")
NO = ("non", "no", "0")
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
    held = held_designations(row.get("email", "") for row in rows)
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
        leads, legacy = [], []
        if lead_value in YES:
            leads = list(territories)
        elif lead_value not in ("", *NO):
            coverage_ids = [t.pk for t in territories]
            person = f"{row.get('prenom', '')} {row.get('nom', '')}".strip()
            for code in _split_codes(lead_value):
                territory = resolve(code)
                if territory is None:
                    row_errors.append(
                        RowError(
                            line,
                            "chef_de_file",
                            _("Code de territoire inconnu : %(code)s.") % {"code": code},
                        )
                    )
                    continue
                if territory in leads:
                    continue
                refusal = designation_rules.territorial_refusal(
                    None, territory, coverage_ids, name=person
                )
                if refusal and (email, territory.pk) in held:
                    legacy.append(territory)  # already designated: kept as it is
                elif refusal:
                    row_errors.append(RowError(line, "chef_de_file", refusal))
                    continue
                leads.append(territory)
        details = {}
        for error, found in _read_details(row.get(DETAILS_COLUMN, ""), resolve):
            if error:
                row_errors.append(RowError(line, DETAILS_COLUMN, error))
            elif found[0] not in leads:
                row_errors.append(
                    RowError(
                        line,
                        DETAILS_COLUMN,
                        _("%(code)s n'est pas dans la colonne chef_de_file de cette ligne.")
                        % {"code": export_code(found[0])},
                    )
                )
            else:
                details[found[0].pk] = found[1:]
        published = None  # absent or empty: a new record is published, a known one keeps its state
        flag = row.get("publie", "").strip().lower()
        if flag in YES:
            published = True
        elif flag in NO:
            published = False
        elif flag:
            row_errors.append(RowError(line, "publie", _("Indiquez oui ou non.")))
        verified = None  # absent or empty: a known record keeps its date, a new one gets today
        if row.get("derniere_verification", ""):
            verified = parse_day(row["derniere_verification"])
            if verified is None:
                row_errors.append(
                    RowError(
                        line,
                        "derniere_verification",
                        _("Date invalide : écrivez-la AAAA-MM-JJ ou JJ/MM/AAAA."),
                    )
                )
            elif verified > timezone.localdate():
                row_errors.append(
                    RowError(line, "derniere_verification", _("Cette date est dans le futur."))
                )
                verified = None
        errors += row_errors
        if not row_errors:
            cleaned.append(
                {
                    **row,
                    "line": line,
                    "email": email,
                    "territories": territories,
                    "leads": leads,
                    "legacy": legacy,
                    "details": details,
                    "structure_kind": structure_kind,
                    "published": published,
                    "verified": verified,
                }
            )
    return errors, cleaned


def parse_day(text):
    """A date written the way the export writes it (2026-03-31), the French way (31/03/2026)
    or as a spreadsheet's date cell reads (2026-03-31 00:00:00); None otherwise."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(?::00)?", text):
        text = text[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def held_designations(emails):
    """{(e-mail in lower case, territory id): designation} of the designations held by the
    records with these e-mails."""
    emails = {email.strip().lower() for email in emails if email}
    if not emails:
        return {}
    found = (
        LeadDesignation.objects.annotate(email_key=Lower("facilitator__email"))
        .filter(email_key__in=emails)
        .select_related("territory")
    )
    return {(d.email_key, d.territory_id): d for d in found}


DETAIL = re.compile(
    r"^(?P<code>\S+)\s+du\s+(?P<start>\S+)(?:\s+au\s+(?P<end>\S+))?(?:\s*:\s*(?P<ref>.*))?$",
    re.IGNORECASE,
)
# Entries are separated by "|" before the next "CODE du <date>" (a reference may hold a "|").
DETAIL_SEPARATOR = re.compile(r"\s*\|\s*(?=\S+\s+du\s+\d)", re.IGNORECASE)


def _read_details(text, resolve):
    """The entries of a `chef_de_file_details` cell: (error, None) or (None, (territory,
    start, end, reference)) each."""
    text = (text or "").strip()
    if not text:
        return
    reference_length = LeadDesignation._meta.get_field("reference").max_length
    for entry in DETAIL_SEPARATOR.split(text):
        match = DETAIL.match(entry.strip())
        if match is None:
            yield (
                _(
                    "« %(entry)s » : écrivez « CODE du AAAA-MM-JJ », suivi si besoin de "
                    "« au AAAA-MM-JJ » et de « : référence »."
                )
                % {"entry": entry.strip()},
                None,
            )
            continue
        territory = resolve(match["code"])
        start = parse_day(match["start"])
        end = parse_day(match["end"]) if match["end"] else None
        reference = (match["ref"] or "").strip()
        if territory is None:
            error = _("Code de territoire inconnu : %(code)s.") % {"code": match["code"]}
        elif start is None or (match["end"] and end is None):
            error = _("Date invalide : écrivez-la AAAA-MM-JJ ou JJ/MM/AAAA.")
        elif end is not None and end <= start:
            error = _("%(code)s : la date de fin doit être postérieure à la date de début.") % {
                "code": match["code"]
            }
        elif len(reference) > reference_length:
            error = _("%(code)s : la référence dépasse %(max)s caractères.") % {
                "code": match["code"],
                "max": reference_length,
            }
        else:
            error = None
        yield (error, None) if error else (None, (territory, start, end, reference))


def detail_text(territory, starts_on, ends_on=None, reference=""):
    """One entry of `chef_de_file_details`, as the export writes it."""
    text = f"{export_code(territory)} du {starts_on.isoformat()}"
    if ends_on:
        text += f" au {ends_on.isoformat()}"
    if reference:
        text += f" : {reference}"
    return text


# -- preview and apply -------------------------------------------------------------------

CREATE, UPDATE, UNCHANGED, SKIPPED = "create", "update", "unchanged", "skipped"
PREVIEW_MAX_AGE = datetime.timedelta(hours=2)
TOKEN_SALT = "directory.import-preview"
# The fields of a record the import writes, in the order the preview lists their changes.
FIELDS = [
    "structure",
    "prenom",
    "nom",
    "fonction",
    "telephone",
    "secteurs",
    "couverture",
    "chef_de_file",
    DETAILS_COLUMN,
    "derniere_verification",
    "publie",
]
LABELS = {
    "structure": gettext_lazy("Structure"),
    "prenom": gettext_lazy("Prénom"),
    "nom": gettext_lazy("Nom"),
    "fonction": gettext_lazy("Fonction"),
    "telephone": gettext_lazy("Téléphone"),
    "secteurs": gettext_lazy("Secteurs"),
    "couverture": gettext_lazy("Couverture"),
    "chef_de_file": gettext_lazy("Chef de file sur"),
    DETAILS_COLUMN: gettext_lazy("Dates et références des désignations"),
    "derniere_verification": gettext_lazy("Dernière vérification"),
    "publie": gettext_lazy("Publiée"),
}
# Changing only these is not a new version of the record (designations are their own rows).
OUTSIDE_THE_RECORD = {"chef_de_file", DETAILS_COLUMN}


class StalePreview(Exception):
    """The directory changed since the preview was shown: nothing was written."""


@dataclass
class Change:
    column: str
    old: str
    new: str

    @property
    def label(self):
        return LABELS[self.column]

    def _shown(self, value):
        if self.column == "publie":  # the file's oui/non, in the reader's language
            return {"oui": _("oui"), "non": _("non")}.get(value, value)
        return value

    @property
    def shown_old(self):
        return self._shown(self.old)

    @property
    def shown_new(self):
        return self._shown(self.new)


@dataclass
class RowPlan:
    """What applying the file does to one row's record."""

    line: int
    action: str
    name: str
    email: str
    facilitator: Facilitator | None = None
    changes: list = field(default_factory=list)
    row: dict = field(default_factory=dict, repr=False)
    pending: bool = False  # the record holds a change waiting for someone (`pending_ids`)
    new_structure: bool = False
    ties: list = field(default_factory=list)  # sentences: designations this row would tie with

    @property
    def record_changes(self):
        return [c for c in self.changes if c.column not in OUTSIDE_THE_RECORD]

    @property
    def warnings(self):
        """What the preview says of the row, in the user's language."""
        warnings = []
        if self.pending and self.action == SKIPPED:
            warnings.append(
                _(
                    "Une modification de cette fiche attend d'être validée ou publiée "
                    "(brouillon, demande de validation ou fiche verrouillée) : la ligne est "
                    "ignorée et la fiche reste telle quelle."
                )
            )
        elif self.pending:
            warnings.append(
                _(
                    "Une modification de cette fiche attend d'être validée ; l'import "
                    "n'y change rien."
                )
            )
        if self.new_structure:
            warnings.append(_("Nouvelle structure : %(name)s.") % {"name": self.row["structure"]})
        warnings += [
            _(
                "%(tie)s Avec cette ligne, deux chefs de file seraient au même niveau : la "
                "coordination devra trancher."
            )
            % {"tie": tie}
            for tie in self.ties
        ]
        legacy = self.row.get("legacy") or []
        if legacy:
            warnings.append(
                ngettext(
                    "Désignation conservée hors de la couverture de cette personne : %(places)s. "
                    "Elle ne compte dans aucune réponse tant que la personne ne couvre pas ce "
                    "territoire.",
                    "Désignations conservées hors de la couverture de cette personne : "
                    "%(places)s. Elles ne comptent dans aucune réponse tant que la personne ne "
                    "couvre pas ces territoires.",
                    len(legacy),
                )
                % {"places": ", ".join(_territory_label(t) for t in legacy)}
            )
        return warnings


@dataclass
class ImportPlan:
    """The preview of a file: each row's action and changes, the rows refused (`errors`),
    the records of the user's territory the file leaves out (kept), and a fingerprint of it
    all: "Apply" writes only what the user saw."""

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    absent: list = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ok(self):
        return not self.errors

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def updated(self):
        return self.count(UPDATE)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)

    @property
    def skipped(self):
        return self.count(SKIPPED)

    @property
    def changes_anything(self):
        return bool(self.created or self.updated)


def _territory_label(territory):
    return f"{territory.name} ({export_code(territory)})"


def _details(entries):
    """The `chef_de_file_details` text of (territory, start, end, reference) entries."""
    return " | ".join(sorted(detail_text(*entry) for entry in entries))


def _state(facilitator, coverage, designations):
    """A record as the import compares it: one text per column (territories by label)."""
    leads = [d.territory for d in designations]
    return {
        "structure": facilitator.structure.name,
        "prenom": facilitator.first_name.strip(),
        "nom": facilitator.last_name.strip(),
        "fonction": facilitator.job_title.strip(),
        "telephone": facilitator.phone.strip(),
        "secteurs": facilitator.sectors.strip(),
        "couverture": ", ".join(sorted(_territory_label(t) for t in coverage)),
        "chef_de_file": ", ".join(sorted(_territory_label(t) for t in leads)),
        DETAILS_COLUMN: _details(
            (d.territory, d.starts_on, d.ends_on, d.reference) for d in designations
        ),
        "derniere_verification": facilitator.last_verified.isoformat(),
        "publie": "oui" if facilitator.live else "non",
    }


def _wanted(row, existing, structures, held=()):
    """The state a cleaned row asks for; what the file leaves empty keeps `existing`'s
    (publication and verification date, a designation's dates and reference), or takes the
    defaults of a new record (a new designation starts today). `held`: `existing`'s
    designations."""
    held = {d.territory_id: d for d in held}
    periods = {}
    for territory in row["leads"]:
        if territory.pk in row["details"]:
            periods[territory.pk] = row["details"][territory.pk]
        elif territory.pk in held:
            kept = held[territory.pk]
            periods[territory.pk] = (kept.starts_on, kept.ends_on, kept.reference)
        else:
            periods[territory.pk] = (timezone.localdate(), None, "")
    structure = structures.get(row["structure"].lower())
    live, verified = row["published"], row["verified"]
    if live is None:
        live = existing.live if existing else True
    if verified is None:
        verified = existing.last_verified if existing else timezone.localdate()
    return {
        "structure": structure.name if structure else row["structure"],
        "prenom": row["prenom"],
        "nom": row["nom"],
        "fonction": row.get("fonction", ""),
        "telephone": row.get("telephone", ""),
        "secteurs": row.get("secteurs", ""),
        "couverture": ", ".join(sorted(_territory_label(t) for t in row["territories"])),
        "chef_de_file": ", ".join(sorted(_territory_label(t) for t in row["leads"])),
        DETAILS_COLUMN: _details((t, *periods[t.pk]) for t in row["leads"]),
        "derniere_verification": verified.isoformat(),
        "publie": "oui" if live else "non",
        "_live": live,
        "_verified": verified,
        "_periods": periods,
    }


def pending_ids(facilitators, user=None):
    """Ids of the records among `facilitators` holding a change that waits for someone: a
    live record with a saved draft not yet published, any record submitted to the
    coordination's workflow (`CoordinationApprovalTask`) and not decided, or locked by
    someone else than `user`. The import never writes over them."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowState

    ids = {f.pk for f in facilitators if f.live and f.has_unpublished_changes}
    ids |= {f.pk for f in facilitators if f.locked and (user is None or f.locked_by_id != user.pk)}
    in_workflow = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Facilitator),
        object_id__in=[str(f.pk) for f in facilitators],
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).values_list("object_id", flat=True)
    return ids | {int(pk) for pk in in_workflow}


def plan_import(cleaned, scope, user=None, lock=False):
    """The preview of validated rows (`validate`) for a user of `scope` (`directory.scope`).

    Each row is matched to a record by e-mail and is a *create*, an *update* (with each
    column's old and new text) or *unchanged*; a row that would change a record holding a
    pending change (`pending_ids`) is *skipped*, with a warning, and the record kept as it
    is. A row whose record or territories lie outside the scope is an error naming the row.
    Records of the scope absent from the file are listed (the import keeps them). `lock`
    (inside the applying transaction) locks the matched records until it ends."""
    emails = [row["email"] for row in cleaned]
    # Matched whatever the capitals of the stored address (the file's are lower-cased).
    matched = (
        Facilitator.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in=emails)
        .select_related("structure")
    )
    if lock:
        matched = matched.select_for_update(of=("self",))
    by_email = {}
    for facilitator in matched.order_by("pk"):
        by_email.setdefault(facilitator.email_key, facilitator)
    known = list(by_email.values())
    coverage, leads = {}, {}
    for item in FacilitatorTerritory.objects.filter(
        facilitator__in=[f.pk for f in known]
    ).select_related("territory"):
        coverage.setdefault(item.facilitator_id, []).append(item.territory)
    for designation in LeadDesignation.objects.filter(
        facilitator__in=[f.pk for f in known]
    ).select_related("territory"):
        leads.setdefault(designation.facilitator_id, []).append(designation)
    pending = pending_ids(known, user)
    structures = {s.name.lower(): s for s in Structure.objects.all()}
    inside_territories = inside_facilitators = None
    if not scope.everything:
        wanted = {t.pk for row in cleaned for t in row["territories"]}
        inside_territories = set(
            scope.territories(Territory.objects.filter(pk__in=wanted)).values_list("pk", flat=True)
        )
        designated = set(
            ContractingAuthority.objects.filter(lead__in=[f.pk for f in known]).values_list(
                "lead", flat=True
            )
        )
        inside_facilitators = set(
            scope.facilitators(
                Facilitator.objects.filter(pk__in=[f.pk for f in known])
            ).values_list("pk", flat=True)
        )

    plan = ImportPlan()
    for row in cleaned:
        line = row["line"]
        existing = by_email.get(row["email"])
        name = f"{row['prenom']} {row['nom']}"
        if not scope.everything:
            outside = [t for t in row["territories"] if t.pk not in inside_territories]
            if existing is not None and existing.pk not in inside_facilitators:
                plan.errors.append(
                    RowError(
                        line,
                        "email",
                        _(
                            "%(name)s a une fiche hors du territoire de votre coordination : "
                            "seule la coordination de son territoire la modifie."
                        )
                        % {"name": existing.full_name},
                    )
                )
                continue
            if outside:
                plan.errors.append(
                    RowError(
                        line,
                        "couverture",
                        _("Hors du territoire de votre coordination : %(places)s.")
                        % {"places": ", ".join(_territory_label(t) for t in outside)},
                    )
                )
                continue
            # Without coverage, a record stays in the scope only through the buyers'
            # designations of it (`Scope.facilitators`): a new one would leave it.
            if not row["territories"] and (existing is None or existing.pk not in designated):
                plan.errors.append(
                    RowError(
                        line,
                        "couverture",
                        _(
                            "Indiquez la couverture : une fiche sans territoire serait hors du "
                            "territoire de votre coordination."
                        ),
                    )
                )
                continue
        new = _wanted(row, existing, structures, leads.get(existing.pk, []) if existing else ())
        new_structure = row["structure"].lower() not in structures
        if existing is None:
            changes = [Change(column, "", new[column]) for column in FIELDS if new[column]]
            plan.rows.append(
                RowPlan(
                    line,
                    CREATE,
                    name,
                    row["email"],
                    None,
                    changes,
                    row=row | {"new": new},
                    new_structure=new_structure,
                )
            )
            continue
        old = _state(existing, coverage.get(existing.pk, []), leads.get(existing.pk, []))
        changes = [Change(column, old[column], new[column]) for column in FIELDS]
        changes = [change for change in changes if change.old != change.new]
        action = UPDATE if changes else UNCHANGED
        if changes and existing.pk in pending:
            action = SKIPPED
        plan.rows.append(
            RowPlan(
                line,
                action,
                existing.full_name,
                row["email"],
                existing,
                changes,
                row=row | {"new": new},
                pending=existing.pk in pending,
                new_structure=new_structure and action == UPDATE,
            )
        )

    for row_plan in plan.rows:
        if row_plan.action in (CREATE, UPDATE):
            row_plan.ties = _ties(row_plan, leads)

    in_file = {f.pk for f in known}
    plan.absent = list(
        scope.facilitators(Facilitator.objects.exclude(pk__in=in_file))
        .select_related("structure")
        .order_by("last_name", "first_name", "pk")
    )
    plan.fingerprint = _fingerprint(plan)
    return plan


def _ties(row_plan, leads):
    """What the designations a row adds or moves would tie with (`designations.tie_sentences`):
    the preview warns, the coordination decides. `leads`: the designations of the records,
    by record id."""
    facilitator = row_plan.facilitator
    held = leads.get(facilitator.pk, []) if facilitator is not None else []
    held = {d.territory_id: (d.starts_on, d.ends_on) for d in held}
    sentences = []
    for territory in row_plan.row["leads"]:
        starts_on, ends_on, _reference = row_plan.row["new"]["_periods"][territory.pk]
        if held.get(territory.pk) == (starts_on, ends_on):
            continue  # as it was
        sentences += designation_rules.tie_sentences(
            territory, row_plan.facilitator, starts_on, ends_on
        )
    return sentences


def _fingerprint(plan):
    """A digest of everything the preview shows, and of the version of each record it
    names: equal digests, same writes."""
    data = {
        "rows": [
            [
                row.line,
                row.action,
                row.facilitator.pk if row.facilitator else None,
                row.facilitator.latest_revision_id if row.facilitator else None,
                row.facilitator.live if row.facilitator else None,
                [[c.column, c.old, c.new] for c in row.changes],
                row.pending,
                row.new_structure,
            ]
            for row in plan.rows
        ],
        "errors": [[e.line, e.column] for e in plan.errors],
        "absent": [f.pk for f in plan.absent],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def apply_plan(plan, designated_by, user=None):
    """Write the creates and updates of `plan` (skipped and unchanged rows are not touched:
    no save, no revision, no version change). Call it inside a transaction."""
    from wagtail.actions.unpublish import UnpublishAction
    from wagtail.log_actions import log

    result = ImportResult(rows=len(plan.rows))
    for row_plan in plan.rows:
        if row_plan.action not in (CREATE, UPDATE):
            continue
        row, new = row_plan.row, row_plan.row["new"]
        facilitator = row_plan.facilitator
        created = facilitator is None
        if created:
            facilitator = Facilitator(email=row["email"], live=False)
            result.created += 1
        else:
            facilitator = Facilitator.objects.get(pk=facilitator.pk)
            result.updated += 1
        if row_plan.record_changes or created:
            if facilitator.live and not new["_live"]:
                # Wagtail's unpublish checks page-style permissions snippets do not have;
                # the importer's right to publish was checked by the admin view.
                UnpublishAction(facilitator, user=user, log_action=True).execute(
                    skip_permission_checks=True
                )
                facilitator = Facilitator.objects.get(pk=facilitator.pk)
            structure, _created = Structure.objects.get_or_create(
                name__iexact=row["structure"],
                defaults={"name": row["structure"], "kind": row["structure_kind"] or "other"},
            )
            facilitator.first_name = row["prenom"]
            facilitator.last_name = row["nom"]
            facilitator.job_title = row.get("fonction", "")
            facilitator.phone = row.get("telephone", "")
            facilitator.sectors = row.get("secteurs", "")
            facilitator.structure = structure
            facilitator.last_verified = new["_verified"]
            facilitator.save()
            if created:
                log(instance=facilitator, action="wagtail.create", user=user)
            facilitator.coverage.set(row["territories"])
            facilitator = Facilitator.objects.get(pk=facilitator.pk)
            revision = facilitator.save_revision(user=user, log_action=True)
            if new["_live"]:
                revision.publish(user=user)
        designations = LeadDesignation.objects.filter(facilitator=facilitator)
        designations.exclude(territory__in=row["leads"]).delete()
        kept = {d.territory_id: d for d in designations}
        for territory in row["leads"]:
            starts_on, ends_on, reference = new["_periods"][territory.pk]
            designation = kept.get(territory.pk)
            if designation is None:
                LeadDesignation.objects.create(
                    territory=territory,
                    facilitator=facilitator,
                    designated_by=designated_by,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    reference=reference,
                )
            elif (designation.starts_on, designation.ends_on, designation.reference) != (
                starts_on,
                ends_on,
                reference,
            ):
                designation.starts_on, designation.ends_on = starts_on, ends_on
                designation.reference = reference
                designation.save()
    return result


def read_data(name, data):
    """`read_rows` of a file's name and bytes."""
    upload = io.BytesIO(data)
    upload.name = name
    return read_rows(upload)


def preview(name, data, scope, user=None):
    """Read, validate and plan a file (nothing written): (errors, plan). Errors of format
    (the file or a row unreadable or invalid) come without a plan; errors of scope come with
    the plan, which then cannot be applied."""
    try:
        rows = read_data(name, data)
    except UnreadableFile as error:
        return [RowError(0, "", str(error))], None
    errors, cleaned = validate(rows)
    if errors:
        return errors, None
    plan = plan_import(cleaned, scope, user)
    return plan.errors, plan


def apply_file(name, data, scope, designated_by, user=None, fingerprint=None):
    """Apply a file in one transaction: everything or nothing. With `fingerprint` (the
    preview's), refuse with `StalePreview` when the plan is no longer the one previewed.
    Returns the `ImportResult` (its errors when the file cannot be applied)."""
    result = ImportResult()
    try:
        rows = read_data(name, data)
    except UnreadableFile as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    result.rows = len(rows)
    result.errors, cleaned = validate(rows)
    if result.errors:
        return result
    with transaction.atomic():
        plan = plan_import(cleaned, scope, user, lock=True)
        if plan.errors:
            result.errors = plan.errors
            return result
        if fingerprint is not None and plan.fingerprint != fingerprint:
            raise StalePreview
        applied = apply_plan(plan, designated_by, user)
    applied.rows = result.rows
    return applied


def import_directory(upload, designated_by, user=None):
    """Validate and apply an upload at once, everything or nothing, without a preview (for
    commands and tests; the admin previews first). Without `user`: the whole directory."""
    scope = scope_for(user) if user is not None else EVERYTHING
    data = upload.read(MAX_BYTES + 1)
    return apply_file(getattr(upload, "name", "") or "", data, scope, designated_by, user)


# -- keeping the file between the preview and "Apply" -------------------------------------


def stash(name, data, user, designated_by, fingerprint):
    """Keep an uploaded file for `user` and return the token of its preview page: signed,
    bound to that user and to the file's hash (its first 16 hex digits), valid
    `PREVIEW_MAX_AGE`. Expired files of
    every user are deleted on the way."""
    from django.core import signing

    from directory.models import PendingImport

    purge_stashes()
    digest = hashlib.sha256(data).hexdigest()
    pending = PendingImport.objects.create(
        user=user,
        file_name=name[:255],
        content=data,
        sha256=digest,
        designated_by=designated_by,
        fingerprint=fingerprint,
    )
    return signing.dumps({"i": pending.pk, "u": user.pk, "h": digest[:16]}, salt=TOKEN_SALT)


def unstash(token, user):
    """The `PendingImport` of a token, if the token is genuine, not expired, the user's, and
    the file unchanged; None otherwise."""
    from django.core import signing

    from directory.models import PendingImport

    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=PREVIEW_MAX_AGE.total_seconds())
        pk, owner, digest = int(data["i"]), int(data["u"]), str(data["h"])
        if len(digest) != 16:
            return None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or owner != user.pk:
        return None
    pending = PendingImport.objects.filter(pk=pk, user=user, sha256__startswith=digest).first()
    if pending is None or timezone.now() - pending.created_at > PREVIEW_MAX_AGE:
        return None
    if hashlib.sha256(bytes(pending.content)).hexdigest() != pending.sha256:
        return None
    return pending


def purge_stashes(now=None):
    """Delete the kept files older than `PREVIEW_MAX_AGE`."""
    from directory.models import PendingImport

    limit = (now or timezone.now()) - PREVIEW_MAX_AGE
    return PendingImport.objects.filter(created_at__lt=limit).delete()[0]


def export_rows(queryset=None):
    """The directory as rows of the import format, its state columns included, header
    first."""
    facilitators = (queryset if queryset is not None else Facilitator.objects.all()).select_related(
        "structure"
    )
    facilitators = facilitators.prefetch_related("coverage", "lead_designations__territory")
    yield EXPORT_COLUMNS
    for facilitator in facilitators.order_by("structure__name", "last_name"):
        coverage = [export_code(t) for t in facilitator.coverage.all()]
        designations = sorted(
            facilitator.lead_designations.all(), key=lambda d: export_code(d.territory)
        )
        leads = {d.territory_id for d in designations}
        covered = {t.pk for t in facilitator.coverage.all()}
        # "oui" reads back as "lead on every covered territory": only when that is all.
        if covered and leads == covered:
            lead = "oui"
        else:
            lead = " ".join(export_code(d.territory) for d in designations)
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
            " | ".join(
                detail_text(d.territory, d.starts_on, d.ends_on, d.reference) for d in designations
            ),
            facilitator.last_verified.isoformat(),
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
