"""Input rules shared by every public form: no control characters, only e-mail addresses
the e-mail package can write into a header, and the honeypot field that bots fill in."""

import email.errors
import email.message
import email.policy
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.utils.translation import gettext_lazy as _

# The name of the hidden field of every public form (`templates/includes/form_field.html`
# hides it): a visitor leaves it empty, a bot fills it in and is thanked with nothing kept.
HONEYPOT_FIELD = "site_web"

# Line and paragraph separators split header lines just as \n does.
_SEPARATORS = {"Zl", "Zp"}
MULTILINE_ALLOWED = {"\n", "\r", "\t"}


def control_character(value, multiline=False):
    """The first control character of `value` (None when there is none). Multi-line text
    may hold line breaks and tabs, nothing else."""
    for character in str(value):
        if multiline and character in MULTILINE_ALLOWED:
            continue
        if unicodedata.category(character) == "Cc" or (
            unicodedata.category(character) in _SEPARATORS
        ):
            return character
    return None


def validate_no_control_characters(value, multiline=False):
    """Raise ValidationError when `value` holds a control character."""
    if not isinstance(value, str):
        return
    character = control_character(value, multiline)
    if character is not None:
        raise ValidationError(
            _(
                "Ce champ contient un caractère invisible non autorisé (%(code)s) : "
                "retirez-le et réessayez."
            ),
            code="control_character",
            params={"code": f"U+{ord(character):04X}"},
        )


def validate_multiline_text(value):
    validate_no_control_characters(value, multiline=True)


def is_sendable_address(address):
    """True when the e-mail package can put `address` in a header and an SMTP envelope."""
    if not address or control_character(address) is not None:
        return False
    try:
        header = email.message.EmailMessage(policy=email.policy.SMTP)
        header["To"] = address
        parsed = header["To"]
        if parsed.defects or len(parsed.addresses) != 1:
            return False
        sanitize_address(address, "utf-8")
    except (ValueError, TypeError, IndexError, email.errors.MessageError):
        return False  # UnicodeError and HeaderParseError are ValueErrors too
    return True


def validate_sendable_email(value):
    """Raise ValidationError for an address the e-mail package cannot encode."""
    if value and control_character(value) is None and not is_sendable_address(value):
        # (a control character is reported by validate_no_control_characters)
        raise ValidationError(
            _("Cette adresse e-mail ne peut pas recevoir de message : vérifiez-la."),
            code="unsendable_email",
        )


def guard_text_fields(form):
    """Add the rules above to every text field of `form`: multi-line text (Textarea) may
    hold line breaks and tabs; e-mail fields must be sendable."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        if isinstance(field.widget, forms.Textarea):
            field.validators.append(validate_multiline_text)
        else:
            field.validators.append(validate_no_control_characters)
        if isinstance(field, forms.EmailField):
            field.validators.append(validate_sendable_email)
    return form


def unreadable_request_text(request):
    """`(parameter, character)` for the first control character of the request's path (the
    parameter is then None) or of a GET parameter's name or value; None when there is none.
    Line breaks and tabs are allowed in values as they are in multi-line fields; NUL never is
    (PostgreSQL refuses it in any string)."""
    character = control_character(request.path_info)
    if character is not None:
        return None, character
    for name, values in request.GET.lists():
        character = control_character(name)
        for value in values:
            character = character or control_character(value, multiline=True)
        if character is not None:
            return name, character
    return None


def honeypot_field():
    """The honeypot form field (named `HONEYPOT_FIELD` in the form)."""
    return forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
