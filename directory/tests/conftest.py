"""Fixtures of the directory tests: a small hand-made map of real places."""

import pytest

from directory.models import Territory
from directory.tests.factories import TerritoryFactory

K = Territory.Kind


@pytest.fixture
def land(db):
    """Région PACA > département 13 > CA Arles (Arles, Tarascon) and CA Terre de Provence
    (Châteaurenard); Marseille with an arrondissement; Pertuis (84) in the Métropole."""
    region = TerritoryFactory(kind=K.REGION, code="93", name="Provence-Alpes-Côte d'Azur")
    d13 = TerritoryFactory(kind=K.DEPARTEMENT, code="13", name="Bouches-du-Rhône", region=region)
    d84 = TerritoryFactory(kind=K.DEPARTEMENT, code="84", name="Vaucluse", region=region)
    accm = TerritoryFactory(kind=K.EPCI, code="241300417", name="CA Arles-Crau-Camargue")
    tdp = TerritoryFactory(kind=K.EPCI, code="200035087", name="CA Terre de Provence")
    amp = TerritoryFactory(kind=K.EPCI, code="200054807", name="Métropole Aix-Marseille")

    def commune(code, name, epci, departement, population=1000):
        return TerritoryFactory(
            code=code,
            name=name,
            epci=epci,
            departement=departement,
            region=region,
            population=population,
        )

    places = {
        "arles": commune("13004", "Arles", accm, d13, 52000),
        "tarascon": commune("13108", "Tarascon", accm, d13, 15000),
        "chateaurenard": commune("13027", "Châteaurenard", tdp, d13, 16000),
        "marseille": commune("13055", "Marseille", amp, d13, 870000),
        "pertuis": commune("84089", "Pertuis", amp, d84, 20000),
    }
    TerritoryFactory(
        kind=K.ARRONDISSEMENT, code="13203", name="Marseille 3e", parent=places["marseille"]
    )
    return {
        "region": region,
        "d13": d13,
        "d84": d84,
        "accm": accm,
        "tdp": tdp,
        "amp": amp,
        **places,
    }
