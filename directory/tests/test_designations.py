"""Lead designations: a lead covers the territory it leads (a buyer's lies within the buyer's
territory), a second designation that would tie is confirmed first, designations are dated
and stop counting when they end (at midnight, nothing saved), and the CSV/XLSX round trip
keeps every one of them."""

import csv
import datetime
import importlib
import io
import json
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import text
from directory import coverage, designations, transfer
from directory.models import DirectoryChange, LeadDesignation
from directory.scope import EVERYTHING
from directory.tests.factories import (
    AuthorityFactory,
    FacilitatorFactory,
    StructureFactory,
    TerritoryFactory,
)
from directory.tests.test_perimeters import make_perimeter

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MARCH_1 = datetime.date(2026, 3, 1)


def designate(territory, facilitator, by="la coordination", **fields):
    """A designation written as an older version of the portal would have (no check)."""
    return LeadDesignation.objects.create(
        territory=territory, facilitator=facilitator, designated_by=by, **fields
    )


ADD = reverse("wagtailsnippets_directory_leaddesignation:add")


def form_data(territory, facilitator, **changes):
    return {
        "territory": territory.pk,
        "facilitator": facilitator.pk,
        "designated_by": "le comité départemental",
        "starts_on": "2026-03-01",
        "ends_on": "",
        "reference": "Délibération 2026-045 du conseil communautaire",
        **changes,
    }


# -- 1. a lead covers what it leads ---------------------------------------------------------


def test_a_lead_must_cover_the_territory_it_is_designated_on(admin_client, land):
    arles_only = FacilitatorFactory(first_name="Inès", last_name="Durand", covers=[land["arles"]])
    response = admin_client.post(ADD, form_data(land["chateaurenard"], arles_only))
    assert response.status_code == 200
    page = text(response)
    assert "Inès Durand ne couvre pas la commune de Châteaurenard" in page
    assert not LeadDesignation.objects.exists()
    # What was typed is still there to correct.
    assert "Délibération 2026-045 du conseil communautaire" in page
    # The same person on her own commune: saved.
    response = admin_client.post(ADD, form_data(land["arles"], arles_only))
    assert response.status_code == 302
    assert LeadDesignation.objects.get().territory == land["arles"]


def test_covering_means_the_territory_itself_a_containing_one_or_all_its_communes(land):
    departement = FacilitatorFactory(covers=[land["d13"]])
    assert designations.territorial_refusal(departement, land["arles"]) is None  # inside 13
    assert designations.territorial_refusal(departement, land["accm"]) is None
    # The Métropole spans the Vaucluse (Pertuis): the Bouches-du-Rhône alone does not cover it.
    refusal = designations.territorial_refusal(departement, land["amp"])
    assert "ne couvre pas le territoire de la Métropole Aix-Marseille" in refusal
    assert "communes non couvertes : Pertuis" in refusal
    # Commune by commune: Arles and Tarascon make the whole CA.
    both = FacilitatorFactory(covers=[land["arles"], land["tarascon"]])
    assert designations.territorial_refusal(both, land["accm"]) is None
    one = FacilitatorFactory(covers=[land["arles"]])
    assert "communes non couvertes : Tarascon" in designations.territorial_refusal(
        one, land["accm"]
    )
    # A named perimeter covers its communes.
    aix = make_perimeter("Pays d'Aix", [land["marseille"]])
    assert (
        designations.territorial_refusal(FacilitatorFactory(covers=[aix]), land["marseille"])
        is None
    )
    assert designations.territorial_refusal(FacilitatorFactory(), land["arles"]) is not None


def test_the_model_refuses_it_too(land):
    arles_only = FacilitatorFactory(covers=[land["arles"]])
    designation = LeadDesignation(
        territory=land["accm"], facilitator=arles_only, designated_by="x", starts_on=MARCH_1
    )
    with pytest.raises(ValidationError) as error:
        designation.full_clean()
    assert "ne couvre pas le territoire de la CA Arles-Crau-Camargue" in str(
        error.value.message_dict["territory"]
    )
    designation.ends_on = MARCH_1
    with pytest.raises(ValidationError) as error:
        designation.full_clean()
    assert error.value.message_dict["ends_on"] == [
        "La date de fin doit être postérieure à la date de début."
    ]


