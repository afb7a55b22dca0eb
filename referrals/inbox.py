"""Who may do what on a request from its page in the admin, and doing it: every action is one
`referrals.lifecycle` function (which records it in the history and sends the e-mails).

- Only people who may see the request (its policy, `referrals.policies`) and change requests
  (the *Coordinateurs* and *Facilitateurs* groups) act on it; a coordination outside the
  request's territory does not even see it.
- Its handler (the facilitator it is addressed to, or the person following it) takes it,
  marks it in progress, forwards it, declines it (back to the coordination), names who
  follows it, replies to the sender and closes it, with or without a clause.
- The coordination of its territory (and the national one) does the same, and re-routes it
  rather than forwarding it; it does not decline.

Every choice list (who may follow it, to whom it may be handed) is the policy's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.scope import scope_for
from referrals import admin_forms, lifecycle
from referrals.forms import DeclineForm, ForwardForm
from referrals.models import ProjectRequest
from referrals.policies import handover_targets, visible_requests

Status = ProjectRequest.Status


def coordinates(user, project):
    """Whether `user` works for a coordination whose territory holds the request (every
    request for the national coordination and the superusers)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    if not scope.territorial or project.commune_id is None:
        return False
    return scope.communes().filter(pk=project.commune_id).exists()


def handles(user, project):
    """Whether `user` is the facilitator the request is addressed to, or follows it."""
    routed = project.routed_to_id and project.routed_to.user_id == user.pk
    return bool(routed or project.assignee_id == user.pk)


def may_act(user, project):
    """Whether `user` may act on the request at all."""
    if not user.has_perm("referrals.change_projectrequest"):
        return False
    if not visible_requests(user).filter(pk=project.pk).exists():
        return False
    return coordinates(user, project) or handles(user, project)


@dataclass
class Action:
    name: str
    label: str  # the button
    form: object  # an unbound form, or the bound one coming back with errors
    help: str = ""


def form_for(name, project, user, data=None):
    """The form of action `name` for `project`, as `user` may fill it (the choices are the
    request's policy's), bound to `data` when given."""
    if name in ("reroute", "forward"):
        near, others = handover_targets(project, user)
        return ForwardForm(data, project=project, near=near, others=others)
    if name == "decline":
        return DeclineForm(data)
    if name == "assign":
        return admin_forms.AssignForm(data, project=project, user=user)
    classes = {
        "reply": admin_forms.ReplyForm,
        "clause": admin_forms.ClauseForm,
        "close": admin_forms.CloseForm,
    }
    return classes.get(name, admin_forms.EmptyForm)(data)


def available(user, project):
    """The names of the actions `user` may take on `project` now, in the page's order."""
    if not may_act(user, project):
        return []
    coordinator = coordinates(user, project)
    names = []
    if project.is_open:
        if project.status == Status.NEW:
            names.append("acknowledge")
        if project.status != Status.IN_PROGRESS:
            names.append("start")
        names.append("clause")
        names.append("close")
        names.append("reroute" if coordinator else "forward")
        if project.routed_to_id and not coordinator:
            names.append("decline")
        names.append("assign")
    names.append("reply")
    return names


_CLOSES = gettext_lazy(
    "Clôt la demande ; le donneur d'ordre reçoit le questionnaire de satisfaction."
)
LABELS = {
    "acknowledge": (
        gettext_lazy("Je m'en occupe"),
        gettext_lazy("La demande est prise en compte ; le donneur d'ordre est prévenu."),
    ),
    "start": (
        gettext_lazy("Marquer en cours"),
        gettext_lazy("Le travail a commencé (rendez-vous, rédaction…)."),
    ),
    "clause": (gettext_lazy("Clause rédigée"), _CLOSES),
    "close": (gettext_lazy("Close sans clause"), _CLOSES),
    "reroute": (
        gettext_lazy("Réorienter"),
        gettext_lazy(
            "Le nouveau destinataire et le précédent sont prévenus ; l'historique est gardé."
        ),
    ),
    "forward": (
        gettext_lazy("Transmettre"),
        gettext_lazy("Le nouveau destinataire est prévenu ; l'historique est gardé."),
    ),
    "decline": (
        gettext_lazy("Décliner"),
        gettext_lazy("La demande retourne à la coordination, avec votre raison."),
    ),
    "assign": (gettext_lazy("Confier le suivi"), ""),
    "reply": (gettext_lazy("Envoyer au donneur d'ordre"), ""),
}


def actions(user, project, bound=None):
    """The `Action`s `user` may take on `project`, each with its form (`bound`: a form coming
    back with errors, shown in place of its blank one)."""
    result = []
    for name in available(user, project):
        label, help_text = LABELS[name]
        if bound is not None and bound.action_name == name:
            form = bound
        else:
            form = form_for(name, project, user)
        result.append(Action(name, label, form, help_text))
    return result


def perform(name, project, form, user):
    """Carry out action `name` with the valid `form`; returns the message to show. Raises
    `lifecycle.TransitionRefused` when the request's state forbids it."""
    data = form.cleaned_data
    if name == "acknowledge":
        lifecycle.acknowledge(project, by=user)
        return _("Demande prise en compte : le donneur d'ordre en est informé.")
    if name == "start":
        lifecycle.start(project, by=user)
        return _("Demande marquée en cours.")
    if name == "clause":
        lifecycle.write_clause(project, data["hours"], data["contract_start"], by=user)
        return _("Clause enregistrée ; la demande est close.")
    if name == "close":
        lifecycle.close_without_clause(project, data["reason"], by=user)
        return _("Demande close sans clause.")
    if name in ("reroute", "forward"):
        facilitator, coordination = form.target()
        do = lifecycle.reroute if name == "reroute" else lifecycle.forward
        do(
            project,
            to_facilitator=facilitator,
            to_coordination=coordination,
            message=data["message"],
            by=user,
        )
        if facilitator:
            return _("Demande adressée à %(who)s ; un e-mail l'en informe.") % {
                "who": facilitator.full_name
            }
        # Translators: "à la coordination départementale…", with its preposition and article.
        return _("Demande adressée %(to_coordination)s ; un e-mail l'en informe.") % {
            "to_coordination": coordination.to_name
        }
    if name == "decline":
        lifecycle.decline(project, data["reason"], by=user)
        return _("Demande déclinée : elle retourne à la coordination.")
    if name == "assign":
        assignee = data["assignee"]
        lifecycle.assign(project, assignee, by=user)
        if assignee is None:
            return _("Plus personne n'est nommé pour suivre la demande.")
        return _("Demande confiée à %(name)s ; un e-mail l'en informe.") % {
            "name": assignee.get_full_name() or assignee.get_username()
        }
    if name == "reply":
        lifecycle.reply(project, data["body"], by=user)
        return _("Message envoyé au donneur d'ordre ; il figure dans l'historique.")
    raise ValueError(name)
