from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Territories, structures, facilitators, buyers, coverage and lead rules."""

    name = "directory"
    verbose_name = _("Annuaire des facilitateurs")
