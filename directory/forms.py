"""Forms of the directory: the admin forms that keep a coordination member inside its
territory (a territory, facilitator or account chosen outside it is refused with a message;
the choosers already offer only what is inside, `directory.scope`), and the public
"Signaler une erreur" form."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from directory.models.reports import MESSAGE_MAX_LENGTH
from directory.scope import linkable_accounts, scope_for
from portal import policies
from portal.validators import guard_text_fields, honeypot_field


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("user")  # only for those who may publish
        if field is not None and self.for_user is not None:
            field.queryset = linkable_accounts(self.for_user, self.instance)
            field.label_from_instance = _account_label
            field.error_messages["invalid_choice"] = _(
                "Ce compte ne peut pas être lié à cette fiche : choisissez un compte du groupe "
                "« Facilitateurs » qui n'est lié à aucune autre fiche."
            )
            field.help_text = _(
                "Un compte du groupe « Facilitateurs », lié à aucune autre fiche : celui avec "
                "lequel ce facilitateur suit ses demandes et propose les changements de sa fiche."
            )


def _account_label(user):
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class AuthorityForm(ScopedForm):
    required_inside = ()


class LeadDesignationForm(ScopedForm):
    pass


class CoordinationForm(WagtailAdminModelForm):
    """A coordination's territories fit its kind (`Coordination.check_territories`); its
    members are chosen among the accounts the user model's policy lets the user choose (the
    current members stay listed so that saving never drops them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("members")
        if field is not None and self.for_user is not None:
            offered = Q(pk__in=policies.choosable(self.for_user, field.queryset).values("pk"))
            if self.instance.pk:
                offered |= Q(pk__in=self.instance.members.values("pk"))
            field.queryset = field.queryset.filter(offered).order_by(
                "last_name", "first_name", "username"
            )

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


class ErrorReportForm(forms.Form):
    """ "Signaler une erreur": what is wrong, an optional address to be answered, consent.
    The subject (facilitator, commune) comes from the link, not from the form."""

    message = forms.CharField(
        label=gettext_lazy("Qu'est-ce qui est inexact ?"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=format_lazy(
            gettext_lazy(
                "Ex. : le numéro de téléphone a changé, cette personne ne couvre plus la "
                "commune… ({max} caractères au plus)"
            ),
            max=MESSAGE_MAX_LENGTH,
        ),
        error_messages={
            "required": gettext_lazy("Décrivez ce qui est inexact."),
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre e-mail (facultatif)"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Seulement si vous souhaitez une réponse."),
        error_messages={
            "invalid": gettext_lazy("Saisissez une adresse e-mail valide, ex. : nom@exemple.fr.")
        },
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "J'accepte que ce signalement, et mon e-mail si je le donne, soient transmis à la "
            "coordination des clauses sociales qui tient cette partie de l'annuaire."
        ),
        error_messages={
            "required": gettext_lazy(
                "Cochez cette case : sans votre accord, le signalement ne peut pas être transmis."
            )
        },
    )
    site_web = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)  # no control characters, sendable e-mail address

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Décrivez ce qui est inexact."))
        return message
