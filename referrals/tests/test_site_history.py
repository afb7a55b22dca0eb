"""The site history keeps to each reader's policies: for every model with a registered
policy (`portal.policies.registered()`), the rows of objects the reader may not see are left
out — a request, an error report, a facilitator's record or absence, a yearly report of the
Bouches-du-Rhône is not in the Val-d'Oise coordination's history, nor its author in the
user filter."""

import datetime

import pytest
from django.utils import timezone
from wagtail.log_actions import log

from conftest import text
from directory.models import ErrorReport, Structure
from directory.tests import test_coordinations
from directory.tests.factories import AbsenceFactory
from observatory.models import StructureReport
from observatory.tests.factories import ReportFactory
from portal import policies
from referrals.models import ProjectRequest

pytestmark = pytest.mark.django_db

france, people = test_coordinations.france, test_coordinations.people
HISTORY = "/admin/reports/site-history/"


class ReportsOfVisibleStructures(policies.Policy):
    """What the observatory's policy is expected to say, for a project where it has not
    registered one yet: a report goes with its structure."""

    model = StructureReport

    def visible(self, user, queryset):
        return queryset.filter(structure__in=policies.visible(user, Structure.objects.all()))


@pytest.fixture
def reports_policy(monkeypatch):
    if policies.policy_for(StructureReport) is None:
        monkeypatch.setitem(policies._POLICIES, StructureReport, ReportsOfVisibleStructures())


def request_in(commune):
    return ProjectRequest.objects.create(
        organisation="Ville",
        contact_name="Alice Exemple",
        email="alice@example.org",
        nature="works",
        subject=f"Travaux à {commune.name}",
        commune=commune,
        place=commune.name,
        consent_at=timezone.now(),
        route=ProjectRequest.Route.COORDINATION,
    )


def error_report_on(commune):
    return ErrorReport.objects.create(
        commune=commune, subject=commune.name, message="Erreur", consent_at=timezone.now()
    )


@pytest.fixture
def logged(france, people, reports_policy, django_user_model):
    """Each kind of object, once in 13 and once in 95, edited by the national coordinator;
    a member of 13 edited the Arles record."""
    people["m13"].first_name, people["m13"].last_name = "Nadia", "Treize"
    people["m13"].save()
    by = people["national"]
    start = datetime.date(2027, 1, 4)
    for place, facilitator, dep in (
        (france["arles"], people["arles"], "13"),
        (france["argenteuil"], people["argenteuil"], "95"),
    ):
        for kind, obj in (
            ("demande", request_in(place)),
            ("signalement", error_report_on(place)),
            ("fiche", facilitator),
            ("absence", AbsenceFactory(facilitator=facilitator, start=start)),
            ("bilan", ReportFactory(structure=facilitator.structure)),
        ):
            log(obj, "wagtail.edit", user=by, title=f"{kind} {dep}")
    log(people["arles"], "wagtail.edit", user=people["m13"], title="fiche 13 par Nadia")


def test_the_site_history_leaves_out_what_the_reader_may_not_see(client, people, logged):
    client.force_login(people["m95"])
    for url in (HISTORY, HISTORY + "results/"):
        page = text(client.get(url))
        for kind in ("demande", "signalement", "fiche", "absence", "bilan"):
            assert f"{kind} 95" in page, (url, kind)
            assert f"{kind} 13" not in page, (url, kind)
    export = client.get(HISTORY, {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert "demande 95" in content and "demande 13" not in content
    users = client.get(HISTORY).context["filters"].form.fields["user"].queryset
    assert people["m13"] not in users and people["national"] in users

    client.force_login(people["m13"])
    page = text(client.get(HISTORY))
    assert "fiche 13 par Nadia" in page and "bilan 13" in page and "demande 95" not in page

    client.force_login(people["national"])
    page = text(client.get(HISTORY))
    for kind in ("demande", "signalement", "fiche", "absence", "bilan"):
        assert f"{kind} 13" in page and f"{kind} 95" in page, kind


def test_the_site_history_follows_the_registry(people, logged):
    """A model's rows are filtered as soon as its policy is registered, by no other code."""
    from wagtail.models import ModelLogEntry

    entries = ModelLogEntry.objects.all()
    labels = {e.label for e in policies.visible_log_entries(people["m95"], entries)}
    assert "bilan 13" not in labels
    registry = policies._POLICIES
    policy = registry.pop(StructureReport)
    try:
        labels = {e.label for e in policies.visible_log_entries(people["m95"], entries)}
        assert "bilan 13" in labels  # no policy: Wagtail's permissions only
    finally:
        registry[StructureReport] = policy
