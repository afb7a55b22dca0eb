"""The `follow_up_requests` command on frozen dates: one reminder to the handler after the
delay, one escalation to the coordination after twice the delay, nothing on a day off, nothing
twice, nothing once the request is taken."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from conftest import flush_outbox, text
from referrals import delays, lifecycle
from referrals.models import ProjectRequest, RequestEvent
from referrals.tests.test_referrals import send

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
Kind = RequestEvent.Kind


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


def run(*args):
    out = io.StringIO()
    call_command("follow_up_requests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def friday(client, referral_page, people, c13, settings):
    """A request sent on Friday 14 May 2027 at 17:30, before Whit Monday, to the Arles
    PLIE's facilitator (Tarascon), its copies mailed."""
    settings.REFERRAL_ANSWER_DAYS = 5
    with time_machine.travel(at(2027, 5, 14, 17), tick=False):
        send(client)
        flush_outbox()
    mail.outbox.clear()
    project = ProjectRequest.objects.get()
    assert project.coordination == c13 and project.routed_to == people["plie"]
    return project


def day_by_day(first, last, hours=(8, 14)):
    """Run the command at `hours` of every day from `first` to `last` (two runs a day: it is
    run every hour in production); returns {date: [subjects mailed that day]}."""
    sent = {}
    day = first
    while day <= last:
        for hour in hours:
            with time_machine.travel(at(day.year, day.month, day.day, hour), tick=False):
                run()
                flush_outbox()
        if mail.outbox:
            sent[day] = [(m.to, m.subject) for m in mail.outbox]
            mail.outbox.clear()
        day += datetime.timedelta(days=1)
    return sent


def test_the_schedule_of_a_request_sent_before_whit_monday(friday, people, c13):
    sent = day_by_day(datetime.date(2027, 5, 14), datetime.date(2027, 6, 4))
    # Reminder: the first working day after Mon 24 May, the fifth working day.
    # Escalation: the first working day after Mon 31 May, the tenth.
    assert list(sent) == [datetime.date(2027, 5, 25), datetime.date(2027, 6, 1)]
    (reminder,) = sent[datetime.date(2027, 5, 25)]
    assert reminder[0] == [people["plie"].email]
    escalation = sent[datetime.date(2027, 6, 1)]
    recipients = {address for to, _subject in escalation for address in to}
    assert "coordination13@example.org" in recipients
    assert "membre.c13@example.org" in recipients
    friday.refresh_from_db()
    assert delays.local_date(friday.reminded_at) == datetime.date(2027, 5, 25)
    assert delays.local_date(friday.escalated_at) == datetime.date(2027, 6, 1)
    kinds = list(friday.events.values_list("kind", flat=True))
    assert kinds.count(Kind.REMINDED) == 1 and kinds.count(Kind.ESCALATED) == 1


def test_nothing_is_sent_on_a_day_off(client, referral_page, people, c13, settings):
    """Received Monday 3 May 2027: Thursday 6 May is Ascension Day, so the fifth working day
    is Tuesday 11 May. The reminder goes on Wednesday 12 May, not before, whatever the
    hour."""
    settings.REFERRAL_ANSWER_DAYS = 5
    with time_machine.travel(at(2027, 5, 3), tick=False):
        send(client)
        flush_outbox()
    mail.outbox.clear()
    plan = delays.schedule(ProjectRequest.objects.get().created_at)
    assert (plan.answer_due, plan.reminder_on) == (
        datetime.date(2027, 5, 11),
        datetime.date(2027, 5, 12),
    )
    sent = day_by_day(datetime.date(2027, 5, 3), datetime.date(2027, 5, 13), hours=(0, 9, 23))
    assert list(sent) == [datetime.date(2027, 5, 12)]
    assert len(sent[datetime.date(2027, 5, 12)]) == 1  # three runs, one reminder


def test_a_reminder_due_on_a_saturday_waits_for_monday(client, referral_page, people, settings):
    settings.REFERRAL_ANSWER_DAYS = 1
    # Thursday 20 May 2027: the delay ends on Friday 21; Saturday and Sunday are days off.
    with time_machine.travel(at(2027, 5, 20), tick=False):
        send(client)
        flush_outbox()
    mail.outbox.clear()
    sent = day_by_day(datetime.date(2027, 5, 20), datetime.date(2027, 5, 24))
    assert list(sent) == [datetime.date(2027, 5, 24)]


