"""Admin forms of the directory that keep a coordination member inside its territory: a
territory or facilitator chosen outside it is refused with a message (the choosers already
offer only what is inside, `directory.scope`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from directory.scope import scope_for


class ScopedForm(WagtailAdminModelForm):
    """Narrows the territory and facilitator fields (and those of the inline formsets) to
    the user's scope."""

    scoped_fields = {
        "territory": "territories",
        "facilitator": "facilitators",
        "lead": "facilitators",
    }
    required_inside = ()  # formsets of which at least one row is needed on creation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope_for(self.for_user) if self.for_user else None
        if self.scope is None or self.scope.everything or not self.scope.territorial:
            return
        for form in [self, *[f for formset in self.formsets.values() for f in formset.forms]]:
            self._narrow(form)
        for formset in self.formsets.values():
            self._narrow(formset.empty_form)

    def _narrow(self, form):
        for name, method in self.scoped_fields.items():
            field = form.fields.get(name)
            if field is not None and hasattr(field, "queryset"):
                field.queryset = getattr(self.scope, method)(field.queryset)
                field.error_messages["invalid_choice"] = _(
                    "Ce choix est hors du territoire de votre coordination."
                )

    def clean(self):
        cleaned = super().clean()
        if self.scope is None or self.scope.everything or not self.scope.territorial:
            return cleaned
        if self.instance.pk is None:
            for name in self.required_inside:
                rows = [
                    form
                    for form in self.formsets[name].forms
                    if form.cleaned_data and not form.cleaned_data.get("DELETE")
                ]
                if not rows:
                    self.add_error(
                        None,
                        _(
                            "Choisissez au moins un territoire de votre coordination : sans "
                            "territoire, la fiche sortirait de votre périmètre."
                        ),
                    )
        return cleaned


class FacilitatorForm(ScopedForm):
    required_inside = ("coverage_items",)


class AuthorityForm(ScopedForm):
    required_inside = ()


class LeadDesignationForm(ScopedForm):
    pass


class CoordinationForm(WagtailAdminModelForm):
    """A coordination's territories fit its kind (`Coordination.check_territories`)."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            self.instance.kind = kind
            try:
                self.instance.check_territories(list(cleaned.get("territories") or []))
            except ValidationError as error:
                self.add_error(None, error.message_dict["territories"])
        return cleaned
