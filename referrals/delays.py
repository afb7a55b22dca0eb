"""The delays of a project request, in working days (docs/domain.md, "Delays of a request").

The acknowledgment promises an answer within `REFERRAL_ANSWER_DAYS` working days. A working
day is a Monday to Friday that is not a French public holiday. The holidays are those of
metropolitan France as the `holidays` package gives them (the eleven days of the Code du
travail, L3133-1, Whit Monday included: it is still a public holiday, whatever an employer
does with the "journée de solidarité"); Alsace-Moselle's two extra days (Good Friday, St
Stephen's Day) and the overseas départements' own days are not counted, so that one rule
holds for the whole network.

- The day of reception never counts, whatever the hour: the `n`-th working day after it is
  the last day of the delay (`due_date`).
- When that day has passed without an acknowledgment the request is *overdue*; the handler
  gets one reminder, on the first working day after the deadline.
- Past twice the delay it is escalated to the coordination of its territory, once, on the
  first working day after that second deadline.

Everything here is a plain function of dates; `follow_up` applies it to the requests
(the `follow_up_requests` command runs it from cron).
"""

import datetime
from dataclasses import dataclass
from functools import cache

import holidays
from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from referrals.models import ProjectRequest, RequestEvent


@cache
def _french_holidays():
    # Public holidays only (the package's default category); years are added as they are
    # looked up.
    return holidays.France(language="fr")


def is_holiday(day):
    """Whether `day` is a public holiday of metropolitan France."""
    return day in _french_holidays()


def holiday_name(day):
    """The French name of the public holiday `day` is, or "" on any other day."""
    return _french_holidays().get(day) or ""


def is_working_day(day):
    """Monday to Friday, not a public holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start, count):
    """The `count`-th working day after the date `start` (`start` itself never counts;
    `count` 0 gives `start`)."""
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_before(day, count):
    """The `count`-th working day before the date `day` (`day` itself never counts)."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def next_working_day(day):
    """The first working day after the date `day`."""
    return add_working_days(day, 1)


def answer_days():
    """The promised delay, in working days (at least one)."""
    return max(1, settings.REFERRAL_ANSWER_DAYS)


def local_date(moment):
    """The date of an aware datetime in the site's time zone (Europe/Paris); a date is
    returned as it is."""
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment)
    return moment


def due_date(received_at, days=None):
    """The last day of the delay for a request received at `received_at` (an aware datetime
    or a date): the `days`-th working day after the day of reception (`REFERRAL_ANSWER_DAYS`
    by default)."""
    return add_working_days(local_date(received_at), answer_days() if days is None else days)


@dataclass(frozen=True)
class Schedule:
    """The dates of a request's follow-up, all in the site's time zone."""

    received: datetime.date
    answer_due: datetime.date  # the last day to acknowledge it
    reminder_on: datetime.date  # the first working day after `answer_due`
    escalation_due: datetime.date  # the last day of twice the delay
    escalation_on: datetime.date  # the first working day after `escalation_due`


def schedule(received_at, days=None):
    """The `Schedule` of a request received at `received_at`."""
    days = answer_days() if days is None else days
    received = local_date(received_at)
    answer_due = add_working_days(received, days)
    escalation_due = add_working_days(received, 2 * days)
    return Schedule(
        received=received,
        answer_due=answer_due,
        reminder_on=next_working_day(answer_due),
        escalation_due=escalation_due,
        escalation_on=next_working_day(escalation_due),
    )


def received_before_for_overdue(today=None, days=None):
    """The moment before which a request received and still unacknowledged is past
    `days` working days on `today`: the start (site time) of the `days`-th working day before
    `today`. Reception dates only grow with the deadline, so "received before this moment"
    is "deadline passed", and the listing can filter on it in SQL."""
    today = today or timezone.localdate()
    days = answer_days() if days is None else days
    limit = working_days_before(today, days)
    return timezone.make_aware(datetime.datetime.combine(limit, datetime.time.min))