def authority_data(authority, lead, perimeter):
    data = {
        "name": authority.name,
        "kind": authority.kind,
        "siret": "",
        "territory": authority.territory_id or "",
        "lead": lead.pk,
        "lead_starts_on": "2026-03-01",
        "lead_ends_on": "",
        "lead_reference": "",
        "perimeter_items-TOTAL_FORMS": str(len(perimeter)),
        "perimeter_items-INITIAL_FORMS": "0",
        "perimeter_items-MIN_NUM_FORMS": "0",
        "perimeter_items-MAX_NUM_FORMS": "1000",
    }
    for n, territory in enumerate(perimeter):
        data[f"perimeter_items-{n}-territory"] = territory.pk
        data[f"perimeter_items-{n}-ORDER"] = str(n + 1)
    return data


def test_a_buyer_s_lead_lies_within_the_buyer_s_territory(admin_client, land):
    officer = FacilitatorFactory(first_name="Marion", last_name="Chevalier")  # covers nothing
    departement = AuthorityFactory(name="Département des Bouches-du-Rhône", territory=land["d13"])
    edit = reverse("wagtailsnippets_directory_contractingauthority:edit", args=[departement.pk])
    # Pertuis is in the Vaucluse: outside the Département's territory.
    response = admin_client.post(edit, authority_data(departement, officer, [land["pertuis"]]))
    assert response.status_code == 200
    assert "La commune de Pertuis n'est pas dans le territoire du donneur d'ordre" in text(response)
    departement.refresh_from_db()
    assert departement.lead is None
    # Its own officer, who covers no territory, leads its works anywhere in the département.
    response = admin_client.post(edit, authority_data(departement, officer, [land["d13"]]))
    assert response.status_code == 302, text(response)[-3000:]
    departement.refresh_from_db()
    assert departement.lead == officer and departement.lead_starts_on == MARCH_1
    assert list(departement.lead_perimeter.all()) == [land["d13"]]


def test_a_buyer_s_lead_with_a_coverage_covers_the_perimeter(admin_client, land):
    plie = FacilitatorFactory(first_name="Lucie", last_name="Blanc", covers=[land["accm"]])
    departement = AuthorityFactory(territory=land["d13"])
    edit = reverse("wagtailsnippets_directory_contractingauthority:edit", args=[departement.pk])
    response = admin_client.post(edit, authority_data(departement, plie, [land["d13"]]))
    assert response.status_code == 200
    assert "Lucie Blanc ne couvre pas le département" in text(response)
    response = admin_client.post(edit, authority_data(departement, plie, [land["accm"]]))
    assert response.status_code == 302


# -- 2. a designation that would tie is confirmed first -----------------------------------


def test_a_second_designation_on_the_same_territory_asks_for_a_confirmation(admin_client, land):
    first = FacilitatorFactory(first_name="Camille", last_name="Arnaud", covers=[land["accm"]])
    designate(land["accm"], first, "la CA Arles-Crau-Camargue", starts_on=MARCH_1)
    second = FacilitatorFactory(first_name="Paul", last_name="Roux", covers=[land["accm"]])
    response = admin_client.post(ADD, form_data(land["accm"], second))
    assert response.status_code == 200
    page = text(response)
    assert (
        "Camille Arnaud est déjà chef de file pour le territoire de la CA Arles-Crau-Camargue "
        "(désignation par la CA Arles-Crau-Camargue, en vigueur depuis le 1er mars 2026)."
    ) in page
    assert "Je confirme : deux chefs de file" in page and 'name="confirm_tie"' in page
    assert "Délibération 2026-045 du conseil communautaire" in page  # nothing lost
    assert LeadDesignation.objects.count() == 1
    response = admin_client.post(ADD, form_data(land["accm"], second, confirm_tie="on"))
    assert response.status_code == 302
    assert coverage.answer(land["arles"]).status == "tied"
    assert list(coverage.ambiguous_designations()) == [land["accm"]]


