"""Who receives a project: the directory's lead rule, applied to the place and the buyer."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory import coverage
from referrals.models import ProjectRequest

Route = ProjectRequest.Route


@dataclass
class Routing:
    facilitator: object  # a Facilitator, or None for the coordination
    route: str
    explanation: str
    coordination: object = None  # the commune's coordination (`coverage.coordination_for`)

    @property
    def to_coordination(self):
        return self.facilitator is None


def route(commune, authority=None):
    """The facilitator who receives a project in `commune` for `authority` (optional), read
    from the directory's answer (`coverage.answer`):

    - status `lead`: the lead designated by the buyer for its own contracts, or the
      territory's lead;
    - status `contact`: the only facilitator covering the commune;
    - else (`white`, `several`, `tied`) the commune's coordination, with the reason.
    """
    return routing_for(coverage.answer(commune, authority))


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
