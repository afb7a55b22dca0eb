"""The département chooser of an event: every département, to every editor.

Territories' names and codes are public reference data (INSEE); saying where an event takes
place gives no right on the directory. So this chooser is not the directory's territory
chooser, which stays narrowed to the user's territorial scope (a coordination chooses the
coverage it keeps inside its own territory; an editor has no scope at all)."""

from django import forms
from django.db.models import Q
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
from directory.names import normalise
from portal import policies

K = Territory.Kind


def departements():
    """Every département, with its région, by code."""
    return Territory.objects.of_kind(K.DEPARTEMENT).with_parents("region").order_by("code")


class DepartementFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Nom ou numéro du département"),
        widget=forms.TextInput(attrs={"placeholder": _("Ex. : Landes, 40, bouches")}),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Territory.objects.of_kind(K.REGION).order_by("search_name"),
        empty_label=_("Toutes les régions"),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        region = self.cleaned_data.get("region")
        if region is not None:
            objects = objects.filter(region=region)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(
                Q(code__iexact=query) | Q(search_name__contains=normalise(query))
            )
        return objects


class DepartementChooseMixin:
    filter_form_class = DepartementFilterForm

    def get_object_list(self):
        return departements()

    def apply_object_list_ordering(self, objects):
        return objects

    @property
    def columns(self):
        return super().columns + [
            Column("code", label=_("Numéro"), accessor="code"),
            Column("region", label=_("Région"), accessor="region"),
        ]


class DepartementChooseView(DepartementChooseMixin, ChooseView):
    pass


class DepartementChooseResultsView(DepartementChooseMixin, ChooseResultsView):
    pass


class DepartementChosenView(ChosenView):
    def get_object(self, pk):
        return departements().get(pk=pk)


class DepartementChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        return departements().filter(pk__in=pks)


class DepartementChooserViewSet(ChooserViewSet):
    model = Territory
    # Read by the admin door test: what this chooser obeys instead of the directory's policy.
    policy = policies.Unrestricted(
        Territory,
        reason="The départements' names and codes are public reference data (INSEE): an "
        "event's place is chosen among all of them, whatever the user's directory scope.",
    )
    icon = "site"
    choose_one_text = _("Choisir un département")
    choose_another_text = _("Choisir un autre département")
    page_title = _("Choisir un département")
    per_page = 30
    # The directory's territory chooser stays the widget of Territory fields elsewhere.
    register_widget = False
    choose_view_class = DepartementChooseView
    choose_results_view_class = DepartementChooseResultsView
    chosen_view_class = DepartementChosenView
    chosen_multiple_view_class = DepartementChosenMultipleView


departement_chooser_viewset = DepartementChooserViewSet(
    "event_departement_chooser", url_prefix="agenda/departements"
)
