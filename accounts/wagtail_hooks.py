"""The accounts app in the Wagtail admin: the second-factor pages, "Mon équipe" (menu item,
pages, the history entries of its actions), and the buttons that bring a facilitator record
to its account (the record's listing and its edit page)."""

from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.action_menu import ActionMenuItem

from accounts import team_views, views
from accounts.policies import keeps_a_team
from directory.models import Facilitator
from portal import policies


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [
        path("double-authentification/", views.verify, name="accounts_verify"),
        path("double-authentification/activer/", views.enrol, name="accounts_enrol"),
    ]


@hooks.register("register_account_menu_item")
def second_factor_menu_item(request):
    return {
        "url": reverse("accounts_enrol"),
        "label": _("Double authentification"),
        "help_text": _(
            "Associer une application d'authentification (TOTP) à votre compte, ou la remplacer."
        ),
    }


@hooks.register("register_admin_urls")
def team_urls():
    return [
        path("equipe/", team_views.index, name="accounts_team"),
        path("equipe/compte/<int:pk>/", team_views.account, name="accounts_team_account"),
        path(
            "equipe/compte/<int:pk>/<slug:action>/",
            team_views.account_action,
            name="accounts_team_action",
        ),
        path(
            "equipe/inviter-facilitateur/",
            team_views.invite_facilitator,
            name="accounts_team_invite_facilitator",
        ),
        path(
            "equipe/fiche/<int:pk>/inviter/",
            team_views.invite_facilitator,
            name="accounts_team_invite_record",
        ),
        path("equipe/fiche/<int:pk>/lier/", team_views.link_account, name="accounts_team_link"),
        path(
            "equipe/coordination/<int:pk>/inviter/",
            team_views.invite_colleague,
            name="accounts_team_invite_colleague",
        ),
        path(
            "equipe/coordination/<int:pk>/ajouter/",
            team_views.add_member,
            name="accounts_team_add_member",
        ),
        path(
            "equipe/coordination/<int:pk>/retirer/<int:account>/",
            team_views.remove_member,
            name="accounts_team_remove_member",
        ),
    ]


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return keeps_a_team(request.user)


@hooks.register("register_admin_menu_item")
def team_menu_item():
    return TeamMenuItem(
        gettext_lazy("Mon équipe"), reverse("accounts_team"), icon_name="group", order=160
    )


def _manages(user, record):
    """Whether `user` manages the account of `record` from "Mon équipe"."""
    return keeps_a_team(user) and policies.policy_for(Facilitator).may_see(user, record)


@hooks.register("register_snippet_listing_buttons")
def record_account_buttons(snippet, user, next_url=None):
    # The listing shows only the records the user's policy makes visible: no check per row.
    if not isinstance(snippet, Facilitator) or not keeps_a_team(user):
        return
    if snippet.user_id:
        yield ListingMenuItem(
            _("Compte d'administration"),
            reverse("accounts_team_account", args=[snippet.user_id]),
            icon_name="user",
            priority=90,
        )
    else:
        yield ListingMenuItem(
            _("Inviter ce facilitateur"),
            reverse("accounts_team_invite_record", args=[quote(snippet.pk)]),
            icon_name="mail",
            priority=90,
        )


class RecordAccountMenuItem(ActionMenuItem):
    """On a facilitator record's edit page: invite its facilitator (no account yet), or open
    its account in "Mon équipe"."""

    name = "action-record-account"
    icon_name = "user"
    order = 900

    def is_shown(self, context):
        instance = context.get("instance")
        return (
            context.get("view") == "edit"
            and instance is not None
            and _manages(context["request"].user, instance)
        )

    @staticmethod
    def _account_id(parent_context):
        # The saved record's account: the form may show a draft revision written before the
        # account was linked.
        instance = parent_context["instance"]
        return Facilitator.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = (
            _("Compte d'administration")
            if self._account_id(parent_context)
            else _("Inviter ce facilitateur")
        )
        return context

    def get_url(self, parent_context):
        account_id = self._account_id(parent_context)
        if account_id:
            return reverse("accounts_team_account", args=[account_id])
        return reverse("accounts_team_invite_record", args=[quote(parent_context["instance"].pk)])


@hooks.register("register_snippet_action_menu_item")
def record_account_menu_item(model):
    return RecordAccountMenuItem() if model is Facilitator else None


@hooks.register("register_log_actions")
def account_log_actions(actions):
    """The history entries of the team's actions (on the account; linking also on the
    record)."""

    def plain(action, label, message):
        actions.register_action(action, label, message)

    plain(
        "accounts.invite_resend",
        gettext_lazy("Invitation renvoyée"),
        gettext_lazy("Invitation renvoyée"),
    )
    plain(
        "accounts.accept",
        gettext_lazy("Invitation acceptée"),
        gettext_lazy("Invitation acceptée : mot de passe choisi"),
    )
    plain("accounts.deactivate", gettext_lazy("Compte désactivé"), gettext_lazy("Compte désactivé"))
    plain("accounts.reactivate", gettext_lazy("Compte réactivé"), gettext_lazy("Compte réactivé"))
    plain(
        "accounts.unlock", gettext_lazy("Connexion débloquée"), gettext_lazy("Connexion débloquée")
    )
    plain(
        "accounts.unlock_self",
        gettext_lazy("Connexion débloquée par lien"),
        gettext_lazy("Connexion débloquée par le lien envoyé à l'adresse e-mail du compte"),
    )
    plain(
        "accounts.reset_second_factor",
        gettext_lazy("Double authentification réinitialisée"),
        gettext_lazy("Double authentification réinitialisée"),
    )

    @actions.register_action("accounts.invite")
    class InviteFormatter(LogFormatter):
        label = gettext_lazy("Invitation envoyée")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            if data.get("coordination"):
                return _("Invitation envoyée pour rejoindre la coordination « %(name)s »") % {
                    "name": data["coordination"]
                }
            if data.get("facilitator"):
                return _("Invitation envoyée pour la fiche « %(name)s »") % {
                    "name": data["facilitator"]
                }
            return _("Invitation envoyée")

    @actions.register_action("accounts.link")
    class LinkFormatter(LogFormatter):
        label = gettext_lazy("Compte lié à une fiche")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            if data.get("facilitator"):
                return _("Lié à la fiche « %(name)s »") % {"name": data["facilitator"]}
            return _("Compte d'administration lié : %(account)s") % {
                "account": data.get("account", "")
            }

    @actions.register_action("accounts.unlink")
    class UnlinkFormatter(LogFormatter):
        label = gettext_lazy("Compte détaché d'une fiche")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            if data.get("facilitator"):
                return _("Détaché de la fiche « %(name)s »") % {"name": data["facilitator"]}
            return _("Compte d'administration détaché : %(account)s") % {
                "account": data.get("account", "")
            }

    @actions.register_action("accounts.add_member")
    class AddMemberFormatter(LogFormatter):
        label = gettext_lazy("Ajouté à une coordination")

        def format_message(self, log_entry):
            return _("Ajouté à la coordination « %(name)s »") % {
                "name": (log_entry.data or {}).get("coordination", "")
            }

    @actions.register_action("accounts.remove_member")
    class RemoveMemberFormatter(LogFormatter):
        label = gettext_lazy("Retiré d'une coordination")

        def format_message(self, log_entry):
            return _("Retiré de la coordination « %(name)s »") % {
                "name": (log_entry.data or {}).get("coordination", "")
            }
