"""The département chooser of an event offers every département to every editor (territories
are public reference data), while the directory's territory chooser stays narrowed to the
user's scope."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from conftest import K, text
from directory.tests.factories import TerritoryFactory
from events.choosers import DepartementChooserViewSet
from portal.editorial import WRITERS
from portal.policies import Unrestricted

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    user = get_user_model().objects.create_user("redaction", "redaction@example.org", "x")
    user.groups.add(Group.objects.get(name=WRITERS))
    return user


@pytest.fixture
def landes(land):
    region = TerritoryFactory(kind=K.REGION, code="75", name="Nouvelle-Aquitaine")
    return TerritoryFactory(kind=K.DEPARTEMENT, code="40", name="Landes", region=region)


def choices(response):
    """The names offered by a chooser's listing (its HTML, or a results fragment)."""
    body = text(response)
    if response["Content-Type"].startswith("application/json"):
        body = json.loads(body)["html"]
    return body


def test_a_writer_finds_every_departement(client, writer, land, landes):
    client.force_login(writer)
    listing = choices(client.get("/admin/agenda/departements/"))
    for name in ("Bouches-du-Rhône", "Vaucluse", "Landes"):
        assert name in listing
    assert "Arles" not in listing and "CA Terre de Provence" not in listing  # départements only

    by_name = choices(client.get("/admin/agenda/departements/results/", {"q": "land"}))
    assert "Landes" in by_name and "Vaucluse" not in by_name
    by_code = choices(client.get("/admin/agenda/departements/results/", {"q": "84"}))
    assert "Vaucluse" in by_code and "Landes" not in by_code
    by_region = choices(
        client.get("/admin/agenda/departements/results/", {"region": landes.region_id})
    )
    assert "Landes" in by_region and "Bouches-du-Rhône" not in by_region

    chosen = client.get(f"/admin/agenda/departements/chosen/{landes.pk}/")
    assert chosen.status_code == 200 and "Landes" in text(chosen)
    # A commune is not a département: nothing to choose there.
    assert client.get(f"/admin/agenda/departements/chosen/{land['arles'].pk}/").status_code == 404


def test_the_directory_chooser_stays_narrowed_to_the_scope(client, writer, land, landes):
    client.force_login(writer)
    response = client.get("/admin/territory_chooser/", {"kind": "departement"})
    assert response.status_code == 200
    listing = choices(response)
    assert "Landes" not in listing and "Vaucluse" not in listing  # an editor keeps no territory


def test_the_event_form_uses_the_departement_chooser(client, writer, home, land):
    from conftest import publish_child
    from events.models import EventIndexPage

    agenda = publish_child(home, EventIndexPage(title="Agenda", slug="agenda"))
    client.force_login(writer)
    form = text(client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/"))
    assert "/admin/agenda/departements/" in form
    assert "/admin/territory_chooser/" not in form


def test_the_chooser_declares_what_it_obeys():
    policy = DepartementChooserViewSet.policy
    assert isinstance(policy, Unrestricted) and "public reference data" in policy.reason
