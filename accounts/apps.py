from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Admin accounts: login lockout (django-axes) and the second factor (django-otp)."""

    name = "accounts"
    verbose_name = "Comptes d'administration"
