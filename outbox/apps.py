from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Envoi des e-mails")

    def ready(self):
        from outbox import policies

        policies.register()
        from outbox.health import oldest_waiting
        from portal import health

        health.register("outbox", oldest_waiting)
