"""Repeated wrong passwords lock the account and the address (django-axes)."""

import io

import pytest
from django.core.management import call_command

from accounts.tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def test_wrong_passwords_lock_the_account_even_for_the_right_password(client, coordinator):
    for _attempt in range(2):
        response = login(client, coordinator.username, "wrong")
        assert response.status_code == 200
        assert "bloquée" not in response.content.decode()
    response = login(client, coordinator.username, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de tentatives de connexion échouées" in page
    assert "30 minutes" in page
    assert 'value="camille.coordination"' in page  # the login form, username kept

    # The right password is refused while the lockout holds, from another address too.
    response = login(client, coordinator.username, address="203.0.113.9")
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


def test_an_administrator_unlocks_the_account(client, coordinator):
    for _attempt in range(3):
        login(client, coordinator.username, "wrong")
    assert login(client, coordinator.username).status_code == 429

    call_command("axes_reset_username", coordinator.username, stdout=io.StringIO())
    response = login(client, coordinator.username)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_one_address_trying_several_accounts_is_locked(client, coordinator, facilitator):
    for username in ["alice", "bob", "carol"]:
        login(client, username, "guess", address="192.0.2.50")
    response = login(client, coordinator.username, address="192.0.2.50")
    assert response.status_code == 429
    # The accounts themselves are not locked: from elsewhere, the right password works.
    assert login(client, coordinator.username, address="198.51.100.20").status_code == 302

    call_command("axes_reset_ip", "192.0.2.50", stdout=io.StringIO())
    client.logout()
    assert login(client, facilitator.username, address="192.0.2.50").status_code == 302


def test_the_lockout_message_is_translated():
    from django.utils import translation

    from accounts.lockout import lockout_message

    with translation.override("en"):
        assert lockout_message().startswith("Too many failed login attempts")
        assert "30 minutes" in lockout_message()
    with translation.override("fr"):
        assert "bloquée pendant 30 minutes" in lockout_message()
