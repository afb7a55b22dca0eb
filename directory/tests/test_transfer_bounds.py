"""Import files built to exhaust the reader get a clear message, and exports never carry a
live formula (but still import back as they were)."""

import csv
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import text
from directory.groups import COORDINATORS
from directory.models import Facilitator
from directory.tests import bombs
from directory.tests.factories import CoordinationFactory, FacilitatorFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, db):
    user = get_user_model().objects.create_user("coord", "coord@example.org", "pass")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    CoordinationFactory(name="Coordination nationale", members=[user])  # imports anywhere
    client.force_login(user)
    return client


def upload(client, name, data):
    return client.post(
        reverse("directory_import"),
        {"file": SimpleUploadedFile(name, data), "designated_by": "la coordination"},
    )


REFUSED = {
    "far_row.xlsx": "Au plus 5000 lignes par fichier.",
    "million_rows.xlsx": "Ce fichier XLSX décompressé dépasse 40 Mo.",
    "many_rows_under_the_size_limit.xlsx": "Au plus 5000 lignes par fichier.",
    "wide_row.xlsx": "Une feuille de ce fichier XLSX dépasse 150030 cellules.",
    "huge_shared_strings.xlsx": "La table des textes de ce fichier XLSX dépasse 40000 entrées.",
    "not_a_zip.xlsx": "Ce fichier XLSX ne peut pas être lu.",
    "nul.csv": "Caractère invisible ou de contrôle non autorisé.",
    "csv_error.csv": "Ligne 2 illisible (guillemet non fermé ou mal placé ?) : unexpected end",
    "bad_encoding.csv": "Le fichier CSV doit être encodé en UTF-8 (octet invalide",
    "long_fields.csv": "Au plus 80 caractères (ici 81).",
    "huge_cell.csv": "Ligne 2, colonne 1 : plus de 5000 caractères.",
    "many_rows.csv": "Au plus 5000 lignes par fichier.",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_bomb_gets_a_clear_message_and_changes_nothing(coordinator_client, land, name):
    response = upload(coordinator_client, name, bombs.BOMBS[name]())
    assert response.status_code == 200
    assert REFUSED[name] in text(response).replace("&#x27;", "'")
    assert Facilitator.objects.count() == 0


@pytest.mark.parametrize("name", ["claimed_dimension.xlsx", "shared_strings_under_the_limit.xlsx"])
def test_a_sound_file_with_a_false_dimension_or_a_full_string_table_imports(
    coordinator_client, land, name
):
    response = upload(coordinator_client, name, bombs.BOMBS[name]())
    assert response.status_code == 302, text(response)[-2000:]
    coordinator_client.post(response["Location"], {"action": "apply"})
    assert Facilitator.objects.get().last_name == "Martin"


def test_a_broken_sheet_inside_a_sound_zip_gets_a_message(coordinator_client, land):
    data = bombs._replace(
        bombs._base_xlsx(), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"}
    )
    response = upload(coordinator_client, "broken.xlsx", data)
    assert "Ce fichier XLSX ne peut pas être lu." in text(response)


# -- Exports --------------------------------------------------------------------------------

FORMULAS = {"last_name": "=1+1", "job_title": "-Nord", "sectors": "@SUM(A1)"}


@pytest.fixture
def formulas(land):
    facilitator = FacilitatorFactory(
        covers=[land["accm"]],
        structure=StructureFactory(name="+PLIE"),
        email="formule@example.org",
        **FORMULAS,
    )
    facilitator.save_revision().publish()
    return facilitator


def test_directory_csv_export_neutralises_formulas_and_imports_back(coordinator_client, formulas):
    response = coordinator_client.get(reverse("directory_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["nom"] == "'=1+1" and row["fonction"] == "'-Nord"
    assert row["secteurs"] == "'@SUM(A1)" and row["structure"] == "'+PLIE"
    result = upload(coordinator_client, "export.csv", response.content)
    assert result.status_code == 302, text(result)[-2000:]
    # The formulas read back as they were: the preview finds nothing to change.
    assert "Ce fichier ne change rien" in text(coordinator_client.get(result["Location"]))
    formulas.refresh_from_db()
    assert (formulas.last_name, formulas.job_title, formulas.sectors) == tuple(FORMULAS.values())
    assert formulas.structure.name == "+PLIE"


def test_directory_xlsx_export_has_no_formula_and_imports_back(coordinator_client, formulas):
    response = coordinator_client.get(reverse("directory_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert cells["'=1+1"] == "s" and cells["'-Nord"] == "s" and cells["'+PLIE"] == "s"
    assert "f" not in cells.values()
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    result = upload(coordinator_client, "export.xlsx", response.content)
    assert result.status_code == 302, text(result)[-2000:]
    # The formulas read back as they were: the preview finds nothing to change.
    assert "Ce fichier ne change rien" in text(coordinator_client.get(result["Location"]))
    formulas.refresh_from_db()
    assert formulas.last_name == "=1+1" and formulas.job_title == "-Nord"


def test_public_facilitators_csv_neutralises_formulas(client, formulas):
    response = client.get("/api/v1/facilitators.csv")
    body = response.content.decode("utf-8-sig")
    assert ";'=1+1;" in body and ";'-Nord;" in body and "'+PLIE;" in body
    assert ";=1+1;" not in body
