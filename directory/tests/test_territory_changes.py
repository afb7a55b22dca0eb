"""A new edition of the INSEE geography loses nothing: a commune that became a commune
déléguée has its coverage and designations moved to its new commune, a vanished code with no
new commune is kept and flagged, renamed communes are reported. The loader's row reader is
replaced by small hand-made editions (no need to load France)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from shapely import wkb
from shapely.geometry import Point, box

from directory import loading
from directory.models import (
    FacilitatorTerritory,
    LeadDesignation,
    NamedPerimeter,
    PerimeterMember,
    Territory,
    TerritoryChange,
)
from directory.tests.factories import AuthorityFactory, FacilitatorFactory
from referrals.models import ProjectRequest

pytestmark = pytest.mark.django_db
K = Territory.Kind
NULL = "\\N"


def commune(row_id, code, name, kind="COM", parent=NULL, x=0, population=1000):
    return {
        "id": row_id,
        "code": code,
        "type": kind,
        "nom": name,
        "type_nom": "0",
        "population_municipale": str(population),
        "departement_id": "1" if kind == "COM" else NULL,
        "commune_parent_id": parent,
        "epci_id": "1" if kind == "COM" else NULL,
        "geometry": wkb.dumps(box(5 + x * 0.1, 43, 5.1 + x * 0.1, 43.1), hex=True),
        "mairie_localisation": wkb.dumps(Point(5.05 + x * 0.1, 43.05), hex=True),
    }


def edition(communes):
    files = {
        "regions": [
            {"id": "1", "code": "93", "nom": "Provence-Alpes-Côte d'Azur", "type_nom": "0"}
        ],
        "departements": [
            {"id": "1", "code": "13", "nom": "Bouches-du-Rhône", "region_id": "1", "type_nom": "4"}
        ],
        "epci": [{"id": "1", "code": "200000001", "nom": "CC Exemple", "type": "CC"}],
        "communes": communes,
        "codes_postaux": [],
        "codes_postaux_communes": [],
    }
    return lambda name: iter(files[name])


FIRST = [
    commune("1", "13901", "Alpha", x=0),
    commune("2", "13902", "Beta", x=1),
    commune("3", "13903", "Gamma", x=2),
    commune("4", "13904", "Delta", x=3),
]
# 1 January: Beta and Gamma merge into Beta-Gamma (the new commune keeps Beta's code, both
# live on as communes déléguées), Alpha is renamed, Delta's code is gone with no new commune.
SECOND = [
    commune("1", "13901", "Alpha-sur-Mer", x=0),
    commune("10", "13902", "Beta-Gamma", x=1, population=2000),
    commune("11", "13902", "Beta", kind="COMD", parent="10", x=1),
    commune("12", "13903", "Gamma", kind="COMD", parent="10", x=2),
]


def load(monkeypatch, rows):
    monkeypatch.setattr(loading, "_rows", edition(rows))
    out = io.StringIO()
    call_command("load_territories", "--departements", "13", stdout=out)
    return out.getvalue()


def test_a_merger_moves_coverage_and_designations_and_reports_everything(monkeypatch):
    load(monkeypatch, FIRST)
    by_code = {t.code: t for t in Territory.objects.communes()}
    beta, gamma, delta = by_code["13902"], by_code["13903"], by_code["13904"]
    only_gamma = FacilitatorFactory(last_name="Gamma", covers=[gamma])
    both = FacilitatorFactory(last_name="Both", covers=[beta, gamma])
    LeadDesignation.objects.create(territory=gamma, facilitator=only_gamma, designated_by="x")
    authority = AuthorityFactory(perimeter=[gamma])
    perimeter = NamedPerimeter.objects.create(name="Pays", code="P0001", search_name="pays")
    PerimeterMember.objects.create(perimeter=perimeter, territory=gamma)
    request = ProjectRequest.objects.create(
        commune=gamma,
        organisation="Mairie de démonstration",
        contact_name="Alex Exemple",
        email="acheteur@example.org",
        nature=ProjectRequest.Nature.choices[0][0],
        subject="Travaux",
        place="Gamma",
        consent_at=timezone.now(),
        route=ProjectRequest.Route.COORDINATION,
    )
    far = FacilitatorFactory(last_name="Delta", covers=[delta])

    output = load(monkeypatch, SECOND)

    new = Territory.objects.get(kind=K.COMMUNE, code="13902")
    assert new.pk == beta.pk and new.name == "Beta-Gamma"
    assert not Territory.objects.filter(kind=K.COMMUNE, code="13903").exists()
    assert list(only_gamma.coverage.all()) == [new]
    assert list(both.coverage.all()) == [new]  # once, not twice
    assert FacilitatorTerritory.objects.filter(facilitator=both).count() == 1
    assert LeadDesignation.objects.get(facilitator=only_gamma).territory == new
    assert list(authority.lead_perimeter.all()) == [new]
    assert list(perimeter.members.values_list("territory", flat=True)) == [new.pk]
    assert Territory.objects.get(pk=perimeter.pk).population == 2000
    request.refresh_from_db()
    assert request.commune == new
    # Delta is kept with its coverage, and flagged.
    assert list(far.coverage.values_list("code", flat=True)) == ["13904"]

    changes = {(c.kind, c.code): c for c in TerritoryChange.objects.all()}
    assert set(changes) == {
        ("moved", "13903"),
        ("renamed", "13901"),
        ("renamed", "13902"),
        ("vanished", "13904"),
    }
    moved = changes[("moved", "13903")]
    assert (moved.old_name, moved.new_code, moved.new_name) == ("Gamma", "13902", "Beta-Gamma")
    assert "2 territoires couverts" in moved.details
    assert "1 désignation de chef de file" in moved.details
    assert changes[("renamed", "13901")].new_name == "Alpha-sur-Mer"
    assert changes[("vanished", "13904")].details == "1 référence conservée"
    assert "Merged: 13903 Gamma → 13902 Beta-Gamma" in output
    assert "Renamed: 13901 Alpha → Alpha-sur-Mer" in output
    assert "Vanished, kept (no new commune found): 13904 Delta" in output

    # Loading the same edition again changes nothing more.
    load(monkeypatch, SECOND)
    assert TerritoryChange.objects.count() == 5  # Delta is still missing, reported again
    assert list(only_gamma.coverage.all()) == [new]


def test_the_dashboard_flags_vanished_codes(monkeypatch, admin_client):
    load(monkeypatch, FIRST)
    load(monkeypatch, SECOND)
    body = admin_client.get("/admin/").content.decode()
    assert "13904" in body and "Delta" in body
    TerritoryChange.objects.filter(kind="vanished").update(handled=True)
    assert "13904" not in admin_client.get("/admin/").content.decode()
