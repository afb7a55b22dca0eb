"""Who receives a project: the directory's lead rule, applied to the place and the buyer, then
the absences of the facilitator it names (`cover_absence`)."""

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from directory import absences, coverage
from referrals.models import ProjectRequest

Route = ProjectRequest.Route


@dataclass
class Routing:
    facilitator: object  # a Facilitator, or None for the coordination
    route: str
    explanation: str
    coordination: object = None  # the commune's coordination (`coverage.coordination_for`)
    # When the facilitator the answer names is away: their `Absence` (who, until when); the
    # `facilitator` above is then their deputy, or None for the coordination.
    absence: object = None

    @property
    def to_coordination(self):
        return self.facilitator is None


def route(commune, authority=None, day=None):
    """The facilitator who receives a project in `commune` for `authority` (optional) on
    `day` (today), read from the directory's answer (`coverage.answer`):

    - status `lead`: the lead designated by the buyer for its own contracts, or the
      territory's lead;
    - status `contact`: the only facilitator covering the commune;
    - else (`white`, `several`, `tied`) the commune's coordination, with the reason;

    and when that facilitator is away, whoever stands in for them (`cover_absence`).
    """
    return cover_absence(routing_for(coverage.answer(commune, authority)), day)


def cover_absence(routing, day=None):
    """The routing of a NEW project on `day` (today) when the facilitator `routing` names is
    away (`directory.absences.on`): it goes to their deputy — if the deputy is published and
    not away that day too — else to the commune's coordination; the `Routing` keeps the
    absence, which the request's history, the sender's acknowledgment, the confirmation and
    tracking pages state. The route and its explanation stay the directory's: an absence
    changes no public answer. Requests received before the absence are never moved."""
    if routing.facilitator is None:
        return routing
    absence = absences.on(routing.facilitator, day)
    if absence is None:
        return routing
    deputy = absence.deputy
    if deputy is not None and (not deputy.live or absences.on(deputy, day) is not None):
        deputy = None
    return replace(routing, facilitator=deputy, absence=absence)


def routing_for(answer):
    """The `Routing` of an `Answer` already computed."""
    coordination = answer.coordination
    if answer.lead is not None:
        rules = {"authority": Route.AUTHORITY, "territory": Route.TERRITORY}
        return Routing(answer.lead, rules[answer.rule], answer.explanation, coordination)
    if answer.contact is not None:
        return Routing(answer.contact, Route.SINGLE, answer.explanation, coordination)
    who = coordination.article_name if coordination else _("la coordination des clauses sociales")
    if answer.status == coverage.Status.TIED:
        explanation = answer.explanation
    elif answer.status == coverage.Status.WHITE:
        explanation = _(
            "Aucun facilitateur ne couvre %(commune)s (zone blanche) : %(who)s reçoit votre "
            "projet et vous répond."
        ) % {"commune": answer.commune.name, "who": who}
    else:
        explanation = _(
            "Plusieurs facilitateurs couvrent %(commune)s sans chef de file désigné : "
            "%(who)s oriente votre projet."
        ) % {"commune": answer.commune.name, "who": who}
    return Routing(None, Route.COORDINATION, explanation, coordination)
