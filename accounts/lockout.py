"""The login lockout (django-axes): who is locked, what a locked-out login sees, and how an
account is unlocked.

- An account is locked after `LOGIN_FAILURE_LIMIT` (AXES_FAILURE_LIMIT) wrong passwords
  within `LOGIN_LOCKOUT_MINUTES`, whatever the address they came from.
- An address is locked only after `LOGIN_ADDRESS_FAILURE_LIMIT` failures across accounts
  (never fewer than the account limit): the people of one town hall behind one address do not
  lock each other out, a script trying many accounts from one address is stopped.

django-axes counts one limit over each of its lockout parameters; `lockout_parameters` (its
AXES_LOCKOUT_PARAMETERS callable) gives two limits with it: the address becomes a lockout
parameter only once it has reached its own, higher limit.

Unlocking: the coordination of the account ("Mon équipe", `accounts.team`), the person itself
with a single-use link sent to the account's e-mail (`send_unlock_link`, `use_unlock_link`),
or `manage.py axes_reset_username`."""

import math
from dataclasses import dataclass
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt, AccessBase
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Sum
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled
from wagtail.log_actions import log

from portal.ratelimit import client_ip

UNLOCK_SALT = "accounts.unlock"
# Unlock links sent to one account per hour at most, whoever asks: nobody fills a mailbox.
UNLOCK_LINKS_PER_HOUR = 3


def account_limit():
    """Wrong passwords that lock an account."""
    return settings.AXES_FAILURE_LIMIT


def address_limit():
    """Failures across accounts that lock an address (at least the account limit)."""
    return max(settings.LOGIN_ADDRESS_FAILURE_LIMIT, account_limit())


def lockout_minutes():
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def _window_start(request=None):
    """The oldest failure that still counts (axes' own threshold for a request)."""
    if request is not None and getattr(request, "axes_attempt_time", None) is not None:
        return get_cool_off_threshold(request)
    return timezone.now() - settings.AXES_COOLOFF_TIME


def _failures(since, **lookup):
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since, **lookup)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def account_failures(username, request=None):
    """Recent wrong passwords for `username`, from any address."""
    return _failures(_window_start(request), username=username)


def address_failures(ip_address, request=None):
    """Recent failed logins from `ip_address`, on any account."""
    return _failures(_window_start(request), ip_address=ip_address)


def lockout_parameters(request_or_attempt, credentials=None):
    """django-axes' AXES_LOCKOUT_PARAMETERS: the username always, and the address as well
    once it has reached `address_limit()` (its failures then exceed the account limit, so
    axes' one limit locks it)."""
    if isinstance(request_or_attempt, AccessBase):
        address, request = request_or_attempt.ip_address, None
    else:
        request = request_or_attempt
        address = getattr(request, "axes_ip_address", None) or client_ip(request)
    if address and address_failures(address, request) >= address_limit():
        return ["username", "ip_address"]
    return ["username"]


def address_locked(ip_address):
    return bool(ip_address) and address_failures(ip_address) >= address_limit()


