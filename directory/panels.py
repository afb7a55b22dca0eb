"""Admin panels of the directory."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


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


class ProposalPanel(Panel):
    """The review screen's summary, at the top of the form while a proposal waits for the
    coordination: what it changes against the live record (`directory.review.proposal`),
    with a link to Wagtail's full comparison."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Modifications proposées, à valider"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/admin/proposal_panel.html"

        def is_shown(self):
            return bool(self.instance.pk) and self.instance.workflow_in_progress

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            from directory import review

            context = super().get_context_data(parent_context)
            context["proposal"] = review.proposal(self.instance)
            meta = self.instance._meta
            if context["proposal"].record.live:
                context["compare_url"] = reverse(
                    f"wagtailsnippets_{meta.app_label}_{meta.model_name}:revisions_compare",
                    args=[self.instance.pk, "live", "latest"],
                )
            return context
