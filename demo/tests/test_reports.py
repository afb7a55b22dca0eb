"""The demo reports: three years for every structure, one unreported for 2025, a 2026
campaign under way, the seeds' orders of magnitude, consistent breakdowns, built once."""

import pytest

from demo import reports
from directory.tests.factories import StructureFactory
from observatory.models import PublishedYear, StructureReport
from portal import results as results_rules

pytestmark = pytest.mark.django_db


def test_demo_reports_cover_every_structure_and_year_once(db):
    for name in reports.SIZES:
        StructureFactory(name=name)
    StructureFactory(name="Association d'insertion des Landes")  # not in the table: default size
    created = reports.build()
    campaign = [name for name in reports.CAMPAIGN if name in reports.SIZES]
    published = len(reports.PUBLISHED_YEARS)
    assert created == 3 * (len(reports.SIZES) + 1) - 1 + len(campaign) + published
    assert reports.build() == 0  # idempotent
    assert not StructureReport.objects.filter(
        structure__name=reports.UNREPORTED_2025, year=2025
    ).exists()
    past = StructureReport.objects.filter(year__lt=reports.CAMPAIGN_YEAR)
    assert set(past.values_list("status", flat=True)) == {"validated"}
    # 2026: a campaign under way, every state shown, the public default stays 2025.
    statuses = StructureReport.objects.filter(year=reports.CAMPAIGN_YEAR).values_list(
        "status", flat=True
    )
    assert set(statuses) == {"validated", "submitted", "draft", "rejected"}
    rejected = StructureReport.objects.get(year=reports.CAMPAIGN_YEAR, status="rejected")
    assert rejected.review_comment
    assert set(PublishedYear.objects.values_list("year", flat=True)) == {2023, 2024}

    seignanx = StructureReport.objects.get(structure__name="CBE du Seignanx", year=2024)
    assert 7000 <= seignanx.hours_total <= 11_000 and 20 <= seignanx.people_total <= 40
    mie = StructureReport.objects.get(
        structure__name__startswith="Maison de l'Initiative", year=2024
    )
    assert 10_000 <= mie.hours_total < 100_000
    mel = StructureReport.objects.get(structure__name__startswith="Métropole Européenne", year=2024)
    assert mel.hours_total >= 100_000
    for report in StructureReport.objects.all():
        assert results_rules.inconsistencies(report) == {}
        if report.status != "rejected":  # refused for its missing hours by authority
            assert sum(a.hours for a in report.authority_hours.all()) == report.hours_total
