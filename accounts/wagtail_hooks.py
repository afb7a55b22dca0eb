from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts import views


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [
        path("double-authentification/", views.verify, name="accounts_verify"),
        path("double-authentification/activer/", views.enrol, name="accounts_enrol"),
    ]


@hooks.register("register_account_menu_item")
def second_factor_menu_item(request):
    return {
        "url": reverse("accounts_enrol"),
        "label": _("Double authentification"),
        "help_text": _(
            "Associer une application d'authentification (TOTP) à votre compte, ou la remplacer."
        ),
    }
