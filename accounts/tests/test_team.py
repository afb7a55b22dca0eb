""" "Mon équipe": what a coordination sees of its team, and each action on an account (a POST
after a confirmation page, recorded in the account's history), refused outside the policy
(404) or when its rule says no (a message, nothing changed)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from accounts import lockout
from accounts.tests.conftest import login
from conftest import flush_outbox, text
from directory.tests import test_coordinations
from directory.tests.factories import FacilitatorFactory, StructureFactory

pytestmark = pytest.mark.django_db

france, people = test_coordinations.france, test_coordinations.people
TEAM = "/admin/equipe/"


def action_url(account, name):
    return reverse("accounts_team_action", args=[account.pk, name])


def history(account):
    return list(ModelLogEntry.objects.for_instance(account).values_list("action", flat=True))


@pytest.fixture
def record13(france):
    """A record of the Bouches-du-Rhône without an account."""
    record = FacilitatorFactory(
        first_name="Lucie",
        last_name="Martin",
        email="lucie.martin@example.org",
        covers=[france["chateaurenard"]],
        structure=StructureFactory(name="Mission locale de Châteaurenard"),
    )
    record.save_revision().publish()
    return record


def test_the_team_of_a_departmental_coordination(client, people, record13):
    client.force_login(people["m13"])
    response = client.get(TEAM)
    assert response.status_code == 200
    page = text(response)
    assert "Coordination des Bouches-du-Rhône" in page
    assert "coordination.13" in page and "facilitatrice" in page
    assert "Camille Arnaud" in page  # the record linked to the facilitator's account
    assert "coordination.95" not in page and "Coordination du Val-d'Oise" not in page
    # The record without an account, with its invitation button; not the Val-d'Oise's.
    assert "Lucie Martin" in page and "Hugo Mercier" not in page
    assert reverse("accounts_team_invite_record", args=[record13.pk]) in page
    for column in ("Dernière connexion", "Double authentification", "Connexion", "État"):
        assert column in page
    assert "jamais" in page and "non activée" in page and "actif" in page
    # The menu item.
    assert '"/admin/equipe/"' in text(client.get("/admin/"))


def test_the_national_coordination_sees_every_coordination(client, people):
    client.force_login(people["national"])
    page = text(client.get(TEAM))
    for name in ("Coordination du Val-d'Oise", "Coordination des Bouches-du-Rhône", "Hugo Mercier"):
        assert name in page
    assert "Ajouter un compte existant" in page


def test_a_facilitator_has_no_team(client, people):
    client.force_login(people["facilitator"])
    # Wagtail turns the refusal into a message on the dashboard.
    response = client.get(TEAM, follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    own = reverse("accounts_team_account", args=[people["facilitator"].pk])
    assert client.get(own).status_code == 302
    assert '"/admin/equipe/"' not in text(client.get("/admin/"))


def test_deactivate_then_reactivate(client, people):
    client.force_login(people["m13"])
    account = people["facilitator"]
    page = client.get(action_url(account, "desactiver"))
    assert page.status_code == 200 and "ne pourra plus se connecter" in text(page)
    account.refresh_from_db()
    assert account.is_active  # the confirmation page changes nothing

    response = client.post(action_url(account, "desactiver"), follow=True)
    assert "est désactivé" in text(response)
    account.refresh_from_db()
    assert not account.is_active
    assert "désactivé" in text(client.get(TEAM))
    assert login(client, "facilitatrice", "pass-word-123").status_code == 200  # refused

    client.force_login(people["m13"])
    client.post(action_url(account, "reactiver"))
    account.refresh_from_db()
    assert account.is_active
    assert history(account)[:2] == ["accounts.reactivate", "accounts.deactivate"]
    page = text(client.get(reverse("accounts_team_account", args=[account.pk])))
    assert "Compte désactivé" in page and "Compte réactivé" in page


def test_nobody_deactivates_itself_an_administrator_or_another_coordinations_member(
    client, people, france, django_user_model
):
    client.force_login(people["m13"])
    response = client.post(action_url(people["m13"], "desactiver"), follow=True)
    assert "votre propre compte" in text(response)

    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345")
    france["c13"].members.add(root)
    response = client.post(action_url(root, "desactiver"), follow=True)
    assert "Seul un administrateur" in text(response)

    # A Val-d'Oise member whose account the Bouches-du-Rhône sees (linked to its record).
    france["c95"].members.add(people["facilitator"])
    response = client.post(action_url(people["facilitator"], "desactiver"), follow=True)
    assert "membre de la coordination « Coordination du Val-d'Oise »" in text(response)
    for user in (people["m13"], root, people["facilitator"]):
        user.refresh_from_db()
        assert user.is_active
    assert not history(people["facilitator"])


def test_val_d_oise_reaches_nothing_of_the_bouches_du_rhone(client, people, france, record13):
    """Every door of the team screen answers 404 to the Val-d'Oise for an account, a record
    or a coordination of the Bouches-du-Rhône, and changes nothing."""
    client.force_login(people["m95"])
    account = people["facilitator"]
    TOTPDevice.objects.create(user=account, name="TOTP", confirmed=True)
    for _attempt in range(5):
        login(client, account.username, "wrong")
    client.force_login(people["m95"])
    urls = [
        reverse("accounts_team_account", args=[account.pk]),
        *(
            action_url(account, name)
            for name in ("desactiver", "debloquer", "double-authentification", "detacher")
        ),
        reverse("accounts_team_invite_colleague", args=[france["c13"].pk]),
        reverse("accounts_team_invite_record", args=[record13.pk]),
        reverse("accounts_team_link", args=[record13.pk]),
        reverse("accounts_team_add_member", args=[france["c13"].pk]),
        reverse("accounts_team_remove_member", args=[france["c13"].pk, people["m13"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        data = {"email": "intrus@example.org", "first_name": "A", "last_name": "B"}
        assert client.post(url, data).status_code == 404, url
    account.refresh_from_db()
    assert account.is_active and lockout.is_locked(account)
    assert TOTPDevice.objects.filter(user=account).exists()
    assert not account.coordinations.exists() and people["arles"].user_id == account.pk
    assert not type(account).objects.filter(email="intrus@example.org").exists()
    # Its own team's pages answer.
    assert client.get(TEAM).status_code == 200
    assert (
        client.get(reverse("accounts_team_invite_colleague", args=[france["c95"].pk])).status_code
        == 200
    )


def test_unlock_a_locked_account(client, people):
    account = people["facilitator"]
    for _attempt in range(5):
        login(client, account.username, "wrong")
    assert login(client, account.username, "pass-word-123").status_code == 429
    client.force_login(people["m13"])
    assert "bloquée jusqu'à" in text(client.get(TEAM))
    assert "Débloquer" in text(client.get(reverse("accounts_team_account", args=[account.pk])))

    response = client.post(action_url(account, "debloquer"), follow=True)
    assert "est débloquée" in text(response)
    assert not lockout.is_locked(account)
    assert history(account) == ["accounts.unlock"]
    client.logout()
    assert login(client, account.username, "pass-word-123").status_code == 302
    # Not locked any more: nothing to unlock.
    client.force_login(people["m13"])
    response = client.post(action_url(account, "debloquer"), follow=True)
    assert "n'est pas bloquée" in text(response)


def test_reset_a_lost_second_factor(client, people, settings):
    account = people["facilitator"]
    TOTPDevice.objects.create(user=account, name="TOTP", confirmed=True)
    client.force_login(people["m13"])
    page = client.get(action_url(account, "double-authentification"))
    assert "perdu ou changé de téléphone" in text(page)
    response = client.post(action_url(account, "double-authentification"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert history(account) == ["accounts.reset_second_factor"]
    flush_outbox()
    message = mail.outbox[-1]
    assert message.to == ["camille@example.org"]
    assert "Portail des clauses sociales" in message.subject
    assert "réinitialisé la double authentification" in message.body
    # At her next login, she enrols a new app.
    settings.ADMIN_2FA_REQUIRED = True
    client.logout()
    login(client, account.username, "pass-word-123")
    assert client.get("/admin/").url.startswith("/admin/double-authentification/activer/")


def test_a_coordination_does_not_reset_its_own_second_factor_here(client, people):
    device = TOTPDevice.objects.create(user=people["m13"], name="TOTP", confirmed=True)
    client.force_login(people["m13"])
    session = client.session
    session["otp_device_id"] = device.persistent_id  # its code given at login
    session.save()
    response = client.post(action_url(people["m13"], "double-authentification"), follow=True)
    assert "Double authentification" in text(response)
    assert TOTPDevice.objects.filter(user=people["m13"]).exists()
    # Nothing to reset on an account without a device.
    response = client.post(
        action_url(people["facilitator"], "double-authentification"), follow=True
    )
    assert "pas de double authentification" in text(response)


def test_unlink_an_account_from_its_record(client, people):
    account, arles = people["facilitator"], people["arles"]
    client.force_login(people["m13"])
    page = text(client.get(action_url(account, "detacher")))
    assert "Camille Arnaud" in page
    assert "ne figurera plus dans votre équipe" in page  # the coordination did not invite it
    client.post(action_url(account, "detacher"))
    arles.refresh_from_db()
    assert arles.user_id is None
    assert arles.latest_revision.content["user"] is None  # publishing a draft keeps it so
    assert ModelLogEntry.objects.for_instance(arles).filter(action="accounts.unlink").exists()
    # Out of the team now: a 404.
    assert client.get(reverse("accounts_team_account", args=[account.pk])).status_code == 404


def test_an_unknown_action_is_a_404(client, people):
    client.force_login(people["m13"])
    assert client.get(action_url(people["facilitator"], "supprimer")).status_code == 404


def test_the_record_offers_its_invitation_or_its_account(client, people, record13):
    client.force_login(people["m13"])
    edit = reverse("wagtailsnippets_directory_facilitator:edit", args=[record13.pk])
    page = text(client.get(edit))
    assert "Inviter ce facilitateur" in page
    assert reverse("accounts_team_invite_record", args=[record13.pk]) in page
    page = text(
        client.get(reverse("wagtailsnippets_directory_facilitator:edit", args=[people["arles"].pk]))
    )
    assert reverse("accounts_team_account", args=[people["facilitator"].pk]) in page
    listing = text(client.get(reverse("wagtailsnippets_directory_facilitator:list")))
    assert reverse("accounts_team_invite_record", args=[record13.pk]) in listing
    # A facilitator editing its own record gets neither.
    client.force_login(people["facilitator"])
    page = text(
        client.get(reverse("wagtailsnippets_directory_facilitator:edit", args=[people["arles"].pk]))
    )
    assert "/admin/equipe/" not in page


def test_the_national_coordination_adds_and_removes_members(
    client, people, france, django_user_model
):
    newcomer = django_user_model.objects.create_user("nouveau", "nouveau@example.org", "pw-12345")
    client.force_login(people["national"])
    add = reverse("accounts_team_add_member", args=[france["c95"].pk])
    assert "nouveau" in text(client.get(add))
    client.post(add, {"account": newcomer.pk})
    assert france["c95"].members.filter(pk=newcomer.pk).exists()
    assert newcomer.groups.filter(name="Coordinateurs").exists()

    remove = reverse("accounts_team_remove_member", args=[france["c95"].pk, newcomer.pk])
    assert "Retirer de la coordination" in text(client.get(remove))
    client.post(remove)
    assert not france["c95"].members.filter(pk=newcomer.pk).exists()
    assert not newcomer.groups.filter(name="Coordinateurs").exists()
    assert history(newcomer) == ["accounts.remove_member", "accounts.add_member"]


def test_a_departmental_coordination_does_not_change_memberships(client, people, france):
    client.force_login(people["m13"])
    response = client.get(reverse("accounts_team_add_member", args=[france["c13"].pk]), follow=True)
    assert "Seule la coordination nationale" in text(response)
    remove = reverse("accounts_team_remove_member", args=[france["c13"].pk, people["m13"].pk])
    client.post(remove)
    assert france["c13"].members.filter(pk=people["m13"].pk).exists()


def test_an_account_page_shows_its_state_and_history(client, people):
    account = people["facilitator"]
    client.force_login(people["m13"])
    client.post(action_url(account, "desactiver"))
    page = text(client.get(reverse("accounts_team_account", args=[account.pk])))
    assert "Identifiant" in page and "facilitatrice" in page
    assert re.search(r"Compte désactivé", page)
    assert "Réactiver" in page and "Désactiver</a>" not in page
