"""The territory chooser of the admin: search by name, postal code or official code, and
filter by level, so that choosing an EPCI or a département is as easy as a commune."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet

from directory.models import Territory
from portal import policies

CHOOSABLE = [
    (Territory.Kind.COMMUNE, _("Commune")),
    (Territory.Kind.PERIMETER, _("Périmètre nommé")),
    (Territory.Kind.EPCI, _("EPCI")),
    (Territory.Kind.DEPARTEMENT, _("Département")),
    (Territory.Kind.REGION, _("Région")),
]


class TerritoryFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Nom, code postal ou code officiel"),
        widget=forms.TextInput(attrs={"placeholder": _("Ex. : ciotat, 13200, 241300417, 13")}),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Niveau"), choices=[("", _("Tous les niveaux"))] + CHOOSABLE, required=False
    )

    def filter(self, objects):
        objects = super().filter(objects)
        kind = self.cleaned_data.get("kind")
        kinds = [kind] if kind else [value for value, _label in CHOOSABLE]
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            return objects.search(query, kinds=kinds, limit=50)
        return objects.filter(kind__in=kinds)


class TerritoryChooseMixin:
    filter_form_class = TerritoryFilterForm
    ordering = ["kind", "search_name"]

    def get_object_list(self):
        territories = Territory.objects.exclude(kind=Territory.Kind.ARRONDISSEMENT)
        return policies.choosable(self.request.user, territories).with_parents("departement")

    def apply_object_list_ordering(self, objects):
        return objects  # search results keep their relevance order

    @property
    def columns(self):
        return super().columns + [
            Column("kind", label=_("Niveau"), accessor="get_kind_display"),
            Column("code", label=_("Code"), accessor="code"),
            Column("population", label=_("Population"), accessor="population"),
        ]


class TerritoryChooseView(TerritoryChooseMixin, ChooseView):
    pass


class TerritoryChooseResultsView(TerritoryChooseMixin, ChooseResultsView):
    pass


class TerritoryChosenView(policies.PolicyChosenMixin, ChosenView):
    pass


class TerritoryChosenMultipleView(policies.PolicyChosenMultipleMixin, ChosenMultipleView):
    pass


class TerritoryChooserViewSet(ChooserViewSet):
    model = Territory
    icon = "site"
    choose_one_text = _("Choisir un territoire")
    choose_another_text = _("Choisir un autre territoire")
    page_title = _("Choisir un territoire")
    per_page = 20
    choose_view_class = TerritoryChooseView
    choose_results_view_class = TerritoryChooseResultsView
    chosen_view_class = TerritoryChosenView
    chosen_multiple_view_class = TerritoryChosenMultipleView


territory_chooser_viewset = TerritoryChooserViewSet("territory_chooser")
