from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


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


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, whose password field has no label of its own (it showed the
    field's English name, "Password", on French screens)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")
