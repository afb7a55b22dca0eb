"""Import files built to exhaust a naive reader (used by the tests and `bench_import`)."""

import io
import zipfile

from openpyxl import Workbook

HEADER = ["structure", "type_structure", "prenom", "nom", "email", "couverture"]
ROW = ["PLIE Test", "plie", "Léa", "Martin", "lea.martin@example.org", "13"]


def _base_xlsx():
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(ROW)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _replace(data, members):
    """A copy of the XLSX `data` with `members` (name → bytes or a function writing to a
    stream) replaced or added, streamed into the zip."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename not in members:
                target.writestr(item, source.read(item.filename))
        for name, content in members.items():
            with target.open(name, "w", force_zip64=True) as stream:
                if callable(content):
                    content(stream)
                else:
                    stream.write(content)
    return out.getvalue()


def _inline(row_number, values):
    cells = "".join(
        f'<c r="{chr(65 + index)}{row_number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for index, value in enumerate(values)
    )
    return f'<row r="{row_number}">{cells}</row>'


def _sheet(rows_writer, dimension="A1:F2"):
    def write(stream):
        stream.write(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + f'<dimension ref="{dimension}"/><sheetData>'.encode()
        )
        rows_writer(stream)
        stream.write(b"</sheetData></worksheet>")

    return write


def claimed_dimension():
    """A valid two-row sheet whose dimension claims every row and column Excel allows."""

    def rows(stream):
        stream.write(_inline(1, HEADER).encode() + _inline(2, ROW).encode())

    return _replace(_base_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(rows, "A1:XFD1048576")})


def far_row():
    """The dimension claims 1,048,576 rows, and the last row of the sheet is really there."""

    def rows(stream):
        stream.write(_inline(1, HEADER).encode() + _inline(2, ROW).encode())
        stream.write(_inline(1048576, ROW).encode())

    return _replace(_base_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(rows, "A1:F1048576")})


def million_rows(count=3_000_000):
    """`count` identical rows without coordinates (allowed by the format): a few hundred
    KB packed, about 80 MB unpacked."""

    def rows(stream):
        stream.write(_inline(1, HEADER).encode())
        chunk = b"<row><c><v>1</v></c></row>" * 10000
        for _chunk in range(count // 10000):
            stream.write(chunk)

    return _replace(_base_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(rows, f"A1:F{count + 1}")})


def many_rows_under_the_size_limit(count=100_000):
    """Fewer rows, one cell each, under the size and cell limits: the streaming reader has
    to stop at the row limit."""

    def rows(stream):
        stream.write(_inline(1, HEADER).encode())
        chunk = []
        for number in range(2, count + 2):
            chunk.append(f'<row r="{number}"><c r="A{number}"><v>1</v></c></row>')
            if len(chunk) == 10000:
                stream.write("".join(chunk).encode())
                chunk = []
        stream.write("".join(chunk).encode())

    return _replace(_base_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(rows, f"A1:F{count + 1}")})


def wide_row(cells=1_000_000):
    """One row of a million cells (openpyxl would build all of them at once)."""

    def rows(stream):
        stream.write(
            _inline(1, HEADER).encode() + b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>"
        )

    return _replace(_base_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(rows)})


def _with_shared_strings(count, text):
    """The two-row sheet reading its texts from a shared-strings table of `count` entries
    (the first ones used by the sheet, then `text` repeated)."""
    used = HEADER + ROW

    def strings(stream):
        stream.write(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            + f'count="{count}" uniqueCount="{count}">'.encode()
        )
        stream.write("".join(f"<si><t>{value}</t></si>" for value in used).encode())
        chunk = f"<si><t>{text}</t></si>".encode() * 10000
        for _chunk in range((count - len(used)) // 10000):
            stream.write(chunk)
        stream.write(b"</sst>")

    def shared_row(number, start):
        cells = "".join(
            f'<c r="{chr(65 + index)}{number}" t="s"><v>{start + index}</v></c>'
            for index in range(len(HEADER))
        )
        return f'<row r="{number}">{cells}</row>'

    def rows(stream):
        stream.write(shared_row(1, 0).encode() + shared_row(2, len(HEADER)).encode())

    data = _base_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        rels = source.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>",
            b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>",
        )
    return _replace(
        data,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": strings,
            "xl/worksheets/sheet1.xml": _sheet(rows),
        },
    )


def huge_shared_strings():
    """A million entries: 20 MB unpacked (under the size limit), 50 KB packed."""
    return _with_shared_strings(1_000_000, "xxxx")


def shared_strings_under_the_limit():
    """Just under the limit of entries: the table is parsed, the file imported."""
    return _with_shared_strings(39_000, "x")


def not_a_zip():
    return b"PK\x03\x04 this is not a zip archive"


def csv_with_nul():
    return (
        "structure;prenom;nom;email;couverture\nPLIE\x00Test;Léa;Martin;lea@example.org;13\n"
    ).encode()


def csv_error():
    """A quote opened on line 2 and never closed (the csv module raises csv.Error)."""
    lines = ["structure;prenom;nom;email;couverture", 'PLIE;"Léa;Martin;lea@example.org;13']
    lines += [f"PLIE;P;N{number};p{number}@example.org;13" for number in range(10)]
    return "\n".join(lines).encode()


def csv_bad_encoding():
    return "structure;prenom;nom;email;couverture\nPLIE;Léa;Martin;l@example.org;13\n".encode(
        "latin-1"
    )


def csv_long_fields():
    return (
        "structure;type_structure;prenom;nom;email;couverture\n"
        f"PLIE Test;plie;{'L' * 81};Martin;lea.martin@example.org;13\n"
    ).encode()


def csv_huge_cell():
    return ("structure;prenom;nom;email;couverture\n" + "x" * 6000 + ";a;b;c;13\n").encode()


def csv_many_rows(count=100_000):
    lines = ["structure;prenom;nom;email;couverture"]
    lines += [f"S;P;N{number};p{number}@example.org;13" for number in range(count)]
    return "\n".join(lines).encode()


BOMBS = {
    "claimed_dimension.xlsx": claimed_dimension,
    "far_row.xlsx": far_row,
    "million_rows.xlsx": million_rows,
    "many_rows_under_the_size_limit.xlsx": many_rows_under_the_size_limit,
    "wide_row.xlsx": wide_row,
    "huge_shared_strings.xlsx": huge_shared_strings,
    "shared_strings_under_the_limit.xlsx": shared_strings_under_the_limit,
    "not_a_zip.xlsx": not_a_zip,
    "nul.csv": csv_with_nul,
    "csv_error.csv": csv_error,
    "bad_encoding.csv": csv_bad_encoding,
    "long_fields.csv": csv_long_fields,
    "huge_cell.csv": csv_huge_cell,
    "many_rows.csv": csv_many_rows,
}
