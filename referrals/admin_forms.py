"""The small forms of a request's page in the admin, one per action; each is posted on its own
and handed to the matching `referrals.lifecycle` function (`referrals.inbox` decides who may
post which)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import policies
from portal.calculator import NumberField
from portal.validators import guard_text_fields
from referrals.policies import assignees, full_name


class GuardedForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)  # no control characters


class EmptyForm(GuardedForm):
    """An action with nothing to fill in (take the request, mark it in progress)."""


class AssignForm(GuardedForm):
    assignee = forms.ModelChoiceField(
        label=_("Suivie par"),
        queryset=None,
        required=False,
        empty_label=_("Personne"),
        help_text=_("La personne choisie est prévenue par e-mail."),
    )

    def __init__(self, *args, project, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = assignees(project, user)
        field.purpose = policies.FOLLOW  # the accounts' policy says who may be named to follow
        field.error_messages["invalid_choice"] = _(
            "Cette personne ne peut pas suivre cette demande : choisissez le facilitateur "
            "destinataire, un collègue de sa structure ou un membre de la coordination du "
            "territoire."
        )
        field.label_from_instance = full_name
        field.initial = project.assignee_id


class ReplyForm(GuardedForm):
    body = forms.CharField(
        label=_("Votre message au donneur d'ordre"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Envoyé par e-mail au contact de la demande, conservé dans l'historique ; "
            "sa réponse vous parviendra directement."
        ),
    )


class ClauseForm(GuardedForm):
    hours = NumberField(
        label=_("Heures d'insertion prévues par la clause"), minimum="1", maximum="10000000"
    )
    contract_start = forms.DateField(
        label=_("Début d'exécution du marché"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Saisissez une date, par exemple 15/09/2027.")},
    )

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and hours != int(hours):
            raise forms.ValidationError(_("Saisissez un nombre d'heures entier."))
        return int(hours) if hours is not None else None


class CloseForm(GuardedForm):
    reason = forms.CharField(
        label=_("Pourquoi la demande est-elle close sans clause ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
