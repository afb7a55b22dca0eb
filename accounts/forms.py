from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from portal.validators import guard_text_fields


class TokenForm(forms.Form):
    """The six-digit code shown by the authenticator app."""

    otp_token = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(_("Le code se compose de 6 chiffres."))
        return token


class InviteForm(forms.Form):
    """Whom to invite: names (a colleague; a facilitator's come from its record) and the
    e-mail address, which becomes the login. An address already used by an account is
    refused: that account is linked or added instead."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=150,
        help_text=_("L'invitation y est envoyée ; elle sera aussi l'identifiant de connexion."),
    )

    def __init__(self, *args, names=True, existing_hint="", **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_hint = existing_hint
        if not names:
            del self.fields["first_name"]
            del self.fields["last_name"]
        guard_text_fields(self)

    def clean_email(self):
        from accounts.invitations import account_with_email

        email = self.cleaned_data["email"].strip()
        existing = account_with_email(email)
        if existing is not None:
            message = _(
                "Un compte existe déjà avec l'adresse %(email)s (identifiant : %(login)s)."
            ) % {
                "email": email,
                "login": existing.get_username(),
            }
            raise forms.ValidationError(f"{message} {self.existing_hint}".strip())
        return email


class FacilitatorInviteForm(InviteForm):
    """The invitation of a facilitator, from the team screen: one of the records of the
    territory that have no account (`records`), or the record given."""

    record = forms.ModelChoiceField(
        label=_("Fiche du facilitateur"),
        queryset=None,
        empty_label=_("Choisissez une fiche"),
        help_text=_("Les fiches de votre territoire qui n'ont pas encore de compte."),
    )

    field_order = ["record", "email"]

    def __init__(self, *args, records=None, record=None, **kwargs):
        super().__init__(*args, names=False, **kwargs)
        if record is not None:
            del self.fields["record"]
            self.record = record
        else:
            self.fields["record"].queryset = records
            self.fields["record"].error_messages["invalid_choice"] = _(
                "Cette fiche a déjà un compte, ou elle est hors de votre territoire."
            )
            self.record = None

    def clean(self):
        cleaned = super().clean()
        if self.record is None:
            self.record = cleaned.get("record")
        return cleaned


class AccountChoiceForm(forms.Form):
    """One account, among those offered (`accounts`)."""

    account = forms.ModelChoiceField(
        label=_("Compte"), queryset=None, empty_label=_("Choisissez un compte")
    )

    def __init__(self, *args, accounts=None, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        field.queryset = accounts
        field.label_from_instance = account_label
        field.help_text = help_text
        if label:
            field.label = label
        field.error_messages["invalid_choice"] = _("Ce compte ne peut pas être choisi ici.")


def account_label(user):
    name = user.get_full_name()
    login = user.get_username()
    return f"{name} ({login})" if name else login


class UnlockRequestForm(forms.Form):
    """The lockout page's "Recevoir un lien de déblocage"."""

    username = forms.CharField(
        label=_("Identifiant ou adresse e-mail du compte"),
        max_length=254,
        error_messages={"required": _("Indiquez l'identifiant du compte bloqué.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, whose password field has no label of its own (it showed the
    field's English name, "Password", on French screens)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")
