"""Admin panels that speak good French: an inline list says what one of its items is.

Wagtail's InlinePanel and MultipleChooserPanel write their button "Add <label>", which French
can only render as "Ajouter un(e) <label>". These take the whole sentence instead
(`add_label`: "Ajouter un territoire couvert"), beside the `heading` of the list ("Territoires
couverts") and the `label` of one item ("territoire couvert", shown as "Territoire couvert 1").
"""

from wagtail.admin import panels


class _AddLabel:
    def __init__(self, *args, add_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}


class InlinePanel(_AddLabel, panels.InlinePanel):
    class BoundPanel(panels.InlinePanel.BoundPanel):
        template_name = "portal/admin/inline_panel.html"


class MultipleChooserPanel(_AddLabel, panels.MultipleChooserPanel):
    class BoundPanel(panels.MultipleChooserPanel.BoundPanel):
        template_name = "portal/admin/multiple_chooser_panel.html"