def test_no_confirmation_without_a_tie(admin_client, land):
    first = FacilitatorFactory(covers=[land["accm"]])
    designate(land["accm"], first, starts_on=MARCH_1, ends_on=datetime.date(2026, 5, 31))
    second = FacilitatorFactory(covers=[land["accm"]])
    response = admin_client.get(ADD)
    assert 'name="confirm_tie"' not in response.content.decode()
    # The first one ends before the second starts: they never tie.
    response = admin_client.post(ADD, form_data(land["accm"], second, starts_on="2026-06-01"))
    assert response.status_code == 302
    # Two that tie already: editing the reference of one asks nothing again…
    third = FacilitatorFactory(covers=[land["accm"]])
    tied = designate(land["accm"], third, starts_on=datetime.date(2026, 6, 1))
    edit = reverse("wagtailsnippets_directory_leaddesignation:edit", args=[tied.pk])
    response = admin_client.post(
        edit, form_data(land["accm"], third, starts_on="2026-06-01", reference="Convention 12")
    )
    assert response.status_code == 302
    # …moving its dates does.
    response = admin_client.post(edit, form_data(land["accm"], third, starts_on="2026-06-02"))
    assert response.status_code == 200 and 'name="confirm_tie"' in response.content.decode()


def test_two_named_perimeters_sharing_a_commune_tie(land):
    aix = make_perimeter("Pays d'Aix", [land["marseille"], land["pertuis"]])
    huveaune = make_perimeter("Huveaune", [land["marseille"]])
    elsewhere = make_perimeter("Camargue", [land["arles"]])
    first = FacilitatorFactory(covers=[aix])
    designate(aix, first, starts_on=MARCH_1)
    second = FacilitatorFactory(covers=[huveaune, elsewhere])
    rivals = coverage.rival_designations(huveaune, second, MARCH_1)
    assert [d.facilitator for d in rivals] == [first]
    assert coverage.rival_designations(elsewhere, second, MARCH_1) == []
    designate(huveaune, second, starts_on=MARCH_1)
    assert coverage.answer(land["marseille"]).status == "tied"
    assert set(coverage.ambiguous_designations()) == {aix, huveaune}


# -- 3. dates ---------------------------------------------------------------------------------


def test_only_designations_in_force_count(land):
    plie = FacilitatorFactory(covers=[land["accm"]])
    designation = designate(land["accm"], plie, starts_on=datetime.date(2020, 1, 1))
    assert coverage.answer(land["arles"]).status == "lead"
    designation.ends_on = datetime.date(2021, 12, 31)  # expired
    designation.save()
    assert coverage.answer(land["arles"]).status == "contact"
    designation.starts_on, designation.ends_on = datetime.date(2099, 1, 1), None  # not yet
    designation.save()
    assert coverage.answer(land["arles"]).status == "contact"
    # A buyer's designation too.
    officer = FacilitatorFactory()
    buyer = AuthorityFactory(lead=officer, perimeter=[land["d13"]], lead_starts_on=MARCH_1)
    assert coverage.answer(land["chateaurenard"], buyer).lead == officer
    buyer.lead_ends_on = datetime.date(2026, 6, 30)
    buyer.save()
    with time_machine.travel(datetime.datetime(2026, 7, 1, 9, tzinfo=PARIS), tick=False):
        assert coverage.answer(land["chateaurenard"], buyer).status == "white"
        assert buyer not in coverage.buyer_choice({})[0]


def test_a_designation_stops_counting_at_midnight_without_a_save(client, land, settings):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=PARIS), tick=False):
        plie = FacilitatorFactory(covers=[land["accm"]])
        other = FacilitatorFactory(covers=[land["arles"]])
        designate(land["accm"], plie, starts_on=MARCH_1, ends_on=datetime.date(2026, 6, 30))
        designate(land["arles"], other, starts_on=datetime.date(2026, 7, 1))
    url = "/api/v1/communes/13108/"
    with time_machine.travel(datetime.datetime(2026, 6, 30, 23, 58, tzinfo=PARIS), tick=False):
        assert coverage.answer(land["tarascon"]).lead == plie  # the directory is kept…
        assert coverage.answer(land["arles"]).lead == plie
        before = DirectoryChange.last()
        response = client.get(url)
        etag = response["ETag"]
        assert json.loads(response.content)["status"] == "lead"
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with time_machine.travel(datetime.datetime(2026, 7, 1, 0, 1, tzinfo=PARIS), tick=False):
        # …and, nothing saved, the next day it no longer counts: Tarascon has a contact,
        # Arles its new lead.
        assert coverage.answer(land["tarascon"]).status == "contact"
        assert coverage.answer(land["arles"]).lead == other
        assert DirectoryChange.last() > before
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200 and response["ETag"] != etag
        assert json.loads(response.content)["status"] == "contact"


