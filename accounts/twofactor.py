"""The second factor of admin accounts (TOTP, django-otp): who needs one, and the device."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.groups import COORDINATORS, FACILITATORS

REQUIRED_GROUPS = (COORDINATORS, FACILITATORS)


def second_factor_required(user):
    """True when `user` may not use the admin without a second factor: superusers and the
    members of the Coordinateurs and Facilitateurs groups, while ADMIN_2FA_REQUIRED is on
    (always in production). Anyone who enrolled a device is asked for it all the same."""
    if not settings.ADMIN_2FA_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=REQUIRED_GROUPS).exists()


def has_device(user):
    """True when `user` has a confirmed TOTP device."""
    return user_has_device(user, confirmed=True)


def pending_device(user):
    """The device being enrolled by `user` (not confirmed yet), created on first use with a
    fresh random secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def confirm(device, token):
    """Confirm `device` when `token` is its current code: it replaces the user's previous
    devices. Returns True on success."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def verified_device(user, token):
    """The confirmed device of `user` that accepts `token`, else None (django-otp throttles
    repeated wrong codes)."""
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def secret(device):
    """The device's secret as authenticator apps expect it when typed by hand (base32)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_code_svg(device):
    """The otpauth:// URL of `device` as an inline SVG QR code, drawn on the server."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8").split("?>", 1)[-1].strip()


def reset(user):
    """Remove every device of `user` (lost phone): the next login asks for a new enrolment.
    Returns the number of devices removed."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
