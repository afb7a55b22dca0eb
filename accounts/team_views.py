""" "Mon équipe" in the admin: the team, one account's page (its state, its actions, its
history), and the confirmation page of each action. Every view that takes an account, a
record or a coordination answers 404 outside the user's policy (`portal.policies.guards`);
what each action allows is `accounts.team`'s rule."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import ModelLogEntry

from accounts import invitations, team
from accounts.forms import AccountChoiceForm, FacilitatorInviteForm, InviteForm
from accounts.policies import keeps_a_team
from directory.models import Coordination, Facilitator
from directory.scope import linkable_accounts
from portal import policies

User = get_user_model()


def _team_member(request):
    if not keeps_a_team(request.user):
        raise PermissionDenied


def _back(request, default=None):
    return redirect(default or reverse("accounts_team"))


def index(request):
    """The team: each coordination with its members, the facilitator accounts, the records
    without an account."""
    _team_member(request)
    found = team.team(request.user)
    return TemplateResponse(
        request,
        "accounts/team/index.html",
        {
            "team": found,
            "national": team.is_national(request.user),
            "page_title": _("Mon équipe"),
        },
    )


@policies.guards(User)
def account(request, pk):
    """One account: its state, what the user may do to it, its history."""
    _team_member(request)
    user = User.objects.get(pk=pk)
    member = team.members(User.objects.filter(pk=pk))[0]
    history = ModelLogEntry.objects.for_instance(user).select_related("user").order_by("-timestamp")
    return TemplateResponse(
        request,
        "accounts/team/account.html",
        {
            "member": member,
            "actions": team.available(request.user, user),
            "removable_from": [
                coordination
                for coordination in member.coordinations
                if team.remove_member_refusal(request.user, coordination, user) is None
            ],
            "history": history[:50],
            "page_title": team.full_name(user),
        },
    )


@require_http_methods(["GET", "POST"])
@policies.guards(User)
def account_action(request, pk, action):
    """The confirmation page of one action (GET), and the action itself (POST)."""
    _team_member(request)
    if action not in team.ACTIONS:
        raise Http404
    user = User.objects.select_related("facilitator").get(pk=pk)
    handler = team.ACTIONS[action]
    here = reverse("accounts_team_account", args=[user.pk])
    refused = team.refusal(request.user, user, action)
    if refused:
        messages.error(request, refused)
        return redirect(here)
    if request.method == "POST":
        messages.success(request, handler.perform(request.user, user))
        return redirect(here)
    return TemplateResponse(
        request,
        "accounts/team/confirm.html",
        {
            "page_title": handler.title,
            "subject": team.full_name(user),
            "explanation": handler.explanation(request.user, user),
            "submit_label": handler.label,
            "dangerous": handler.dangerous,
            "cancel_url": here,
        },
    )


@require_http_methods(["GET", "POST"])
@policies.guards(Coordination)
def invite_colleague(request, pk):
    """Invite a person into a coordination (a coordination's own members, or the national
    coordination for any coordination)."""
    _team_member(request)
    coordination = Coordination.objects.get(pk=pk)
    if not team.managed_coordinations(request.user).filter(pk=pk).exists():
        raise Http404
    hint = (
        _("Ajoutez-le à la coordination depuis sa page plutôt que de l'inviter.")
        if team.is_national(request.user)
        else _("Demandez à la coordination nationale de l'ajouter à votre coordination.")
    )
    form = InviteForm(request.POST or None, existing_hint=hint)
    if request.method == "POST" and form.is_valid():
        invitations.invite_colleague(
            coordination,
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            invited_by=request.user,
        )
        messages.success(
            request,
            _("L'invitation est envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return _back(request)
    return TemplateResponse(
        request,
        "accounts/team/form.html",
        {
            "form": form,
            "page_title": _("Inviter un membre de la coordination"),
            "subject": coordination.name,
            "intro": _(
                "La personne reçoit un e-mail avec un lien, valable %(days)d jours, pour choisir "
                "son mot de passe. Son compte rejoint la coordination « %(name)s »."
            )
            % {"days": settings.ACCOUNT_INVITATION_DAYS, "name": coordination.name},
            "submit_label": _("Envoyer l'invitation"),
            "cancel_url": reverse("accounts_team"),
        },
    )


def _records_without_account(user):
    records = policies.choosable(user, Facilitator.objects.all())
    return records.filter(user__isnull=True).order_by("last_name", "first_name")


@require_http_methods(["GET", "POST"])
@policies.guards(Facilitator)
def invite_facilitator(request, pk=None):
    """Invite the facilitator of a record of the territory: the record given (its button),
    or one chosen among those without an account (the team screen)."""
    _team_member(request)
    record = Facilitator.objects.get(pk=pk) if pk is not None else None
    if record is not None:
        refused = team.link_refusal(request.user, record)
        if refused:
            messages.error(request, refused)
            return _back(request)
    hint = _("Liez ce compte à la fiche avec « Lier un compte existant » plutôt que de l'inviter.")
    form = FacilitatorInviteForm(
        request.POST or None,
        initial={"email": record.email} if record is not None else None,
        record=record,
        records=_records_without_account(request.user),
        existing_hint=hint,
    )
    if request.method == "POST" and form.is_valid():
        invitations.invite_facilitator(
            form.record, email=form.cleaned_data["email"], invited_by=request.user
        )
        messages.success(
            request,
            _("L'invitation est envoyée à %(email)s ; le compte est lié à la fiche « %(record)s ».")
            % {"email": form.cleaned_data["email"], "record": form.record},
        )
        return _back(request)
    return TemplateResponse(
        request,
        "accounts/team/form.html",
        {
            "form": form,
            "page_title": _("Inviter un facilitateur"),
            "subject": str(record) if record is not None else "",
            "intro": _(
                "La personne reçoit un e-mail avec un lien, valable %(days)d jours, pour choisir "
                "son mot de passe. Son compte est lié à la fiche : elle pourra proposer les "
                "changements de sa fiche et suivre les demandes qui lui sont adressées."
            )
            % {"days": settings.ACCOUNT_INVITATION_DAYS},
            "submit_label": _("Envoyer l'invitation"),
            "cancel_url": reverse("accounts_team"),
        },
    )


@require_http_methods(["GET", "POST"])
@policies.guards(Facilitator)
def link_account(request, pk):
    """Link an existing account (one the user may choose, free of any other record) to a
    record of the territory."""
    _team_member(request)
    record = Facilitator.objects.get(pk=pk)
    refused = team.link_refusal(request.user, record)
    if refused:
        messages.error(request, refused)
        return _back(request)
    form = AccountChoiceForm(
        request.POST or None,
        accounts=linkable_accounts(request.user, record),
        help_text=_(
            "Les comptes du groupe « Facilitateurs » de votre équipe qui ne sont liés à aucune "
            "fiche. Une personne sans compte : invitez-la."
        ),
    )
    if request.method == "POST" and form.is_valid():
        messages.success(request, team.link(request.user, record, form.cleaned_data["account"]))
        return _back(request)
    return TemplateResponse(
        request,
        "accounts/team/form.html",
        {
            "form": form,
            "page_title": _("Lier un compte existant"),
            "subject": str(record),
            "intro": "",
            "submit_label": _("Lier le compte"),
            "cancel_url": reverse("accounts_team"),
            "empty": not form.fields["account"].queryset.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@policies.guards(Coordination)
def add_member(request, pk):
    """The national coordination adds an existing account to a coordination."""
    _team_member(request)
    coordination = Coordination.objects.get(pk=pk)
    refused = team.membership_refusal(request.user, coordination)
    if refused:
        messages.error(request, refused)
        return _back(request)
    accounts = (
        policies.choosable(request.user, User.objects.filter(is_active=True))
        .exclude(coordinations=coordination)
        .order_by("last_name", "first_name", "username")
    )
    form = AccountChoiceForm(request.POST or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        messages.success(
            request, team.add_member(request.user, coordination, form.cleaned_data["account"])
        )
        return _back(request)
    return TemplateResponse(
        request,
        "accounts/team/form.html",
        {
            "form": form,
            "page_title": _("Ajouter un membre"),
            "subject": coordination.name,
            "intro": _(
                "Le compte rejoint la coordination et le groupe « Coordinateurs ». Une personne "
                "sans compte : invitez-la."
            ),
            "submit_label": _("Ajouter à la coordination"),
            "cancel_url": reverse("accounts_team"),
        },
    )


@require_http_methods(["GET", "POST"])
@policies.guards(Coordination)
def remove_member(request, pk, account):
    """The national coordination takes an account out of a coordination (confirmation, then
    POST)."""
    _team_member(request)
    coordination = Coordination.objects.get(pk=pk)
    user = policies.get_visible_or_404(request.user, User, account)
    here = reverse("accounts_team_account", args=[user.pk])
    refused = team.remove_member_refusal(request.user, coordination, user)
    if refused:
        messages.error(request, refused)
        return redirect(here)
    if request.method == "POST":
        messages.success(request, team.remove_member(request.user, coordination, user))
        return redirect(here)
    return TemplateResponse(
        request,
        "accounts/team/confirm.html",
        {
            "page_title": _("Retirer de la coordination"),
            "subject": team.full_name(user),
            "explanation": _(
                "Le compte quitte la coordination « %(name)s » : il n'en reçoit plus les "
                "messages et n'en gère plus le territoire. Il reste actif."
            )
            % {"name": coordination.name},
            "submit_label": _("Retirer de la coordination"),
            "dangerous": True,
            "cancel_url": here,
        },
    )
