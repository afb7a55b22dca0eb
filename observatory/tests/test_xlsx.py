"""The XLSX template round trip: generate → fill → upload → the same values; a bad cell
refuses the whole file with sheet, cell and message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from directory.tests.factories import StructureFactory
from observatory import xlsx
from observatory.models import StructureReport

pytestmark = pytest.mark.django_db

FILLED = {
    "hours_total": 9000,
    "people_total": 30,
    "people_women": 10,
    "people_men": 20,
    "hours_building": 5000,
    "hours_services": 4000,
    "outcome_cdi": 4,
}


def fill(structure, year, values, authorities=(), split=(), edit=None):
    book = load_workbook(io.BytesIO(xlsx.template_workbook(structure, year)))
    sheet = book[xlsx.SHEET_REPORT]
    for row in sheet.iter_rows(min_row=xlsx.FIRST_ROW):
        if row[0].value in values:
            row[2].value = values[row[0].value]
    for name, hours in authorities:
        book[xlsx.SHEET_AUTHORITIES].append([name, hours])
    for line in split:
        book[xlsx.SHEET_SPLIT].append(list(line))
    if edit:
        edit(book)
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile("bilan.xlsx", stream.getvalue())


def upload(structure, year, file):
    result = xlsx.read_upload(file, structure, year)
    if result.ok:
        xlsx.apply_upload(result, structure, year)
    return result


def test_the_template_round_trip_gives_back_the_same_values(land):
    structure = StructureFactory(name="CBE du Seignanx")
    file = fill(
        structure,
        2025,
        FILLED,
        authorities=[("Ville de Tarnos", 6000), ("Bailleur social", 3000)],
        split=[("13", 9000, 30)],
    )
    result = upload(structure, 2025, file)
    assert result.ok, result.errors
    report = StructureReport.objects.get(structure=structure, year=2025)
    assert {name: getattr(report, name) for name in FILLED} == FILLED
    assert report.operations_total is None  # left empty stays empty
    assert report.status == StructureReport.Status.DRAFT
    assert [(a.authority, a.hours) for a in report.authority_hours.all()] == [
        ("Ville de Tarnos", 6000),
        ("Bailleur social", 3000),
    ]
    assert [(s.departement.code, s.hours, s.people) for s in report.departement_split.all()] == [
        ("13", 9000, 30)
    ]
    # The template of an existing report comes prefilled: a second round trip changes nothing.
    again = load_workbook(io.BytesIO(xlsx.template_workbook(structure, 2025, report)))
    values = {
        row[0]: row[2]
        for row in again[xlsx.SHEET_REPORT].iter_rows(min_row=xlsx.FIRST_ROW, values_only=True)
    }
    assert {name: values[name] for name in FILLED} == FILLED


def test_a_bad_cell_refuses_the_whole_file_and_says_where(land):
    structure = StructureFactory(name="CBE du Seignanx")
    StructureReport.objects.create(structure=structure, year=2025, hours_total=1)

    def spoil(book):
        sheet = book[xlsx.SHEET_REPORT]
        for row in sheet.iter_rows(min_row=xlsx.FIRST_ROW):
            if row[0].value == "people_total":
                row[2].value = "trente"
            if row[0].value == "outcome_cdi":
                row[2].value = -3

    file = fill(structure, 2025, FILLED, authorities=[("Ville", "beaucoup")], edit=spoil)
    result = upload(structure, 2025, file)
    assert not result.ok
    found = {(error.sheet, error.cell): error.message for error in result.errors}
    cells = [cell for _sheet, cell in found]
    assert any("trente" in message for message in found.values())
    assert ("Donneurs d'ordre", "B2") in found
    assert len(cells) == 3
    assert all(cell[0] == "C" for sheet, cell in found if sheet == "Bilan")
    # Nothing was written.
    assert StructureReport.objects.get(structure=structure, year=2025).hours_total == 1


def test_another_structures_or_years_template_is_refused(land):
    mine = StructureFactory(name="PLIE A")
    other = StructureFactory(name="PLIE B")
    result = upload(mine, 2025, fill(other, 2025, FILLED))
    assert [(e.sheet, e.cell) for e in result.errors] == [("Bilan", "B3")]
    result = upload(mine, 2024, fill(mine, 2025, FILLED))
    assert [(e.sheet, e.cell) for e in result.errors] == [("Bilan", "B2")]
    assert not StructureReport.objects.exists()


def test_totals_that_do_not_add_up_are_errors(land):
    structure = StructureFactory(name="PLIE A")
    values = dict(FILLED, people_women=25)  # 25 + 20 women and men for 30 people
    result = upload(structure, 2025, fill(structure, 2025, values))
    assert not result.ok
    assert result.errors[0].sheet == "Bilan" and result.errors[0].cell.startswith("C")
    split = [("13", 5000, None), ("84", 1000, None)]  # 6,000 of 9,000 hours
    result = upload(structure, 2025, fill(structure, 2025, FILLED, split=split))
    assert [e.sheet for e in result.errors] == ["Départements"]


def test_files_that_are_not_templates_are_refused_clearly(land):
    structure = StructureFactory(name="PLIE A")
    with pytest.raises(xlsx.UnreadableFile):
        xlsx.read_upload(SimpleUploadedFile("x.xlsx", b"not a zip"), structure, 2025)
    big = SimpleUploadedFile("x.xlsx", b"0" * (xlsx.MAX_BYTES + 10))
    with pytest.raises(xlsx.UnreadableFile):
        xlsx.read_upload(big, structure, 2025)

    def too_long(book):
        for index in range(xlsx.MAX_ROWS + 5):
            book[xlsx.SHEET_AUTHORITIES].append([f"Acheteur {index}", 1])

    result = xlsx.read_upload(fill(structure, 2025, FILLED, edit=too_long), structure, 2025)
    assert any("Au plus" in error.message for error in result.errors)
