"""Find the commune a visitor means: a commune name, a postal code, an INSEE code, or a street
address (through the national address service, with a local fallback)."""

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from directory.models import Territory
from directory.names import normalise

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
STREET_WORDS = re.compile(
    r"\b(rue|avenue|av|bd|boulevard|chemin|ch|place|pl|allée|allee|impasse|route|rte|quai|"
    r"cours|square|lieu-dit|lotissement|zac|zone|parc|résidence|residence)\b",
    re.IGNORECASE,
)


@dataclass
class LookupResult:
    query: str
    commune: Territory | None = None
    candidates: list = field(default_factory=list)
    point: tuple | None = None  # (lon, lat) of a geocoded address
    label: str = ""  # the address as the geocoder understood it
    notice: str = ""  # what the visitor should know (e.g. the address service is down)
    similar: list = field(default_factory=list)  # other communes whose name starts the same


def looks_like_address(query):
    """True for "12 rue de la République, Arles"-like queries, false for names and codes."""
    if re.fullmatch(r"\s*[\dAB]{5}\s*", query, flags=re.IGNORECASE):
        return False
    return bool(STREET_WORDS.search(query)) or bool(re.match(r"\s*\d+\s*(bis|ter)?\s+\D", query))


def geocoder():
    """geopy's BANFrance pointed at the configured national address service."""
    from geopy.geocoders import BANFrance

    return BANFrance(
        domain=settings.GEOCODER_DOMAIN,
        scheme=settings.GEOCODER_SCHEME,
        timeout=settings.GEOCODER_TIMEOUT,
        user_agent="portail-clauses-sociales",
    )


def geocode(query):
    """(commune, point, label) for an address, or raises GeopyError / returns None."""
    location = geocoder().geocode(query, exactly_one=True)
    if location is None:
        return None
    properties = location.raw.get("properties", {})
    commune = Territory.objects.with_parents().by_code(properties.get("citycode", ""))
    if commune is None:
        return None
    return (
        commune,
        (round(location.longitude, 5), round(location.latitude, 5)),
        properties.get("label", ""),
    )


def find_commune(query):
    """Resolve a query to one commune, or to candidates to choose from, or to nothing.

    Names, postal codes and INSEE codes are searched locally; addresses go to the address
    service first. When that service fails, is slow or finds nothing, the local search is
    used and `notice` says so.
    """
    from geopy.exc import GeopyError

    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    result = LookupResult(query)
    if looks_like_address(query):
        try:
            found = geocode(query)
        except GeopyError as error:
            logger.warning("Address service failed for %r: %s", query, error)
            found = None
            result.notice = _(
                "Le service national des adresses ne répond pas : recherche faite sur le nom "
                "de la commune."
            )
        if found:
            result.commune, result.point, result.label = found
            return result
        if not result.notice:
            result.notice = _("Adresse introuvable : recherche faite sur le nom de la commune.")
        # Fall back on the words after the street: "…, 13200 Arles" → "13200 Arles".
        query = _commune_part(query)
    communes = Territory.objects.with_parents()
    # "Tarascon (13)", as the autocompletion writes it: a name within one département.
    within = re.fullmatch(r"(.+?)\s*\((\d[\dAB]\d?)\)", query, flags=re.IGNORECASE)
    if within:
        found = communes.search(within.group(1), kinds=[Territory.Kind.COMMUNE], limit=None)
        candidates = list(found.filter(departement__code=within.group(2).upper())[:20])
    else:
        candidates = list(communes.search(query, kinds=[Territory.Kind.COMMUNE], limit=20))
    # "Tarascon" is Tarascon, even where Tarascon-sur-Ariège is loaded too: one commune
    # with exactly that name wins, the others are offered beside it.
    exact = [
        c for c in candidates if c.search_name == normalise(within.group(1) if within else query)
    ]
    if len(candidates) == 1:
        result.commune = candidates[0]
    elif len(exact) == 1:
        result.commune = exact[0]
        result.similar = [c for c in candidates if c != exact[0]]
    else:
        result.candidates = candidates
    return result


def _commune_part(address):
    """The postal code or the commune name at the end of an address, if any."""
    postal = re.search(r"\b\d{5}\b", address)
    if postal:
        return postal.group(0)
    tail = re.split(r",", address)[-1].strip()
    return STREET_WORDS.sub("", tail).strip(" ,0123456789") or address
