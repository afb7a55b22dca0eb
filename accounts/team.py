"""A coordination's team ("Mon équipe"): who is in it, what state each account is in, and
what a coordinator may do to each account.

The team of a coordination member: the members of its coordination(s), and the accounts of
the facilitator records of its territory (with the records that have no account yet). The
national coordination and administrators see every coordination and every facilitator
account. Which accounts a user reaches at all is the user model's policy
(`accounts.policies`); within it, each action has its own rule (`ACTIONS`, `refusal`): nobody
deactivates their own account, a coordination does not change an administrator's account nor
a member of another coordination, and so on. Every action is recorded in the account's
history (Wagtail's log)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from accounts import lockout, records, twofactor
from accounts.models import Invitation
from accounts.policies import keeps_a_team
from directory.groups import FACILITATORS
from directory.models import Coordination, Facilitator
from directory.scope import scope_for
from portal import policies


def is_national(user):
    return scope_for(user).everything


def managed_coordinations(user):
    """The coordinations whose team `user` manages: its own, or every one for the national
    coordination and administrators."""
    coordinations = Coordination.objects.all()
    if is_national(user):
        return coordinations
    if not keeps_a_team(user):
        return coordinations.none()
    return coordinations.filter(members=user)


@dataclass
class Member:
    """One account of the team and its state."""

    account: object
    record: object = None
    invitation: object = None
    enrolled: bool = False
    locked_until: object = None
    coordinations: list = field(default_factory=list)

    @property
    def pending(self):
        return self.invitation is not None and self.invitation.pending

    @property
    def expired(self):
        return self.invitation is not None and self.invitation.expired


def members(accounts):
    """`Member` rows for `accounts` (a queryset of users), in a few queries."""
    accounts = list(
        accounts.select_related("facilitator", "invitation__coordination").order_by(
            "last_name", "first_name", "username"
        )
    )
    ids = [account.pk for account in accounts]
    enrolled = set(
        TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True)
    )
    locked = lockout.locked_until(account.get_username() for account in accounts)
    memberships = {}
    for row in Coordination.members.through.objects.filter(user_id__in=ids).select_related(
        "coordination"
    ):
        memberships.setdefault(row.user_id, []).append(row.coordination)
    rows = []
    for account in accounts:
        rows.append(
            Member(
                account=account,
                record=getattr(account, "facilitator", None),
                invitation=getattr(account, "invitation", None),
                enrolled=account.pk in enrolled,
                locked_until=locked.get(account.get_username()),
                coordinations=memberships.get(account.pk, []),
            )
        )
    return rows


@dataclass
class Team:
    """What "Mon équipe" shows `user`: each coordination with its members, the facilitator
    accounts, and the records of the territory that have no account."""

    coordinations: list  # [(coordination, [Member])]
    facilitators: list  # [Member]
    records_without_account: list  # [Facilitator]


def team(user):
    visible = policies.visible(user, get_user_model().objects.all())
    coordinations = list(managed_coordinations(user).order_by("kind", "name"))
    member_ids = set()
    sections = []
    for coordination in coordinations:
        rows = members(visible.filter(coordinations=coordination))
        member_ids |= {row.account.pk for row in rows}
        sections.append((coordination, rows))
    scope = scope_for(user)
    in_scope = scope.facilitators()
    facilitator_accounts = visible.filter(
        Q(facilitator__in=in_scope)
        | Q(invitation__kind=Invitation.Kind.FACILITATOR)
        | (Q(groups__name=FACILITATORS) & Q(coordinations__isnull=True))
    ).exclude(pk__in=member_ids)
    if not scope.everything:
        facilitator_accounts = facilitator_accounts.filter(is_superuser=False)
    without = (
        in_scope.filter(user__isnull=True)
        .select_related("structure")
        .order_by("last_name", "first_name")
    )
    return Team(sections, members(facilitator_accounts.distinct()), list(without))


# -- Rules of each action ---------------------------------------------------------------------


def _beyond(actor, account):
    """Why `actor` may not change `account` at all (an administrator's account, a member of
    another coordination), else None."""
    if account.is_superuser and not actor.is_superuser:
        return _("Seul un administrateur peut modifier le compte d'un administrateur.")
    if is_national(actor):
        return None
    others = Coordination.objects.filter(members=account).exclude(members=actor)
    if others.exists():
        return _(
            "Ce compte est membre de la coordination « %(name)s » : seule celle-ci ou la "
            "coordination nationale peut le modifier."
        ) % {"name": others.first().name}
    return None


class Action:
    """One action on an account: `refusal` says why it may not be done now (or None),
    `perform` does it, records it and returns the message shown."""

    name = ""
    label = ""  # the button
    title = ""  # the confirmation page's title
    dangerous = False

    def explanation(self, actor, account):
        return ""

    def refusal(self, actor, account):
        return None

    def perform(self, actor, account):
        raise NotImplementedError


class Deactivate(Action):
    name = "desactiver"
    label = gettext_lazy("Désactiver")
    title = gettext_lazy("Désactiver le compte")
    dangerous = True

    def explanation(self, actor, account):
        return _(
            "La personne ne pourra plus se connecter, et ne recevra plus les demandes ni les "
            "messages de l'administration. Son compte, ses liens et son historique sont "
            "gardés : vous pourrez le réactiver."
        )

    def refusal(self, actor, account):
        if account.pk == actor.pk:
            return _("Vous ne pouvez pas désactiver votre propre compte.")
        if not account.is_active:
            return _("Ce compte est déjà désactivé.")
        return _beyond(actor, account)

    def perform(self, actor, account):
        account.is_active = False
        account.save(update_fields=["is_active"])
        log(instance=account, action="accounts.deactivate", user=actor)
        return _("Le compte de %(name)s est désactivé.") % {"name": full_name(account)}


class Reactivate(Action):
    name = "reactiver"
    label = gettext_lazy("Réactiver")
    title = gettext_lazy("Réactiver le compte")

    def explanation(self, actor, account):
        return _("La personne pourra de nouveau se connecter avec son mot de passe.")

    def refusal(self, actor, account):
        if account.is_active:
            return _("Ce compte est déjà actif.")
        return _beyond(actor, account)

    def perform(self, actor, account):
        account.is_active = True
        account.save(update_fields=["is_active"])
        log(instance=account, action="accounts.reactivate", user=actor)
        return _("Le compte de %(name)s est réactivé.") % {"name": full_name(account)}


class Unlock(Action):
    name = "debloquer"
    label = gettext_lazy("Débloquer")
    title = gettext_lazy("Débloquer la connexion")

    def explanation(self, actor, account):
        return _(
            "Les mots de passe erronés de ce compte sont oubliés : la personne peut se "
            "connecter tout de suite."
        )

    def refusal(self, actor, account):
        if not lockout.is_locked(account):
            return _("La connexion de ce compte n'est pas bloquée.")
        return None

    def perform(self, actor, account):
        lockout.unlock(account)
        log(instance=account, action="accounts.unlock", user=actor)
        return _("La connexion de %(name)s est débloquée.") % {"name": full_name(account)}


class ResetSecondFactor(Action):
    name = "double-authentification"
    label = gettext_lazy("Réinitialiser la double authentification")
    title = gettext_lazy("Réinitialiser la double authentification")
    dangerous = True

    def explanation(self, actor, account):
        return _(
            "À faire quand la personne a perdu ou changé de téléphone. L'application "
            "d'authentification associée à son compte est retirée ; à sa prochaine connexion, "
            "après son mot de passe, elle en associera une nouvelle. Elle est prévenue par "
            "e-mail."
        )

    def refusal(self, actor, account):
        if account.pk == actor.pk:
            return _(
                "Pour changer votre propre application, utilisez « Double authentification » "
                "dans le menu de votre compte."
            )
        if not twofactor.has_device(account):
            return _("Ce compte n'a pas de double authentification à réinitialiser.")
        return _beyond(actor, account)

    def perform(self, actor, account):
        twofactor.reset(account)
        log(instance=account, action="accounts.reset_second_factor", user=actor)
        if account.email:
            with translation.override("fr"):
                context = {
                    "user": account,
                    "by": full_name(actor),
                    "site_name": settings.WAGTAIL_SITE_NAME,
                    "login_url": lockout.absolute("/admin/login/"),
                }
                send_mail(
                    _("%(site)s : votre double authentification a été réinitialisée")
                    % {"site": settings.WAGTAIL_SITE_NAME},
                    render_to_string("accounts/email/second_factor_reset.txt", context),
                    None,
                    [account.email],
                )
        return _(
            "La double authentification de %(name)s est réinitialisée ; la personne en est "
            "prévenue par e-mail."
        ) % {"name": full_name(account)}


class ResendInvitation(Action):
    name = "renvoyer-invitation"
    label = gettext_lazy("Renvoyer l'invitation")
    title = gettext_lazy("Renvoyer l'invitation")

    def explanation(self, actor, account):
        return _(
            "Un nouveau lien est envoyé à %(email)s ; celui de l'invitation précédente ne "
            "fonctionnera plus."
        ) % {"email": account.email}

    def refusal(self, actor, account):
        invitation = getattr(account, "invitation", None)
        if invitation is None or not invitation.pending:
            return _(
                "Ce compte a déjà choisi son mot de passe : il n'y a pas d'invitation à renvoyer."
            )
        if not account.is_active:
            return _("Ce compte est désactivé : réactivez-le avant de renvoyer l'invitation.")
        return _beyond(actor, account)

    def perform(self, actor, account):
        from accounts import invitations

        invitations.resend(account.invitation, by=actor)
        return _("L'invitation est renvoyée à %(email)s.") % {"email": account.email}


class Unlink(Action):
    name = "detacher"
    label = gettext_lazy("Détacher de la fiche")
    title = gettext_lazy("Détacher le compte de sa fiche")

    def explanation(self, actor, account):
        record = getattr(account, "facilitator", None)
        text = _(
            "Le compte ne sera plus celui de la fiche « %(record)s » : la personne ne pourra "
            "plus proposer de changement de cette fiche ni suivre les demandes qui lui sont "
            "adressées."
        ) % {"record": record}
        if (
            not is_national(actor)
            and not Invitation.objects.filter(user=account, coordination__members=actor).exists()
        ):
            text += " " + _(
                "Votre coordination n'ayant pas invité ce compte, il ne figurera plus dans "
                "votre équipe : désactivez-le d'abord s'il ne doit plus servir."
            )
        return text

    def refusal(self, actor, account):
        record = getattr(account, "facilitator", None)
        if record is None:
            return _("Ce compte n'est lié à aucune fiche.")
        if not scope_for(actor).facilitators(Facilitator.objects.filter(pk=record.pk)).exists():
            return _("La fiche de ce compte est hors du territoire de votre coordination.")
        return None

    @transaction.atomic
    def perform(self, actor, account):
        record = account.facilitator
        records.set_account(record, None)
        log(
            instance=account,
            action="accounts.unlink",
            user=actor,
            data={"facilitator": str(record)},
        )
        log(instance=record, action="accounts.unlink", user=actor, data={"account": account.email})
        return _("Le compte de %(name)s n'est plus lié à la fiche « %(record)s ».") % {
            "name": full_name(account),
            "record": record,
        }


ACTIONS = {
    action.name: action
    for action in (
        Unlock(),
        ResendInvitation(),
        ResetSecondFactor(),
        Unlink(),
        Deactivate(),
        Reactivate(),
    )
}


def refusal(actor, account, name):
    """Why `actor` may not do the action `name` to `account` now, else None (the account is
    within the actor's policy: the views answer 404 otherwise)."""
    if not keeps_a_team(actor):
        return _("Seules les coordinations gèrent les comptes de leur équipe.")
    return ACTIONS[name].refusal(actor, account)


def available(actor, account):
    """The actions `actor` may do to `account` now."""
    return [action for action in ACTIONS.values() if refusal(actor, account, action.name) is None]


# -- Links to records and coordination memberships --------------------------------------------


def link_refusal(actor, record):
    """Why `actor` may not link an account to `record` (or invite its facilitator) now, else
    None."""
    if not keeps_a_team(actor):
        return _("Seules les coordinations gèrent les comptes de leur équipe.")
    if record.user_id:
        return _("Cette fiche est déjà liée au compte %(account)s : détachez-le d'abord.") % {
            "account": record.user
        }
    return None


@transaction.atomic
def link(actor, record, account):
    records.set_account(record, account)
    log(instance=account, action="accounts.link", user=actor, data={"facilitator": str(record)})
    log(instance=record, action="accounts.link", user=actor, data={"account": account.email})
    return _("Le compte de %(name)s est lié à la fiche « %(record)s ».") % {
        "name": full_name(account),
        "record": record,
    }


def membership_refusal(actor, coordination):
    """Adding or removing members of a coordination is the national coordination's."""
    if not is_national(actor):
        return _("Seule la coordination nationale ajoute ou retire les membres d'une coordination.")
    return None


@transaction.atomic
def add_member(actor, coordination, account):
    from django.contrib.auth.models import Group

    from directory.groups import COORDINATORS

    coordination.members.add(account)
    account.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
    log(
        instance=account,
        action="accounts.add_member",
        user=actor,
        data={"coordination": coordination.name},
    )
    return _("%(name)s est membre de la coordination « %(coordination)s ».") % {
        "name": full_name(account),
        "coordination": coordination.name,
    }


def remove_member_refusal(actor, coordination, account):
    refused = membership_refusal(actor, coordination)
    if refused:
        return refused
    if not coordination.members.filter(pk=account.pk).exists():
        return _("Ce compte n'est pas membre de cette coordination.")
    if account.pk == actor.pk:
        return _("Vous ne pouvez pas vous retirer vous-même d'une coordination.")
    if account.is_superuser and not actor.is_superuser:
        return _("Seul un administrateur peut modifier le compte d'un administrateur.")
    return None


@transaction.atomic
def remove_member(actor, coordination, account):
    """Take `account` out of `coordination`; out of every coordination, it also leaves the
    Coordinateurs group (it keeps its account and its history)."""
    from directory.groups import COORDINATORS

    coordination.members.remove(account)
    if not account.coordinations.exists():
        account.groups.remove(*account.groups.filter(name=COORDINATORS))
    log(
        instance=account,
        action="accounts.remove_member",
        user=actor,
        data={"coordination": coordination.name},
    )
    return _("%(name)s n'est plus membre de la coordination « %(coordination)s ».") % {
        "name": full_name(account),
        "coordination": coordination.name,
    }


def full_name(user):
    return user.get_full_name() or user.get_username()