def test_the_published_directory_is_kept_for_the_day(land, django_assert_max_num_queries):
    plie = FacilitatorFactory(covers=[land["accm"]])
    designate(land["accm"], plie, starts_on=MARCH_1)
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, tzinfo=PARIS), tick=False):
        first = coverage.published()
        with django_assert_max_num_queries(1):  # the version only
            assert coverage.published() is first
    with time_machine.travel(datetime.datetime(2026, 7, 1, 0, 1, tzinfo=PARIS), tick=False):
        assert coverage.published() is not first
        assert coverage.published().day == datetime.date(2026, 7, 1)


def test_the_explanation_and_the_commune_page_give_the_dates_and_reference(client, home, land):
    from conftest import publish_child
    from directory.models import DirectoryPage

    publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    plie = FacilitatorFactory(covers=[land["accm"]])
    designate(
        land["accm"],
        plie,
        "la CA Arles-Crau-Camargue",
        starts_on=MARCH_1,
        reference="Délibération 2026-045 du conseil communautaire",
    )
    page = text(client.get("/fr/annuaire/communes/13108/"))
    assert (
        "Chef de file désigné par la CA Arles-Crau-Camargue pour son territoire. En vigueur "
        "depuis le 1er mars 2026 (Délibération 2026-045 du conseil communautaire)."
    ) in page


def test_the_admin_listing_shows_dates_and_reference(admin_client, land):
    plie = FacilitatorFactory(covers=[land["accm"]])
    designate(
        land["accm"],
        plie,
        starts_on=MARCH_1,
        ends_on=datetime.date(2028, 2, 29),
        reference="Délibération 2026-045",
    )
    listing = reverse("wagtailsnippets_directory_leaddesignation:list")
    page = text(admin_client.get(listing))
    assert "Délibération 2026-045" in page and "1er mars 2026" in page
    assert "29 février 2028" in page
    ended = text(admin_client.get(listing, {"state": "ended"}))
    assert "Délibération 2026-045" not in ended


def test_existing_designations_start_on_the_day_they_were_recorded(land):
    migration = importlib.import_module("directory.migrations.0013_designation_dates_and_reference")
    plie = FacilitatorFactory(covers=[land["accm"]])
    with time_machine.travel(datetime.datetime(2025, 9, 15, 10, tzinfo=PARIS), tick=False):
        old = designate(land["accm"], plie)
        old.save_revision()
    unknown = designate(land["arles"], FacilitatorFactory(covers=[land["arles"]]))
    officer = FacilitatorFactory()
    with time_machine.travel(datetime.datetime(2025, 10, 2, 10, tzinfo=PARIS), tick=False):
        buyer = AuthorityFactory(lead=officer)
        buyer.save_revision()
    nobody = AuthorityFactory()
    LeadDesignation.objects.update(starts_on=datetime.date(2026, 12, 8))  # the column default
    migration.date_existing_designations(apps, None)
    old.refresh_from_db(), unknown.refresh_from_db(), buyer.refresh_from_db()
    nobody.refresh_from_db()
    assert old.starts_on == datetime.date(2025, 9, 15)
    assert unknown.starts_on == datetime.date(2026, 12, 8)  # unknown: today, as migrated
    assert buyer.lead_starts_on == datetime.date(2025, 10, 2)
    assert nobody.lead_starts_on is None


# -- 4. the round trip keeps every designation ------------------------------------------------


