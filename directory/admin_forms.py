"""Admin forms of the directory: a named perimeter, chosen territory by territory or imported
from a list of codes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from directory import perimeters
from directory.forms import ScopedForm
from directory.models import PerimeterMember, Territory
from directory.names import normalise

REASONS = {
    "commune": _lazy("« %(code)s » : aucune commune chargée n'a ce code INSEE."),
    "epci": _lazy("« %(code)s » : aucun EPCI chargé n'a ce SIREN."),
    "format": _lazy(
        "« %(code)s » n'est ni un code INSEE de commune (5 caractères) ni un SIREN d'EPCI "
        "(9 chiffres)."
    ),
}


class PerimeterForm(ScopedForm):
    """The members chosen one by one, plus those of a pasted list of INSEE codes and SIREN;
    every unknown code, and every code outside the coordination's territory, gets its own
    message and nothing is saved until all are known and inside."""

    codes = forms.CharField(
        label=_lazy("Importer une liste de codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy(
            "Codes INSEE de communes et SIREN d'EPCI, séparés par des espaces, virgules ou "
            "retours à la ligne. Ils s'ajoutent aux territoires choisis ci-dessus."
        ),
    )

    def clean_codes(self):
        result = perimeters.read_codes(self.cleaned_data.get("codes"))
        errors = [REASONS[reason] % {"code": code} for code, reason in result.unknown]
        if self.scope is not None and not self.scope.everything:
            inside = set(
                self.scope.territories(
                    Territory.objects.filter(pk__in=[t.pk for t in result.territories])
                ).values_list("pk", flat=True)
            )
            errors += [
                _("« %(code)s » (%(name)s) est hors du territoire de votre coordination.")
                % {"code": territory.code, "name": territory.name}
                for territory in result.territories
                if territory.pk not in inside
            ]
        if errors:
            raise ValidationError(errors)
        self.imported = result.territories
        return self.cleaned_data.get("codes")

    def save(self, commit=True):
        perimeter = super().save(commit=False)
        perimeter.kind = perimeter.Kind.PERIMETER
        perimeter.search_name = normalise(perimeter.name)
        if not perimeter.code:
            perimeter.code = perimeters.next_code()
        if commit:
            perimeter.save()
            self.save_m2m()
            chosen = set(
                PerimeterMember.objects.filter(perimeter=perimeter).values_list(
                    "territory", flat=True
                )
            )
            for territory in getattr(self, "imported", []):
                if territory.pk not in chosen:
                    PerimeterMember.objects.create(perimeter=perimeter, territory=territory)
            perimeters.refresh(perimeter)
        return perimeter

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name"):
            return cleaned
        formset = self.formsets.get("members")
        if formset is not None:
            formset.is_valid()  # the cluster form validates its formsets after clean()
        members = [
            form.cleaned_data.get("territory")
            for form in (formset.forms if formset is not None else [])
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        wrong = [t for t in members if t and t.kind not in perimeters.MEMBER_KINDS]
        if wrong:
            raise ValidationError(
                _("Un périmètre se compose de communes et d'EPCI : retirez %(names)s.")
                % {"names": ", ".join(str(t) for t in wrong)}
            )
        if not members and not getattr(self, "imported", None) and "codes" not in self.errors:
            raise ValidationError(
                _("Choisissez au moins une commune ou un EPCI, ou collez une liste de codes.")
            )
        return cleaned
