"""`directory.outlines.servable`: what simplifying and rounding break, it repairs, and it keeps
every part that has an area."""

import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape

from directory.outlines import is_valid, servable


def geojson(geometry):
    return mapping(geometry)


def test_a_hole_that_collapses_on_the_grid_goes_the_polygon_stays():
    """A sliver hole 0.3 m wide (as left between two communes' outlines by their union):
    rounded to 5 decimals it is a ring of two distinct points, which GIS clients reject."""
    hole = [(5.0, 43.0), (5.01, 43.0), (5.01, 43.000003), (5.0, 43.000003)]
    outline = Polygon([(4.9, 42.9), (5.1, 42.9), (5.1, 43.1), (4.9, 43.1)], [hole])
    served = servable(geojson(outline))
    assert is_valid(served)
    assert served["type"] == "Polygon" and len(served["coordinates"]) == 1  # the hole went
    assert shape(served).area == outline.area + shapely.Polygon(hole).area


def test_a_ring_crossing_itself_is_repaired_without_losing_area():
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    assert not bowtie.is_valid
    served = servable(geojson(bowtie))
    assert is_valid(served) and served["type"] == "MultiPolygon"
    assert shape(served).area == 0.5  # both triangles


def test_small_islands_are_kept_through_simplification():
    """An islet of about 200 m × 200 m beside the mainland, simplified at 1 km."""
    mainland = box(4.0, 43.0, 5.0, 44.0)
    islet = box(5.1, 43.5, 5.102, 43.502)
    served = servable(geojson(MultiPolygon([mainland, islet])), tolerance=0.01)
    assert is_valid(served)
    mainland_served, islet_served = shape(served).geoms
    assert mainland_served.area == mainland.area
    assert islet_served.intersection(islet).area > 0.4 * islet.area  # a triangle at least


def test_coordinates_have_five_decimals_at_most():
    square = box(4.6000012345, 43.6000067891, 4.6500012345, 43.6500067891)
    served = servable(geojson(square))
    for lon, lat in served["coordinates"][0]:
        assert (lon, lat) == (round(lon, 5), round(lat, 5))
    assert [4.65, 43.60001] in served["coordinates"][0]


def test_nothing_with_an_area_gives_no_outline():
    assert servable(None) is None
    assert servable({}) is None
    # Thinner than the grid: nothing is left once snapped.
    assert servable(geojson(box(5.0, 43.0, 5.01, 43.000001))) is None
    assert not is_valid(None)


def test_a_shell_inside_another_stays_land():
    """Simplification can leave an islet's ring inside the mainland's: the repair keeps the
    land (a union), it does not cut a hole."""
    mainland, inside = box(4.0, 43.0, 5.0, 44.0), box(4.2, 43.2, 4.3, 43.3)
    nested = MultiPolygon([mainland, inside])
    assert not nested.is_valid
    served = servable(geojson(nested))
    assert is_valid(served)
    assert shape(served).equals(mainland)
