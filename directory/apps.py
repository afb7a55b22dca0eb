from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Territories, structures, facilitators, buyers, coverage and lead rules."""

    name = "directory"
    verbose_name = _("Annuaire des facilitateurs")

    def ready(self):
        from directory import policies, search_index, signals
        from directory.groups import ensure_coordinators_group

        post_migrate.connect(ensure_coordinators_group, sender=self)
        policies.register()
        signals.connect()
        search_index.connect()
