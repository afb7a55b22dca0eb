"""The "send my project" form: every field validated on the server."""

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from directory.lookup import find_commune
from directory.models import ContractingAuthority
from portal.calculator import MAX_AMOUNT, NumberField
from portal.validators import HONEYPOT_FIELD, guard_text_fields, honeypot_field
from referrals.models import ProjectRequest

__all__ = ["HONEYPOT_FIELD", "ReferralForm"]
PHONE = re.compile(r"^\+?[\d\s.()-]{6,25}$")


class ReferralForm(forms.Form):
    place = forms.CharField(
        label=_("Commune où seront exécutés les travaux ou le service"),
        max_length=200,
        help_text=_("Nom de la commune, code postal ou code INSEE. Ex. : Tarascon (13)."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "list": "referral-places",
                "data-suggest": reverse_lazy("api:suggest"),
            }
        ),
    )
    authority = forms.ModelChoiceField(
        label=_("Votre organisme dans l'annuaire"),
        queryset=ContractingAuthority.objects.order_by("name"),
        required=False,
        empty_label=_("Il n'y figure pas"),
        help_text=_("S'il a désigné son propre chef de file, votre projet lui sera adressé."),
    )
    organisation = forms.CharField(
        label=_("Organisme acheteur"),
        max_length=200,
        required=False,
        help_text=_("Obligatoire si votre organisme ne figure pas dans la liste."),
    )
    contact_name = forms.CharField(label=_("Votre nom"), max_length=120)
    email = forms.EmailField(
        label=_("Votre e-mail"),
        max_length=254,
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, ex. : nom@exemple.fr.")},
    )
    phone = forms.CharField(label=_("Votre téléphone"), max_length=30, required=False)
    nature = forms.ChoiceField(
        label=_("Nature du marché"), choices=ProjectRequest.Nature.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(
        label=_("Objet du marché"),
        max_length=300,
        help_text=_("Ex. : réhabilitation de 40 logements, entretien des espaces verts…"),
    )
    amount = NumberField(
        label=_("Montant estimé (€ HT)"), minimum="1", maximum=MAX_AMOUNT, unit="€", required=False
    )
    duration = forms.CharField(
        label=_("Durée du marché"), max_length=100, required=False, help_text=_("Ex. : 18 mois")
    )
    publication_date = forms.DateField(
        label=_("Date de publication prévue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    insertion_hours = NumberField(
        label=_("Heures d'insertion estimées"),
        minimum="1",
        maximum="10000000",
        required=False,
        help_text=_("Le calculateur d'heures d'insertion peut vous aider."),
    )
    message = forms.CharField(
        label=_("Votre message"), max_length=5000, required=False, widget=forms.Textarea
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ces informations soient transmises au facilitateur et à la "
            "coordination des clauses sociales pour traiter ma demande."
        )
    )
    site_web = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)  # no control characters, sendable e-mail address

    def clean_place(self):
        """The commune, resolved as the search does; several matches ask the visitor to
        choose."""
        value = self.cleaned_data["place"].strip()
        result = find_commune(value)
        if result.commune is None:
            if result.candidates:
                names = ", ".join(f"{c.name} ({c.departement_code})" for c in result.candidates[:8])
                raise forms.ValidationError(
                    _("Plusieurs communes correspondent : précisez, par exemple %(names)s."),
                    params={"names": names},
                )
            raise forms.ValidationError(
                _("Aucune commune ne correspond à « %(value)s »."), params={"value": value}
            )
        self.cleaned_data["commune"] = result.commune
        return f"{result.commune.name} ({result.commune.departement_code})"

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Saisissez un numéro de téléphone, ex. : 04 90 00 00 00.")
            )
        return phone

    def clean_subject(self):
        # One line: it becomes the e-mail subject.
        return " ".join(self.cleaned_data["subject"].split())

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("authority"):
            self.add_error(
                "organisation",
                _("Indiquez votre organisme, ou choisissez-le dans la liste de l'annuaire."),
            )
        if data.get("insertion_hours") is not None:
            data["insertion_hours"] = int(data["insertion_hours"])
        return data


class DeclineForm(forms.Form):
    """A facilitator declines a request from the e-mail link: the reason is required."""

    reason = forms.CharField(
        label=_("Pourquoi ne pouvez-vous pas suivre ce projet ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("La coordination la lit pour orienter le projet vers le bon interlocuteur."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class ForwardForm(forms.Form):
    """A facilitator forwards a request from the e-mail link: to a colleague or to the
    coordination, with a message for them."""

    COORDINATION = "coordination"

    to = forms.ChoiceField(label=_("Transmettre à"))
    message = forms.CharField(
        label=_("Votre message pour le destinataire"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ex. : « ce marché relève de votre territoire »."),
    )

    def __init__(self, *args, project, near=(), others=(), **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
        self.facilitators = {str(f.pk): f for f in [*near, *others]}
        coordination = project.coordination
        choices = [("", _("Choisissez…"))]
        if coordination is not None:
            label = _("La coordination : %(name)s") % {"name": coordination.name}
            choices.append((self.COORDINATION, label))
        if near:
            choices.append(
                (_("Facilitateurs de ce territoire"), [(str(f.pk), self.label(f)) for f in near])
            )
        if others:
            choices.append(
                (_("Autres facilitateurs"), [(str(f.pk), self.label(f)) for f in others])
            )
        self.fields["to"].choices = choices
        self.coordination = coordination

    @staticmethod
    def label(facilitator):
        return f"{facilitator.full_name} — {facilitator.structure.name}"

    def target(self):
        """(facilitator, coordination) chosen, one of them None."""
        value = self.cleaned_data["to"]
        if value == self.COORDINATION:
            return None, self.coordination
        return self.facilitators[value], None


class RatingForm(forms.Form):
    """The sender's answer to "was this useful?"."""

    rating = forms.TypedChoiceField(
        label=_("Cet accompagnement vous a-t-il été utile ?"),
        choices=[
            (5, _("5 — Très utile")),
            (4, _("4 — Utile")),
            (3, _("3 — Moyennement")),
            (2, _("2 — Peu utile")),
            (1, _("1 — Pas utile")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une note de 1 à 5.")},
    )
    comment = forms.CharField(
        label=_("Un commentaire (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
