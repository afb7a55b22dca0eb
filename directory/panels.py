"""Admin panels of the directory."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, Panel


def coverage_geojson(facilitator):
    """The saved coverage of a facilitator as a GeoJSON FeatureCollection."""
    territories = facilitator.coverage.with_outline() if facilitator.pk else []
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": territory.outline,
                "properties": {"name": territory.name, "kind": territory.get_kind_display()},
            }
            for territory in territories
            if territory.outline
        ],
    }


class CoveragePreviewPanel(Panel):
    """A read-only map of the territories a facilitator covers (as last saved)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Carte de la couverture enregistrée"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/admin/coverage_preview.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["geojson"] = coverage_geojson(self.instance)
            return context


class TieConfirmationPanel(FieldPanel):
    """The checkbox that confirms a designation that would tie with another: shown only when
    the form found one (`LeadDesignationForm.rivals`), with the warning as its error."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return bool(getattr(self.form, "rivals", None)) and super().is_shown()
