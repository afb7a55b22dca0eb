from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from portal.editorial import ensure_editorial_roles

        post_migrate.connect(ensure_editorial_roles, sender=self)
