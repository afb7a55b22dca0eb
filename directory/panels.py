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


class AbsencesPanel(Panel):
    """The facilitator's absences not over yet (with their deputy), a link to record one,
    and what happens to requests meanwhile."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Absences"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/admin/absences_panel.html"

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            from directory.absences import current_and_upcoming, period
            from directory.models.absences import ROUTING_HELP

            context = super().get_context_data(parent_context)
            facilitator = self.instance
            absences = list(current_and_upcoming(facilitator)) if facilitator.pk else []
            context.update(
                absences=[
                    (
                        absence,
                        period(absence),
                        reverse("wagtailsnippets_directory_absence:edit", args=[absence.pk]),
                    )
                    for absence in absences
                ],
                saved=facilitator.pk is not None,
                may_add=self.request.user.has_perm("directory.add_absence"),
                add_url=(
                    reverse("wagtailsnippets_directory_absence:add")
                    + f"?facilitator={facilitator.pk}"
                    if facilitator.pk
                    else ""
                ),
                routing_help=ROUTING_HELP,
            )
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


class TieConfirmationPanel(FieldPanel):
    """The checkbox that confirms a designation that would tie with another: shown only when
    the form found one (`LeadDesignationForm.rivals`), with the warning as its error."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return bool(getattr(self.form, "rivals", None)) and super().is_shown()
