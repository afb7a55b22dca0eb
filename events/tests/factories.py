from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from events.models import EventPage

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    """An aware datetime in Europe/Paris: paris(2026, 3, 31, 10) is 10:00 in Paris."""
    return datetime(*args, tzinfo=PARIS)


class EventPageFactory(factory.Factory):
    """Builds (does not save) an event; add it with conftest.publish_child."""

    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Rencontre {n}")
    slug = factory.Sequence(lambda n: f"rencontre-{n}")
    intro = "Acheteurs et structures de l'insertion se rencontrent."
    start = factory.LazyFunction(lambda: paris(2030, 3, 31, 10))
    end = factory.LazyAttribute(lambda o: o.start.replace(hour=12))
    venue = "Maison de la vie associative"
    address = "2 boulevard des Lices\n13200 Arles"
    category = EventPage.Category.MEETING
