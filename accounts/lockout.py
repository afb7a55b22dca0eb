"""What a locked-out login attempt sees (django-axes' AXES_LOCKOUT_CALLABLE)."""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import ngettext
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled


def lockout_message():
    """The sentence shown on the login page while a lockout holds."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Trop de tentatives de connexion échouées : la connexion à ce compte ou depuis cette "
        "adresse est bloquée pendant %(minutes)d minute, même avec le bon mot de passe. Un "
        "administrateur peut la débloquer avant.",
        "Trop de tentatives de connexion échouées : la connexion à ce compte ou depuis cette "
        "adresse est bloquée pendant %(minutes)d minutes, même avec le bon mot de passe. Un "
        "administrateur peut la débloquer avant.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The Wagtail login page again, with the lockout message and the username kept, answered
    with 429 Too Many Requests."""
    messages.error(request, lockout_message())
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    user_model = get_user_model()
    context = {
        "form": get_user_login_form()(request=request, initial={"username": username}),
        "next": request.POST.get("next", ""),
        "show_password_reset": password_reset_enabled(),
        "username_field": user_model._meta.get_field(user_model.USERNAME_FIELD).verbose_name,
    }
    # Rendered now: axes' middleware runs after the response phase of the view.
    return render(
        request, "wagtailadmin/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
