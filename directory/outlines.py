"""Territory outlines as served: simplified, snapped to 5 decimals and valid.

Every outline the portal stores or serves (the loader's stored outlines, the map layers,
`facilitators.geojson`) goes through `servable()`, so GIS clients never get an invalid
geometry. Simplifying (even topology-preserving) and rounding coordinates can both break a
polygon: a small hole or islet collapses to a ring of fewer than 4 points, two rings end up
crossing. `servable()` simplifies (topology-preserving), repairs with `make_valid` what that
broke, snaps the coordinates to the 5-decimal grid with GEOS's precision reducer (valid
output), and keeps the polygonal parts only. A part with real area is never dropped.
"""

import shapely
from shapely.errors import GEOSException
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, mapping, shape

PLACES = 5  # decimals: about 1 m
GRID = 10**-PLACES
# A repair may merge or trim slivers; it must not lose more than this share of the area.
AREA_TOLERANCE = 0.001


def _polygons(geometry):
    for part in shapely.get_parts(geometry):
        if isinstance(part, Polygon):
            if not part.is_empty:
                yield part
        elif isinstance(part, (MultiPolygon, GeometryCollection)):
            yield from _polygons(part)


def _polygonal(geometry):
    """The Polygon / MultiPolygon part of a geometry (make_valid may add lines and points)."""
    polygons = list(_polygons(geometry))
    if len(polygons) == 1:
        return polygons[0]
    return MultiPolygon(polygons)  # empty when there are none


def _snapped(geometry, grid=GRID):
    """A valid geometry on the grid (GEOS's precision reducer keeps it valid; parts thinner
    than the grid collapse)."""
    try:
        return _polygonal(shapely.set_precision(geometry, grid))
    except GEOSException:  # a topology conflict: fall back to the caller's way
        return MultiPolygon()


def repaired(geometry, places=PLACES):
    """`geometry` valid, polygonal and on the grid of `places` decimals (5 unless said);
    None when nothing with area is left (a point, a line, a strip thinner than the grid).

    An invalid input (simplification may cross rings) is first made valid at full precision,
    then snapped. `make_valid`'s "structure" method unions the polygons (a shell that ends up
    inside another stays land, where the "linework" method would make it a hole). Should
    snapping lose area (it does not on INSEE's outlines), the points are rounded one by one
    instead and `make_valid` repairs what that breaks."""
    if geometry is None or geometry.is_empty:
        return None
    if not geometry.is_valid:
        geometry = _polygonal(shapely.make_valid(geometry, method="structure"))
    grid = 10**-places
    result = _snapped(geometry, grid)
    if result.area < geometry.area * (1 - AREA_TOLERANCE):
        rounded = shapely.set_precision(geometry, grid, mode="pointwise")
        result = _polygonal(shapely.make_valid(rounded, method="structure"))
    return None if result.is_empty else result


def _rounded(value, places=PLACES):
    """Coordinates on the grid printed with `places` decimals at most (4.650010000000001 →
    4.65001); the same doubles GEOS computes, so validity is kept."""
    if isinstance(value, (list, tuple)):
        return [_rounded(item, places) for item in value]
    return round(value, places)


def to_geojson(geometry, places=PLACES):
    """A GeoJSON geometry dict for a shapely geometry, coordinates with `places` decimals at
    most."""
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": _rounded(data["coordinates"], places)}


def servable(outline, tolerance=0):
    """A GeoJSON outline (dict) or shapely geometry simplified to `tolerance` degrees
    (topology-preserving; 0 keeps every point), snapped to 5 decimals and repaired: a valid
    Polygon or MultiPolygon as a GeoJSON dict, or None when there is no outline."""
    if not outline:
        return None
    geometry = outline if isinstance(outline, shapely.Geometry) else shape(outline)
    if tolerance:
        geometry = geometry.simplify(tolerance, preserve_topology=True)
    geometry = repaired(geometry)
    return to_geojson(geometry) if geometry is not None else None


def servable_coverage(outlines, tolerance, places=PLACES):
    """Neighbouring outlines (GeoJSON dicts or None, e.g. the communes of a département)
    simplified together so that a border two of them share stays one line: GEOS's coverage
    simplification (`shapely.coverage_simplify`, Visvalingam–Whyatt on each shared edge once,
    `tolerance` about the square root of the areas removed), then repaired and snapped to
    `places` decimals one by one as `servable()` does (a shared vertex rounds the same on both
    sides). Returns the list of GeoJSON dicts (None where there was no outline), in order."""
    present = [index for index, outline in enumerate(outlines) if outline]
    result = [None] * len(outlines)
    if not present:
        return result
    geometries = [shape(outlines[index]) for index in present]
    try:
        simplified = shapely.coverage_simplify(geometries, tolerance)
    except GEOSException:  # not a coverage GEOS can walk: each outline on its own
        simplified = [g.simplify(tolerance / 4, preserve_topology=True) for g in geometries]
    for index, geometry in zip(present, simplified, strict=True):
        geometry = repaired(geometry, places)
        result[index] = to_geojson(geometry, places) if geometry is not None else None
    return result


def is_valid(outline):
    """True when a GeoJSON outline is a valid geometry (what GIS clients check)."""
    return bool(outline) and shape(outline).is_valid
