"""Second-factor pages of the admin: enrolment (QR code and secret) and verification."""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from accounts import twofactor
from accounts.forms import TokenForm


def next_url(request):
    """Where to go once the second factor is given: the page asked for, if it is ours."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


@never_cache
@sensitive_post_parameters("otp_token")
def enrol(request):
    """Show the QR code and the secret of a new device; a correct code confirms it (and
    replaces any previous device), and counts as this session's second factor."""
    device = twofactor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(device, form.cleaned_data["otp_token"]):
            otp_login(request, device)
            messages.success(request, _("Double authentification activée."))
            return redirect(next_url(request))
        form.add_error(
            "otp_token",
            _(
                "Ce code ne correspond pas. Vérifiez l'heure du téléphone et saisissez le code "
                "affiché."
            ),
        )
    return TemplateResponse(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_code": twofactor.qr_code_svg(device),
            "secret": twofactor.secret(device),
            "required": twofactor.second_factor_required(request.user),
            "replacing": twofactor.has_device(request.user),
            "next": next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters("otp_token")
def verify(request):
    """Ask for the current code of the user's device after the password."""
    if not twofactor.has_device(request.user):
        return redirect(reverse("accounts_enrol") + "?" + request.GET.urlencode())
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verified_device(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request))
        form.add_error(
            "otp_token",
            _("Code incorrect ou expiré. Après plusieurs erreurs, attendez quelques secondes."),
        )
    return TemplateResponse(
        request, "accounts/verify.html", {"form": form, "next": next_url(request)}
    )
