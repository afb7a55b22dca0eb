"""Named perimeters' rules: which communes a perimeter holds, which perimeters hold a commune,
reading a list of codes typed or pasted by a coordinator, and the perimeter's outline and
population (the union and the sum of its communes')."""

import re
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from shapely.geometry import shape
from shapely.ops import unary_union

from directory import outlines
from directory.models import PerimeterMember, Territory

K = Territory.Kind
# Perimeters are drawn at EPCI precision (about 100 m).
TOLERANCE = 0.001
MEMBER_KINDS = (K.COMMUNE, K.EPCI)


def member_communes(perimeter_ids):
    """Communes inside the given perimeters: members themselves, or communes of a member
    EPCI."""
    members = PerimeterMember.objects.filter(perimeter__in=perimeter_ids).values("territory")
    return Territory.objects.communes().filter(Q(pk__in=members) | Q(epci__in=members))


def perimeters_of(commune):
    """The named perimeters containing the commune (as a member, or through its EPCI), by
    name."""
    ids = [commune.pk] + ([commune.epci_id] if commune.epci_id else [])
    return list(
        Territory.objects.of_kind(K.PERIMETER)
        .filter(pk__in=PerimeterMember.objects.filter(territory__in=ids).values("perimeter"))
        .order_by("search_name")
    )


def perimeter_index():
    """{commune or EPCI id: [perimeters]} of every membership, in one query: what the batch
    answers use instead of `perimeters_of`."""
    index = {}
    for member in (
        PerimeterMember.objects.select_related("perimeter")
        .defer("perimeter__outline")
        .order_by("perimeter__search_name")
    ):
        index.setdefault(member.territory_id, []).append(member.perimeter)
    return index


def perimeters_in_index(commune, index):
    """`perimeters_of(commune)` read from `perimeter_index()`."""
    found, seen = [], set()
    for key in (commune.pk, commune.epci_id):
        for perimeter in index.get(key, ()) if key else ():
            if perimeter.pk not in seen:
                seen.add(perimeter.pk)
                found.append(perimeter)
    return sorted(found, key=lambda p: p.search_name)


@dataclass
class CodeList:
    territories: list = field(default_factory=list)
    unknown: list = field(default_factory=list)  # (code, reason)


def read_codes(text):
    """The communes (INSEE codes; an arrondissement gives its commune) and EPCI (SIREN) of a
    list of codes separated by spaces, commas, semicolons or lines; each code that is not a
    loaded commune or EPCI comes back in `unknown` with the reason."""
    result, seen = CodeList(), set()
    for code in re.split(r"[\s,;]+", (text or "").strip()):
        code = code.strip().upper()
        if not code:
            continue
        territory = None
        if re.fullmatch(r"\d{9}", code):
            territory = Territory.objects.filter(kind=K.EPCI, code=code).first()
            reason = "epci"
        elif re.fullmatch(r"(\d[\dAB]|2[AB])\d{3}", code):
            territory = Territory.objects.by_code(code)
            reason = "commune"
        else:
            reason = "format"
        if territory is None or territory.kind not in MEMBER_KINDS:
            result.unknown.append((code, reason))
        elif territory.pk not in seen:
            seen.add(territory.pk)
            result.territories.append(territory)
    return result


def refresh(perimeter):
    """Recompute a perimeter's outline (union of its communes' outlines, valid), bounding
    box, population (sum), and its département and région when all its communes share
    them."""
    communes = member_communes([perimeter.pk])
    shapes = [
        shape(o)
        for o in communes.with_outline().exclude(outline=None).values_list("outline", flat=True)
    ]
    values = {
        "outline": None,
        "min_lon": None,
        "min_lat": None,
        "max_lon": None,
        "max_lat": None,
        "lon": None,
        "lat": None,
    }
    if shapes:
        union = unary_union(shapes)
        min_lon, min_lat, max_lon, max_lat = union.bounds
        point = union.representative_point()
        values = {
            "outline": outlines.servable(union, TOLERANCE),
            "min_lon": round(min_lon, 5),
            "min_lat": round(min_lat, 5),
            "max_lon": round(max_lon, 5),
            "max_lat": round(max_lat, 5),
            "lon": round(point.x, 5),
            "lat": round(point.y, 5),
        }
    values["population"] = communes.aggregate(total=Sum("population"))["total"] or 0
    departements = set(communes.values_list("departement", flat=True))
    regions = set(communes.values_list("region", flat=True))
    values["departement_id"] = departements.pop() if len(departements) == 1 else None
    values["region_id"] = regions.pop() if len(regions) == 1 else None
    Territory.objects.filter(pk=perimeter.pk).update(**values)
    for name, value in values.items():
        setattr(perimeter, name, value)
    return perimeter


def refresh_all():
    """Refresh every perimeter (after territories are reloaded)."""
    for perimeter in Territory.objects.of_kind(K.PERIMETER):
        refresh(perimeter)


def next_code():
    """A code for a new perimeter: P0001, P0002… (perimeters have no official code)."""
    codes = Territory.objects.of_kind(K.PERIMETER).filter(code__regex=r"^P\d+$")
    numbers = [int(code[1:]) for code in codes.values_list("code", flat=True)]
    return f"P{max(numbers, default=0) + 1:04d}"
