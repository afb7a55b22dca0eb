"""The reports are scoped like the directory: a coordination sees, edits, validates, copies,
exports and uploads only the reports of the structures at work in its territory (a structure
across two départements: both coordinations); another's report is a 404."""

import io

import pytest
from django.urls import reverse

from conftest import text
from directory.tests.factories import StructureFactory
from observatory import policies, xlsx
from observatory.models import StructureReport
from observatory.tests.factories import ReportFactory
from portal import policies as portal_policies

pytestmark = pytest.mark.django_db
Status = StructureReport.Status
LIST = "wagtailsnippets_observatory_structurereport:list"


def url(action, report):
    return reverse(f"wagtailsnippets_observatory_structurereport:{action}", args=[report.pk])


@pytest.fixture
def reports(world):
    return {
        "arles": ReportFactory(structure=world["arles"], year=2025, status=Status.VALIDATED),
        "roissy": ReportFactory(structure=world["roissy"], year=2025, status=Status.SUBMITTED),
        "metro": ReportFactory(structure=world["metro"], year=2025, status=Status.SUBMITTED),
    }


def form_data(report, **changes):
    data = {
        "structure": report.structure_id,
        "year": report.year,
        "status": report.status,
        "structure_comment": "",
        "review_comment": "",
        "hours_total": report.hours_total,
        "people_total": report.people_total,
    }
    for relation in ("authority_hours", "departement_split"):
        data.update(
            {
                f"{relation}-TOTAL_FORMS": 0,
                f"{relation}-INITIAL_FORMS": 0,
                f"{relation}-MIN_NUM_FORMS": 0,
                f"{relation}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(changes)
    return data


def test_a_coordination_reaches_no_report_of_another_departement(client, world, reports):
    foreign = reports["arles"]  # Bouches-du-Rhône, validated: feeds the public figures
    client.force_login(world["c95"])

    listing = text(client.get(reverse(LIST)))
    assert "Maison de l'emploi de Roissy" in listing
    assert "PLIE Arles" not in listing and "Métropole" not in listing
    export = client.get(reverse(LIST), {"export": "csv"})
    assert export.status_code == 200
    exported = b"".join(export.streaming_content).decode()
    assert "Roissy" in exported and "Arles" not in exported

    for action in ("edit", "copy", "history", "usage", "delete"):
        assert client.get(url(action, foreign)).status_code == 404, action
    # Neither changed nor validated nor refused by a POST.
    for status in (Status.VALIDATED, Status.REJECTED, Status.DRAFT):
        response = client.post(
            url("edit", foreign),
            form_data(foreign, status=status, hours_total=1, review_comment="Non."),
        )
        assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.VALIDATED and foreign.hours_total == 1000
    assert not policies.may_validate(world["c95"], foreign)

    chooser = text(client.get(reverse("wagtailsnippetchoosers_observatory_structurereport:choose")))
    assert "Roissy" in chooser and "Arles" not in chooser
    chosen = reverse("wagtailsnippetchoosers_observatory_structurereport:chosen", args=[foreign.pk])
    assert client.get(chosen).status_code == 404

    # Nor entered anew through the form or the XLSX upload: refused with a message.
    before = StructureReport.objects.count()
    add = client.post(
        reverse("wagtailsnippets_observatory_structurereport:add"),
        form_data(foreign, year=2026, status=Status.DRAFT),
    )
    assert add.status_code == 200
    assert "Choisissez une structure de votre territoire." in text(add)
    template = client.get(
        reverse("observatory_xlsx_template"), {"structure": world["arles"].pk, "year": 2025}
    )
    assert template.status_code == 302
    workbook = io.BytesIO(xlsx.template_workbook(world["arles"], 2026, None))
    workbook.name = "bilan.xlsx"
    upload = client.post(
        reverse("observatory_xlsx"),
        {"structure": world["arles"].pk, "year": 2026, "file": workbook},
    )
    assert upload.status_code == 200
    assert "n'est pas dans votre territoire" in text(upload)
    assert StructureReport.objects.count() == before
    assert list(upload.context["form"].fields["structure"].queryset) == [world["roissy"]]


def test_the_coordination_of_the_territory_validates_its_reports(client, world, reports):
    report = reports["roissy"]
    client.force_login(world["c95"])
    assert client.get(url("edit", report)).status_code == 200
    response = client.post(url("edit", report), form_data(report, status=Status.VALIDATED))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.VALIDATED and report.validated_by == world["c95"]


def test_a_structure_across_two_departements_is_seen_by_both_coordinations(world, reports):
    metro = reports["metro"]
    for name, sees in (("c13", True), ("c84", True), ("c95", False), ("national", True)):
        user = world[name]
        assert portal_policies.policy_for(StructureReport).may_see(user, metro) is sees, name
        assert policies.may_validate(user, metro) is sees, name
    assert world["arles"] not in policies.reportable_structures(world["c84"])
    # A structure that employs nobody yet is in no territory: the national coordination's.
    newcomer = StructureFactory(name="Nouvelle structure")
    assert newcomer not in policies.reportable_structures(world["c84"])
    assert newcomer in policies.reportable_structures(world["national"])


def test_the_report_form_offers_the_territorys_structures_and_departements(client, world):
    client.force_login(world["c13"])
    response = client.get(reverse("wagtailsnippets_observatory_structurereport:add"))
    form = response.context["form"]
    assert set(form.fields["structure"].queryset) == {
        world["arles"],
        world["tarascon"],
        world["metro"],
    }
    split = form.formsets["departement_split"].empty_form
    assert set(split.fields["departement"].queryset) == {world["d13"], world["d84"]}
    prefilled = client.get(
        reverse("wagtailsnippets_observatory_structurereport:add"),
        {"structure": world["metro"].pk, "year": "2026"},
    )
    assert prefilled.context["form"].initial["structure"] == world["metro"].pk
    assert prefilled.context["form"].initial["year"] == 2026
    # Another territory's structure is not prefilled.
    other = client.get(
        reverse("wagtailsnippets_observatory_structurereport:add"),
        {"structure": world["roissy"].pk},
    )
    assert other.context["form"].initial.get("structure") is None


def test_a_facilitator_neither_validates_nor_changes_a_validated_report(client, world, reports):
    client.force_login(world["facilitatrice"])
    own = reports["arles"]
    assert client.get(url("edit", reports["roissy"])).status_code == 404
    response = client.post(url("edit", own), form_data(own, status=Status.DRAFT, hours_total=5))
    assert "seule la coordination peut le modifier" in text(response)
    own.status = Status.DRAFT
    own.save()
    refused = client.post(url("edit", own), form_data(own, status=Status.VALIDATED))
    assert "Seule la coordination peut valider ou refuser un bilan." in text(refused)
    own.refresh_from_db()
    assert own.status == Status.DRAFT


def test_the_dashboard_counts_the_territorys_reports_waiting(client, world, reports):
    client.force_login(world["c95"])
    page = text(client.get(reverse("wagtailadmin_home")))
    assert "1 bilan en attente de validation" in page
    assert f"{reverse(LIST)}?status=submitted" in page
    client.force_login(world["national"])
    assert "2 bilans en attente de validation" in text(client.get(reverse("wagtailadmin_home")))
    client.force_login(world["facilitatrice"])
    assert "en attente de validation" not in text(client.get(reverse("wagtailadmin_home")))


def test_the_site_history_keeps_to_the_territorys_reports(client, world, reports):
    for name, report in (("c13", reports["arles"]), ("c95", reports["roissy"])):
        client.force_login(world[name])
        client.post(url("edit", report), form_data(report, hours_total=1234))
    client.cookies.clear()  # no "saved" message left from the edits
    client.force_login(world["c95"])
    history = text(client.get("/admin/reports/site-history/"))
    assert "Maison de l'emploi de Roissy — 2025" in history
    assert "PLIE Arles — 2025" not in history
    client.force_login(world["national"])
    assert "PLIE Arles — 2025" in text(client.get("/admin/reports/site-history/"))
