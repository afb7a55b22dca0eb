"""The "find my facilitator" journey, without JavaScript: what the map page shows for a query,
a chosen buyer and a chosen département. Answers come from `directory.lookup` and
`directory.coverage`."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from directory import coverage
from directory.lookup import MAX_QUERY_LENGTH, find_commune
from directory.models import Territory
from portal import pagecache

STATUS_ORDER = [
    coverage.Status.WHITE,
    coverage.Status.SEVERAL,
    coverage.Status.TIED,
    coverage.Status.CONTACT,
    coverage.Status.LEAD,
]
SORTS = {
    "nom": lambda answer: answer.commune.search_name,
    "population": lambda answer: -answer.commune.population,
    # White zones first, then communes nobody leads, then the others.
    "statut": lambda answer: (
        STATUS_ORDER.index(answer.status),
        answer.commune.search_name,
    ),
}


@dataclass
class Finding:
    """The answer to one search: a commune with its contacts, or candidates, or an error."""

    query: str
    commune: Territory | None = None
    answer: coverage.Answer | None = None
    candidates: list = field(default_factory=list)
    similar: list = field(default_factory=list)
    point: tuple | None = None
    label: str = ""
    notice: str = ""
    error: str = ""


def find(query, authority=None):
    """Resolve the visitor's query (commune, postal code, INSEE code or address) and, for one
    commune, who to contact, for the optional buyer."""
    query = (query or "").strip()
    finding = Finding(query[:MAX_QUERY_LENGTH])
    if len(query) > MAX_QUERY_LENGTH:
        finding.error = _("Votre recherche dépasse %(max)s caractères : raccourcissez-la.") % {
            "max": MAX_QUERY_LENGTH
        }
        return finding
    result = find_commune(query)
    finding.candidates, finding.notice = result.candidates, result.notice
    finding.similar = result.similar
    finding.point, finding.label = result.point, result.label
    if result.commune is not None:
        finding.commune = result.commune
        finding.answer = coverage.answer(result.commune, authority)
    elif not result.candidates:
        finding.error = _(
            "Aucune commune ne correspond à « %(query)s ». Vérifiez l'orthographe, ou essayez le "
            "code postal."
        ) % {"query": query}
    return finding


def departement_communes(departement, sort="nom", white_only=False):
    """The answers for the communes of a département, for the list that stands in for the
    map: sorted by name, population (largest first) or status (white zones first), optionally
    white zones only."""
    answers = pagecache.remember(  # until the directory changes: a handful of queries
        f"departement_answers:{departement.pk}",
        lambda: coverage.answers(Territory.objects.communes().filter(departement=departement)),
    )
    if white_only:
        answers = [answer for answer in answers if answer.status == coverage.Status.WHITE]
    return sorted(answers, key=SORTS.get(sort, SORTS["nom"]))
