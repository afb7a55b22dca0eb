"""Invitations: a coordination brings a person into the portal's admin by e-mail.

- A colleague joins a coordination: a new account in the *Coordinateurs* group, member of
  that coordination.
- A facilitator gets the account of its record: a new account in the *Facilitateurs* group,
  linked to the record.

The account is created at once, without a usable password, its login being its e-mail
address. The e-mail carries a signed link, valid `ACCOUNT_INVITATION_DAYS` days, to choose a
password; choosing it signs the person in (and sends them to the second-factor enrolment where
`accounts.twofactor` requires one). The link works once; sending the invitation again replaces
it. An e-mail already used by an account is refused (`account_with_email`): that account is
linked or added instead."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts import records
from accounts.models import Invitation, new_nonce
from directory.groups import COORDINATORS, FACILITATORS
from directory.models import Coordination
from directory.scope import Scope, closest_coordinations

SALT = "accounts.invitation"


def account_with_email(email):
    """The account whose e-mail or login is `email` (any case), else None."""
    email = (email or "").strip()
    if not email:
        return None
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def _new_account(email, first_name, last_name, group):
    email = email.strip()
    user = get_user_model().objects.create_user(
        username=email.lower(),
        email=email,
        password=None,  # unusable until the invited person chooses one
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    _prefer_french(user)
    return user


def _prefer_french(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()


@transaction.atomic
def invite_colleague(coordination, *, email, first_name, last_name, invited_by):
    """Create the account of a new member of `coordination`, and e-mail the invitation.
    Returns the account."""
    user = _new_account(email, first_name, last_name, COORDINATORS)
    coordination.members.add(user)
    invitation = Invitation.objects.create(
        user=user,
        kind=Invitation.Kind.COLLEAGUE,
        coordination=coordination,
        invited_by=invited_by,
    )
    log(
        instance=user,
        action="accounts.invite",
        user=invited_by,
        data={"coordination": coordination.name},
    )
    send_invitation(invitation)
    return user


def inviting_coordination(user, facilitator):
    """The coordination on whose behalf `user` invites the facilitator of `facilitator`: the
    most specific of the user's coordinations whose territory contains the record, else (an
    administrator outside every coordination) the record's closest coordination."""
    kinds = list(Coordination.Kind.values)
    mine = sorted(
        user.coordinations.prefetch_related("territories"), key=lambda c: kinds.index(c.kind)
    )
    for coordination in mine:
        if Scope.of_coordinations([coordination]).allows(facilitator):
            return coordination
    closest = closest_coordinations(facilitator)
    return closest[0] if closest else None


@transaction.atomic
def invite_facilitator(facilitator, *, email, invited_by, send=True):
    """Create the account of `facilitator`'s record (its names, the given e-mail), link it to
    the record and e-mail the invitation (unless `send` is False: the demo records a pending
    invitation without mailing it). Returns the account."""
    user = _new_account(email, facilitator.first_name, facilitator.last_name, FACILITATORS)
    records.set_account(facilitator, user)
    invitation = Invitation.objects.create(
        user=user,
        kind=Invitation.Kind.FACILITATOR,
        coordination=inviting_coordination(invited_by, facilitator),
        facilitator=facilitator,
        invited_by=invited_by,
    )
    data = {"facilitator": str(facilitator)}
    log(instance=user, action="accounts.invite", user=invited_by, data=data)
    log(instance=facilitator, action="accounts.link", user=invited_by, data={"account": email})
    if send:
        send_invitation(invitation)
    return user


@transaction.atomic
def resend(invitation, *, by):
    """Send the invitation again with a new link (the previous one stops working) and a new
    validity period."""
    invitation.nonce = new_nonce()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["nonce", "sent_at"])
    log(instance=invitation.user, action="accounts.invite_resend", user=by)
    send_invitation(invitation)


def token(invitation):
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT)


def send_invitation(invitation):
    """E-mail the invitation (in French: the network works in French)."""
    user = invitation.user
    with translation.override("fr"):
        context = {
            "invitation": invitation,
            "user": user,
            "inviter": _person(invitation.invited_by),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("accounts_invitation", args=[token(invitation)]),
            "expires_at": invitation.expires_at,
            "days": settings.ACCOUNT_INVITATION_DAYS,
            "second_factor": settings.ADMIN_2FA_REQUIRED,
        }
        send_mail(
            _("Invitation au %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
            render_to_string("accounts/email/invitation.txt", context),
            None,
            [user.email],
        )


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@dataclass
class Reading:
    """What an invitation token names: the invitation, or a `problem`: "invalid" (forged, or
    the account is gone or deactivated), "replaced" (a newer invitation was sent), "used" (the
    password was chosen), "expired"."""

    invitation: Invitation = None
    problem: str = ""


def read(token_text):
    try:
        data = signing.loads(token_text, salt=SALT)
        pk, nonce = int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Reading(problem="invalid")
    invitation = (
        Invitation.objects.select_related("user", "coordination", "facilitator")
        .filter(pk=pk, user__is_active=True)
        .first()
    )
    if invitation is None:
        return Reading(problem="invalid")
    if not invitation.pending:
        return Reading(invitation, "used")
    if nonce != invitation.nonce:
        return Reading(invitation, "replaced")
    if invitation.expired:
        return Reading(invitation, "expired")
    return Reading(invitation)


@transaction.atomic
def accept(invitation, password_form):
    """Save the password chosen in `password_form` (Django's SetPasswordForm, valid) and spend
    the invitation. Returns the account, or None when the invitation was spent meanwhile."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.pending:
        return None
    user = password_form.save()
    invitation.accepted_at = timezone.now()
    invitation.nonce = ""
    invitation.save(update_fields=["accepted_at", "nonce"])
    log(instance=user, action="accounts.accept", user=user)
    return user
