"""Invitations: a coordination invites a colleague or a facilitator by e-mail; the invited
person chooses a password with the link (once), is signed in and, where required, enrols a
second factor; sending again replaces the link."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.models import Invitation
from conftest import flush_outbox, text
from directory.tests import test_coordinations
from directory.tests.factories import FacilitatorFactory, StructureFactory

pytestmark = pytest.mark.django_db

france, people = test_coordinations.france, test_coordinations.people
PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def record13(france):
    record = FacilitatorFactory(
        first_name="Lucie",
        last_name="Martin",
        email="lucie.martin@example.org",
        covers=[france["chateaurenard"]],
        structure=StructureFactory(name="Mission locale de Châteaurenard"),
    )
    record.save_revision().publish()
    return record


def invitation_link():
    """The path of the link in the last e-mail sent."""
    flush_outbox()
    found = re.search(r"http://testserver(/admin/compte/invitation/[^/\s]+/)", mail.outbox[-1].body)
    return found.group(1)


def choose_password(client, url, password=PASSWORD):
    return client.post(url, {"new_password1": password, "new_password2": password})


def invite_colleague(client, coordination, email="nadia.roux@example.org"):
    return client.post(
        reverse("accounts_team_invite_colleague", args=[coordination.pk]),
        {"first_name": "Nadia", "last_name": "Roux", "email": email},
    )


def test_a_coordination_invites_a_colleague(client, people, france, django_user_model):
    client.force_login(people["m13"])
    page = client.get(reverse("accounts_team_invite_colleague", args=[france["c13"].pk]))
    assert "valable 7 jours" in text(page)
    response = invite_colleague(client, france["c13"])
    assert response.status_code == 302 and response.url == "/admin/equipe/"

    user = django_user_model.objects.get(email="nadia.roux@example.org")
    assert user.username == "nadia.roux@example.org"
    assert not user.has_usable_password()
    assert user.groups.filter(name="Coordinateurs").exists()
    assert france["c13"].members.filter(pk=user.pk).exists()
    invitation = user.invitation
    assert invitation.coordination == france["c13"] and invitation.invited_by == people["m13"]
    assert ModelLogEntry.objects.for_instance(user).get().action == "accounts.invite"
    page = text(client.get("/admin/equipe/"))
    assert "Nadia Roux" in page and "invitation en attente" in page

    flush_outbox()
    message = mail.outbox[-1]
    assert message.to == ["nadia.roux@example.org"]
    assert message.subject == "Invitation au Portail des clauses sociales"
    assert "rejoindre la coordination « Coordination des Bouches-du-Rhône »" in message.body
    assert "Votre identifiant de connexion : nadia.roux@example.org" in message.body
    expires = invitation.expires_at
    assert expires - invitation.sent_at == datetime.timedelta(days=7)
    assert "(7 jours)" in message.body and "ne sert qu'une fois" in message.body


def test_the_invited_person_chooses_a_password_once(client, people, france, django_user_model):
    client.force_login(people["m13"])
    invite_colleague(client, france["c13"])
    url = invitation_link()
    client.logout()

    page = client.get(url)
    assert page.status_code == 200
    assert "nadia.roux@example.org" in text(page) and "Choisir votre mot de passe" in text(page)
    # A mismatch is refused, and the link still works.
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": "autre-chose-99"})
    assert response.status_code == 200 and "mots de passe" in text(response).lower()
    response = choose_password(client, url)
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200  # signed in
    user = django_user_model.objects.get(email="nadia.roux@example.org")
    assert user.check_password(PASSWORD)
    assert user.invitation.accepted_at is not None
    assert "Invitation acceptée" in text(
        client.get(reverse("accounts_team_account", args=[user.pk]))
    )

    # A second time: refused, nothing changed.
    client.logout()
    response = choose_password(client, url, "encore-un-autre-mot-42")
    assert response.status_code == 410
    assert "déjà servi" in text(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # …and the person signs in with the password chosen.
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_second_factor_is_enrolled_right_after(client, people, france, settings):
    settings.ADMIN_2FA_REQUIRED = True
    client.force_login(people["m13"])
    # (the coordinator itself would be asked for its code: enrolled and verified here)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=people["m13"], name="TOTP", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    invite_colleague(client, france["c13"])
    url = invitation_link()
    assert "application d'authentification" in mail.outbox[-1].body
    client.logout()
    response = choose_password(client, url)
    assert response.status_code == 302
    assert response.url == "/admin/double-authentification/activer/"
    assert client.get("/admin/").url.startswith("/admin/double-authentification/activer/")


def test_sending_again_replaces_the_link(client, people, france, django_user_model):
    client.force_login(people["m13"])
    invite_colleague(client, france["c13"])
    first = invitation_link()
    user = django_user_model.objects.get(email="nadia.roux@example.org")
    resend = reverse("accounts_team_action", args=[user.pk, "renvoyer-invitation"])
    assert "ne fonctionnera plus" in text(client.get(resend))
    client.post(resend)
    second = invitation_link()
    assert second != first
    client.logout()

    response = client.get(first)
    assert response.status_code == 410 and "plus récente" in text(response)
    assert choose_password(client, first).status_code == 410
    assert choose_password(client, second).status_code == 302
    actions = list(ModelLogEntry.objects.for_instance(user).values_list("action", flat=True))
    assert actions == ["accounts.accept", "accounts.invite_resend", "accounts.invite"]
    # Accepted: nothing to send again.
    client.force_login(people["m13"])
    response = client.post(resend, follow=True)
    assert "déjà choisi son mot de passe" in text(response)


def test_an_expired_link_says_whom_to_ask(client, people, france):
    client.force_login(people["m13"])
    invite_colleague(client, france["c13"])
    url = invitation_link()
    client.logout()
    with time_machine.travel(datetime.timedelta(days=7, minutes=1)):
        response = client.get(url)
        assert response.status_code == 410
        assert "a expiré" in text(response) and "c13@example.org" in text(response)
        assert choose_password(client, url).status_code == 410
        client.force_login(people["m13"])
        assert "invitation expirée" in text(client.get("/admin/equipe/"))


def test_forged_links_and_deactivated_accounts_are_refused(
    client, people, france, django_user_model
):
    assert client.get("/admin/compte/invitation/nimporte-quoi/").status_code == 404
    client.force_login(people["m13"])
    invite_colleague(client, france["c13"])
    url = invitation_link()
    user = django_user_model.objects.get(email="nadia.roux@example.org")
    client.post(reverse("accounts_team_action", args=[user.pk, "desactiver"]))
    client.logout()
    response = client.get(url)
    assert response.status_code == 404 and "n'est pas valide" in text(response)


def test_an_email_already_used_is_refused(client, people, france, django_user_model):
    client.force_login(people["m13"])
    response = invite_colleague(client, france["c13"], email="Camille@Example.org")
    assert response.status_code == 200
    page = text(response)
    assert "Un compte existe déjà avec l'adresse Camille@Example.org" in page
    assert "identifiant : facilitatrice" in page
    assert "Rien n'a été envoyé" in page
    assert django_user_model.objects.filter(email__iexact="camille@example.org").count() == 1
    flush_outbox()
    assert not mail.outbox
    for bad in ("pas-une-adresse", "a@b\x00.org", ""):
        response = invite_colleague(client, france["c13"], email=bad)
        assert response.status_code == 200


def test_invite_the_facilitator_of_a_record(client, people, record13, django_user_model):
    client.force_login(people["m13"])
    url = reverse("accounts_team_invite_record", args=[record13.pk])
    page = text(client.get(url))
    assert 'value="lucie.martin@example.org"' in page  # the record's e-mail, to confirm
    response = client.post(url, {"email": "l.martin@example.org"})
    assert response.status_code == 302
    user = django_user_model.objects.get(email="l.martin@example.org")
    assert (user.first_name, user.last_name) == ("Lucie", "Martin")
    assert user.groups.filter(name="Facilitateurs").exists()
    record13.refresh_from_db()
    assert record13.user == user
    assert record13.latest_revision.content["user"] == user.pk
    invitation = user.invitation
    assert invitation.kind == Invitation.Kind.FACILITATOR
    assert invitation.coordination.name == "Coordination des Bouches-du-Rhône"
    flush_outbox()
    body = mail.outbox[-1].body
    assert "votre fiche « Lucie Martin »" in body
    # Its record has an account now: inviting again is refused.
    response = client.post(url, {"email": "autre@example.org"}, follow=True)
    assert "déjà liée au compte" in text(response)
    assert not django_user_model.objects.filter(email="autre@example.org").exists()


def test_invite_a_facilitator_from_the_team_page(client, people, record13, django_user_model):
    client.force_login(people["m13"])
    url = reverse("accounts_team_invite_facilitator")
    field = client.get(url).context["form"].fields["record"]
    assert list(field.queryset) == [record13]  # in the territory, without an account
    response = client.post(url, {"record": people["argenteuil"].pk, "email": "x@example.org"})
    assert response.status_code == 200
    assert "hors de votre territoire" in text(response)
    response = client.post(url, {"record": record13.pk, "email": "lucie@example.org"})
    assert response.status_code == 302
    record13.refresh_from_db()
    assert record13.user.email == "lucie@example.org"


def test_an_invited_facilitator_stays_in_the_team_once_unlinked_and_is_linked_again(
    client, people, record13, django_user_model
):
    client.force_login(people["m13"])
    client.post(
        reverse("accounts_team_invite_record", args=[record13.pk]), {"email": "lucie@example.org"}
    )
    user = django_user_model.objects.get(email="lucie@example.org")
    client.post(reverse("accounts_team_action", args=[user.pk, "detacher"]))
    record13.refresh_from_db()
    assert record13.user is None
    assert client.get(reverse("accounts_team_account", args=[user.pk])).status_code == 200
    link = reverse("accounts_team_link", args=[record13.pk])
    field = client.get(link).context["form"].fields["account"]
    assert list(field.queryset) == [user]
    response = client.post(link, {"account": people["m13"].pk})  # not a facilitator account
    assert response.status_code == 200 and "ne peut pas être choisi" in text(response)
    client.post(link, {"account": user.pk})
    record13.refresh_from_db()
    assert record13.user == user
    actions = list(ModelLogEntry.objects.for_instance(user).values_list("action", flat=True))
    assert actions == ["accounts.link", "accounts.unlink", "accounts.invite"]


def test_the_national_coordination_invites_a_coordinator_anywhere(client, people, france):
    client.force_login(people["national"])
    response = invite_colleague(client, france["c95"], email="val.oise@example.org")
    assert response.status_code == 302
    assert france["c95"].members.filter(email="val.oise@example.org").exists()
    # …and the Val-d'Oise now sees its new member.
    client.force_login(people["m95"])
    assert "val.oise@example.org" in text(client.get("/admin/equipe/"))


def test_invitations_are_translated():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("en"):
        assert gettext("Mon équipe") == "My team"
        assert gettext("Inviter un facilitateur") == "Invite a facilitator"
