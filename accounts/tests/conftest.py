import pytest
from django.contrib.auth.models import Group, Permission
from django_otp.oath import TOTP

from directory.groups import COORDINATORS, FACILITATORS

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def make_user(django_user_model):
    """An admin account: `group` (Coordinateurs, Facilitateurs or None) or a superuser."""

    def make(username, group=None, superuser=False):
        if superuser:
            return django_user_model.objects.create_superuser(
                username, f"{username}@example.org", PASSWORD
            )
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        else:  # an editor: admin access, no group that requires the second factor
            user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        return user

    return make


@pytest.fixture
def coordinator(make_user):
    return make_user("camille.coordination", COORDINATORS)


@pytest.fixture
def facilitator(make_user):
    return make_user("dominique.plie", FACILITATORS)


@pytest.fixture
def required(settings):
    settings.ADMIN_2FA_REQUIRED = True


def login(client, username, password=PASSWORD, address="198.51.100.7"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def current_code(device):
    """What the authenticator app shows now for `device`."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"
