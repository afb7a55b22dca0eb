"""Who may be designated lead where: the checks every designation passes, written once and
called by the admin forms, the import (`directory.transfer`) and the models' `clean()`.

- A **territorial** lead covers the territory it is designated on, by the coverage rule
  (`coverage.covers`: the territory itself or a territory containing it is in its coverage,
  or every commune inside it is covered).
- A **buyer's** lead (`ContractingAuthority.lead`) is designated on a perimeter lying within
  the buyer's own territory (when the buyer has one: a State company may have none); a lead
  who covers territories of its own covers that perimeter too. The buyer's own clause
  officer, who covers no territory, may lead the buyer's contracts anywhere in it (the
  Département des Bouches-du-Rhône's officer, docs/domain.md).
- Two designations that would **tie** (`coverage.rival_designations`) are not refused: the
  admin form names the other one and asks for a confirmation.

The refusals are sentences in the active language, naming the facilitator and the territory.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory import coverage
from directory.models import FacilitatorTerritory, PerimeterMember
from directory.names import territory_phrase
from portal.dates import date_format

# How many uncovered communes a refusal names.
NAMED_COMMUNES = 3


def coverage_ids(facilitator):
    """The ids of the territories `facilitator` covers (as saved)."""
    if facilitator is None or facilitator.pk is None:
        return []
    return list(
        FacilitatorTerritory.objects.filter(facilitator=facilitator).values_list(
            "territory", flat=True
        )
    )


def _phrase(territory):
    return territory_phrase(territory, (get_language() or "fr")[:2])


def _uncovered(territory_ids, territory):
    """A few communes of `territory` the coverage leaves out, to name in a refusal ("
    (communes non couvertes : Arles, Tarascon…)"); empty when it covers none or all."""
    inside = coverage.communes_of(territory)
    if not territory_ids:
        return ""
    held = PerimeterMember.objects.filter(perimeter__in=territory_ids).values_list(
        "territory", flat=True
    )
    if not inside.filter(coverage.covered_q(territory_ids, held)).exists():
        return ""
    missing = inside.exclude(coverage.covered_q(territory_ids, held)).order_by("search_name")
    names = [commune.name for commune in missing[: NAMED_COMMUNES + 1]]
    if not names:
        return ""
    shown = ", ".join(names[:NAMED_COMMUNES]) + ("…" if len(names) > NAMED_COMMUNES else "")
    return _(" (communes non couvertes : %(communes)s)") % {"communes": shown}


def territorial_refusal(facilitator, territory, coverage_of=None, name=None):
    """None when `facilitator` may be designated lead on `territory`; else the sentence that
    says why not. `coverage_of`: the ids of the territories it covers, when the caller holds
    them (the import: the file's coverage), else its saved coverage; `name`: how to name it
    (the import names a person not saved yet)."""
    ids = coverage_ids(facilitator) if coverage_of is None else list(coverage_of)
    if coverage.covers(ids, territory):
        return None
    return _(
        "%(name)s ne couvre pas %(territory)s%(detail)s : un chef de file doit couvrir le "
        "territoire sur lequel il est désigné. Ajoutez ce territoire à sa couverture, ou "
        "désignez une personne qui le couvre."
    ) % {
        "name": name or str(facilitator),
        "territory": _phrase(territory),
        "detail": _uncovered(ids, territory),
    }


def authority_refusals(authority, lead, perimeter):
    """The sentences that refuse `lead` as the designated lead of the buyer `authority` on
    `perimeter` (a list of territories); empty when the designation is sound."""
    if lead is None:
        return []
    refusals = []
    buyer_territory = authority.territory
    if buyer_territory is not None:
        for territory in perimeter:
            if not coverage.covers([buyer_territory.pk], territory):
                refusals.append(
                    _(
                        "%(territory)s n'est pas dans le territoire du donneur d'ordre "
                        "(%(buyer)s) : sa désignation ne vaut que pour ses propres marchés, "
                        "sur son territoire."
                    )
                    % {
                        "territory": _capitalised(_phrase(territory)),
                        "buyer": _phrase(buyer_territory),
                    }
                )
    ids = coverage_ids(lead)
    if ids:  # an officer covering no territory leads the buyer's contracts wherever they are
        for territory in perimeter:
            refusal = territorial_refusal(lead, territory, ids)
            if refusal:
                refusals.append(refusal)
    return refusals


def _capitalised(text):
    return text[:1].upper() + text[1:]


def rival_sentences(rivals):
    """One sentence per designation that would tie (`coverage.rival_designations`), naming
    its facilitator, its territory, who designated and since when."""
    sentences = []
    for designation in rivals:
        values = {
            "name": designation.facilitator,
            "territory": _phrase(designation.territory),
            "by": designation.designated_by,
            "start": date_format(designation.starts_on, "j F Y"),
        }
        if designation.ends_on:
            values["end"] = date_format(designation.ends_on, "j F Y")
            sentence = _(
                "%(name)s est déjà chef de file pour %(territory)s (désignation par %(by)s, du "
                "%(start)s au %(end)s)."
            )
        else:
            sentence = _(
                "%(name)s est déjà chef de file pour %(territory)s (désignation par %(by)s, "
                "en vigueur depuis le %(start)s)."
            )
        sentences.append(sentence % values)
    return sentences


def tie_sentences(territory, facilitator, starts_on, ends_on=None):
    """`rival_sentences` of the designations a designation of `facilitator` (None: a person
    not recorded yet) on `territory` from `starts_on` to `ends_on` would tie with."""
    return rival_sentences(coverage.rival_designations(territory, facilitator, starts_on, ends_on))
