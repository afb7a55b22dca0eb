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


def _snapped(geometry):
    """A valid geometry on the 5-decimal grid (GEOS's precision reducer keeps it valid;
    parts thinner than the grid collapse)."""
    try:
        return _polygonal(shapely.set_precision(geometry, GRID))
    except GEOSException:  # a topology conflict: fall back to the caller's way
        return MultiPolygon()


def repaired(geometry):
    """`geometry` valid, polygonal and on the 5-decimal grid; None when nothing with area is
    left (a point, a line, a strip thinner than the grid).

    An invalid input (simplification may cross rings) is first made valid at full precision,
    then snapped. `make_valid`'s "structure" method unions the polygons (a shell that ends up
    inside another stays land, where the "linework" method would make it a hole). Should
    snapping lose area (it does not on INSEE's outlines), the points are rounded one by one
    instead and `make_valid` repairs what that breaks."""
    if geometry is None or geometry.is_empty:
        return None
    if not geometry.is_valid:
        geometry = _polygonal(shapely.make_valid(geometry, method="structure"))
    result = _snapped(geometry)
    if result.area < geometry.area * (1 - AREA_TOLERANCE):
        rounded = shapely.set_precision(geometry, GRID, mode="pointwise")
        result = _polygonal(shapely.make_valid(rounded, method="structure"))
    return None if result.is_empty else result


def _rounded(value):
    """Coordinates on the grid printed with 5 decimals at most (4.650010000000001 → 4.65001);
    the same doubles GEOS computes, so validity is kept."""
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return round(value, PLACES)


def to_geojson(geometry):
    """A GeoJSON geometry dict for a shapely geometry, coordinates with 5 decimals at most."""
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": _rounded(data["coordinates"])}


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


def is_valid(outline):
    """True when a GeoJSON outline is a valid geometry (what GIS clients check)."""
    return bool(outline) and shape(outline).is_valid
