"""Spreadsheet cells that are safe to open: a text beginning with =, +, -, @, tab or carriage
return is a formula to Excel or LibreOffice (formula injection, "CSV injection"); every
export writes it with a leading apostrophe, and XLSX cells are written as text, never as
formulas. The directory import takes the apostrophe off again."""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a spreadsheet should show it: a text that would start a formula gets a
    leading apostrophe; other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value):
    """The value `safe_cell` was given: the apostrophe it added is taken off (only before
    a formula start: "'tis" stays as typed)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_csv(stream, rows, delimiter=";"):
    """Write `rows` (lists of values) to a text stream, every cell made safe."""
    writer = csv.writer(stream, delimiter=delimiter)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])


def xlsx_bytes(rows, title="Sheet1", bold_header=True):
    """An XLSX workbook of `rows` (header first), streamed row by row; every text cell is
    made safe and typed as a string, so that no cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title)
    for index, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            if isinstance(value, str):
                cell.data_type = "s"
            if index == 0 and bold_header:
                cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


class SafeSpreadsheetExportMixin:
    """For Wagtail's listing views with CSV/XLSX export (SpreadsheetExportMixin): every
    exported text cell goes through `safe_cell`."""

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(super().preprocess_field_value(field, value, export_format))
