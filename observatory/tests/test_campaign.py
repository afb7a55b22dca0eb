"""The campaign of a year: each coordination sees its territory's structures and where they
stand, reminds those that have not transmitted (once a week at most), and each step of a
report (submitted, validated, refused) e-mails the other side with the comment."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import flush_outbox, text
from observatory import campaign
from observatory.models import ReportReminder, StructureReport
from observatory.tests.factories import ReportFactory
from observatory.tests.test_policies import form_data, url

pytestmark = pytest.mark.django_db
Status = StructureReport.Status
CAMPAIGN = "observatory_campaign"


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def season(world):
    """2025: Arles submitted, the Métropole refused, Tarascon not started (13); Roissy
    validated (95)."""
    reports = {
        "arles": ReportFactory(structure=world["arles"], year=2025, status=Status.SUBMITTED),
        "metro": ReportFactory(
            structure=world["metro"],
            year=2025,
            status=Status.REJECTED,
            review_comment="Le total des heures ne correspond pas.",
        ),
        "roissy": ReportFactory(structure=world["roissy"], year=2025, status=Status.VALIDATED),
    }
    return {**world, "reports": reports}


def rows(response):
    return {row["row"].structure.name: row["row"].state for row in response.context["rows"]}


def test_each_coordination_follows_its_own_structures(client, season):
    client.force_login(season["c13"])
    response = client.get(reverse(CAMPAIGN), {"year": 2025})
    assert response.status_code == 200
    assert rows(response) == {
        "Maison de l'emploi de Tarascon": "not_started",
        "Métropole": Status.REJECTED,
        "PLIE Arles": Status.SUBMITTED,
    }
    page = text(response)
    assert "3 structures attendues sur votre territoire." in page
    assert "Non commencé (1)" in page and "Refusé (1)" in page and "Validé (0)" in page
    assert "Relancer les 2 structures qui n'ont pas transmis leur bilan" in page
    assert f'href="{url("edit", season["reports"]["arles"])}"' in page
    add = reverse("wagtailsnippets_observatory_structurereport:add")
    assert f'href="{add}?structure={season["tarascon"].pk}&year=2025"' in page

    waiting = client.get(reverse(CAMPAIGN), {"year": 2025, "state": "not_started"})
    assert rows(waiting) == {"Maison de l'emploi de Tarascon": "not_started"}

    client.force_login(season["c95"])
    assert rows(client.get(reverse(CAMPAIGN), {"year": 2025})) == {
        "Maison de l'emploi de Roissy": Status.VALIDATED
    }
    client.force_login(season["c84"])  # the Métropole works in Vaucluse too
    assert rows(client.get(reverse(CAMPAIGN), {"year": 2025})) == {"Métropole": Status.REJECTED}
    client.force_login(season["national"])
    assert len(rows(client.get(reverse(CAMPAIGN), {"year": 2025}))) == 4


def test_the_campaign_opens_on_last_year_and_is_the_coordinations(client, season):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        assert campaign.default_year() == 2025
        client.force_login(season["c13"])
        assert client.get(reverse(CAMPAIGN)).context["year"] == 2025
        assert client.get(reverse(CAMPAIGN), {"year": "abc"}).context["year"] == 2025
    client.force_login(season["facilitatrice"])
    assert client.get(reverse(CAMPAIGN)).status_code == 302  # refused: back to the dashboard
    assert not ReportReminder.objects.exists()


def test_a_reminder_goes_once_a_week_to_those_who_have_not_transmitted(client, season):
    client.force_login(season["c13"])
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        response = client.post(reverse(CAMPAIGN), {"year": 2025, "action": "remind"}, follow=True)
        assert "Relance envoyée à 2 structures." in text(response)
        flush_outbox()
    sent = {tuple(message.to): message for message in mail.outbox}
    # No account in these structures: their facilitators' addresses.
    assert set(sent) == {("accueil.tarascon@example.org",), ("metro@example.org",)}
    reminder = sent[("accueil.tarascon@example.org",)]
    assert reminder.subject == "Bilan 2025 : à transmettre à la coordination"
    assert "La coordination attend le bilan 2025 de Maison de l'emploi de Tarascon" in reminder.body
    assert f"?structure={season['tarascon'].pk}&year=2025" in reminder.body
    assert "Bastien Royer" in reminder.body
    assert "refusé" in sent[("metro@example.org",)].body
    assert ReportReminder.objects.filter(year=2025).count() == 2
    mail.outbox.clear()

    # Three days later, from the Vaucluse: the Métropole was reminded less than a week ago.
    client.force_login(season["c84"])
    with time_machine.travel(at(2026, 3, 5, 9), tick=False):
        page = client.get(reverse(CAMPAIGN), {"year": 2025})
        assert "Dernière relance : le 2 mars 2026 à 10:00 par Bastien Royer" in text(page)
        assert "Prochaine relance possible le 9 mars 2026 à 10:00" in text(page)
        refused = client.post(reverse(CAMPAIGN), {"year": 2025, "action": "remind"}, follow=True)
        assert "1 structure a déjà été relancée il y a moins d'une semaine" in text(refused)
        assert "le 9 mars 2026 à 10:00" in text(refused)
        flush_outbox()
    assert mail.outbox == []
    assert ReportReminder.objects.count() == 2

    # A week later it goes again.
    client.force_login(season["c13"])
    with time_machine.travel(at(2026, 3, 9, 11), tick=False):
        client.post(reverse(CAMPAIGN), {"year": 2025, "action": "remind"})
        flush_outbox()
    assert len(mail.outbox) == 2


def test_a_reminder_goes_to_the_facilitators_accounts(client, season):
    report = season["reports"]["arles"]
    report.status = Status.DRAFT
    report.save()
    client.force_login(season["c13"])
    client.post(reverse(CAMPAIGN), {"year": 2025, "action": "remind"})
    flush_outbox()
    to_arles = [message for message in mail.outbox if "PLIE Arles" in message.body]
    assert [message.to for message in to_arles] == [["c.arnaud.compte@example.org"]]
    assert "Un brouillon est commencé" in to_arles[0].body


def test_submitting_e_mails_the_closest_coordinations_with_the_comment(client, season):
    report = ReportFactory(structure=season["arles"], year=2026, status=Status.DRAFT)
    client.force_login(season["facilitatrice"])
    response = client.post(
        url("edit", report),
        form_data(
            report,
            status=Status.SUBMITTED,
            structure_comment="Les heures du second semestre sont estimées.",
        ),
    )
    assert response.status_code == 302
    flush_outbox()
    (message,) = mail.outbox
    assert message.to == ["c13@example.org", "coordination.13@example.org"]
    assert message.subject == "Bilan 2026 à valider : PLIE Arles"
    assert "Les heures du second semestre sont estimées." in message.body
    assert f"http://testserver{url('edit', report)}" in message.body
    assert "Camille Arnaud" in message.body

    # A structure across 13 and 84: both departmental coordinations are told.
    mail.outbox.clear()
    metro = season["reports"]["metro"]
    client.force_login(season["national"])
    client.post(url("edit", metro), form_data(metro, status=Status.SUBMITTED))
    flush_outbox()
    assert sorted(mail.outbox[0].to) == sorted(
        ["c13@example.org", "coordination.13@example.org"]
        + ["c84@example.org", "coordination.84@example.org"]
    )


def test_validating_and_refusing_e_mail_the_structure_with_the_comment(client, season):
    report = season["reports"]["arles"]
    client.force_login(season["c13"])
    client.post(
        url("edit", report),
        form_data(
            report,
            status=Status.REJECTED,
            review_comment="Les personnes par âge dépassent le total.",
        ),
    )
    flush_outbox()
    (refused,) = mail.outbox
    assert refused.to == ["c.arnaud.compte@example.org"]  # the facilitator's account
    assert refused.subject == "Votre bilan 2025 est à corriger"
    assert "Les personnes par âge dépassent le total." in refused.body
    assert f"http://testserver{url('edit', report)}" in refused.body
    mail.outbox.clear()

    report.refresh_from_db()
    client.post(
        url("edit", report),
        form_data(report, status=Status.VALIDATED, review_comment="Merci, tout est clair."),
    )
    flush_outbox()
    (validated,) = mail.outbox
    assert validated.to == ["c.arnaud.compte@example.org"]
    assert validated.subject == "Votre bilan 2025 est validé"
    assert "Merci, tout est clair." in validated.body
    assert re.search(r"ses chiffres comptent désormais", validated.body)

    # Saving without changing the status e-mails nobody.
    mail.outbox.clear()
    report.refresh_from_db()
    client.post(url("edit", report), form_data(report, hours_total=1200))
    flush_outbox()
    assert mail.outbox == []
