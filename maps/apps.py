from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    """Map pages and geographic data endpoints."""

    name = "maps"
    verbose_name = _("Cartes")
