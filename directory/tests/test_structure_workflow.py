"""A structure's page is proposed by its own facilitator accounts and approved by the
coordination of its territory, through the same workflow as their records
(`CoordinationApprovalTask`): a facilitator never publishes alone nor edits another structure."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowContentType
from wagtail.test.utils.form_data import rich_text

from conftest import flush_outbox, text
from directory.groups import ensure_workflow
from directory.models import Structure
from directory.tests import test_coordinations
from directory.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db

# The territories, coordinations and accounts of the coordination tests.
france = test_coordinations.france
people = test_coordinations.people


@pytest.fixture
def plie(people):
    structure = people["arles"].structure
    structure.presentation = "<p>Le PLIE d'Arles.</p>"
    structure.partner_others = "Mission locale"
    structure.save_revision().publish()
    return structure


def _form(structure, **changes):
    data = {
        "address": structure.address,
        "website": structure.website,
        "logo": "",
        "presentation": rich_text(structure.presentation),
        "partner_insertion": structure.partner_insertion,
        "partner_others": structure.partner_others,
    }
    data.update(changes)
    return data


def _edit(structure):
    return reverse("wagtailsnippets_directory_structure:edit", args=[structure.pk])


def _submit(client, structure, **changes):
    return client.post(_edit(structure), {**_form(structure, **changes), "action-submit": "1"})


def _action(structure, action):
    state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    return reverse(
        "wagtailsnippets_directory_structure:workflow_action",
        args=[structure.pk, action, state.pk],
    )


def test_structures_get_the_coordination_workflow_once():
    workflow = Structure.get_default_workflow()
    assert workflow is not None
    assert [task.specific_class.__name__ for task in workflow.tasks] == ["CoordinationApprovalTask"]
    ensure_workflow()  # idempotent, and an administrator's choice is left alone
    assert WorkflowContentType.objects.filter(workflow=workflow).count() == 2
    other = Workflow.objects.create(name="Autre circuit")
    WorkflowContentType.objects.filter(content_type__model="structure").update(workflow=other)
    ensure_workflow()
    assert Structure.get_default_workflow() == other


def test_a_facilitator_sees_and_edits_only_its_own_structure(client, people, plie):
    client.force_login(people["facilitator"])
    listing = text(client.get(reverse("wagtailsnippets_directory_structure:list")))
    assert "PLIE d'Arles" in listing and "Coordination 95 (structure)" not in listing
    other = people["argenteuil"].structure
    assert client.get(_edit(other)).status_code == 404
    assert client.post(_edit(other), {**_form(other), "action-submit": "1"}).status_code == 404
    # A structure employing nobody (just created by a coordinator) is not hers either.
    empty = StructureFactory(name="Structure sans facilitateur")
    assert client.get(_edit(empty)).status_code == 404
    assert client.get(reverse("wagtailsnippets_directory_structure:add")).status_code in (
        302,
        403,
    )
    page = client.get(_edit(plie))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="presentation"' in html and 'name="logo"' in html
    assert 'name="slug"' not in html and 'name="name"' not in html  # the coordination's


def test_a_facilitator_cannot_publish_its_structure_alone(client, people, plie):
    client.force_login(people["facilitator"])
    client.post(
        _edit(plie),
        {**_form(plie, presentation=rich_text("<p>Publié seul ?</p>")), "action-publish": "1"},
    )
    plie.refresh_from_db()
    assert "Publié seul" not in plie.presentation
    assert "Le PLIE d'Arles" in plie.presentation  # the public page is unchanged


def test_the_coordination_approves_a_structure_change(client, people, plie):
    client.force_login(people["facilitator"])
    mail.outbox.clear()
    response = _submit(client, plie, partner_others="Mission locale\nGEIQ BTP 13")
    assert response.status_code == 302
    plie.refresh_from_db()
    assert plie.workflow_in_progress and "GEIQ" not in plie.partner_others
    flush_outbox()
    told = [m for m in mail.outbox if m.subject.startswith("Fiche à valider")]
    assert told and set(told[0].to) == {"c13@example.org", "coordination.13@example.org"}
    assert "PLIE d'Arles" in told[0].body and "/admin/snippets/directory/structure/" in (
        told[0].body
    )
    dashboard = text(client.get(reverse("wagtailadmin_home")))
    assert "La page de votre structure : PLIE d'Arles" in dashboard
    assert "en attente de validation par votre coordination" in dashboard

    # Neither she nor the coordination of another territory can approve it.
    assert client.post(_action(plie, "approve")).status_code in (302, 403)
    client.force_login(people["m95"])
    assert client.post(_action(plie, "approve")).status_code in (403, 404)
    plie.refresh_from_db()
    assert plie.workflow_in_progress and "GEIQ" not in plie.partner_others

    mail.outbox.clear()
    client.force_login(people["m13"])
    assert client.post(_action(plie, "approve")).status_code in (200, 302)
    plie.refresh_from_db()
    assert "GEIQ BTP 13" in plie.partner_others and plie.live
    assert not plie.workflow_in_progress
    flush_outbox()
    assert any("camille@example.org" in message.to for message in mail.outbox)


def test_a_rejected_structure_change_is_mailed_and_shown_with_its_comment(client, people, plie):
    client.force_login(people["facilitator"])
    _submit(client, plie, website="https://plie-arles.example.org/")
    mail.outbox.clear()
    client.force_login(people["m13"])
    response = client.post(_action(plie, "reject"), {"comment": "Adresse du site à vérifier."})
    assert response.status_code in (200, 302)
    plie.refresh_from_db()
    assert plie.website != "https://plie-arles.example.org/"
    flush_outbox()
    to_her = [m for m in mail.outbox if "camille@example.org" in m.to]
    assert to_her and "Adresse du site à vérifier." in to_her[0].body
    client.force_login(people["facilitator"])
    dashboard = text(client.get(reverse("wagtailadmin_home")))
    assert "Modification refusée par votre coordination" in dashboard
    assert "Adresse du site à vérifier." in dashboard