@pytest.fixture
def dated(land):
    """A record lead on its EPCI (dated, with a reference), another on a commune of its
    EPCI, and a third holding an older designation outside its coverage."""
    structure = StructureFactory(name="PLIE Test")
    lea = FacilitatorFactory(
        first_name="Léa", last_name="Martin", structure=structure, covers=[land["accm"]]
    )
    designate(
        land["accm"],
        lea,
        starts_on=MARCH_1,
        ends_on=datetime.date(2027, 2, 28),
        reference="Délibération 2026-045 | conseil communautaire",
    )
    yann = FacilitatorFactory(
        first_name="Yann", last_name="Petit", structure=structure, covers=[land["accm"]]
    )
    designate(land["tarascon"], yann, starts_on=datetime.date(2025, 1, 6))
    legacy = FacilitatorFactory(
        first_name="Zoé", last_name="Ancienne", structure=structure, covers=[land["arles"]]
    )
    designate(land["chateaurenard"], legacy, starts_on=datetime.date(2024, 5, 2))
    for facilitator in (lea, yann, legacy):
        facilitator.save_revision().publish()
    return {"lea": lea, "yann": yann, "legacy": legacy}


def snapshot():
    return sorted(
        LeadDesignation.objects.values_list(
            "pk", "facilitator", "territory", "designated_by", "starts_on", "ends_on", "reference"
        )
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_back_keeps_every_designation(admin_client, dated, fmt):
    before = snapshot()
    version = DirectoryChange.last()
    export = admin_client.get(reverse("directory_export", args=[fmt])).content
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(export.decode("utf-8-sig")), delimiter=";"))
        by_name = {row["nom"]: row for row in rows}
        assert by_name["Martin"]["chef_de_file"] == "oui"
        assert by_name["Martin"]["chef_de_file_details"] == (
            "241300417 du 2026-03-01 au 2027-02-28 : Délibération 2026-045 | conseil communautaire"
        )
        assert by_name["Petit"]["chef_de_file"] == "13108"
        assert by_name["Ancienne"]["chef_de_file"] == "13027"  # outside: written all the same
    errors, plan = transfer.preview(f"export.{fmt}", export, EVERYTHING)
    assert errors == [] and plan.unchanged == 3 and not plan.changes_anything
    warnings = [w for row in plan.rows for w in row.warnings]
    assert any("Châteaurenard (13027)" in w and "hors de la couverture" in w for w in warnings)
    response = admin_client.post(
        reverse("directory_import"),
        {"file": SimpleUploadedFile(f"export.{fmt}", export), "designated_by": "x"},
    )
    preview = text(admin_client.get(response["Location"]))
    assert "Ce fichier ne change rien" in preview
    assert "hors de la couverture de cette personne" in preview
    result = transfer.apply_file(f"export.{fmt}", export, EVERYTHING, "x")
    assert result.ok and result.created == result.updated == 0
    assert snapshot() == before and DirectoryChange.last() == version


def test_the_details_column_changes_dates_and_an_older_file_keeps_them(dated, land):
    rows = list(transfer.export_rows())
    header, body = rows[0], rows[1:]
    martin = next(row for row in body if row[3] == "Martin")
    column = header.index("chef_de_file_details")
    martin[column] = "241300417 du 01/03/2026 : Convention 2026-12"

    def file_of(header, rows):
        stream = io.StringIO()
        transfer.write_csv(stream, [header, *rows])
        return stream.getvalue().encode()

    errors, plan = transfer.preview("a.csv", file_of(header, body), EVERYTHING)
    assert errors == [] and plan.updated == 1
    (row,) = [row for row in plan.rows if row.action == transfer.UPDATE]
    (change,) = row.changes
    assert change.label == "Dates et références des désignations"
    assert change.new == "241300417 du 2026-03-01 : Convention 2026-12"
    result = transfer.apply_file("a.csv", file_of(header, body), EVERYTHING, "x")
    assert result.updated == 1
    designation = dated["lea"].lead_designations.get()
    assert (designation.starts_on, designation.ends_on, designation.reference) == (
        MARCH_1,
        None,
        "Convention 2026-12",
    )
    # A file of the older format (no details column) keeps the dates and references.
    old_header = [c for c in header if c != "chef_de_file_details"]
    old_rows = [
        [v for c, v in zip(header, r, strict=True) if c != "chef_de_file_details"] for r in body
    ]
    errors, plan = transfer.preview("old.csv", file_of(old_header, old_rows), EVERYTHING)
    assert errors == [] and plan.unchanged == 3


