"""The request's page in the admin: where it stands, its history and its actions (take,
re-route, assign, reply, clause, close), each a POST checked against who may act; the
overdue and escalated filters; the dashboard counters of the viewer's scope."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from conftest import flush_outbox, text
from directory.models import Coordination
from directory.tests.factories import CoordinationFactory, FacilitatorFactory, TerritoryFactory
from referrals.models import ProjectRequest, RequestEvent
from referrals.tests.test_admin import requests  # noqa: F401 (fixture)
from referrals.tests.test_referrals import send

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
Kind = RequestEvent.Kind
OWN = "Réhabilitation de l'école Jean-Moulin"  # Tarascon → Camille Arnaud (PLIE)
PERTUIS = "Entretien des espaces verts"  # → Jules Roux
WHITE = "Voirie de Châteaurenard"  # white zone → the coordination


def body(response):
    return text(response).replace("&#x27;", "'")


def act(client, project, action, **data):
    return client.post(reverse("demandes:action", args=[project.pk, action]), data)


def page(client, project):
    return body(client.get(reverse("demandes:edit", args=[project.pk])))


@pytest.fixture
def c95(people, land, django_user_model):
    """The Val-d'Oise coordination and its member: nothing to do with the 13."""
    K = land["d13"].Kind
    d95 = TerritoryFactory(kind=K.DEPARTEMENT, code="95", name="Val-d'Oise")
    TerritoryFactory(code="95018", name="Argenteuil", departement=d95)
    member = django_user_model.objects.create_user("c95", "c95@example.org", "pass-word-123")
    member.groups.add(*people["coordinator"].groups.all())
    CoordinationFactory(
        name="Coordination 95",
        kind=Coordination.Kind.DEPARTEMENTAL,
        territories=[d95],
        members=[member],
    )
    return member


@pytest.fixture
def mailed(requests):  # noqa: F811
    flush_outbox()
    mail.outbox.clear()
    return requests


def test_the_facilitator_sees_status_dates_actions_and_history(client, people, mailed):
    client.force_login(people["plie_user"])
    html = page(client, mailed[OWN])
    assert "Où en est la demande" in html and "Nouvelle" in html
    assert "Réponse attendue au plus tard le" in html
    for label in (
        "Je m'en occupe",
        "Clause rédigée",
        "Close sans clause",
        "Transmettre",
        "Décliner",
        "Confier le suivi",
        "Envoyer au donneur d'ordre",
    ):
        assert label in html, label
    assert "Réorienter" not in html  # the coordination's
    assert "Historique" in html and "Reçue" in html
    # The status and the follower are not edited in the form any more: only the notes.
    assert 'name="status"' not in html and 'name="notes"' in html


def test_taking_a_request_records_it_and_tells_the_sender(client, people, mailed):
    project = mailed[OWN]
    client.force_login(people["plie_user"])
    response = act(client, project, "acknowledge")
    assert response.status_code == 302
    assert response["Location"] == reverse("demandes:edit", args=[project.pk])
    project.refresh_from_db()
    assert project.status == "acknowledged" and project.acknowledged_at is not None
    event = project.events.get(kind=Kind.ACKNOWLEDGED)
    assert event.actor == people["plie_user"]
    flush_outbox()
    assert ["alice@example.org"] in [m.to for m in mail.outbox]
    html = page(client, project)
    assert "Demande prise en compte" in html  # the message
    assert "Prise en compte le" in html  # its date
    assert "Je m'en occupe" not in html  # not twice
    # Again, from a stale page: refused, nothing changes.
    response = act(client, project, "acknowledge")
    assert response.status_code == 302
    assert project.events.filter(kind=Kind.ACKNOWLEDGED).count() == 1
    assert "pas possible" in page(client, project)


def test_a_get_changes_nothing(client, people, mailed):
    project = mailed[OWN]
    client.force_login(people["plie_user"])
    response = client.get(reverse("demandes:action", args=[project.pk, "acknowledge"]))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "new"


