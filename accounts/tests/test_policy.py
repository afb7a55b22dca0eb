"""Who sees which admin accounts (the user model's policy), and what the directory's account
and member fields offer."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Invitation
from conftest import text
from directory.groups import FACILITATORS
from directory.models import Facilitator
from directory.scope import linkable_accounts
from directory.tests import test_coordinations
from portal import policies

pytestmark = pytest.mark.django_db

france, people = test_coordinations.france, test_coordinations.people


@pytest.fixture
def others(people, django_user_model):
    """A free facilitator account invited by the Bouches-du-Rhône, one nobody invited, an
    editor, a superuser."""
    group = Group.objects.get(name=FACILITATORS)

    def account(username, **extra):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pass-word-123", **extra
        )
        user.groups.add(group)
        return user

    invited = account("invitee.13", first_name="Inès", last_name="Invitée")
    Invitation.objects.create(
        user=invited,
        kind=Invitation.Kind.FACILITATOR,
        coordination=people["m13"].coordinations.get(),
        invited_by=people["m13"],
    )
    return {
        "invited13": invited,
        "stray": account("orphelin"),
        "editor": django_user_model.objects.create_user("redaction", "r@example.org", "pw-12345"),
        "root": django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345"),
    }


def seen(user, django_user_model):
    return set(policies.visible(user, django_user_model.objects.all()))


def test_each_role_sees_its_own_accounts(people, others, django_user_model):
    everyone = set(django_user_model.objects.all())
    assert seen(others["root"], django_user_model) == everyone
    assert seen(people["national"], django_user_model) == everyone
    # Bouches-du-Rhône: its members, the account of the Arles record, the account it invited.
    assert seen(people["m13"], django_user_model) == {
        people["m13"],
        people["facilitator"],
        others["invited13"],
    }
    # Val-d'Oise: its member only (Argenteuil's record has no account).
    assert seen(people["m95"], django_user_model) == {people["m95"]}
    assert seen(people["facilitator"], django_user_model) == {people["facilitator"]}
    assert seen(others["editor"], django_user_model) == set()
    people["m13"].is_active = False
    people["m13"].save()
    assert seen(people["m13"], django_user_model) == set()


def test_choosing_follows_the_same_rule(people, others, django_user_model):
    choosable = set(policies.choosable(people["m95"], django_user_model.objects.all()))
    assert choosable == {people["m95"]}


def test_a_coordination_sees_its_own_coordination_but_does_not_change_it(france, people):
    from directory.models import Coordination

    policy = policies.policy_for(Coordination)
    assert set(policy.visible(people["m95"], Coordination.objects.all())) == {france["c95"]}
    assert policy.may_see(people["m95"], france["c95"])
    assert not policy.may_change(people["m95"], france["c95"])
    assert not policy.may_see(people["m95"], france["c13"])
    assert policy.may_change(people["national"], france["c13"])
    assert not policy.visible(people["facilitator"], Coordination.objects.all()).exists()


def test_the_record_account_field_offers_the_teams_free_accounts_only(people, others):
    arles = people["arles"]
    # The account the Bouches-du-Rhône invited (free), and the record's own; never the
    # stray account nobody of the territory invited.
    assert set(linkable_accounts(people["m13"], arles)) == {
        people["facilitator"],
        others["invited13"],
    }
    assert set(linkable_accounts(people["m95"], Facilitator())) == set()
    assert set(linkable_accounts(people["national"], Facilitator())) == {
        others["invited13"],
        others["stray"],
    }


def test_the_coordination_members_field_offers_choosable_accounts(client, france, people, others):
    from wagtail.admin.panels import ObjectList

    from directory.forms import CoordinationForm
    from directory.models import Coordination

    form_class = (
        ObjectList(Coordination.panels, base_form_class=CoordinationForm)
        .bind_to_model(Coordination)
        .get_form_class()
    )
    # Whoever edits it: the accounts its policy lets it choose, and the current members.
    form = form_class(instance=france["c13"], for_user=people["m95"])
    assert set(form.fields["members"].queryset) == {people["m95"], people["m13"]}
    form = form_class(instance=france["c13"], for_user=people["national"])
    assert others["editor"] in form.fields["members"].queryset

    client.force_login(others["root"])
    response = client.get(
        reverse("wagtailsnippets_directory_coordination:edit", args=[france["c95"].pk])
    )
    assert "coordination.95" in text(response)
