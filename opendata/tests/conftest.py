"""The API tests use the map tests' small directory, outlines and fake address service."""

from maps.tests.conftest import clear_cache, directory, geocoder, outlines  # noqa: F401
