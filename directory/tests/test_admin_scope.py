"""What a coordination member is offered in the directory's admin stays inside its territory:
the accounts it may link to a record, the names on a bulk action's confirmation page, and
the rows and people of the site history."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.log_actions import log

from conftest import text
from directory.groups import FACILITATORS
from directory.models import Facilitator
from directory.scope import linkable_accounts
from directory.tests import test_coordinations

pytestmark = pytest.mark.django_db

# The coordinations' fixtures: five départements, their coordinations and members.
france, people = test_coordinations.france, test_coordinations.people


@pytest.fixture
def accounts(people, django_user_model):
    """A free facilitator account, one already linked to Argenteuil's record, one outside
    the Facilitateurs group, an inactive one and a superuser."""
    group = Group.objects.get(name=FACILITATORS)

    def account(username, in_group=True, **extra):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pass-word-123", **extra
        )
        if in_group:
            user.groups.add(group)
        return user

    linked = account("lie.ailleurs", first_name="Hugo", last_name="Mercier")
    argenteuil = people["argenteuil"]
    argenteuil.user = linked
    argenteuil.save()
    return {
        "free": account("libre", first_name="Lina", last_name="Libre"),
        "linked": linked,
        "outside": account("hors.groupe", in_group=False),
        "inactive": account("inactif", is_active=False),
        "root": django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345"),
    }


def test_only_free_facilitator_accounts_may_be_linked(people, accounts):
    arles = people["arles"]
    offered = set(linkable_accounts(people["national"], arles))
    assert offered == {people["facilitator"], accounts["free"]}  # its own account stays
    # A new record: the free account only; someone outside the directory: nothing.
    assert set(linkable_accounts(people["national"], Facilitator())) == {accounts["free"]}
    assert not linkable_accounts(people["facilitator"], None).exists()
    # A departmental coordination is offered the accounts of its team only (the user model's
    # policy): the record's own; not a free account nobody of its territory invited.
    assert set(linkable_accounts(people["m13"], arles)) == {people["facilitator"]}
    assert not linkable_accounts(people["m13"], Facilitator()).exists()


def test_the_account_field_lists_and_accepts_linkable_accounts_only(client, people, accounts):
    client.force_login(people["m13"])
    arles = people["arles"]
    edit = reverse("wagtailsnippets_directory_facilitator:edit", args=[arles.pk])
    field = client.get(edit).context["form"].fields["user"]
    assert set(field.queryset) == {people["facilitator"]}
    assert field.label_from_instance(accounts["free"]) == "Lina Libre (libre)"
    page = text(client.get(edit))
    for name in ("coordination.95", "lie.ailleurs", "hors.groupe", "inactif", "root", "libre"):
        assert f"({name})" not in page and f">{name}<" not in page, name
    # Linking someone else's account (or a coordinator's, or one outside the team) is refused
    # with a message.
    data = test_coordinations._facilitator_form(arles, list(arles.coverage.all()))
    for intruder in (accounts["linked"], people["m95"], accounts["free"]):
        response = client.post(edit, {**data, "user": intruder.pk, "action-publish": "publish"})
        assert response.status_code == 200
        assert "ne peut pas être lié" in text(response)
    arles.refresh_from_db()
    assert arles.user == people["facilitator"]


def test_the_bulk_confirmation_names_nothing_outside_the_territory(client, people):
    client.force_login(people["m95"])
    arles, argenteuil = people["arles"], people["argenteuil"]
    url = reverse("wagtail_bulk_action", args=["directory", "facilitator", "delete"])
    both = client.get(f"{url}?id={arles.pk}&id={argenteuil.pk}")
    assert both.status_code == 200
    assert "Mercier" in text(both) and "Arnaud" not in text(both)
    # Only records outside: as if they did not exist.
    assert client.get(f"{url}?id={arles.pk}").status_code == 404
    assert client.post(f"{url}?id={arles.pk}").status_code == 404
    # "Select all" keeps to the territory too.
    everything = client.get(f"{url}?id=all")
    assert "Mercier" in text(everything) and "Arnaud" not in text(everything)
    # Confirming deletes the record inside only.
    client.post(f"{url}?id={arles.pk}&id={argenteuil.pk}")
    assert Facilitator.objects.filter(pk=arles.pk).exists()
    assert not Facilitator.objects.filter(pk=argenteuil.pk).exists()


@pytest.fixture
def history(people):
    """Each departmental coordinator edited a record of its territory."""
    people["m13"].first_name, people["m13"].last_name = "Nadia", "Treize"
    people["m13"].save()
    people["m95"].first_name, people["m95"].last_name = "Paul", "Quatre-Vingt-Quinze"
    people["m95"].save()
    log(people["arles"], "wagtail.edit", user=people["m13"])
    log(people["argenteuil"], "wagtail.edit", user=people["m95"])


def test_the_site_history_keeps_to_the_territory(client, people, history):
    client.force_login(people["m95"])
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    users = response.context["filters"].form.fields["user"].queryset
    assert set(users) == {people["m95"]}
    page = text(response)
    assert "Hugo Mercier" in page and "Camille Arnaud" not in page
    assert "Treize" not in page
    results = text(client.get("/admin/reports/site-history/results/"))
    assert "Camille Arnaud" not in results
    # The national coordination reads both, and both people are in its filter.
    client.force_login(people["national"])
    response = client.get("/admin/reports/site-history/")
    assert {people["m13"], people["m95"]} <= set(
        response.context["filters"].form.fields["user"].queryset
    )
    assert "Camille Arnaud" in text(response) and "Hugo Mercier" in text(response)


def test_bulk_deleting_named_perimeters_keeps_to_the_territory(client, people, france):
    from directory.tests.test_perimeters import make_perimeter

    arles = make_perimeter("Pays d'Arles", [france["arles"]])
    argenteuil = make_perimeter("Pays d'Argenteuil", [france["argenteuil"]])
    client.force_login(people["m95"])
    url = reverse("wagtail_bulk_action", args=["directory", "namedperimeter", "delete"])
    page = client.get(f"{url}?id={arles.pk}&id={argenteuil.pk}")
    assert page.status_code == 200
    assert "Pays d'Argenteuil" in text(page) and "Pays d'Arles" not in text(page)
    assert client.get(f"{url}?id={arles.pk}").status_code == 404