def test_the_import_applies_the_rule_and_reads_the_details(land):
    header = [*transfer.COLUMNS, "chef_de_file_details"]

    def row(coverage, lead, details=""):
        return [
            "PLIE Test", "plie", "Nina", "Nouvelle", "", "nina@example.org", "", "",
            coverage, lead, details,
        ]  # fmt: skip

    def errors_of(*rows):
        stream = io.StringIO()
        transfer.write_csv(stream, [header, *rows])
        return [
            (error.column, error.message)
            for error in transfer.preview("a.csv", stream.getvalue().encode(), EVERYTHING)[0]
        ]

    # A commune of a covered EPCI may be led; a commune outside may not.
    assert errors_of(row("241300417", "13108")) == []
    ((column, message),) = errors_of(row("241300417", "13027"))
    assert column == "chef_de_file"
    assert message.startswith("Nina Nouvelle ne couvre pas la commune de Châteaurenard")
    assert errors_of(row("13", "13004", "13004 du 2026-03-01 au 2026-02-01")) == [
        (
            "chef_de_file_details",
            "13004 : la date de fin doit être postérieure à la date de début.",
        )
    ]
    assert errors_of(row("13", "13004", "13108 du 2026-03-01"))[0][1] == (
        "13108 n'est pas dans la colonne chef_de_file de cette ligne."
    )
    assert "écrivez « CODE du AAAA-MM-JJ »" in errors_of(row("13", "13004", "13004 2026"))[0][1]


def test_the_import_preview_warns_of_a_designation_that_would_tie(land):
    first = FacilitatorFactory(first_name="Camille", last_name="Arnaud", covers=[land["accm"]])
    designate(land["accm"], first, "la CA Arles-Crau-Camargue", starts_on=MARCH_1)
    stream = io.StringIO()
    transfer.write_csv(
        stream,
        [
            transfer.COLUMNS,
            [
                "PLIE Test",
                "plie",
                "Nina",
                "Nouvelle",
                "",
                "nina@example.org",
                "",
                "",
                "241300417",
                "oui",
            ],
        ],  # fmt: skip
    )
    errors, plan = transfer.preview("a.csv", stream.getvalue().encode(), EVERYTHING)
    assert errors == [] and plan.created == 1
    (warning,) = [w for w in plan.rows[0].warnings if "même niveau" in w]
    assert warning == (
        "Camille Arnaud est déjà chef de file pour le territoire de la CA Arles-Crau-Camargue "
        "(désignation par la CA Arles-Crau-Camargue, en vigueur depuis le 1er mars 2026). Avec "
        "cette ligne, deux chefs de file seraient au même niveau : la coordination devra "
        "trancher."
    )


# -- 5. the API no longer calls a lead someone who does not work there ----------------------


def test_the_api_never_answers_lead_in_a_white_zone_for_a_territorial_designation(client, land):
    arles_only = FacilitatorFactory(covers=[land["arles"]])
    # Refused now…
    with pytest.raises(ValidationError):
        LeadDesignation(
            territory=land["chateaurenard"], facilitator=arles_only, designated_by="x"
        ).full_clean()
    # …and a row of an older version does not make a lead of someone who does not work there.
    designate(land["chateaurenard"], arles_only)
    data = json.loads(client.get("/api/v1/communes/13027/").content)
    assert data["white_zone"] is True and data["status"] == "white" and data["lead"] is None
    # Where the person does work, the designation still counts.
    designate(land["accm"], arles_only)
    data = json.loads(client.get("/api/v1/communes/13004/").content)
    assert data["status"] == "lead" and data["white_zone"] is False


def test_a_territory_without_loaded_communes_is_covered_by_itself_or_a_container(db):
    region = TerritoryFactory(kind="region", code="11", name="Île-de-France")
    departement = TerritoryFactory(
        kind="departement", code="92", name="Hauts-de-Seine", region=region
    )
    assert coverage.covers([region.pk], departement)
    assert not coverage.covers([departement.pk], region)
    assert not coverage.covers([], departement)
