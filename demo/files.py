"""Real guidance files for the demo library, generated on the fly (no binary in the repo).

- an XLSX monthly hours statement that companies fill in (openpyxl);
- ODT text documents (model clause, certificate template) that buyers can edit;
- a short PDF guide, written with a tiny PDF writer (Helvetica, WinAnsi encoding).
"""

import io
import textwrap
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

PUBLIC_CHOICES = "DELD,RSA,ASS,AAH,Jeune -26,RQTH,Senior +50,SIAE,Autre"


def hours_statement_xlsx():
    """A monthly statement of insertion hours, one row per person and contract."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Relevé mensuel"
    bold = Font(bold=True)
    thin = Side(style="thin", color="666666")
    header_fill = PatternFill("solid", fgColor="DCE6F1")

    sheet["A1"] = "Relevé mensuel des heures d'insertion"
    sheet["A1"].font = Font(bold=True, size=14)
    labels = [
        ("A3", "Entreprise titulaire :"),
        ("A4", "N° SIRET :"),
        ("A5", "Marché (objet et n°) :"),
        ("A6", "Donneur d'ordre :"),
        ("A7", "Mois concerné (MM/AAAA) :"),
        ("A8", "Heures d'insertion prévues au marché :"),
    ]
    for cell, label in labels:
        sheet[cell] = label
        sheet[cell].font = bold

    headers = [
        "Nom",
        "Prénom",
        "Public (DELD, RSA, Jeune -26…)",
        "Type de contrat (CDI, CDD, intérim, SIAE, alternance)",
        "Poste occupé",
        "Date d'entrée",
        "Heures travaillées dans le mois",
        "Observations",
    ]
    header_row = 10
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column, value=title)
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        sheet.column_dimensions[cell.column_letter].width = 22
    sheet.row_dimensions[header_row].height = 45

    first, last = header_row + 1, header_row + 30
    validation = DataValidation(type="list", formula1=f'"{PUBLIC_CHOICES}"', allow_blank=True)
    validation.add(f"C{first}:C{last}")
    sheet.add_data_validation(validation)
    hours = DataValidation(type="decimal", operator="between", formula1="0", formula2="220")
    hours.error = "Un nombre d'heures entre 0 et 220 par mois."
    hours.add(f"G{first}:G{last}")
    sheet.add_data_validation(hours)
    for row in range(first, last + 1):
        sheet.cell(row=row, column=6).number_format = "DD/MM/YYYY"

    total_row = last + 1
    sheet.cell(row=total_row, column=6, value="Total du mois").font = bold
    sheet.cell(row=total_row, column=7, value=f"=SUM(G{first}:G{last})").font = bold
    sheet.cell(
        row=total_row + 2, column=1, value="À renvoyer au facilitateur avant le 10 du mois suivant."
    )
    sheet.freeze_panes = f"A{first}"

    notes = book.create_sheet("Mode d'emploi")
    for index, line in enumerate(
        [
            "Une ligne par personne et par mois.",
            "Public : DELD = demandeur d'emploi de longue durée ; RSA, ASS, AAH = minima sociaux ;",
            "Jeune -26 = moins de 26 ans peu qualifié ; RQTH = travailleur handicapé ;",
            "Senior +50 = plus de 50 ans sans emploi ; SIAE = salarié d'une structure d'insertion.",
            "L'éligibilité de chaque personne est validée par le facilitateur avant l'embauche.",
        ],
        start=1,
    ):
        notes.cell(row=index, column=1, value=line)
    notes.column_dimensions["A"].width = 100

    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def odt(title, paragraphs):
    """A minimal OpenDocument text: a title, then paragraphs ("# " starts a heading)."""
    body = [f'<text:h text:outline-level="1">{escape(title)}</text:h>']
    for paragraph in paragraphs:
        if paragraph.startswith("# "):
            body.append(f'<text:h text:outline-level="2">{escape(paragraph[2:])}</text:h>')
        else:
            body.append(f"<text:p>{escape(paragraph)}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:text>" + "".join(body) + "</office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored first and uncompressed, as the format requires
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return stream.getvalue()


def _pdf_text(text):
    encoded = text.encode("cp1252", errors="replace").decode("latin-1")
    return encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(title, paragraphs, width=595, height=842):
    """A plain A4 PDF with a title and wrapped paragraphs ("# " starts a heading)."""
    lines = [("title", title), ("gap", "")]
    for paragraph in paragraphs:
        if paragraph.startswith("# "):
            lines += [("gap", ""), ("heading", paragraph[2:])]
        else:
            lines += [("text", part) for part in textwrap.wrap(paragraph, 92)] + [("gap", "")]
    sizes = {"title": 18, "heading": 13, "text": 10.5, "gap": 6}
    pages, current, y = [], [], height - 72
    for kind, text in lines:
        step = sizes[kind] * 1.45
        if y - step < 60:
            pages.append(current)
            current, y = [], height - 72
        y -= step
        if kind != "gap":
            font = "F2" if kind in ("title", "heading") else "F1"
            current.append(f"BT /{font} {sizes[kind]} Tf 60 {y:.1f} Td ({_pdf_text(text)}) Tj ET")
    pages.append(current)

    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    page_tree = add(None)
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    kids = []
    for number, page_lines in enumerate(pages, start=1):
        footer = f"BT /F1 9 Tf 60 36 Td ({_pdf_text(title)} - page {number}/{len(pages)}) Tj ET"
        stream = "\n".join(page_lines + [footer]).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                (
                    f"<< /Type /Page /Parent {page_tree} 0 R /MediaBox [0 0 {width} {height}] "
                    f"/Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> >> "
                    f"/Contents {content} 0 R >>"
                ).encode()
            )
        )
    objects[page_tree - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {page_tree} 0 R /Lang (fr-FR) >>".encode()
    info = add(
        f"<< /Title ({_pdf_text(title)}) /Producer (Portail des clauses sociales) >>".encode()
    )

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % index + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    return out.getvalue()


def illustration(motif, background, accent, width=1200, height=630):
    """A flat PNG illustration for a demo news item, drawn with Pillow: a background, a light
    ground band and one motif (`worksite`, `map`, `meeting`, `chart`, `laptop`, `roads`,
    `network`, `calendar`), so that every article shows a picture of its own."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(canvas)
    ground = height - 110
    draw.rectangle([0, ground, width, height], fill=_mix(background, "#ffffff", 0.18))
    light = _mix(accent, "#ffffff", 0.45)
    if motif == "worksite":  # a crane lifting a beam over a rising building
        for floor in range(5):
            draw.rectangle(
                [560, ground - 70 * (floor + 1), 860, ground - 70 * floor - 8], fill=light
            )
        draw.rectangle([260, 120, 290, ground], fill=accent)
        draw.rectangle([150, 110, 760, 140], fill=accent)
        draw.line([700, 140, 700, 260], fill=accent, width=6)
        draw.rectangle([620, 260, 780, 285], fill="#ffffff")
    elif motif == "map":  # a folded map with a pin
        panels = [(220, 140), (480, 110), (740, 140)]
        for index, (x, y) in enumerate(panels):
            shade = light if index % 2 else _mix(light, "#ffffff", 0.4)
            draw.polygon(
                [
                    (x, y),
                    (x + 260, y + (30 if index % 2 else -30)),
                    (x + 260, y + 370),
                    (x, y + 340),
                ],
                fill=shade,
            )
        draw.ellipse([560, 170, 660, 270], fill=accent)
        draw.polygon([(572, 240), (648, 240), (610, 330)], fill=accent)
        draw.ellipse([593, 203, 627, 237], fill=background)
    elif motif == "meeting":  # people around a table
        draw.ellipse([400, 300, 800, 420], fill=light)
        for index in range(7):
            x = 330 + index * 90
            draw.ellipse([x, 180, x + 60, 240], fill=accent)
            draw.rectangle([x - 5, 245, x + 65, 320], fill=accent)
    elif motif == "chart":  # bars rising to the right, with a trend arrow
        for index in range(7):
            top = ground - 60 - index * 50
            draw.rectangle([200 + index * 120, top, 290 + index * 120, ground], fill=light)
        draw.line([220, 380, 1000, 120], fill=accent, width=14)
        draw.polygon([(1010, 90), (1030, 170), (960, 140)], fill=accent)
    elif motif == "laptop":  # a laptop showing a window and a recycling loop
        draw.rectangle([340, 110, 860, 420], fill=light)
        draw.rectangle([370, 140, 830, 390], fill=_mix(background, "#ffffff", 0.85))
        draw.polygon([(280, 430), (920, 430), (980, 480), (220, 480)], fill=accent)
        draw.arc([520, 190, 680, 350], 20, 320, fill=accent, width=18)
    elif motif == "roads":  # a road winding to the horizon, with a building site sign
        draw.polygon([(480, height), (720, height), (640, 200), (580, 200)], fill=light)
        for step in range(5):
            y = 230 + step * 80
            draw.rectangle([605, y, 615, y + 40], fill="#ffffff")
        draw.polygon([(860, 260), (960, 260), (910, 170)], fill=accent)
        draw.rectangle([905, 260, 915, ground], fill=accent)
    elif motif == "network":  # connected nodes
        nodes = [(260, 200), (480, 130), (700, 240), (920, 150), (380, 380), (620, 430), (860, 400)]
        for a, b in [(0, 1), (1, 2), (2, 3), (0, 4), (4, 5), (5, 2), (5, 6), (6, 3), (1, 4)]:
            draw.line([nodes[a], nodes[b]], fill=light, width=8)
        for x, y in nodes:
            draw.ellipse([x - 36, y - 36, x + 36, y + 36], fill=accent)
    elif motif == "calendar":  # a calendar page with the meeting day ringed
        draw.rectangle([360, 100, 840, 470], fill="#ffffff")
        draw.rectangle([360, 100, 840, 170], fill=accent)
        for row in range(4):
            for column in range(6):
                x, y = 390 + column * 75, 195 + row * 68
                draw.rectangle([x, y, x + 50, y + 40], fill=light)
        draw.ellipse([597, 257, 682, 330], outline=accent, width=10)
    else:
        raise ValueError(f"unknown motif {motif!r}")
    stream = io.BytesIO()
    canvas.save(stream, "PNG")
    return stream.getvalue()


def _mix(colour, other, ratio):
    """`colour` moved `ratio` (0–1) of the way towards `other` (both "#rrggbb")."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * ratio):02x}" for x, y in zip(a, b, strict=True))
