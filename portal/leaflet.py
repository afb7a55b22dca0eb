"""Maps drawn by the site's own scripts under a strict Content-Security-Policy: django-leaflet's
`leaflet_map` tag writes an inline script, so pages pass its options as JSON instead and their
script creates the map (`L.Map.djangoMap`)."""

import json

from leaflet.templatetags.leaflet_tags import leaflet_map


def leaflet_options(name):
    """django-leaflet's map options (LEAFLET_CONFIG) for the map element `name`, as its
    `leaflet_map` tag computes them."""
    return json.loads(leaflet_map(name)["djoptions"])
