from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """The open-data API (`/api/v1/`): answers, downloads and map layers, with its OpenAPI
    description and documentation page. Nothing in the project imports this app."""

    name = "opendata"
    verbose_name = _("Données ouvertes")
