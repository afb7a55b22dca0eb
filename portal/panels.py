"""Admin panels and choosers that speak good French, in the reader's language.

- Wagtail's InlinePanel and MultipleChooserPanel write their button "Add <label>", which
  French can only render as "Ajouter un(e) <label>". These take the whole sentence instead
  (`add_label`: "Ajouter un territoire couvert"), beside the `heading` of the list
  ("Territoires couverts") and the `label` of one item ("territoire couvert", shown as
  "Territoire couvert 1").
- Wagtail's snippet chooser widget writes "Choose <model>" once, in the language active when
  the widget is built (the first request of the process, or a management command's English),
  and keeps it for every later reader. `SnippetChooserViewSet` builds widgets whose texts are
  translated when they are shown.
"""

from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from wagtail.admin import panels
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.widgets import AdminSnippetChooser


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


def _translated(message, name):
    return gettext(message) % {"object": name}


translated = lazy(_translated, str)


class SnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, its "Choisir : structure" texts translated on display."""

    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        name = model._meta.verbose_name
        # Wagtail's own msgids, so that its translations (and the project's) apply.
        self.choose_one_text = translated("Choose %(object)s", name)
        self.choose_another_text = translated("Choose another %(object)s", name)
        self.link_to_chosen_text = translated("Edit this %(object)s", name)


class SnippetChooserViewSet(snippet_choosers.SnippetChooserViewSet):
    """Wagtail's snippet chooser viewset with the `SnippetChooser` widget."""

    @cached_property
    def widget_class(self):
        return SnippetChooser(model=self.model, icon=self.icon)
