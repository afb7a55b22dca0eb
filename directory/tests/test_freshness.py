"""Confirmation reminders: once per period, two signed links that work once and only for
their record, plain messages for expired or forged links, the dashboard's list."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import text
from directory import freshness
from directory.groups import COORDINATORS
from directory.models import Coordination, Facilitator
from directory.tests.factories import CoordinationFactory, FacilitatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old(land):
    """Two published records last confirmed fourteen months ago, one fresh."""
    stale = datetime.date.today() - datetime.timedelta(days=430)
    records = []
    for name, email in (("Arnaud", "camille@example.org"), ("Roux", "jules@example.org")):
        facilitator = FacilitatorFactory(
            last_name=name, email=email, covers=[land["accm"]], last_verified=stale
        )
        facilitator.save_revision().publish()
        records.append(facilitator)
    FacilitatorFactory(last_name="Frais", email="frais@example.org", covers=[land["accm"]])
    return records


def _links(message):
    return re.findall(r"https?://\S+/annuaire-confirmation/\S+", message.body)


def test_reminders_go_once_per_period(old, settings):
    settings.DIRECTORY_CONFIRM_MONTHS = 12
    call_command("send_confirmation_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == ["camille@example.org", "jules@example.org"]
    assert all(len(_links(m)) == 2 for m in mail.outbox)
    call_command("send_confirmation_reminders")  # the next day's cron: nothing new
    assert len(mail.outbox) == 2
    # A period later, still unconfirmed: a new reminder (and the fresh record's first).
    later = timezone.now() + datetime.timedelta(days=freshness.period_days() + 1)
    reminded = {f.last_name for f in freshness.send_reminders(now=later)}
    assert reminded == {"Arnaud", "Roux", "Frais"}


def test_a_shorter_period_from_the_settings(land, settings):
    settings.DIRECTORY_CONFIRM_MONTHS = 3
    facilitator = FacilitatorFactory(
        covers=[land["accm"]], last_verified=datetime.date.today() - datetime.timedelta(days=100)
    )
    assert list(freshness.due_for_reminder()) == [facilitator]
    settings.DIRECTORY_CONFIRM_MONTHS = 12
    assert list(freshness.due_for_reminder()) == []


def test_the_confirm_link_confirms_on_post_once_and_only_its_record(client, old):
    freshness.send_reminders()
    message = next(m for m in mail.outbox if m.to == ["camille@example.org"])
    confirm_url, change_url = _links(message)
    path = confirm_url.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    arnaud, roux = old
    page = client.get(path)
    assert page.status_code == 200 and "Arnaud" in text(page)
    arnaud.refresh_from_db()
    assert arnaud.last_verified < datetime.date.today()  # a GET changes nothing
    response = client.post(path)
    assert "votre fiche est confirmée" in text(response)
    arnaud.refresh_from_db()
    roux.refresh_from_db()
    assert arnaud.last_verified == datetime.date.today()
    assert roux.last_verified < datetime.date.today()  # only its record
    assert arnaud.latest_revision.as_object().last_verified == datetime.date.today()
    again = client.post(path)
    assert "déjà été confirmées" in text(again)
    assert not freshness.due_for_reminder().filter(pk=arnaud.pk).exists()


def test_expired_and_forged_links_say_so_and_change_nothing(client, old):
    arnaud = old[0]
    freshness.send_reminders()
    arnaud.refresh_from_db()
    token = freshness.make_token(arnaud)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = client.post(reverse("directory_confirm", args=[forged]))
    assert response.status_code == 400 and "n'est pas valide" in text(response)
    other = signing.dumps({"f": old[1].pk, "at": 0}, salt="another.salt")
    assert client.post(reverse("directory_confirm", args=[other])).status_code == 400
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(freshness, "LINK_DAYS", -1)
        response = client.post(reverse("directory_confirm", args=[token]))
    assert response.status_code == 400 and "a expiré" in text(response)
    arnaud.refresh_from_db()
    assert arnaud.last_verified < datetime.date.today()


def test_the_change_link_opens_the_edit_of_its_record(client, old):
    arnaud = old[0]
    freshness.send_reminders()
    arnaud.refresh_from_db()
    response = client.get(reverse("directory_confirm_change", args=[freshness.make_token(arnaud)]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailsnippets_directory_facilitator:edit", args=[arnaud.pk]
    )
    assert client.get(reverse("directory_confirm_change", args=["nope"])).status_code == 400


def test_unanswered_reminders_are_listed_on_the_dashboard_and_nothing_is_unpublished(
    client, old, django_user_model, land
):
    arnaud, roux = old
    sent = timezone.now() - datetime.timedelta(days=31)
    Facilitator.objects.filter(pk=arnaud.pk).update(confirmation_sent_at=sent)
    Facilitator.objects.filter(pk=roux.pk).update(
        confirmation_sent_at=timezone.now() - datetime.timedelta(days=5)
    )
    user = django_user_model.objects.create_user("coord", "coord@example.org", "pass-word-123")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    CoordinationFactory(
        kind=Coordination.Kind.DEPARTEMENTAL, territories=[land["d13"]], members=[user]
    )
    client.force_login(user)
    dashboard = text(client.get(reverse("wagtailadmin_home")))
    section = dashboard.split("Rappels sans réponse", 1)[1]
    assert arnaud.full_name in section and roux.full_name not in section.split("</ul>")[0]
    assert Facilitator.objects.filter(pk=arnaud.pk, live=True).exists()
