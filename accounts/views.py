"""Second-factor pages of the admin (enrolment: QR code and secret; verification), and the
pages reached without signing in: an invitation's link (choose a password) and the lockout's
unlock links."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import invitations, lockout, twofactor
from accounts.forms import TokenForm, UnlockRequestForm
from portal.ratelimit import limit_answer, rate_limited, retry_message


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


# -- Pages reached without signing in: an invitation's link, the unlock links ----------------


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation(request, token):
    """The invitation's link: choose a password, then be signed in (and sent to the
    second-factor enrolment where one is required). A used, replaced or expired link says so
    and what to do."""
    reading = invitations.read(token)
    if reading.problem:
        return TemplateResponse(
            request,
            "accounts/invitation_problem.html",
            {"problem": reading.problem, "invitation": reading.invitation},
            status=404 if reading.problem == "invalid" else 410,
        )
    user = reading.invitation.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = invitations.accept(reading.invitation, form)
        if user is None:
            return redirect(request.path)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue : votre mot de passe est enregistré."))
        if twofactor.second_factor_required(user):
            return redirect(reverse("accounts_enrol"))
        return redirect(reverse("wagtailadmin_home"))
    return TemplateResponse(
        request,
        "accounts/invitation.html",
        {"form": form, "invitation": reading.invitation, "login": user.get_username()},
    )


@never_cache
@require_POST
def unlock_request(request):
    """The lockout page's "Recevoir un lien de déblocage": the same answer whether or not the
    account exists or is locked; rate-limited per address."""
    wait = rate_limited(request, "unlock-link", settings.LOGIN_UNLOCK_RATE_LIMIT, window=3600)
    if wait:
        response = TemplateResponse(
            request,
            "accounts/unlock_sent.html",
            {
                "error": _("Trop de demandes depuis votre adresse : %(retry)s")
                % {"retry": retry_message(wait)}
            },
        )
        return limit_answer(response, wait)
    form = UnlockRequestForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "accounts/unlock_sent.html", {"form": form}, status=400)
    lockout.send_unlock_link(form.cleaned_data["username"])
    return TemplateResponse(
        request,
        "accounts/unlock_sent.html",
        {
            "identifier": form.cleaned_data["username"],
            "hours": settings.LOGIN_UNLOCK_LINK_HOURS,
        },
    )


@never_cache
def unlock(request, token):
    """The unlock link: a button (mail scanners open links, only a person presses buttons)
    that unlocks the account once."""
    reading = lockout.read_unlock_token(token)
    if reading.problem:
        return TemplateResponse(
            request,
            "accounts/unlock.html",
            {"problem": reading.problem},
            status=404 if reading.problem == "invalid" else 410,
        )
    if request.method == "POST":
        if not lockout.use_unlock_link(reading.link):
            return TemplateResponse(
                request, "accounts/unlock.html", {"problem": "used"}, status=410
            )
        messages.success(request, _("Votre compte est débloqué : vous pouvez vous connecter."))
        return redirect(reverse("wagtailadmin_login"))
    return TemplateResponse(request, "accounts/unlock.html", {"link": reading.link})
