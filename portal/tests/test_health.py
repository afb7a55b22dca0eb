"""`/healthz/` (the site's health, for monitoring), `/healthz/replica/` (a web process's own,
for the load balancer) and `manage.py check_health`: each check fails when what it checks is
missing, names itself, and tells no personal data."""

import io
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from outbox.models import OutgoingMessage
from outbox.queue import enqueue
from portal import health, schedule

pytestmark = pytest.mark.django_db


def get(client, path="/healthz/"):
    response = client.get(path)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def queue_mail(minutes_ago):
    message = enqueue(
        EmailMessage("Votre demande", "Bonjour", "portail@example.org", ["lea.dupont@example.org"])
    )
    OutgoingMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return message


def test_a_healthy_site_answers_200_with_each_check(client):
    status, body = get(client)
    assert status == 200
    assert body["status"] == "ok" and "failed" not in body
    assert set(body["checks"]) == {"database", "cache", "outbox"}  # no scheduler expected
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["outbox"] == {"status": "ok", "waiting": 0, "oldest_minutes": 0}


def test_database_unreachable(client, monkeypatch):
    def refuse():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(health, "connection", SimpleNamespace(cursor=refuse))
    status, body = get(client)
    assert status == 503
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == {"status": "failing", "error": "OperationalError"}
    assert get(client, "/healthz/replica/")[0] == 503


@pytest.mark.parametrize("alias", ["default", "ratelimit"])
def test_a_cache_that_keeps_nothing(client, settings, alias):
    settings.CACHES = {
        **settings.CACHES,
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    status, body = get(client)
    assert status == 503
    assert body["failed"] == ["cache"]
    assert alias in body["checks"]["cache"]["error"]


def test_mail_waiting_too_long(client, settings):
    settings.OUTBOX_MAX_AGE_MINUTES = 30
    queue_mail(minutes_ago=10)
    status, body = get(client)
    assert status == 200
    assert body["checks"]["outbox"] == {"status": "ok", "waiting": 1, "oldest_minutes": 10}
    queue_mail(minutes_ago=45)
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["outbox"]
    assert body["checks"]["outbox"]["error"] == "an e-mail has waited 45 minutes (at most 30)"
    assert b"lea.dupont" not in response.content and b"Votre demande" not in response.content


def test_mail_sent_or_given_up_is_not_waiting(client):
    old = queue_mail(minutes_ago=120)
    OutgoingMessage.objects.filter(pk=old.pk).update(status=OutgoingMessage.Status.FAILED)
    assert get(client)[0] == 200  # listed on the dashboard instead


def test_a_silent_scheduler(client, settings):
    settings.SCHEDULER_EXPECTED = True
    settings.SCHEDULER_MAX_SILENCE_MINUTES = 5
    status, body = get(client)
    assert status == 503 and body["failed"] == ["scheduler"]
    assert body["checks"]["scheduler"]["error"] == "the scheduler never ran"

    schedule.beat(timezone.now() - timedelta(minutes=8))
    status, body = get(client)
    assert status == 503
    assert body["checks"]["scheduler"]["error"] == "no heartbeat for 8 minutes (at most 5)"

    schedule.beat()
    status, body = get(client)
    assert status == 200 and body["checks"]["scheduler"]["status"] == "ok"


def test_the_replica_check_ignores_what_the_replica_does_not_need(client, settings):
    """A stopped scheduler or mail stuck at the mail server must not take every web replica
    out of the load balancer: the replica's check looks at the database and caches only."""
    settings.SCHEDULER_EXPECTED = True
    queue_mail(minutes_ago=90)
    assert get(client)[0] == 503
    status, body = get(client, "/healthz/replica/")
    assert status == 200
    assert set(body["checks"]) == {"database", "cache"}


def test_the_command_runs_the_named_checks_and_fails_with_them(settings):
    settings.SCHEDULER_EXPECTED = False
    out = io.StringIO()
    with pytest.raises(SystemExit) as failed:
        call_command("check_health", "scheduler", stdout=out)  # named: checked all the same
    assert failed.value.code == 1
    assert json.loads(out.getvalue())["failed"] == ["scheduler"]

    schedule.beat()
    out = io.StringIO()
    call_command("check_health", "database", "scheduler", stdout=out)
    assert set(json.loads(out.getvalue())["checks"]) == {"database", "scheduler"}
    with pytest.raises(CommandError, match="Unknown check"):
        call_command("check_health", "disk")
