from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Admin accounts: the coordinations' teams (invitations, links to facilitator records,
    deactivation, unlocking), the login lockout (django-axes) and the second factor
    (django-otp)."""

    name = "accounts"
    verbose_name = "Comptes d'administration"

    def ready(self):
        from accounts import policies

        policies.register()
