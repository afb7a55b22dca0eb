"""Repeated wrong passwords lock the account, from any address; an address is locked only
after many failures across accounts; the locked person unlocks its account with a link sent
to the account's e-mail (django-axes, accounts/lockout.py)."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accounts.models import UnlockLink
from accounts.tests.conftest import login
from conftest import flush_outbox, text

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.50"  # a town hall: everybody behind one address


def locked(response):
    return response.status_code == 429


def test_defaults_are_five_per_account_and_fifty_per_address(settings):
    from accounts import lockout

    assert lockout.account_limit() == 5
    assert lockout.address_limit() == 50
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2  # never below the account's limit
    assert lockout.address_limit() == 5


def test_wrong_passwords_lock_the_account_even_for_the_right_password(client, coordinator):
    for _attempt in range(4):
        response = login(client, coordinator.username, "wrong")
        assert response.status_code == 200
        assert "bloquée" not in text(response)
    response = login(client, coordinator.username, "wrong")
    assert locked(response)
    page = text(response)
    assert "Trop de mots de passe erronés pour ce compte" in page
    assert "30 minutes" in page
    assert 'value="camille.coordination"' in page  # the login form, username kept
    assert "Recevoir un lien de déblocage" in page

    # The right password is refused while the lockout holds, from another address too.
    assert locked(login(client, coordinator.username, address="203.0.113.9"))
    assert client.get("/admin/").status_code == 302  # still signed out


def test_six_wrong_passwords_on_one_account_do_not_lock_a_colleague(
    client, coordinator, facilitator
):
    for _attempt in range(6):
        login(client, coordinator.username, "wrong", address=OFFICE)
    assert locked(login(client, coordinator.username, address=OFFICE))
    # A colleague behind the same address signs in.
    response = login(client, facilitator.username, address=OFFICE)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_fifty_failures_across_accounts_lock_the_address(client, coordinator, facilitator):
    for n in range(49):
        login(client, f"personne.{n % 12}", "guess", address=OFFICE)
    # Not yet: under the address's limit, the right password gets in.
    assert login(client, facilitator.username, address=OFFICE).status_code == 302
    client.logout()
    response = login(client, f"personne.{49 % 12}", "guess", address=OFFICE)  # the 50th
    assert locked(response)
    response = login(client, coordinator.username, address=OFFICE)
    assert locked(response)
    page = text(response)
    assert "depuis votre adresse réseau" in page
    assert "Recevoir un lien de déblocage" not in page  # the account is not what is locked
    # The accounts themselves are not locked: from elsewhere, the right password works.
    assert login(client, coordinator.username, address="198.51.100.20").status_code == 302

    client.logout()
    call_command("axes_reset_ip", OFFICE, stdout=io.StringIO())
    assert login(client, facilitator.username, address=OFFICE).status_code == 302


def test_attempts_refused_during_a_lockout_are_not_counted(client, coordinator, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for _attempt in range(12):  # 5 counted, 7 refused without reading the password
        login(client, coordinator.username, "wrong", address=OFFICE)
    from accounts import lockout

    assert lockout.account_failures(coordinator.username) == 5
    assert not lockout.address_locked(OFFICE)


def test_an_administrator_still_unlocks_with_the_command(client, coordinator):
    for _attempt in range(5):
        login(client, coordinator.username, "wrong")
    assert locked(login(client, coordinator.username))

    call_command("axes_reset_username", coordinator.username, stdout=io.StringIO())
    response = login(client, coordinator.username)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def lock(client, user, address="198.51.100.7"):
    for _attempt in range(5):
        login(client, user.username, "wrong", address=address)


def ask_for_link(client, identifier, address="198.51.100.7"):
    return client.post("/admin/compte/deblocage/", {"username": identifier}, REMOTE_ADDR=address)


def unlock_url():
    flush_outbox()
    assert len(mail.outbox) == 1
    found = re.search(r"http://testserver(/admin/compte/deblocage/[^/\s]+/)", mail.outbox[0].body)
    return found.group(1)


def test_the_unlock_link_unlocks_the_account_once(client, coordinator):
    lock(client, coordinator)
    response = ask_for_link(client, coordinator.username)
    assert response.status_code == 200
    assert "Si « camille.coordination » est un compte bloqué" in text(response)
    url = unlock_url()
    message = mail.outbox[0]
    assert message.to == ["camille.coordination@example.org"]
    assert "Portail des clauses sociales" in message.subject
    assert "valable 24 heures" in message.body and "ne sert qu'une fois" in message.body

    # Opening the link (a mail scanner does) changes nothing; the button unlocks.
    page = client.get(url)
    assert page.status_code == 200 and "Débloquer mon compte" in text(page)
    assert locked(login(client, coordinator.username))
    response = client.post(url)
    assert response.status_code == 302 and response.url == "/admin/login/"
    assert login(client, coordinator.username).status_code == 302
    client.logout()

    # Once only.
    assert client.post(url).status_code == 410
    assert "déjà servi" in text(client.get(url))
    from wagtail.models import ModelLogEntry

    assert (
        ModelLogEntry.objects.for_instance(coordinator)
        .filter(action="accounts.unlock_self")
        .exists()
    )


def test_the_unlock_form_never_tells_whether_the_account_exists(client, coordinator, facilitator):
    lock(client, coordinator)
    answers = {
        name: text(ask_for_link(client, name))
        for name in ("camille.coordination", "nobody.here", facilitator.username)
    }
    for name, page in answers.items():
        assert f"Si « {name} » est un compte bloqué" in page
    flush_outbox()
    # Only the locked, existing account got a link; the unlocked colleague none.
    assert [m.to for m in mail.outbox] == [["camille.coordination@example.org"]]


def test_the_account_is_found_by_its_email_too(client, coordinator):
    lock(client, coordinator)
    ask_for_link(client, "Camille.Coordination@example.org")
    assert client.post(unlock_url()).status_code == 302
    assert login(client, coordinator.username).status_code == 302


def test_the_unlock_form_is_rate_limited_per_address(client, coordinator, settings):
    settings.LOGIN_UNLOCK_RATE_LIMIT = 2
    lock(client, coordinator)
    assert ask_for_link(client, coordinator.username).status_code == 200
    assert ask_for_link(client, coordinator.username).status_code == 200
    response = ask_for_link(client, coordinator.username)
    assert response.status_code == 429
    assert "Trop de demandes" in text(response) and response["Retry-After"]
    # One account gets at most three links an hour, whatever the addresses asking.
    for n in range(4):
        ask_for_link(client, coordinator.username, address=f"203.0.113.{n + 1}")
    assert UnlockLink.objects.filter(user=coordinator).count() == 3


def test_bad_unlock_requests_and_links_get_a_clear_answer(client, coordinator):
    response = client.post("/admin/compte/deblocage/", {"username": ""})
    assert response.status_code == 400
    assert "Indiquez l'identifiant" in text(response)
    assert client.get("/admin/compte/deblocage/").status_code == 405
    for token in ("nonsense", "MQ:1tZ:abc"):
        response = client.get(f"/admin/compte/deblocage/{token}/")
        assert response.status_code == 404
        assert "n'est pas valide" in text(response)


def test_an_expired_unlock_link_says_so(client, coordinator):
    from accounts import lockout

    link = UnlockLink.objects.create(user=coordinator)
    url = f"/admin/compte/deblocage/{lockout.unlock_token(link)}/"
    with time_machine.travel(datetime.timedelta(hours=25)):
        response = client.post(url)
    assert response.status_code == 410 and "expiré" in text(response)


def test_the_lockout_messages_are_translated():
    from django.utils import translation

    from accounts.lockout import lockout_message

    with translation.override("en"):
        assert "30 minutes" in lockout_message()
        assert "Too many wrong passwords" in lockout_message()
        assert "network address" in lockout_message(address=True)
    with translation.override("fr"):
        assert "bloquée pendant 30 minutes" in lockout_message()