def test_a_request_taken_in_time_is_never_reminded(friday, people):
    with time_machine.travel(at(2027, 5, 24, 9), tick=False):
        lifecycle.acknowledge(friday, by=people["plie_user"])
        flush_outbox()
    mail.outbox.clear()
    assert day_by_day(datetime.date(2027, 5, 24), datetime.date(2027, 6, 4)) == {}
    assert not friday.events.filter(kind__in=[Kind.REMINDED, Kind.ESCALATED]).exists()


def test_a_request_taken_after_the_reminder_is_not_escalated(friday, people):
    day_by_day(datetime.date(2027, 5, 25), datetime.date(2027, 5, 25))
    with time_machine.travel(at(2027, 5, 27), tick=False):
        lifecycle.acknowledge(friday, by=people["plie_user"])
        flush_outbox()
    mail.outbox.clear()
    assert day_by_day(datetime.date(2027, 5, 28), datetime.date(2027, 6, 10)) == {}
    friday.refresh_from_db()
    assert friday.reminded_at is not None and friday.escalated_at is None


def test_a_forwarded_request_gives_the_new_handler_the_whole_delay(friday, people):
    """Forwarded on Wednesday 26 May 2027 (after the first handler's reminder): the new
    handler's five working days end on Wednesday 2 June; their reminder goes on Thursday 3."""
    day_by_day(datetime.date(2027, 5, 25), datetime.date(2027, 5, 25))
    with time_machine.travel(at(2027, 5, 26), tick=False):
        lifecycle.forward(
            friday, to_facilitator=people["pertuis"], message="Votre secteur.", by=None
        )
        flush_outbox()
    mail.outbox.clear()
    sent = day_by_day(datetime.date(2027, 5, 26), datetime.date(2027, 6, 3))
    assert list(sent) == [datetime.date(2027, 6, 3)]
    assert sent[datetime.date(2027, 6, 3)][0][0] == [people["pertuis"].email]


def test_the_dry_run_prints_the_schedule_and_sends_nothing(friday):
    with time_machine.travel(at(2027, 5, 25), tick=False):
        output = run("--dry-run")
        flush_outbox()
    assert mail.outbox == []
    assert "Follow-up on 2027-05-25, delay 5 working days." in output
    assert (
        f"Request {friday.pk} (Camille Arnaud): waiting since 2027-05-14; answer due "
        "2027-05-24, reminder 2027-05-25, escalation 2027-06-01 — now: remind"
    ) in output
    friday.refresh_from_db()
    assert friday.reminded_at is None
    # Any day may be asked for; a day off says so.
    output = run("--dry-run", "--date", "2027-05-17")
    assert "not a working day" in output and "now: nothing" in output
    with pytest.raises(CommandError):
        run("--date", "2027-05-17")  # only to look, never to send
    with pytest.raises(CommandError):
        run("--dry-run", "--date", "17/05/2027")


def test_escalated_requests_are_on_the_coordinations_dashboard(client, friday, c13):
    day_by_day(datetime.date(2027, 6, 1), datetime.date(2027, 6, 1))
    with time_machine.travel(at(2027, 6, 1, 15), tick=False):
        client.force_login(c13.members.get())
        page = text(client.get("/admin/"))
        listing = text(client.get("/admin/demandes/", {"delay": "escalated"}))
    assert "1 en retard" in page and "1 signalée à la coordination" in page
    assert "Signalées à la coordination" in page
    assert "Réhabilitation de l'école Jean-Moulin" in page
    assert "Réhabilitation de l'école Jean-Moulin" in listing


def test_one_pass_of_the_scheduler_escalates_a_request_ten_working_days_old(friday, people):
    """The Docker stack's scheduler (`portal.schedule`, started on Tuesday 1 June 2027 at
    09:58) runs follow_up_requests at 10:05: the request sent on 14 May, ten working days
    ago, is signalled to the coordination without anybody running the command by hand."""
    from portal import schedule

    next_runs = schedule.first_runs(schedule.JOBS, at(2027, 6, 1, 9).replace(minute=58))
    with time_machine.travel(at(2027, 6, 1, 10).replace(minute=6), tick=False):
        outcomes = schedule.run_pass(next_runs, at(2027, 6, 1, 10).replace(minute=6))
        flush_outbox()
    assert outcomes["follow_up_requests"] is True
    friday.refresh_from_db()
    assert delays.local_date(friday.escalated_at) == datetime.date(2027, 6, 1)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "coordination13@example.org" in recipients