class Step(models.TextChoices):
    """Where an unacknowledged request stands against its delay: within it, past it, past
    twice it."""

    ON_TIME = "on_time"
    OVERDUE = "overdue"
    ESCALATION = "escalation"


def step(received_at, today=None, days=None):
    """The `Step` of a request received at `received_at` and not acknowledged yet, on
    `today` (the site's current date by default)."""
    today = today or timezone.localdate()
    plan = schedule(received_at, days)
    if today > plan.escalation_due:
        return Step.ESCALATION
    if today > plan.answer_due:
        return Step.OVERDUE
    return Step.ON_TIME


# The rule applied to the requests. A request waits while its status is "new": just received,
# or handed to someone else (forwarded, declined, re-routed) who has not taken it yet. Its
# clock starts at that latest handover, so a new handler gets the whole delay, and one
# reminder and one escalation at most for each handover.


def with_clock(requests):
    """`requests` annotated with `clock`: the moment its present handler got it (the latest
    handover in its history; its reception for a request older than the history)."""
    latest = (
        RequestEvent.objects.filter(request=OuterRef("pk"), kind__in=RequestEvent.HANDOVERS)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return requests.annotate(clock=Coalesce(Subquery(latest), F("created_at")))


def clock_of(project):
    """The moment the present handler got `project` (as `with_clock` annotates it)."""
    latest = project.events.filter(kind__in=RequestEvent.HANDOVERS).order_by("-at", "-pk").first()
    return latest.at if latest is not None else project.created_at


def waiting(requests):
    """The requests of `requests` waiting for their handler to take them."""
    return requests.filter(status=ProjectRequest.Status.NEW)


def overdue(requests, today=None, days=None):
    """The waiting requests of `requests` past the delay (`days` working days, the setting by
    default) on `today`, annotated with `clock`."""
    limit = received_before_for_overdue(today, days)
    return waiting(with_clock(requests)).filter(clock__lt=limit)


def escalated(requests):
    """The open requests of `requests` signalled to their coordination (still waiting, or
    taken since)."""
    closed = [ProjectRequest.Status.CLAUSE_WRITTEN, ProjectRequest.Status.CLOSED]
    return requests.filter(escalated_at__isnull=False).exclude(status__in=closed)


class Action(models.TextChoices):
    """What the follow-up command sends for a request: the handler's reminder, or the
    escalation to the coordination."""

    REMIND = "remind"
    ESCALATE = "escalate"


@dataclass(frozen=True)
class FollowUp:
    """What the follow-up command does (or would do) for one waiting request."""

    request: object  # the ProjectRequest, annotated with `clock`
    schedule: Schedule
    action: str | None  # an `Action`, or None when nothing is due now


def follow_ups(requests=None, today=None):
    """Every waiting request of `requests` (all by default) with its schedule and the action
    due on `today`: on a working day, the escalation once twice the delay has passed and the
    request was not escalated since its clock started; else the reminder once the delay has
    passed and it was not reminded since. Nothing is sent on a weekend or a public holiday:
    what falls due then goes on the next working day. Oldest clock first."""
    today = today or timezone.localdate()
    requests = ProjectRequest.objects.all() if requests is None else requests
    rows = []
    working = is_working_day(today)
    for project in (
        waiting(with_clock(requests))
        .select_related("routed_to__structure", "coordination")
        .order_by("clock", "pk")
    ):
        plan = schedule(project.clock)
        action = None
        escalated = _since(project.escalated_at, project.clock)
        reminded = _since(project.reminded_at, project.clock)
        if working and today >= plan.escalation_on:
            action = None if escalated else Action.ESCALATE
        elif working and today >= plan.reminder_on and not (reminded or escalated):
            action = Action.REMIND
        rows.append(FollowUp(project, plan, action))
    return rows


def _since(moment, clock):
    return moment is not None and moment >= clock
