"""Who receives a project: the directory's lead rule, applied to the place and the buyer."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory import coverage
from referrals.models import ProjectRequest

Route = ProjectRequest.Route


@dataclass
class Routing:
    facilitator: object  # a Facilitator, or None for the coordinators
    route: str
    explanation: str

    @property
    def to_coordination(self):
        return self.facilitator is None


def route(commune, authority=None):
    """The facilitator who receives a project in `commune` for `authority` (optional):

    - the lead designated by the buyer for its own contracts, or the territory's lead
      (`coverage.lead_for`);
    - else the only facilitator covering the commune;
    - else the coordinators: in a white zone, or where several facilitators cover the commune
      without a designated lead (or with two tied leads), with the reason.
    """
    answer = coverage.lead_for(commune, authority)
    if answer.contact is not None:
        rules = {"authority": Route.AUTHORITY, "territory": Route.TERRITORY}
        return Routing(answer.contact, rules.get(answer.rule, Route.SINGLE), answer.explanation)
    if answer.ambiguous:
        explanation = answer.explanation
    elif not coverage.covering_facilitators(commune).exists():
        explanation = _(
            "Aucun facilitateur ne couvre %(commune)s (zone blanche) : la coordination des "
            "clauses sociales reçoit votre projet et vous répond."
        ) % {"commune": commune.name}
    else:
        explanation = _(
            "Plusieurs facilitateurs couvrent %(commune)s sans chef de file désigné : la "
            "coordination des clauses sociales oriente votre projet."
        ) % {"commune": commune.name}
    return Routing(None, Route.COORDINATION, explanation)
