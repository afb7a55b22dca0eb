"""The choropleth of hours per 1,000 inhabitants by département, drawn as server-side SVG from
the départements' simplified outlines (`maps.geo`). Départements without a validated report
are hatched, never told by colour alone; the table beside the map carries every value."""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from directory.models import Territory
from maps.geo import TOLERANCE, simplified
from observatory import consolidation

WIDTH = 400
# Sequential blues, light to dark; contrast with the hatching's grey.
PALETTE = ["#dbe9f6", "#9ecae1", "#4292c6", "#08519c"]
NO_REPORT = "url(#hatch-no-report)"


@dataclass
class Shape:
    row: consolidation.DepartementHours
    d: str
    fill: str
    legend: str


@dataclass
class Choropleth:
    year: int
    shapes: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    legend: list = field(default_factory=list)  # [(fill, label)]
    width: int = WIDTH
    height: int = 0


def _rings(geometry):
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def thresholds(values):
    """Upper bounds of the colour classes: the quartiles of the values (rounded)."""
    values = sorted(values)
    if not values:
        return []
    return [values[min(len(values) - 1, math.ceil(len(values) * q) - 1)] for q in (0.25, 0.5, 0.75)]


def classify(value, bounds):
    for index, bound in enumerate(bounds):
        if value <= bound:
            return index
    return len(bounds)


def project(geometries, width=WIDTH):
    """{key: SVG path data} of GeoJSON geometries fitted in `width` px (equirectangular,
    squeezed by the cosine of the mean latitude), and the drawing's height."""
    rings = {key: _rings(geometry) for key, geometry in geometries.items()}
    coordinates = [point for ring_list in rings.values() for ring in ring_list for point in ring]
    if not coordinates:
        return {}, 0
    min_lon = min(p[0] for p in coordinates)
    max_lon = max(p[0] for p in coordinates)
    min_lat = min(p[1] for p in coordinates)
    max_lat = max(p[1] for p in coordinates)
    squeeze = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = (width - 8) / max((max_lon - min_lon) * squeeze, (max_lat - min_lat), 1e-6)
    paths = {}
    for key, ring_list in rings.items():
        parts = []
        for ring in ring_list:
            points = [
                f"{(lon - min_lon) * squeeze * scale + 4:.1f},{(max_lat - lat) * scale + 4:.1f}"
                for lon, lat in ring
            ]
            parts.append("M" + "L".join(points) + "Z")
        if parts:
            paths[key] = " ".join(parts)
    return paths, round((max_lat - min_lat) * scale) + 8


def choropleth(year):
    """The map and its table for `year`."""
    rows = consolidation.hours_by_departement(year)
    outlines = {
        t.pk: simplified(t.outline, TOLERANCE["national"])
        for t in Territory.objects.of_kind(Territory.Kind.DEPARTEMENT).with_outline()
    }
    paths, height = project(outlines)
    result = Choropleth(year, rows=rows, height=height)
    if not paths:
        return result
    bounds = thresholds([row.per_thousand for row in rows if row.per_thousand is not None])
    labels = []
    low = 0
    for index, bound in enumerate(bounds + [None]):
        if bound is None:
            labels.append(_("plus de %(low)s h") % {"low": low})
        else:
            labels.append(_("jusqu'à %(high)s h") % {"high": bound})
            low = bound
        if index >= len(PALETTE) - 1:
            break
    result.legend = list(zip(PALETTE, labels, strict=False)) + [
        (NO_REPORT, _("aucun bilan validé"))
    ]
    for row in rows:
        if row.departement.pk not in paths:
            continue
        if row.per_thousand is None:
            fill, legend = NO_REPORT, _("aucun bilan validé")
        else:
            index = min(classify(row.per_thousand, bounds), len(PALETTE) - 1)
            fill, legend = PALETTE[index], result.legend[index][1]
        result.shapes.append(Shape(row, paths[row.departement.pk], fill, legend))
    return result