def locked_until(usernames):
    """{username: when its lockout ends} for those of `usernames` locked now."""
    rows = (
        AccessAttempt.objects.filter(
            username__in=list(usernames), attempt_time__gte=_window_start()
        )
        .values("username")
        .annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    return {
        row["username"]: row["last"] + settings.AXES_COOLOFF_TIME
        for row in rows
        if row["total"] >= account_limit()
    }


def is_locked(user):
    return user.get_username() in locked_until([user.get_username()])


def unlock(user):
    """Forget the failed logins of `user`'s account (any address): it may sign in again at
    once. Returns the number of attempt rows removed."""
    return reset(username=user.get_username())


# -- What a locked-out login sees -------------------------------------------------------------


def lockout_message(address=False):
    """The sentence shown on the login page while a lockout holds: the account's, or (with
    `address`) the address's."""
    minutes = lockout_minutes()
    if address:
        return ngettext(
            "Trop de tentatives de connexion ont échoué depuis votre adresse réseau, sur "
            "plusieurs comptes : les connexions depuis cette adresse sont bloquées pendant "
            "%(minutes)d minute. Les connexions depuis d'autres adresses ne sont pas "
            "concernées. Si cela vous empêche de travailler, prévenez votre coordination.",
            "Trop de tentatives de connexion ont échoué depuis votre adresse réseau, sur "
            "plusieurs comptes : les connexions depuis cette adresse sont bloquées pendant "
            "%(minutes)d minutes. Les connexions depuis d'autres adresses ne sont pas "
            "concernées. Si cela vous empêche de travailler, prévenez votre coordination.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Trop de mots de passe erronés pour ce compte : sa connexion est bloquée pendant "
        "%(minutes)d minute, même avec le bon mot de passe. Pour la débloquer tout de suite, "
        "recevez un lien de déblocage à l'adresse e-mail du compte, ou demandez-le à votre "
        "coordination.",
        "Trop de mots de passe erronés pour ce compte : sa connexion est bloquée pendant "
        "%(minutes)d minutes, même avec le bon mot de passe. Pour la débloquer tout de suite, "
        "recevez un lien de déblocage à l'adresse e-mail du compte, ou demandez-le à votre "
        "coordination.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the Wagtail login page again, answered with 429
    Too Many Requests, saying whether the account or the address is locked, the username
    kept; for a locked account, the form that sends an unlock link."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    by_address = account_failures(username) < account_limit() and address_locked(address)
    messages.error(request, lockout_message(address=by_address))
    user_model = get_user_model()
    context = {
        "form": get_user_login_form()(request=request, initial={"username": username}),
        "next": request.POST.get("next", ""),
        "show_password_reset": password_reset_enabled(),
        "username_field": user_model._meta.get_field(user_model.USERNAME_FIELD).verbose_name,
        "offer_unlock": not by_address,
        "unlock_username": username,
    }
    # Rendered now: axes' middleware runs after the response phase of the view.
    return render(
        request, "accounts/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


# -- Self-service unlock links ----------------------------------------------------------------


def account_named(identifier):
    """The active account whose username is `identifier`, else whose e-mail it is (when only
    one account has it), else None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user_model = get_user_model()
    accounts = user_model.objects.filter(is_active=True)
    found = accounts.filter(**{user_model.USERNAME_FIELD: identifier}).first()
    if found is None and "@" in identifier:
        by_email = list(accounts.filter(email__iexact=identifier)[:2])
        found = by_email[0] if len(by_email) == 1 else None
    return found


def unlock_token(link):
    return signing.dumps(link.pk, salt=UNLOCK_SALT)


def send_unlock_link(identifier):
    """When `identifier` names an active, locked account with an e-mail, send that e-mail a
    link that unlocks it (valid `LOGIN_UNLOCK_LINK_HOURS`, once), at most
    UNLOCK_LINKS_PER_HOUR times an hour. Returns whether a link was sent; the person asking is
    told the same either way (whether an account exists is nobody's business)."""
    from accounts.models import UnlockLink

    user = account_named(identifier)
    if user is None or not user.email or not is_locked(user):
        return False
    hour_ago = timezone.now() - timedelta(hours=1)
    if user.unlock_links.filter(created_at__gte=hour_ago).count() >= UNLOCK_LINKS_PER_HOUR:
        return False
    link = UnlockLink.objects.create(user=user)
    with translation.override("fr"):
        context = {
            "user": user,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "url": absolute(reverse("accounts_unlock", args=[unlock_token(link)])),
            "hours": settings.LOGIN_UNLOCK_LINK_HOURS,
            "minutes": lockout_minutes(),
        }
        send_mail(
            _("%(site)s : débloquer votre compte") % {"site": settings.WAGTAIL_SITE_NAME},
            render_to_string("accounts/email/unlock_link.txt", context),
            None,
            [user.email],
        )
    return True


@dataclass
class UnlockReading:
    """What an unlock token names: the link, or a `problem` ("invalid", "expired", "used")."""

    link: object = None
    problem: str = ""


def read_unlock_token(token):
    from accounts.models import UnlockLink

    max_age = timedelta(hours=settings.LOGIN_UNLOCK_LINK_HOURS)
    try:
        pk = int(signing.loads(token, salt=UNLOCK_SALT, max_age=max_age))
    except signing.SignatureExpired:
        return UnlockReading(problem="expired")
    except (signing.BadSignature, TypeError, ValueError):
        return UnlockReading(problem="invalid")
    link = UnlockLink.objects.filter(pk=pk, user__is_active=True).select_related("user").first()
    if link is None:
        return UnlockReading(problem="invalid")
    if link.used_at is not None:
        return UnlockReading(link, "used")
    return UnlockReading(link)


@transaction.atomic
def use_unlock_link(link):
    """Unlock the link's account and spend the link (and any other unused one of the
    account). Returns False when it was spent meanwhile."""
    from accounts.models import UnlockLink

    link = UnlockLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if link.used_at is not None:
        return False
    UnlockLink.objects.filter(user=link.user, used_at__isnull=True).update(used_at=timezone.now())
    unlock(link.user)
    log(instance=link.user, action="accounts.unlock_self", user=link.user)
    return True


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
