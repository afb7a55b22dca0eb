"""Public pages of the observatory, in the language prefix (French paths, English through
translation): structures' pages under the directory, results by territory."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from observatory import consolidation, views

DEP, REG = consolidation.DEPARTEMENT, consolidation.REGION

urlpatterns = [
    path(
        _("annuaire/structures/<slug:slug>/"),
        views.structure_page,
        name="observatory_structure",
    ),
    path(
        _("annuaire/structures/<slug:slug>/resultats.csv"),
        views.structure_csv,
        name="observatory_structure_csv",
    ),
    path(_("observatoire/"), views.latest, name="observatory_latest"),
    path(_("observatoire/<int:year>/"), views.national, name="observatory_national"),
    path(
        _("observatoire/<int:year>/resultats.csv"),
        views.territory_csv,
        name="observatory_national_csv",
    ),
    path(
        _("observatoire/<int:year>/departements/<str:code>/"),
        views.territory,
        {"level": DEP},
        name="observatory_departement",
    ),
    path(
        _("observatoire/<int:year>/departements/<str:code>/resultats.csv"),
        views.territory_csv,
        {"level": DEP},
        name="observatory_departement_csv",
    ),
    path(
        _("observatoire/<int:year>/regions/<str:code>/"),
        views.territory,
        {"level": REG},
        name="observatory_region",
    ),
    path(
        _("observatoire/<int:year>/regions/<str:code>/resultats.csv"),
        views.territory_csv,
        {"level": REG},
        name="observatory_region_csv",
    ),
]