def test_the_coordination_reroutes_both_facilitators_are_told(client, people, c13, mailed):
    project = mailed[OWN]
    client.force_login(c13.members.get())
    html = page(client, project)
    assert "Réorienter" in html and "Décliner" not in html
    response = act(
        client, project, "reroute", to=str(people["officer"].pk), message="Marché du Département."
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.routed_to == people["officer"] and project.status == "new"
    event = project.events.get(kind=Kind.REROUTED)
    assert event.facilitator == people["officer"] and event.message == "Marché du Département."
    assert event.actor_label == "Nora Petit"
    flush_outbox()
    recipients = {address for message in mail.outbox for address in message.to}
    assert people["officer"].email in recipients  # the new handler
    assert people["plie"].email in recipients  # the previous one
    assert "alice@example.org" in recipients  # the sender
    # The history keeps every step.
    html = page(client, project)
    assert "Réorientée" in html and "Marché du Département." in html and "Reçue" in html


def test_a_bad_reroute_loses_nothing(client, people, c13, mailed):
    project = mailed[OWN]
    client.force_login(c13.members.get())
    response = act(client, project, "reroute", to="999999", message="Texte à garder")
    assert response.status_code == 400
    html = body(response)
    assert "Texte à garder" in html and "Rien n'a été modifié" in html
    project.refresh_from_db()
    assert project.routed_to == people["plie"]


def test_a_coordination_of_95_cannot_act_on_a_request_of_13(client, people, c95, mailed):
    project = mailed[OWN]
    client.force_login(c95)
    for action, data in (
        ("acknowledge", {}),
        ("reroute", {"to": str(people["pertuis"].pk), "message": "x"}),
        ("reply", {"body": "Bonjour"}),
        ("assign", {"assignee": str(c95.pk)}),
    ):
        assert act(client, project, action, **data).status_code == 404, action
    assert client.get(reverse("demandes:edit", args=[project.pk])).status_code == 404
    project.refresh_from_db()
    assert project.status == "new" and project.routed_to == people["plie"]
    assert project.assignee is None
    assert not project.events.exclude(kind=Kind.RECEIVED).exists()
    flush_outbox()
    assert mail.outbox == []


def test_a_facilitator_cannot_act_on_anothers_request_nor_reroute(client, people, mailed):
    client.force_login(people["plie_user"])
    assert act(client, mailed[PERTUIS], "acknowledge").status_code == 404
    own = mailed[OWN]
    response = act(client, own, "reroute", to=str(people["pertuis"].pk), message="À toi.")
    assert response.status_code == 302  # refused with a message: forwarding is theirs
    own.refresh_from_db()
    assert own.routed_to == people["plie"]
    assert "pas possible" in page(client, own)


def test_the_facilitator_forwards_and_loses_sight_of_it(client, people, mailed):
    own = mailed[OWN]
    client.force_login(people["plie_user"])
    response = act(client, own, "forward", to=str(people["pertuis"].pk), message="Ton secteur.")
    assert response.status_code == 302 and response["Location"] == reverse("demandes:index")
    own.refresh_from_db()
    assert own.routed_to == people["pertuis"]
    assert own.events.get(kind=Kind.FORWARDED).message == "Ton secteur."


def test_assign_to_a_named_person_who_may_follow_it(client, people, mailed, django_user_model):
    colleague = django_user_model.objects.create_user(
        "ines", "ines.faure@example.org", "pass-word-123", first_name="Inès", last_name="Faure"
    )
    FacilitatorFactory(
        first_name="Inès", last_name="Faure", structure=people["plie"].structure, user=colleague
    )
    own = mailed[OWN]
    client.force_login(people["plie_user"])
    html = page(client, own)
    start = html.index('name="assignee"')
    options = html[start : html.index("</select>", start)]
    assert "Inès Faure" in options and ">ines<" not in options
    assert "jules" not in options  # another structure's facilitator
    response = act(client, own, "assign", assignee=str(people["pertuis_user"].pk))
    assert response.status_code == 400  # not someone who may follow it
    own.refresh_from_db()
    assert own.assignee is None
    response = act(client, own, "assign", assignee=str(colleague.pk))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.assignee == colleague
    assert own.events.get(kind=Kind.ASSIGNED).message == "Inès Faure"
    flush_outbox()
    assert ["ines.faure@example.org"] in [m.to for m in mail.outbox]
    assert "Inès Faure" in page(client, own)


def test_reply_to_the_sender_from_the_request_page(client, people, mailed):
    own = mailed[OWN]
    client.force_login(people["plie_user"])
    response = act(client, own, "reply", body="")
    assert response.status_code == 400
    assert "Champ requis" in body(response)
    response = act(client, own, "reply", body="Bonjour,\nJe vous appelle jeudi.")
    assert response.status_code == 302
    event = own.events.get(kind=Kind.REPLIED)
    assert event.message == "Bonjour,\nJe vous appelle jeudi." and event.public
    flush_outbox()
    (reply,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "Je vous appelle jeudi." in reply.body
    assert reply.reply_to == [people["plie"].email]  # the answer comes back to her
    assert "Je vous appelle jeudi." in page(client, own)


def test_write_the_clause_with_its_hours_and_start(client, people, mailed):
    own = mailed[OWN]
    client.force_login(people["plie_user"])
    response = act(client, own, "clause", hours="douze", contract_start="2027-09-01")
    assert response.status_code == 400
    assert 'value="douze"' in body(response)  # what was typed comes back
    own.refresh_from_db()
    assert own.status == "new"
    response = act(client, own, "clause", hours="1 200", contract_start="01/09/2027")
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "clause_written" and own.clause_hours == 1200
    assert own.contract_start == datetime.date(2027, 9, 1) and own.closed_at is not None
    html = page(client, own)
    assert "1200 h" in html and "1er septembre 2027" in html
    assert "Clause rédigée" in html  # in the history
    assert "Je m'en occupe" not in html and "Transmettre" not in html  # closed
    assert "Envoyer au donneur d'ordre" in html  # may still write to the sender


def test_close_without_clause_needs_a_reason(client, people, mailed):
    own = mailed[OWN]
    client.force_login(people["plie_user"])
    assert act(client, own, "close", reason="  ").status_code == 400
    assert act(client, own, "close", reason="Marché abandonné.").status_code == 302
    own.refresh_from_db()
    assert own.status == "closed"
    assert own.events.get(kind=Kind.CLOSED).message == "Marché abandonné."


def test_the_notes_are_still_saved_and_the_status_is_not(client, people, mailed):
    own = mailed[OWN]
    client.force_login(people["plie_user"])
    response = client.post(
        reverse("demandes:edit", args=[own.pk]), {"notes": "Rendez-vous le 3.", "status": "closed"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.notes == "Rendez-vous le 3." and own.status == "new"


def test_overdue_and_escalated_filters_and_counters(client, referral_page, people, c13, settings):
    """Two requests to the coordination of 13 (Tarascon on Friday 14 May 2027, Châteaurenard on
    Monday 24 May) and one to Pertuis (84, outside the 13) on 14 May: on Tuesday 25 May the
    two of 14 May are overdue; the coordination of 13 sees one of them."""
    settings.REFERRAL_ANSWER_DAYS = 5
    with time_machine.travel(datetime.datetime(2027, 5, 14, 10, tzinfo=PARIS), tick=False):
        send(client, ip="10.0.0.1")
        send(client, place="Pertuis", subject=PERTUIS, ip="10.0.0.2")
    with time_machine.travel(datetime.datetime(2027, 5, 24, 10, tzinfo=PARIS), tick=False):
        send(client, place="Châteaurenard", subject=WHITE, ip="10.0.0.3")
    ProjectRequest.objects.filter(subject=PERTUIS).update(
        escalated_at=datetime.datetime(2027, 5, 25, 9, tzinfo=PARIS)
    )
    member = c13.members.get()
    with time_machine.travel(datetime.datetime(2027, 5, 25, 15, tzinfo=PARIS), tick=False):
        client.force_login(member)
        overdue = body(client.get("/admin/demandes/", {"delay": "overdue"}))
        assert OWN in overdue and WHITE not in overdue and PERTUIS not in overdue
        dashboard = body(client.get("/admin/"))
        assert "2 nouvelles demandes" in dashboard and "1 en retard" in dashboard
        assert "0 signalée à la coordination" in dashboard

        client.force_login(people["coordinator"])  # national: everything
        overdue = body(client.get("/admin/demandes/", {"delay": "overdue"}))
        assert OWN in overdue and PERTUIS in overdue and WHITE not in overdue
        escalated = body(client.get("/admin/demandes/", {"delay": "escalated"}))
        assert PERTUIS in escalated and OWN not in escalated
        dashboard = body(client.get("/admin/"))
        assert "3 nouvelles demandes" in dashboard and "2 en retard" in dashboard
        assert "1 signalée à la coordination" in dashboard

        client.force_login(people["plie_user"])
        dashboard = body(client.get("/admin/"))
        assert "1 nouvelle demande" in dashboard and "1 en retard" in dashboard
        assert client.get("/admin/demandes/", {"delay": "nonsense"}).status_code == 200


def test_a_request_sent_to_the_coordination_names_it_with_its_article(client, people, c13, mailed):
    """ "Demande adressée à la coordination…", never "à Coordination…": the message of the
    admin action, the history and the sender's e-mail name the coordination in a sentence."""
    from django.utils import translation

    c13.name = "Coordination départementale des clauses sociales des Bouches-du-Rhône"
    c13.save()
    project = mailed[OWN]
    client.force_login(people["plie_user"])
    response = client.post(
        reverse("demandes:action", args=[project.pk, "forward"]),
        {"to": "coordination", "message": "Hors secteur."},
        follow=True,
    )
    expected = "à la coordination départementale des clauses sociales des Bouches-du-Rhône"
    assert f"Demande adressée {expected} ; un e-mail l'en informe." in body(response)
    from django.template.loader import render_to_string

    event = project.events.get(kind=Kind.FORWARDED)
    shown = render_to_string("referrals/includes/event.html", {"event": event}).strip()
    assert shown == f"Transmise {expected}"  # the history the sender reads
    flush_outbox()
    (to_sender,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "suivi par la coordination départementale des clauses sociales" in to_sender.body
    with translation.override("en"):
        assert c13.to_name == (
            "to the Coordination départementale des clauses sociales des Bouches-du-Rhône"
        )
