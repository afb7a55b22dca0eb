"""A facilitator account sees nothing of the requests of others: not in the request's history
or usage views, the site history, the inbox search, the export, the dashboard or the
"suivie par" list; and the retention purge leaves no trace of a request's text in the audit
log."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from conftest import text
from referrals.models import ProjectRequest
from referrals.tests.test_admin import requests  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

OTHER = "Entretien des espaces verts"  # sent to Jules Roux (Pertuis)
OWN = "Réhabilitation de l'école Jean-Moulin"  # sent to Camille Arnaud (PLIE)


def body(response):
    return text(response).replace("&#x27;", "'")


@pytest.fixture
def edited(client, people, requests):  # noqa: F811
    """The Pertuis request followed by its facilitator, so the audit log holds its title."""
    other = requests[OTHER]
    client.force_login(people["pertuis_user"])
    response = client.post(f"/admin/demandes/edit/{other.pk}/", {"notes": "Vu."})
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(label__contains=OTHER).exists()
    client.logout()
    return requests


def test_history_and_usage_of_another_request_are_not_found(client, people, edited):
    client.force_login(people["plie_user"])
    other, own = edited[OTHER], edited[OWN]
    for view in ("history", "history-results", "usage"):
        assert client.get(f"/admin/demandes/{view}/{other.pk}/").status_code == 404, view
        assert client.get(f"/admin/demandes/{view}/{own.pk}/").status_code == 200, view


def test_the_site_history_leaves_out_other_requests(client, people, edited):
    client.force_login(people["plie_user"])
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        response = client.get(url)
        assert response.status_code == 200
        assert OTHER not in body(response)
    export = client.get("/admin/reports/site-history/", {"export": "csv"})
    assert OTHER not in b"".join(export.streaming_content).decode()

    client.force_login(people["coordinator"])  # coordinators still read the whole log
    assert OTHER in body(client.get("/admin/reports/site-history/"))


def test_search_export_and_dashboard_leave_out_other_requests(client, people, edited):
    client.force_login(people["plie_user"])
    assert OTHER not in body(client.get("/admin/demandes/", {"q": "espaces verts"}))
    assert OTHER not in body(client.get("/admin/demandes/results/", {"q": "Entretien"}))
    export = client.get("/admin/demandes/", {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert OWN in content and OTHER not in content
    assert OTHER not in body(client.get("/admin/"))
    assert OTHER not in body(client.get("/admin/search/", {"q": "Entretien"}))


def test_suivie_par_lists_only_who_may_follow_by_full_name(
    client,
    people,
    requests,  # noqa: F811
    django_user_model,
):
    people["plie_user"].first_name, people["plie_user"].last_name = "Camille", "Arnaud"
    people["plie_user"].save()
    django_user_model.objects.create_superuser("root", "root@example.org", "pass-word-123")
    colleague = django_user_model.objects.create_user(
        "colleague", "colleague@example.org", "pass-word-123", first_name="Inès", last_name="Faure"
    )
    from directory.tests.factories import FacilitatorFactory

    FacilitatorFactory(
        first_name="Inès", last_name="Faure", structure=people["plie"].structure, user=colleague
    )
    own = requests[OWN]
    client.force_login(people["plie_user"])
    page = body(client.get(f"/admin/demandes/edit/{own.pk}/"))
    start = page.index('name="assignee"')
    options = page[start : page.index("</select>", start)]
    assert "Camille Arnaud" in options and "Inès Faure" in options
    assert ">camille<" not in options  # the name, not the login
    assert "root" not in options and "jules" not in options  # superuser, other facilitator
    assert "coordination" in options  # coordinators may follow every request (no name set)

    response = client.post(
        f"/admin/demandes/action/{own.pk}/assign/", {"assignee": people["pertuis_user"].pk}
    )
    assert response.status_code == 400  # refused: not someone who may follow it
    own.refresh_from_db()
    assert own.assignee is None


def test_the_purge_removes_the_request_text_from_the_audit_log(client, people, edited, settings):
    other = edited[OTHER]
    ProjectRequest.objects.filter(pk=other.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.REFERRAL_RETENTION_DAYS + 1)
    )
    kept = ModelLogEntry.objects.exclude(object_id=str(other.pk)).count()
    call_command("purge_requests", stdout=io.StringIO())
    assert not ProjectRequest.objects.filter(pk=other.pk).exists()
    assert not ModelLogEntry.objects.filter(label__contains=OTHER).exists()
    assert not ModelLogEntry.objects.filter(object_id=str(other.pk)).exists()
    assert ModelLogEntry.objects.count() == kept
