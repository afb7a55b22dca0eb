"""The "Demandes" inbox: coordinators see every request, a facilitator only theirs."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import text
from referrals.models import ProjectRequest
from referrals.tests.test_referrals import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(client, referral_page, people):
    send(client)  # Tarascon → Camille Arnaud (PLIE)
    send(client, place="Pertuis", subject="Entretien des espaces verts")  # → Jules Roux
    send(
        client, place="Châteaurenard", subject="Voirie de Châteaurenard"
    )  # white zone → coordination
    client.logout()
    return {p.subject: p for p in ProjectRequest.objects.all()}


def test_a_facilitator_sees_only_the_requests_sent_to_them(client, people, requests):
    client.force_login(people["plie_user"])
    body = text(client.get("/admin/demandes/"))
    assert "Réhabilitation de l'école Jean-Moulin" in body.replace("&#x27;", "'")
    assert "Entretien des espaces verts" not in body
    assert "Voirie de Châteaurenard" not in body
    other = requests["Entretien des espaces verts"]
    for view in ("edit", "inspect", "delete"):
        assert client.get(f"/admin/demandes/{view}/{other.pk}/").status_code == 404
    own = requests["Réhabilitation de l'école Jean-Moulin"]
    assert client.get(f"/admin/demandes/edit/{own.pk}/").status_code == 200


def test_a_facilitator_follows_a_request(client, people, requests):
    own = requests["Réhabilitation de l'école Jean-Moulin"]
    client.force_login(people["plie_user"])
    response = client.post(f"/admin/demandes/edit/{own.pk}/", {"notes": "Rendez-vous le 3."})
    assert response.status_code == 302
    response = client.post(reverse("demandes:action", args=[own.pk, "start"]))
    assert response.status_code == 302
    response = client.post(
        reverse("demandes:action", args=[own.pk, "assign"]), {"assignee": people["plie_user"].pk}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "in_progress" and own.notes == "Rendez-vous le 3."
    assert own.assignee == people["plie_user"]
    assert own.subject == "Réhabilitation de l'école Jean-Moulin"  # not editable here


def test_coordinators_see_all_filter_and_export(client, people, requests):
    client.force_login(people["coordinator"])
    body = text(client.get("/admin/demandes/"))
    for subject in requests:
        assert subject in body.replace("&#x27;", "'")
    body = text(client.get("/admin/demandes/", {"routed_to": people["pertuis"].pk}))
    assert "Entretien des espaces verts" in body and "Voirie de Châteaurenard" not in body
    body = text(client.get("/admin/demandes/", {"status": "new", "departement": ""}))
    assert "Voirie de Châteaurenard" in body
    export = client.get("/admin/demandes/", {"export": "csv"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode()
    assert "Voirie de Châteaurenard" in content and "alice@example.org" in content


def test_public_and_other_accounts_cannot_reach_the_inbox(client, people, requests):
    assert client.get("/admin/demandes/").status_code == 302  # to the login page
    assert "Demandes" not in text(client.get("/admin/login/"))


def test_dashboard_shows_the_new_requests(client, people, requests):
    client.force_login(people["plie_user"])
    body = text(client.get("/admin/"))
    assert "1 nouvelle demande" in body
    assert "Réhabilitation de l'école Jean-Moulin" in body.replace("&#x27;", "'")
    assert "Voirie de Châteaurenard" not in body
    client.force_login(people["coordinator"])
    assert "3 nouvelles demandes" in text(client.get("/admin/"))


def test_the_requests_export_carries_no_formula(client, referral_page, people):
    send(client, subject='=HYPERLINK("http://evil.example")', contact_name="-Nord")
    client.force_login(people["coordinator"])
    response = client.get("/admin/demandes/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body and "'-Nord" in body
    assert ",=HYPERLINK" not in body and ",-Nord" not in body
    response = client.get("/admin/demandes/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert cells['\'=HYPERLINK("http://evil.example")'] == "s" and cells["'-Nord"] == "s"
    assert "f" not in cells.values()


def test_a_coordination_member_sees_the_requests_of_its_territory_only(
    client, people, land, django_user_model
):
    from directory.models import Coordination
    from directory.tests.factories import CoordinationFactory, TerritoryFactory
    from referrals.policies import visible_requests
    from referrals.routing import route

    K = land["d13"].Kind
    d95 = TerritoryFactory(kind=K.DEPARTEMENT, code="95", name="Val-d'Oise")
    argenteuil = TerritoryFactory(code="95018", name="Argenteuil", departement=d95)
    c95 = CoordinationFactory(
        name="Coordination 95", kind=Coordination.Kind.DEPARTEMENTAL, territories=[d95]
    )
    member = django_user_model.objects.create_user("c95", "c95@example.org", "pass-word-123")
    member.groups.add(*people["coordinator"].groups.all())
    c95.members.add(member)
    requests = {}
    for name, commune in (("arles", land["chateaurenard"]), ("argenteuil", argenteuil)):
        routing = route(commune)
        requests[name] = ProjectRequest.objects.create(
            organisation="Ville",
            contact_name="Alice",
            email="alice@example.org",
            nature="works",
            subject=f"Travaux {name}",
            commune=commune,
            place=commune.name,
            consent_at=timezone.now(),
            route=routing.route,
            routed_to=routing.facilitator,
            coordination=routing.coordination,
        )
    # Argenteuil is a white zone here: its request goes to the coordination of 95.
    assert requests["argenteuil"].coordination == c95
    assert list(visible_requests(member)) == [requests["argenteuil"]]
    assert set(visible_requests(people["coordinator"])) == set(requests.values())  # national
    client.force_login(member)
    listing = text(client.get(reverse("demandes:index")))
    assert "Travaux argenteuil" in listing and "Travaux arles" not in listing
    assert "Camille Arnaud" not in listing  # nor in the facilitator filter
    edit = reverse("demandes:edit", args=[requests["arles"].pk])
    assert client.get(edit).status_code == 404


def test_the_inspect_view_names_who_follows_the_request(client, people, requests):
    own = requests["Réhabilitation de l'école Jean-Moulin"]
    follower = people["plie_user"]
    follower.first_name, follower.last_name = "Inès", "Suiveuse"
    follower.save()
    own.assignee = follower
    own.save()
    client.force_login(people["coordinator"])
    page = text(client.get(f"/admin/demandes/inspect/{own.pk}/"))
    assert "Inès Suiveuse" in page
    assert f">{follower.get_username()}<" not in page.replace("\n", "").replace(" ", "")
