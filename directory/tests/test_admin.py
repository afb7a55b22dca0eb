"""What coordinators can do in the admin, and the all-or-nothing import."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import publish_child
from directory.groups import COORDINATORS
from directory.models import Facilitator, LeadDesignation, Structure
from directory.tests.factories import CoordinationFactory, FacilitatorFactory, StructureFactory
from portal.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    user = get_user_model().objects.create_user("coord", "coord@example.org", "pass")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    CoordinationFactory(name="Coordination nationale", members=[user])
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_coordinator_edits_a_facilitator_but_not_pages(coordinator_client, home, land):
    facilitator = FacilitatorFactory(covers=[land["accm"]])
    edit = reverse("wagtailsnippets_directory_facilitator:edit", args=[facilitator.pk])
    assert coordinator_client.get(edit).status_code == 200
    response = coordinator_client.post(
        edit,
        {
            "first_name": "Camille",
            "last_name": "Arnaud",
            "job_title": "Facilitatrice",
            "structure": facilitator.structure_id,
            "email": "camille.arnaud@example.org",
            "phone": "01 00 00 00 09",
            "sectors": "",
            "last_verified": "2026-11-01",
            "coverage_items-TOTAL_FORMS": "2",
            "coverage_items-INITIAL_FORMS": "0",
            "coverage_items-MIN_NUM_FORMS": "0",
            "coverage_items-MAX_NUM_FORMS": "1000",
            "coverage_items-0-territory": land["accm"].pk,
            "coverage_items-0-ORDER": "1",
            "coverage_items-1-territory": land["chateaurenard"].pk,
            "coverage_items-1-ORDER": "2",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    facilitator.refresh_from_db()
    assert facilitator.last_name == "Arnaud"
    assert set(facilitator.coverage.all()) == {land["accm"], land["chateaurenard"]}
    page = publish_child(home, StandardPage(title="Page", slug="page", body=[]))
    response = coordinator_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code in (302, 403)


def test_deleting_a_structure_with_facilitators_is_refused(admin_client, db):
    facilitator = FacilitatorFactory()
    structure = facilitator.structure
    url = reverse("wagtailsnippets_directory_structure:delete", args=[structure.pk])
    response = admin_client.post(url, follow=True)
    assert Structure.objects.filter(pk=structure.pk).exists()
    html = response.content.decode()
    assert "ne peut pas être supprimée" in html and facilitator.full_name in html
    # Without facilitators, it goes.
    facilitator.delete()
    admin_client.post(url)
    assert not Structure.objects.filter(pk=structure.pk).exists()


def test_territory_chooser_finds_communes_epci_and_postal_codes(coordinator_client, land):
    land["arles"].postal_codes = "13200,13280"
    land["arles"].save()
    url = reverse("territory_chooser:choose_results")
    html = coordinator_client.get(url, {"q": "13200"}).content.decode()
    assert "Arles (" in html
    html = coordinator_client.get(url, {"q": "241300417"}).content.decode()
    assert "CA Arles-Crau-Camargue" in html
    html = coordinator_client.get(url, {"q": "arl", "kind": "epci"}).content.decode()
    assert "CA Arles-Crau-Camargue" in html and "Arles (" not in html


def _csv(rows):
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(
        [
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
    )
    writer.writerows(rows)
    return SimpleUploadedFile("annuaire.csv", stream.getvalue().encode("utf-8"), "text/csv")


GOOD = [
    "PLIE Test",
    "plie",
    "Léa",
    "Martin",
    "Facilitatrice",
    "lea.martin@example.org",
    "01 00 00 00 10",
    "services",
    "241300417 13027",
    "241300417",
]


def test_import_applies_a_valid_file(coordinator_client, land):
    upload = _csv(
        [
            GOOD,
            ["PLIE Test", "", "Yann", "Petit", "", "yann.petit@example.org", "", "", "13", "non"],
        ]
    )
    response = coordinator_client.post(
        reverse("directory_import"), {"file": upload, "designated_by": "la coordination"}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Facilitator.objects.count() == 0  # a preview first: nothing written yet
    applied = coordinator_client.post(response["Location"], {"action": "apply"})
    assert applied["Location"] == reverse("wagtailsnippets_directory_facilitator:list")
    lea = Facilitator.objects.get(email="lea.martin@example.org")
    assert lea.live and set(lea.coverage.all()) == {land["accm"], land["chateaurenard"]}
    assert list(
        LeadDesignation.objects.filter(facilitator=lea).values_list("territory__code", flat=True)
    ) == ["241300417"]
    assert Facilitator.objects.get(email="yann.petit@example.org").coverage.get() == land["d13"]


def test_one_bad_row_out_of_many_changes_nothing(coordinator_client, land):
    StructureFactory(name="PLIE Test")
    rows = [
        [*GOOD[:2], "Personne", f"N{number}", "", f"p{number}@example.org", "", "", "13004", "oui"]
        for number in range(499)
    ]
    rows.append(
        ["PLIE Test", "", "Paul", "Faux", "", "pas-un-email", "12", "", "99999 13", "84089"]
    )
    response = coordinator_client.post(
        reverse("directory_import"), {"file": _csv(rows), "designated_by": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Facilitator.objects.count() == 0 and LeadDesignation.objects.count() == 0
    assert "Rien n&#x27;a été modifié" in html or "Rien n'a été modifié" in html
    assert "<td>501</td>" in html
    assert "Adresse e-mail invalide." in html
    assert "Numéro de téléphone invalide" in html
    assert "Code de territoire inconnu : 99999." in html
    # The lead must cover the territory it leads: Pertuis lies outside the Bouches-du-Rhône.
    assert "Paul Faux ne couvre pas la commune de Pertuis" in html


def test_import_reports_duplicates_and_unknown_structures(coordinator_client, land):
    rows = [
        GOOD,
        [*GOOD[:5], "autre@example.org", *GOOD[6:]],
        ["Inconnue", "", "A", "B", "", "ab@example.org", "", "", "13", ""],
    ]
    html = coordinator_client.post(
        reverse("directory_import"), {"file": _csv(rows), "designated_by": "x"}
    ).content.decode()
    assert "Personne en double (déjà à la ligne 2)." in html
    assert "Structure inconnue" in html
    assert Facilitator.objects.count() == 0


def test_unreadable_files_get_a_clear_message(coordinator_client, db):
    upload = SimpleUploadedFile("annuaire.pdf", b"%PDF", "application/pdf")
    html = coordinator_client.post(
        reverse("directory_import"), {"file": upload, "designated_by": "x"}
    ).content.decode()
    assert "Envoyez un fichier .csv ou .xlsx." in html
    upload = SimpleUploadedFile("annuaire.csv", b"nom;email\nA;a@example.org\n", "text/csv")
    html = coordinator_client.post(
        reverse("directory_import"), {"file": upload, "designated_by": "x"}
    ).content.decode()
    assert "Colonnes manquantes : structure, prenom, couverture." in html


def test_exports_round_trip_and_geojson(coordinator_client, land):
    facilitator = FacilitatorFactory(covers=[land["accm"]], first_name="Léa")
    LeadDesignation.objects.create(
        territory=land["accm"], facilitator=facilitator, designated_by="x"
    )
    response = coordinator_client.get(reverse("directory_export", args=["csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["derniere_verification", "publie"]
    assert rows[1][2] == "Léa" and rows[1][8] == "241300417" and rows[1][9] == "oui"
    xlsx = coordinator_client.get(reverse("directory_export", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"
    geo = coordinator_client.get(reverse("directory_export", args=["geojson"]))
    data = json.loads(geo.content)
    assert data["type"] == "FeatureCollection"
    assert data["features"][0]["properties"]["territory_code"] == "241300417"
    assert coordinator_client.get(reverse("directory_export", args=["pdf"])).status_code == 404
    # Re-importing the export changes nothing (test_import_preview has the details).
    upload = SimpleUploadedFile("export.csv", response.content, "text/csv")
    result = coordinator_client.post(
        reverse("directory_import"), {"file": upload, "designated_by": "x"}
    )
    assert result.status_code == 302
    preview = coordinator_client.get(result["Location"]).content.decode()
    assert "Ce fichier ne change rien" in preview
    assert Facilitator.objects.count() == 1


def test_facilitator_listing_search_and_filters(coordinator_client, land):
    FacilitatorFactory(first_name="Camille", last_name="Arnaud", covers=[land["accm"]])
    FacilitatorFactory(first_name="Hugo", last_name="Mercier", covers=[land["d84"]])
    url = reverse("wagtailsnippets_directory_facilitator:list")
    html = coordinator_client.get(url, {"q": "arnau"}).content.decode()
    assert "Camille Arnaud" in html and "Hugo Mercier" not in html
    html = coordinator_client.get(url, {"departement": land["d13"].pk}).content.decode()
    assert "Camille Arnaud" in html and "Hugo Mercier" not in html
    html = coordinator_client.get(url, {"coverage_level": "departement"}).content.decode()
    assert "Hugo Mercier" in html and "Camille Arnaud" not in html
