"""The requests' policy (`referrals.policies`) and the inbox's choice lists that ask it: who
may follow a request ("suivie par") and to whom a coordination may hand it. A coordination
of another territory is never offered, and posting its id changes nothing."""

import pytest
from django.core import mail

from conftest import flush_outbox
from portal import policies
from referrals.models import ProjectRequest, RequestEvent
from referrals.policies import assignees, handover_targets
from referrals.tests.test_admin import requests  # noqa: F401 (fixture)
from referrals.tests.test_inbox import OWN, act, body, c95, page  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def options(html, name):
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_the_requests_policy_is_registered_and_narrows_by_territory(people, c13, c95, requests):  # noqa: F811
    policy = policies.policy_for(ProjectRequest)
    assert policy is not None
    everything = ProjectRequest.objects.all()
    assert set(policies.visible(c95, everything)) == set()  # no request in 95
    member13 = c13.members.get()
    subjects = {p.subject for p in policies.visible(member13, everything)}
    assert OWN in subjects and "Entretien des espaces verts" not in subjects  # Pertuis is 84
    assert set(policies.visible(people["coordinator"], everything)) == set(everything)
    assert policy.may_see(people["plie_user"], requests[OWN])
    assert not policy.may_see(people["pertuis_user"], requests[OWN])


def test_only_the_territorys_people_may_follow_a_request(people, c13, c95, requests):  # noqa: F811
    project = requests[OWN]  # Tarascon (13), addressed to the Arles PLIE
    offered = set(assignees(project))
    assert {people["plie_user"], c13.members.get(), people["coordinator"]} <= offered
    assert c95 not in offered  # the Val-d'Oise coordination: not its territory
    assert people["pertuis_user"] not in offered  # another structure's facilitator


def test_coordination_95_is_not_offered_and_cannot_be_posted(client, people, c13, c95, requests):  # noqa: F811
    project = requests[OWN]
    flush_outbox()
    mail.outbox.clear()
    client.force_login(c13.members.get())
    listed = options(page(client, project), "assignee")
    assert "Nora Petit" in listed and ">coordination<" in listed  # its member, the national
    assert f'value="{c95.pk}"' not in listed and ">c95<" not in listed
    response = act(client, project, "assign", assignee=str(c95.pk))
    assert response.status_code == 400
    assert "Cette personne ne peut pas suivre cette demande" in body(response)
    project.refresh_from_db()
    assert project.assignee is None
    assert not project.events.filter(kind=RequestEvent.Kind.ASSIGNED).exists()
    flush_outbox()
    assert mail.outbox == []


def test_a_coordination_hands_a_request_within_its_territory(client, people, c13, requests):  # noqa: F811
    project = requests[OWN]
    member = c13.members.get()
    near, others = handover_targets(project, member)
    assert people["plie"] not in near + others  # the present handler
    assert people["officer"] in others  # the Département's officer: inside 13
    assert people["pertuis"] not in others  # Vaucluse: outside the coordination's territory
    client.force_login(member)
    listed = options(page(client, project), "to")
    assert "Marion Chevalier" in listed and "Jules Roux" not in listed
    response = act(client, project, "reroute", to=str(people["pertuis"].pk), message="Essai")
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.routed_to == people["plie"]
    assert not project.events.filter(kind=RequestEvent.Kind.REROUTED).exists()
    # The national coordination, and a facilitator, may hand it to any published facilitator.
    assert people["pertuis"] in handover_targets(project, people["coordinator"])[1]
    assert people["pertuis"] in handover_targets(project, people["plie_user"])[1]
    assert people["pertuis"] in handover_targets(project)[1]  # the e-mail link's form
