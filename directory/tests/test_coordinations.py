"""Coordinations: the answer names the commune's coordination, and each member works inside
its territory only (listing, edit, chooser, export, reports, requests); facilitators propose
changes to their own record through the coordination's workflow."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import TaskState

from conftest import flush_outbox, text
from directory import coverage, scope
from directory.groups import COORDINATORS, FACILITATORS
from directory.models import Coordination, Facilitator, Territory
from directory.names import normalise
from directory.tests.factories import (
    CoordinationFactory,
    FacilitatorFactory,
    StructureFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db
K = Territory.Kind


@pytest.fixture
def france(db):
    """Five départements in four régions, one commune each (two in 13), and their
    coordinations as in the demo: 95 and 13 departmental, régions 11 and 75, the national."""
    regions = {
        code: TerritoryFactory(kind=K.REGION, code=code, name=name)
        for code, name in [
            ("93", "Provence-Alpes-Côte d'Azur"),
            ("11", "Île-de-France"),
            ("75", "Nouvelle-Aquitaine"),
            ("32", "Hauts-de-France"),
        ]
    }
    places = {}
    for dep, region, name, communes in [
        ("13", "93", "Bouches-du-Rhône", [("13004", "Arles"), ("13027", "Châteaurenard")]),
        ("95", "11", "Val-d'Oise", [("95018", "Argenteuil")]),
        ("92", "11", "Hauts-de-Seine", [("92050", "Nanterre")]),
        ("40", "75", "Landes", [("40088", "Dax")]),
        ("59", "32", "Nord", [("59350", "Lille")]),
    ]:
        departement = TerritoryFactory(
            kind=K.DEPARTEMENT, code=dep, name=name, region=regions[region]
        )
        places[f"d{dep}"] = departement
        epci = TerritoryFactory(kind=K.EPCI, code=f"2{dep}000000", name=f"CA {name}")
        places[f"epci{dep}"] = epci
        for code, commune in communes:
            places[normalise(commune).replace(" ", "")] = TerritoryFactory(
                code=code,
                name=commune,
                departement=departement,
                region=regions[region],
                epci=epci,
            )
    # Châteaurenard is in another EPCI than Arles: a white zone when Arles's EPCI is covered.
    places["chateaurenard"].epci = TerritoryFactory(kind=K.EPCI, code="200035087", name="CA TdP")
    places["chateaurenard"].save()
    places.update({f"r{code}": region for code, region in regions.items()})
    kinds = Coordination.Kind
    places["c95"] = CoordinationFactory(
        name="Coordination du Val-d'Oise",
        kind=kinds.DEPARTEMENTAL,
        email="c95@example.org",
        territories=[places["d95"]],
    )
    places["c13"] = CoordinationFactory(
        name="Coordination des Bouches-du-Rhône",
        kind=kinds.DEPARTEMENTAL,
        email="c13@example.org",
        phone="01 00 00 01 13",
        territories=[places["d13"]],
    )
    places["c11"] = CoordinationFactory(
        name="Mission d'appui d'Île-de-France",
        kind=kinds.REGIONAL,
        email="idf@example.org",
        territories=[places["r11"]],
    )
    places["c75"] = CoordinationFactory(
        name="Réseau de Nouvelle-Aquitaine",
        kind=kinds.REGIONAL,
        email="na@example.org",
        territories=[places["r75"]],
    )
    places["national"] = CoordinationFactory(
        name="Coordination nationale", kind=kinds.NATIONAL, email="nationale@example.org"
    )
    return places


@pytest.fixture
def people(france, django_user_model):
    def member(username, coordination):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pass-word-123"
        )
        user.groups.add(Group.objects.get(name=COORDINATORS))
        coordination.members.add(user)
        return user

    arles = FacilitatorFactory(
        first_name="Camille",
        last_name="Arnaud",
        email="camille@example.org",
        covers=[france["epci13"]],
        structure=StructureFactory(name="PLIE d'Arles"),
    )
    arles.save_revision().publish()
    argenteuil = FacilitatorFactory(
        first_name="Hugo",
        last_name="Mercier",
        covers=[france["d95"]],
        structure=StructureFactory(name="Coordination 95 (structure)"),
    )
    facilitator_user = django_user_model.objects.create_user(
        "facilitatrice", "camille@example.org", "pass-word-123"
    )
    facilitator_user.groups.add(Group.objects.get(name=FACILITATORS))
    arles.user = facilitator_user
    arles.save()
    return {
        "arles": arles,
        "argenteuil": argenteuil,
        "m95": member("coordination.95", france["c95"]),
        "m13": member("coordination.13", france["c13"]),
        "national": member("nationale", france["national"]),
        "facilitator": facilitator_user,
    }


def test_the_coordination_of_a_commune_is_the_smallest_containing_it(france):
    assert coverage.coordination_for(france["arles"]) == france["c13"]  # departmental
    assert coverage.coordination_for(france["nanterre"]) == france["c11"]  # région 11
    assert coverage.coordination_for(france["dax"]) == france["c75"]  # région 75
    assert coverage.coordination_for(france["lille"]) == france["national"]  # nobody else
    # A departmental coordination wins over the regional one containing it.
    assert coverage.coordination_for(france["argenteuil"]) == france["c95"]
    # The many-commune path says the same.
    communes = Territory.objects.communes()
    assert {a.commune.code: a.coordination for a in coverage.answers(communes)} == {
        "13004": france["c13"],
        "13027": france["c13"],
        "95018": france["c95"],
        "92050": france["c11"],
        "40088": france["c75"],
        "59350": france["national"],
    }


def test_the_white_zone_answer_names_its_coordination_and_contact(france):
    answer = coverage.answer(france["chateaurenard"])
    assert answer.status == "white" and answer.coordination == france["c13"]
    html = render_to_string("directory/includes/answer.html", {"answer": answer})
    assert "Coordination des Bouches-du-Rhône" in html
    assert "mailto:c13@example.org" in html and "01 00 00 01 13" in html
    lille = render_to_string(
        "directory/includes/answer.html", {"answer": coverage.answer(france["lille"])}
    )
    assert "Coordination nationale" in lille and "nationale@example.org" in lille


def test_a_member_of_95_does_not_reach_a_facilitator_of_13(client, people):
    client.force_login(people["m95"])
    arles = people["arles"]
    listing = text(client.get(reverse("wagtailsnippets_directory_facilitator:list")))
    assert "Mercier" in listing and "Arnaud" not in listing
    for name in ("edit", "history", "delete", "usage", "unpublish"):
        url = reverse(f"wagtailsnippets_directory_facilitator:{name}", args=[arles.pk])
        assert client.get(url).status_code == 404, name
    edit = reverse("wagtailsnippets_directory_facilitator:edit", args=[arles.pk])
    assert client.post(edit, {"first_name": "X"}).status_code == 404
    # The facilitator chooser (used by lead designations) neither lists nor returns it.
    chooser = client.get(reverse("wagtailsnippetchoosers_directory_facilitator:choose"))
    assert "Mercier" in text(chooser) and "Arnaud" not in text(chooser)
    chosen = reverse("wagtailsnippetchoosers_directory_facilitator:chosen", args=[arles.pk])
    assert client.get(chosen).status_code == 404
    # The territory chooser offers its own territory only.
    territories = text(client.get(reverse("territory_chooser:choose") + "?q=arles"))
    assert "Arles" not in territories
    # The exports hold its territory only.
    export = client.get(reverse("directory_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[3] for row in rows[1:]] == ["Mercier"]
    geojson = client.get(reverse("directory_export", args=["geojson"])).json()
    assert all(f["properties"]["facilitator"] != "Camille Arnaud" for f in geojson["features"])
    # A bulk action naming it finds nothing (`ScopedDeleteBulkAction`).
    bulk = (
        reverse("wagtail_bulk_action", args=["directory", "facilitator", "delete"])
        + f"?id={arles.pk}"
    )
    assert client.post(bulk).status_code == 404  # as if it did not exist
    assert Facilitator.objects.filter(pk=arles.pk).exists()


def test_a_member_of_13_edits_and_publishes_inside_13_only(client, people, france):
    client.force_login(people["m13"])
    arles = people["arles"]
    edit = reverse("wagtailsnippets_directory_facilitator:edit", args=[arles.pk])
    assert client.get(edit).status_code == 200
    data = _facilitator_form(arles, [france["epci13"]], job_title="Facilitatrice")
    response = client.post(edit, {**data, "action-publish": "publish"})
    assert response.status_code == 302
    arles.refresh_from_db()
    assert arles.job_title == "Facilitatrice" and arles.live
    # A territory of 95 is refused with a message, and nothing changes.
    data = _facilitator_form(arles, [france["d95"]], job_title="Ailleurs")
    response = client.post(edit, {**data, "action-publish": "publish"})
    assert response.status_code == 200
    assert "hors du territoire de votre coordination" in text(response)
    arles.refresh_from_db()
    assert arles.job_title == "Facilitatrice"
    assert set(arles.coverage.all()) == {france["epci13"]}


def test_national_members_and_superusers_see_everything(client, people, admin_user):
    for user in (people["national"], admin_user):
        client.force_login(user)
        listing = text(client.get(reverse("wagtailsnippets_directory_facilitator:list")))
        assert "Mercier" in listing and "Arnaud" in listing


def test_white_zones_and_dashboard_of_a_member_are_those_of_its_territory(client, people, france):
    client.force_login(people["m95"])
    report = text(client.get(reverse("directory_white_zones")))
    assert "Argenteuil" not in report  # covered by the département's facilitator
    assert "Châteaurenard" not in report and "Nanterre" not in report and "Dax" not in report
    client.force_login(people["m13"])
    report = text(client.get(reverse("directory_white_zones")))
    assert "Châteaurenard" in report and "Nanterre" not in report and "Lille" not in report
    other = text(client.get(reverse("directory_white_zones") + "?departement=92"))
    assert "Nanterre" not in other
    dashboard = text(client.get(reverse("wagtailadmin_home")))
    assert "Bouches-du-Rhône (13)" in dashboard and "Hauts-de-Seine" not in dashboard


def test_the_coordination_admin_is_for_national_administrators(client, people, admin_user):
    client.force_login(people["m95"])
    url = reverse("wagtailsnippets_directory_coordination:edit", args=[people["m95"].pk])
    assert client.get(url).status_code in (403, 404)
    client.force_login(admin_user)
    listing = client.get(reverse("wagtailsnippets_directory_coordination:list"))
    assert "Coordination du Val-d&#x27;Oise" in listing.content.decode()


# -- the facilitator's own record, through the coordination's workflow --------------------


def _facilitator_form(facilitator, territories, **changes):
    data = {
        "first_name": facilitator.first_name,
        "last_name": facilitator.last_name,
        "job_title": facilitator.job_title,
        "structure": facilitator.structure_id,
        "email": facilitator.email,
        "phone": facilitator.phone,
        "sectors": facilitator.sectors,
        "last_verified": facilitator.last_verified.isoformat(),
        "coverage_items-TOTAL_FORMS": str(len(territories)),
        "coverage_items-INITIAL_FORMS": "0",
        "coverage_items-MIN_NUM_FORMS": "0",
        "coverage_items-MAX_NUM_FORMS": "1000",
    }
    for index, territory in enumerate(territories):
        data[f"coverage_items-{index}-territory"] = territory.pk
        data[f"coverage_items-{index}-ORDER"] = str(index + 1)
    data.update(changes)
    return data


def _submit(client, facilitator, territories, **changes):
    edit = reverse("wagtailsnippets_directory_facilitator:edit", args=[facilitator.pk])
    return client.post(
        edit, {**_facilitator_form(facilitator, territories, **changes), "action-submit": "1"}
    )


def _action(facilitator, action):
    state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    return reverse(
        "wagtailsnippets_directory_facilitator:workflow_action",
        args=[facilitator.pk, action, state.pk],
    )


def test_a_facilitator_edits_only_its_own_record_and_cannot_publish(client, people, france):
    client.force_login(people["facilitator"])
    listing = text(client.get(reverse("wagtailsnippets_directory_facilitator:list")))
    assert "Arnaud" in listing and "Mercier" not in listing
    other = reverse("wagtailsnippets_directory_facilitator:edit", args=[people["argenteuil"].pk])
    assert client.get(other).status_code == 404
    arles = people["arles"]
    edit = reverse("wagtailsnippets_directory_facilitator:edit", args=[arles.pk])
    page = client.get(edit)
    assert page.status_code == 200
    assert 'name="last_verified"' not in page.content.decode()  # the coordination's field
    client.post(
        edit,
        {
            **_facilitator_form(arles, [france["epci13"]], phone="01 00 00 00 77"),
            "action-publish": "1",
        },
    )
    arles.refresh_from_db()
    assert arles.phone != "01 00 00 00 77"  # a draft at most: the public sees no change


def test_the_coordination_of_13_approves_a_proposal_and_it_is_published(client, people, france):
    arles = people["arles"]
    client.force_login(people["facilitator"])
    mail.outbox.clear()
    response = _submit(client, arles, [france["epci13"]], phone="01 00 00 00 55")
    assert response.status_code == 302
    # The closest coordination (13's, not the national one nor 95's) is told.
    flush_outbox()
    told = [m for m in mail.outbox if m.subject.startswith("Fiche à valider")]
    assert told and set(told[0].to) == {"c13@example.org", "coordination.13@example.org"}
    arles.refresh_from_db()
    assert arles.phone != "01 00 00 00 55" and arles.workflow_in_progress
    # She sees the state of her record on her dashboard.
    dashboard = text(client.get(reverse("wagtailadmin_home")))
    assert "en attente de validation par votre coordination" in dashboard

    # She cannot approve her own proposal, nor see it among those to review.
    assert client.post(_action(arles, "approve")).status_code in (302, 403)
    arles.refresh_from_db()
    assert arles.workflow_in_progress and arles.phone != "01 00 00 00 55"
    task = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS).task.specific
    assert not task.get_task_states_user_can_moderate(people["facilitator"]).exists()
    assert task.get_task_states_user_can_moderate(people["m13"]).exists()
    assert not task.get_task_states_user_can_moderate(people["m95"]).exists()

    # The coordination of 95 cannot approve it (the record is outside its territory).
    client.force_login(people["m95"])
    assert client.post(_action(arles, "approve")).status_code in (403, 404)
    arles.refresh_from_db()
    assert arles.workflow_in_progress

    mail.outbox.clear()
    client.force_login(people["m13"])
    response = client.post(_action(arles, "approve"))
    assert response.status_code in (200, 302)
    arles.refresh_from_db()
    assert arles.phone == "01 00 00 00 55" and not arles.workflow_in_progress
    assert arles.live
    flush_outbox()
    assert any("camille@example.org" in message.to for message in mail.outbox)


def test_a_rejection_with_a_comment_is_mailed_to_the_facilitator(client, people, france):
    arles = people["arles"]
    client.force_login(people["facilitator"])
    _submit(client, arles, [france["epci13"], france["chateaurenard"]])
    mail.outbox.clear()
    client.force_login(people["m13"])
    response = client.post(
        _action(arles, "reject"), {"comment": "Châteaurenard relève d'une autre structure."}
    )
    assert response.status_code in (200, 302)
    arles.refresh_from_db()
    assert set(arles.coverage.all()) == {france["epci13"]}  # nothing published
    assert not arles.workflow_in_progress
    flush_outbox()
    to_her = [m for m in mail.outbox if "camille@example.org" in m.to]
    assert to_her and "Châteaurenard relève d'une autre structure." in to_her[0].body


def test_approvers_are_the_members_of_the_coordinations_of_the_record(people):
    approvers = set(scope.approvers(people["arles"]))
    assert people["m13"] in approvers and people["national"] in approvers
    assert people["m95"] not in approvers and people["facilitator"] not in approvers


def test_a_coordination_s_territories_fit_its_kind(client, admin_user, france):
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtailsnippets_directory_coordination:add"),
        {
            "name": "Coordination régionale mal faite",
            "kind": "regional",
            "territories": [france["d13"].pk],
            "email": "x@example.org",
        },
    )
    assert response.status_code == 200
    assert "Une coordination régionale couvre une région." in text(response)
    assert not Coordination.objects.filter(name="Coordination régionale mal faite").exists()
