"""What came of the requests (`referrals.figures.request_figures`): per month, département and
coordination; the admin report and its CSV, scoped to the viewer."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import text
from directory.models import Coordination
from referrals.figures import request_figures
from referrals.models import ProjectRequest

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
Status = ProjectRequest.Status


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


def make(commune, received, coordination=None, routed_to=None, **fields):
    project = ProjectRequest.objects.create(
        organisation="Ville",
        contact_name="Alice",
        email="alice@example.org",
        nature="works",
        subject=fields.pop("subject", f"Travaux à {commune.name}"),
        commune=commune,
        place=commune.name,
        consent_at=timezone.now(),
        route="territory",
        routed_to=routed_to,
        coordination=coordination,
        **fields,
    )
    ProjectRequest.objects.filter(pk=project.pk).update(created_at=received)
    return project


@pytest.fixture
def year_2027(land, people, c13, settings):
    """Six requests of 2027 and one of 2026. With a delay of 5 working days:

    - Tarascon, Fri 14 May 2027, taken Mon 24 May (the fifth working day: in time), clause of
      1 200 h;
    - Arles, Fri 14 May, taken Tue 25 May (late), escalated, clause without recorded hours
      (its estimate, 300 h, counts);
    - Châteaurenard, 3 June, never taken, escalated;
    - Pertuis (84, national coordination), 30 June at 23:30 in Paris (June, not July), taken
      the next day, closed without clause;
    - Marseille, 1 January 2027 at 00:30 in Paris (still 2026 in UTC): counts in January 2027;
    - Arles, 31 December 2026: another year.
    """
    settings.REFERRAL_ANSWER_DAYS = 5
    national = Coordination.objects.get(kind=Coordination.Kind.NATIONAL)
    plie = people["plie"]
    make(
        land["tarascon"],
        at(2027, 5, 14),
        c13,
        plie,
        acknowledged_at=at(2027, 5, 24, 18),
        status=Status.CLAUSE_WRITTEN,
        clause_hours=1200,
        insertion_hours=900,
    )
    make(
        land["arles"],
        at(2027, 5, 14),
        c13,
        plie,
        acknowledged_at=at(2027, 5, 25, 8),
        escalated_at=at(2027, 5, 25, 7),
        status=Status.CLAUSE_WRITTEN,
        insertion_hours=300,
    )
    make(land["chateaurenard"], at(2027, 6, 3), c13, escalated_at=at(2027, 6, 18))
    make(
        land["pertuis"],
        at(2027, 6, 30, 23),
        national,
        people["pertuis"],
        acknowledged_at=at(2027, 7, 1),
        status=Status.CLOSED,
        subject="=HYPERLINK(1)",
    )
    make(land["marseille"], datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC), c13)
    make(land["arles"], at(2026, 12, 31), c13)
    return {"c13": c13, "national": national}


def test_the_totals_of_a_year(year_2027, land):
    assert request_figures(2027) == {
        "received": 5,
        "acknowledged": 3,
        "acknowledged_in_time": 2,  # Tarascon on its last day, Pertuis the next day
        "escalated": 2,
        "clauses_written": 2,
        "hours_planned": 1500,  # 1 200 recorded + the 300 estimated
    }
    assert request_figures(2026)["received"] == 1
    # The observatory's call: a year and département ids.
    assert request_figures(2027, {land["d84"].pk})["received"] == 1
    assert request_figures(2027, [land["d13"]]) == {
        "received": 4,
        "acknowledged": 2,
        "acknowledged_in_time": 1,
        "escalated": 2,
        "clauses_written": 2,
        "hours_planned": 1500,
    }
    assert request_figures(2027, month=5)["received"] == 2
    assert request_figures(2031)["received"] == 0


def test_per_month_departement_and_coordination(year_2027, land):
    months = {row["month"]: row for row in request_figures(2027, by=("month",))}
    assert sorted(months) == [1, 5, 6]
    assert months[1]["received"] == 1  # 00:30 on 1 January in Paris
    assert months[5]["received"] == 2 and months[5]["acknowledged_in_time"] == 1
    assert months[6]["received"] == 2 and months[6]["escalated"] == 1  # 30 June at 23:00
    rows = request_figures(2027, by=("departement",))
    assert [(row["departement"].code, row["received"]) for row in rows] == [("13", 4), ("84", 1)]
    rows = request_figures(2027, by=("coordination",))
    assert [(row["coordination"].name, row["received"]) for row in rows] == [
        ("Coordination des Bouches-du-Rhône", 4),
        ("Coordination nationale", 1),
    ]
    fine = request_figures(2027, by=("month", "departement", "coordination"))
    assert len(fine) == 4
    assert sum(row["hours_planned"] for row in fine) == 1500
    with pytest.raises(ValueError):
        request_figures(2027, by=("commune",))


def report(client, **params):
    return client.get(reverse("demandes:figures"), params)


def test_the_report_of_the_coordination_of_13(client, year_2027):
    client.force_login(year_2027["c13"].members.get())
    response = report(client, year=2027)
    assert response.status_code == 200
    html = text(response)
    assert "Bouches-du-Rhône (13)" in html and "Vaucluse" not in html  # its territory only
    flat = " ".join(html.split()).replace("</strong>", "").replace("<strong>", "")
    assert "4 demandes reçues" in flat
    assert re.search(r"\b1 clause rédigée\b|\b[02-9]\d* clauses rédigées\b", flat)  # agreed
    assert "1 500 h" in html or "1\u202f500 h" in html or "1\xa0500 h" in html
    assert "mai" in html and "juin" in html  # the months, by name
    response = report(client, year=2027, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["annee", "mois", "departement_code"]
    assert {row[2] for row in rows[1:]} == {"13"}
    assert sum(int(row[5]) for row in rows[1:]) == 4


def test_the_national_report_filters_by_departement_and_exports_safely(client, people, year_2027):
    client.force_login(people["coordinator"])
    html = text(report(client, year=2027, departement="84"))
    assert "2027 — Vaucluse" in html
    response = report(client, year=2027, format="csv")
    content = response.content.decode("utf-8-sig")
    assert "Coordination nationale" in content
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert sum(int(row[5]) for row in rows[1:]) == 5
    # A coordination's name typed as a formula is exported as text.
    year_2027["national"].name = "=cmd|' /C calc'!A0"
    year_2027["national"].save()
    content = report(client, year=2027, format="csv").content.decode("utf-8-sig")
    assert ";'=cmd|" in content and ";=cmd" not in content


def test_a_facilitator_counts_only_her_requests(client, people, year_2027):
    client.force_login(people["plie_user"])
    html = text(report(client, year=2027))
    assert "Bouches-du-Rhône (13)" in html and "Vaucluse" not in html
    response = report(client, year=2027, format="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert sum(int(row[5]) for row in rows[1:]) == 2  # the two sent to her


def test_bad_filters_are_said_not_a_500(client, people, year_2027):
    client.force_login(people["coordinator"])
    for params in ({"year": "deux-mille"}, {"year": "1990"}, {"departement": "99"}):
        response = report(client, **params)
        assert response.status_code == 400, params
        assert "Sélectionnez un choix valide" in text(response)
    assert report(client).status_code == 200  # the current year by default


def test_the_report_is_for_admin_users_who_follow_requests(client, django_user_model, year_2027):
    assert report(client).status_code == 302  # to the login page
    nobody = django_user_model.objects.create_user("nobody", "n@example.org", "pass-word-123")
    client.force_login(nobody)
    assert report(client).status_code in (302, 403)
