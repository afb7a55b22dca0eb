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


def test_named_perimeters_of_another_territory_are_out_of_reach(client, people, france):
    from directory.tests.test_perimeters import form_data, make_perimeter

    arles = make_perimeter("Pays d'Arles", [france["arles"]])
    argenteuil = make_perimeter("Pays d'Argenteuil", [france["argenteuil"]])
    client.force_login(people["m95"])
    listing = text(client.get(reverse("wagtailsnippets_directory_namedperimeter:list")))
    assert "Pays d'Argenteuil" in listing and "Pays d'Arles" not in listing
    for action in ("edit", "delete", "copy", "history", "usage"):
        url = reverse(f"wagtailsnippets_directory_namedperimeter:{action}", args=[arles.pk])
        assert client.get(url).status_code == 404, action
        assert (
            client.post(url, form_data("Renommé", members=[france["argenteuil"]])).status_code
            == 404
        )
    arles.refresh_from_db()
    assert arles.name == "Pays d'Arles"
    chooser = reverse("wagtailsnippetchoosers_directory_namedperimeter:choose")
    assert "Pays d'Arles" not in text(client.get(chooser))
    assert "Pays d'Argenteuil" in text(client.get(chooser))
    # Its own perimeter: edited as usual.
    url = reverse("wagtailsnippets_directory_namedperimeter:edit", args=[argenteuil.pk])
    assert client.get(url).status_code == 200


def test_a_perimeter_made_of_pasted_codes_stays_inside_the_territory(client, people, france):
    from directory.models import NamedPerimeter
    from directory.tests.test_perimeters import form_data

    client.force_login(people["m95"])
    add = reverse("wagtailsnippets_directory_namedperimeter:add")
    response = client.post(add, form_data("Mélange", "95018 13004"))
    assert response.status_code == 200
    assert "« 13004 » (Arles) est hors du territoire de votre coordination." in text(response)
    # A member chosen by id outside the territory is refused too.
    response = client.post(add, form_data("Mélange", members=[france["arles"]]))
    assert response.status_code == 200
    assert not NamedPerimeter.objects.exists()
    response = client.post(add, form_data("Argenteuil seul", "95018"))
    assert response.status_code == 302
    assert NamedPerimeter.objects.get().name == "Argenteuil seul"


def test_a_perimeter_in_use_is_not_deleted_and_the_page_says_by_whom(client, people, france):
    from directory.models import FacilitatorTerritory, LeadDesignation, NamedPerimeter
    from directory.tests.test_perimeters import make_perimeter

    pays = make_perimeter("Pays d'Arles", [france["arles"]])
    arles = people["arles"]
    FacilitatorTerritory.objects.create(facilitator=arles, territory=pays)
    LeadDesignation.objects.create(territory=pays, facilitator=arles, designated_by="la CA")
    client.force_login(people["m13"])
    delete = reverse("wagtailsnippets_directory_namedperimeter:delete", args=[pays.pk])
    response = client.post(delete, follow=True)
    page = text(response)
    assert "ne peut pas être supprimé" in page
    assert "Couverture de Camille Arnaud" in page
    assert "Désignation de Camille Arnaud comme chef de file" in page
    assert reverse("wagtailsnippets_directory_facilitator:edit", args=[arles.pk]) in page
    assert NamedPerimeter.objects.filter(pk=pays.pk).exists()
    assert FacilitatorTerritory.objects.filter(territory=pays).exists()
    # Once nothing uses it, it goes.
    FacilitatorTerritory.objects.filter(territory=pays).delete()
    LeadDesignation.objects.filter(territory=pays).delete()
    assert client.post(delete).status_code == 302
    assert not NamedPerimeter.objects.filter(pk=pays.pk).exists()


def test_a_bulk_deletion_keeps_a_perimeter_in_use(client, people, france):
    from directory.models import FacilitatorTerritory, NamedPerimeter
    from directory.tests.test_perimeters import make_perimeter

    used = make_perimeter("Pays d'Arles", [france["arles"]])
    unused = make_perimeter("Pays de Châteaurenard", [france["chateaurenard"]])
    FacilitatorTerritory.objects.create(facilitator=people["arles"], territory=used)
    client.force_login(people["m13"])
    url = reverse("wagtail_bulk_action", args=["directory", "namedperimeter", "delete"])
    response = client.post(f"{url}?id={used.pk}&id={unused.pk}", follow=True)
    assert "ne peut pas être supprimé" in text(response)
    assert NamedPerimeter.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2
