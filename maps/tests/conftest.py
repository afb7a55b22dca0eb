"""Fixtures of the map tests: a small directory on the hand-made land, outlines, and a fake
national address service."""

import pytest
from django.core.cache import cache

from directory.models import LeadDesignation
from directory.tests.factories import FacilitatorFactory
from maps.tests.fake_geocoder import FakeGeocoder


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


@pytest.fixture
def geocoder(settings):
    with FakeGeocoder() as fake:
        settings.GEOCODER_DOMAIN = f"127.0.0.1:{fake.port}"
        settings.GEOCODER_SCHEME = "http"
        settings.GEOCODER_TIMEOUT = 0.5
        yield fake


@pytest.fixture
def directory(land):
    plie = FacilitatorFactory(first_name="Camille", last_name="Arnaud", covers=[land["accm"]])
    LeadDesignation.objects.create(
        territory=land["accm"], facilitator=plie, designated_by="la CA Arles-Crau-Camargue"
    )
    land["arles"].postal_codes = "13200,13280"
    land["arles"].save()
    land["tarascon"].postal_codes = "13150"
    land["tarascon"].save()
    land["chateaurenard"].postal_codes = "13160"
    land["chateaurenard"].save()
    return plie


def square(lon, lat, size=0.05):
    """A square outline whose corners carry more decimals than the map serves."""
    corners = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size)]
    ring = [[x + 0.0000012345, y + 0.0000067891] for x, y in corners + corners[:1]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def outlines(land):
    """Outlines and bounding boxes for every territory of the land (one square each)."""
    places = {
        "arles": (4.60, 43.60),
        "tarascon": (4.65, 43.80),
        "chateaurenard": (4.85, 43.88),
        "marseille": (5.37, 43.30),
        "pertuis": (5.50, 43.69),
        "accm": (4.60, 43.60),
        "tdp": (4.85, 43.88),
        "amp": (5.37, 43.30),
        "d13": (4.60, 43.20),
        "d84": (5.00, 43.70),
    }
    for key, (lon, lat) in places.items():
        territory = land[key]
        size = 0.8 if key.startswith("d") else 0.05
        territory.outline = square(lon, lat, size)
        territory.min_lon, territory.min_lat = lon, lat
        territory.max_lon, territory.max_lat = lon + size, lat + size
        territory.save()
    return land
