"""The second factor of admin accounts: who must enrol, enrolment, verification."""

import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.conftest import current_code, login

pytestmark = pytest.mark.django_db

ENROL = "/admin/double-authentification/activer/"
VERIFY = "/admin/double-authentification/"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("who", ["coordinator", "facilitator", "superuser"])
def test_accounts_without_a_device_are_sent_to_enrolment(client, request, make_user, who):
    user = make_user("root", superuser=True) if who == "superuser" else request.getfixturevalue(who)
    assert login(client, user.username).status_code == 302
    for url in ["/admin/", "/admin/pages/", "/admin/snippets/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(ENROL + "?next=")
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and "<path" in page  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")
    from accounts.twofactor import secret

    assert secret(device) in page


@pytest.mark.usefixtures("required")
def test_enrolment_with_the_app_code_opens_the_admin(client, coordinator):
    login(client, coordinator.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)

    response = client.post(
        ENROL, {"otp_token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "Ce code ne correspond pas" in response.content.decode()
    assert client.get("/admin/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(ENROL, {"otp_token": current_code(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response.url == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=coordinator).confirmed


@pytest.mark.usefixtures("required")
def test_with_a_device_a_valid_code_gets_in_and_a_wrong_one_does_not(client, coordinator):
    device = enrolled(coordinator)
    login(client, coordinator.username)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response.url == VERIFY + "?next=/admin/pages/"
    # Enrolling another device with the password alone is not possible.
    assert client.get(ENROL).url.startswith(VERIFY)

    wrong = "123456" if current_code(device) != "123456" else "654321"
    response = client.post(VERIFY, {"otp_token": wrong})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    for bad in ["", "abcdef", "１２３４５６", "12345\x00"]:
        assert client.post(VERIFY, {"otp_token": bad}).status_code == 200

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(VERIFY, {"otp_token": current_code(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response.url == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.usefixtures("required")
def test_the_code_does_not_redirect_off_site(client, coordinator):
    device = enrolled(coordinator)
    login(client, coordinator.username)
    response = client.post(
        VERIFY, {"otp_token": current_code(device), "next": "https://evil.example.org/"}
    )
    assert response.status_code == 302 and response.url == "/admin/"


@pytest.mark.usefixtures("required")
def test_an_editor_outside_the_groups_may_go_without(client, make_user):
    editor = make_user("claude.redaction")
    login(client, editor.username)
    assert client.get("/admin/").status_code == 200
    assert client.get(ENROL).status_code == 200  # offered


def test_development_settings_leave_it_optional_but_an_enrolled_device_is_asked(
    client, coordinator, make_user
):
    login(client, coordinator.username)
    assert client.get("/admin/").status_code == 200
    client.logout()

    root = make_user("root", superuser=True)
    enrolled(root)
    login(client, root.username)
    assert client.get("/admin/").url.startswith(VERIFY)


@pytest.mark.usefixtures("required")
def test_a_lost_phone_is_reset_by_an_administrator(client, coordinator):
    enrolled(coordinator)
    out = io.StringIO()
    call_command("reset_second_factor", coordinator.username, stdout=out)
    assert "1 device(s) removed" in out.getvalue()
    login(client, coordinator.username)
    assert client.get("/admin/").url.startswith(ENROL)


def test_public_pages_are_not_affected(client, coordinator, required, home):
    login(client, coordinator.username)
    assert client.get("/fr/").status_code == 200
