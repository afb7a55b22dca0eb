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

from directory import coverage, designations
from directory.models import Facilitator
from directory.models.reports import MESSAGE_MAX_LENGTH
from directory.scope import linkable_accounts, scope_for
from portal import policies
from portal.validators import guard_text_fields, honeypot_field


class ScopedForm(WagtailAdminModelForm):
    """Every model choice field (and those of the inline formsets) offers only what the
    user's policy lets them choose (`portal.policies.choosable`); a field's current value
    stays accepted, so that saving never drops it."""

    required_inside = ()  # formsets of which at least one row is needed on creation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope_for(self.for_user) if self.for_user else None
        if self.for_user is None:
            return
        for form in [self, *[f for formset in self.formsets.values() for f in formset.forms]]:
            narrow_choices(form, self.for_user)

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


def narrow_choices(form, user):
    """Narrow the model choice fields of `form` to what `user` may choose, keeping the
    current values."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
            continue
        if policies.policy_for(field.queryset.model) is None:
            continue
        current = form.initial.get(name)
        current = current if isinstance(current, list | tuple) else [current]
        kept = [getattr(value, "pk", value) for value in current if value not in (None, "")]
        allowed = policies.choosable(user, field.queryset)
        if kept:
            allowed = allowed | field.queryset.filter(pk__in=kept)
        field.queryset = allowed.distinct() if kept else allowed
        field.error_messages["invalid_choice"] = _(
            "Ce choix est hors du territoire de votre coordination."
        )


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


class StructureForm(ScopedForm):
    pass


class AuthorityForm(ScopedForm):
    """A buyer and its designated lead: the perimeter being edited is checked by the rule
    (`ContractingAuthority.clean`, `designations.authority_refusals`), not the one saved."""

    required_inside = ()

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("perimeter_items")
        if formset is not None:
            formset.is_valid()  # the cluster form validates its formsets after clean()
            self.instance.perimeter_to_check = [
                form.cleaned_data["territory"]
                for form in formset.forms
                if getattr(form, "cleaned_data", None)
                and form.cleaned_data.get("territory")
                and not form.cleaned_data.get("DELETE")
            ]
        return cleaned


# A change of these makes a new designation as far as ties go: it is checked again.
TIE_FIELDS = {"territory", "facilitator", "starts_on", "ends_on"}


class LeadDesignationForm(ScopedForm):
    """A lead designation. Its facilitator must cover its territory (`LeadDesignation.clean`,
    `directory.designations`); one that would tie with another designation
    (`coverage.rival_designations`) is saved only once the user, told which one, confirms."""

    confirm_tie = forms.BooleanField(
        label=gettext_lazy(
            "Je confirme : deux chefs de file seront désignés au même niveau, et la "
            "coordination devra trancher entre eux."
        ),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        self.rivals = []
        territory, starts_on = cleaned.get("territory"), cleaned.get("starts_on")
        if territory is None or starts_on is None:
            return cleaned
        saved = self.instance  # as saved: the form writes to it after clean()
        if saved.pk is not None and all(
            getattr(saved, name) == cleaned.get(name) for name in TIE_FIELDS
        ):
            return cleaned  # an edit of the reference or of who designated
        self.rivals = coverage.rival_designations(
            territory,
            cleaned.get("facilitator"),
            starts_on,
            cleaned.get("ends_on"),
            exclude=self.instance.pk,
        )
        if self.rivals and not cleaned.get("confirm_tie"):
            self.add_error(
                "confirm_tie",
                [
                    *designations.rival_sentences(self.rivals),
                    _(
                        "Avec cette désignation, deux chefs de file seraient au même niveau : "
                        "la réponse serait « plusieurs chefs de file » et la coordination "
                        "devrait trancher. Cochez la case pour enregistrer quand même, ou "
                        "modifiez la désignation."
                    ),
                ],
            )
        return cleaned


class AbsenceForm(WagtailAdminModelForm):
    """An absence: the absent person among the records the user may change (a facilitator
    account: itself only, in a plain list), the deputy among the published facilitators it
    may choose (`directory.policies`). The rules are the model's (`directory.absences`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        records = Facilitator.objects.select_related("structure").order_by(
            "last_name", "first_name"
        )
        absent = self.fields["facilitator"]
        scope = scope_for(user)
        if not scope.everything and not scope.territorial:
            absent.widget = forms.Select()  # its own record: nothing to search
            absent.label_from_instance = _with_structure
        absent.queryset = policies.visible(user, records)
        absent.error_messages["invalid_choice"] = _(
            "Vous ne pouvez pas enregistrer l'absence de cette personne."
        )
        deputy = self.fields["deputy"]
        deputy.queryset = policies.choosable(user, records.filter(live=True))
        deputy.error_messages["invalid_choice"] = _(
            "Choisissez comme suppléant un facilitateur publié dans l'annuaire."
        )
        if self.instance.pk is None and not self.is_bound and absent.initial is None:
            own = scope.own
            if len(own) == 1 and not scope.territorial and not scope.everything:
                self.initial.setdefault("facilitator", next(iter(own)))


def _with_structure(facilitator):
    return f"{facilitator.full_name} — {facilitator.structure.name}"


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
