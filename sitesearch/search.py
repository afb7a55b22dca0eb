"""One search for everything a visitor looks for, grouped by kind.

Pages and news, events and guidance documents go through Wagtail's search index (PostgreSQL:
French stemming; SQLite: FTS5, case- and accent-insensitive). Structures, facilitators and
communes are matched on their names with the directory's own normalisation (`normalise`), so
"Chateaurenard", "châteaurenard" and "CHÂTEAURENARD" are the same word on every database.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import DatabaseError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from directory.models import Facilitator, Territory
from directory.names import normalise
from portal.models import GuidanceDocument

MAX_LENGTH = 200
# Words too common to narrow a name search ("PLIE de Arles" is "plie arles").
STOP_WORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"}
STOP_WORDS |= {"of", "the", "and", "in", "for", "to", "pour", "sur"}


@dataclass
class Group:
    """The results of one kind: `items` (at most the limit asked), `count` (all of them)."""

    kind: str
    title: str
    items: list = field(default_factory=list)
    count: int = 0


KINDS = {
    "pages": _("Pages et actualités"),
    "events": _("Agenda"),
    "documents": _("Documents"),
    "directory": _("Structures et facilitateurs"),
    "communes": _("Communes"),
}


def clean_query(raw):
    """The query as searched: control characters and characters that are operators in the
    engines' syntaxes (FTS5, tsquery) become spaces; at most MAX_LENGTH characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", raw or "")[:MAX_LENGTH]
    text = re.sub(r"[\"'’`*^:()\[\]{}<>|&!~+\\/=;@#%$?]", " ", text)
    return " ".join(text.split())


def _indexed(queryset, query):
    """Wagtail search with the query as plain text; an engine that still rejects it gives no
    result rather than an error page."""
    try:
        results = queryset.search(query, operator="and")
        count = results.count()
    except DatabaseError:
        return [], 0
    return results, count


def pages(query, locale):
    event_page = apps.get_model("events.EventPage")
    queryset = Page.objects.live().public().filter(locale=locale).not_type(event_page).specific()
    return _indexed(queryset, query)


def events(query, locale):
    queryset = apps.get_model("events.EventPage").objects.live().public().filter(locale=locale)
    return _indexed(queryset, query)


def documents(query, locale=None):
    return _indexed(GuidanceDocument.objects.filter(in_library=True), query)


def _terms(query):
    words = normalise(query).split()
    return [word for word in words if word not in STOP_WORDS] or words


def _matches(terms, text):
    """Every term starts a word of `text` (already normalised)."""
    words = text.split()
    return all(any(word.startswith(term) for word in words) for term in terms)


def directory(query, locale=None):
    """Structures (with at least one published facilitator) whose name or address matches,
    then published facilitators whose name, job, structure or covered territories match."""
    terms = _terms(query)
    if not terms:
        return [], 0
    facilitators = list(
        Facilitator.objects.published()
        .select_related("structure")
        .prefetch_related(Prefetch("coverage", queryset=Territory.objects.order_by("kind", "name")))
        .order_by("last_name", "first_name")
    )
    structures = {}
    for facilitator in facilitators:
        structures.setdefault(facilitator.structure_id, facilitator.structure)
    found = [
        structure
        for structure in sorted(structures.values(), key=lambda s: s.name)
        if _matches(terms, normalise(f"{structure.name} {structure.address}"))
    ]
    for facilitator in facilitators:
        territories = " ".join(t.name for t in facilitator.coverage.all())
        text = " ".join(
            [
                facilitator.first_name,
                facilitator.last_name,
                facilitator.job_title,
                facilitator.structure.name,
                territories,
            ]
        )
        if _matches(terms, normalise(text)):
            found.append(facilitator)
    return found, len(found)


def communes(query, locale=None, limit=20):
    found = list(
        Territory.objects.with_parents("departement").search(
            query, kinds=[Territory.Kind.COMMUNE], limit=limit
        )
    )
    return found, len(found)


SEARCHES = {
    "pages": pages,
    "events": events,
    "documents": documents,
    "directory": directory,
    "communes": communes,
}


def search_kind(kind, query, locale):
    """(results, count) of one kind: a sliceable sequence for pagination."""
    return SEARCHES[kind](query, locale)


def search_everything(query, locale, limit=5):
    """Every kind with its first `limit` results; kinds without result are left out."""
    groups = []
    for kind, title in KINDS.items():
        results, count = search_kind(kind, query, locale)
        if count:
            groups.append(Group(kind, title, list(results[:limit]), count))
    return groups
