"""The admin white-zone report: grouped by EPCI with population, links, filter by
département, CSV export, and the monthly history kept by `snapshot_white_zones`."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import publish_child, text
from directory import coverage
from directory.models import DirectoryPage, WhiteZoneSnapshot
from directory.tests.factories import FacilitatorFactory, TerritoryFactory
from directory.tests.test_perimeters import coordinator_client  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/admin/directory/white-zones/"


@pytest.fixture
def report_land(land, home):
    publish_child(home, DirectoryPage(title="Annuaire", slug="annuaire"))
    FacilitatorFactory(covers=[land["accm"]])  # Arles and Tarascon are covered
    TerritoryFactory(
        code="13099",
        name="Eygalières",
        epci=land["tdp"],
        departement=land["d13"],
        region=land["region"],
        population=1900,
    )
    return land


def test_the_report_groups_white_zones_by_epci(coordinator_client, report_land):  # noqa: F811
    assert reverse("directory_white_zones") == URL
    body = " ".join(text(coordinator_client.get(URL, {"departement": "13"})).split())
    # CA Terre de Provence: Châteaurenard and Eygalières; then the Métropole (Marseille) —
    # the most populated group first.
    assert body.index("Métropole Aix-Marseille") < body.index("CA Terre de Provence")
    assert "2 communes, 17 900 habitants" in body
    assert '<a href="/fr/annuaire/communes/13027/">Châteaurenard</a>' in body
    assert "epci=200035087" in body
    assert "Pertuis" not in body  # département 84
    assert "Arles" not in body.split("Historique")[0].replace("CA Arles", "")
    # One EPCI only.
    body = " ".join(text(coordinator_client.get(URL, {"epci": "200035087"})).split())
    assert "Châteaurenard" in body and "Marseille</a>" not in body
    # Every département: Pertuis appears.
    assert "Pertuis" in text(coordinator_client.get(URL))


def test_white_zone_groups_sum_population(report_land):
    groups = coverage.white_zone_groups(coverage.white_zones(report_land["d13"]))
    assert [(g.epci.code, [c.code for c in g.communes], g.population) for g in groups] == [
        ("200054807", ["13055"], 870000),
        ("200035087", ["13027", "13099"], 16000 + 1900),
    ]


def test_the_csv_export(coordinator_client, report_land):  # noqa: F811
    response = coordinator_client.get(URL, {"departement": "13", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="zones-blanches-13-' in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    assert rows[0] == ["departement", "epci_siren", "epci", "code_insee", "commune", "population"]
    assert ["13", "200035087", "CA Terre de Provence", "13027", "Châteaurenard", "16000"] in rows
    assert len(rows) == 1 + 3


def test_snapshots_are_one_a_month_and_drawn(coordinator_client, report_land):  # noqa: F811
    out = io.StringIO()
    call_command("snapshot_white_zones", stdout=out)
    assert "13: 3 communes, 887900 inhabitants" in out.getvalue()
    call_command("snapshot_white_zones", stdout=io.StringIO())
    assert WhiteZoneSnapshot.objects.count() == 2  # 13 and 84, once for this month
    # A facilitator for Marseille later the same month: the month's row is updated.
    FacilitatorFactory(covers=[report_land["marseille"]])
    call_command("snapshot_white_zones", stdout=io.StringIO())
    d13 = WhiteZoneSnapshot.objects.get(departement__code="13")
    assert (d13.communes, d13.population) == (2, 17900)
    # A month earlier, recorded by hand: the chart and the table show both months.
    last_month = (d13.month - datetime.timedelta(days=1)).replace(day=1)
    coverage.snapshot_white_zones(last_month)
    body = " ".join(text(coordinator_client.get(URL, {"departement": "13"})).split())
    assert body.count("<circle") == 2 and "<polyline" in body
    # SVG numbers are never localised ("32,5" would put every point at 0).
    points = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', body)
    assert len(points) == 2 and all(re.fullmatch(r"\d+(\.\d+)?", v) for p in points for v in p)
    assert "17 900" in body
