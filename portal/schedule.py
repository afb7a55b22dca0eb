"""The periodic jobs of a production site: the one list the scheduler, cron and the docs read.

`JOBS` says which management command runs when, as a cron expression in the site's time
(TIME_ZONE, Europe/Paris), whatever the server's clock zone. Two ways run it, both through
`manage.py run_schedule`:

- the Docker stack's `scheduler` service runs `run_schedule` for ever (one process, restarted
  by Docker): `first_runs`, then `run_pass` every few seconds;
- a server with cron runs `run_schedule --once` every minute, which runs the jobs whose
  expression matches that minute (`due_now`).

Either way each pass writes the heartbeat (`beat`) that the health checks read, and a job that
fails is logged (and so reported to Sentry) without stopping the others. The table of jobs in
docs/operations.md is `markdown_table()` (a test compares them). Each command is idempotent,
so a job missed while the scheduler was down simply runs at its next time. Run one scheduler
per site.

A management command of the project that must run periodically says so with `periodic = True`
on its Command class; a test fails until it is in `JOBS`.
"""

import logging
import socket
import sys
from dataclasses import dataclass, field
from datetime import UTC, timedelta

import sentry_sdk
from django.core.management import call_command
from django.utils import timezone

logger = logging.getLogger(__name__)

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 7))
HORIZON = timedelta(days=366)


def _values(text, low, high):
    """The numbers a cron field allows: `*`, `*/n`, `n`, `a-b`, `a-b/n` and lists of those."""
    allowed = set()
    for part in text.split(","):
        span, _, step = part.partition("/")
        if span == "*":
            first, last = low, high
        elif "-" in span:
            first, last = (int(value) for value in span.split("-", 1))
        else:
            first = last = int(span)
            if step:
                last = high
        if not (low <= first <= last <= high) or (step and int(step) < 1):
            raise ValueError(f"{text!r} is outside {low}-{high}")
        allowed.update(range(first, last + 1, int(step or 1)))
    return frozenset(allowed)


@dataclass(frozen=True)
class Job:
    """One periodic command: `when` is a cron expression (minute hour day month weekday) in
    the site's time; `purpose` is its line in the docs."""

    command: str
    when: str
    purpose: str
    args: tuple = ()

    _allowed: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        parts = self.when.split()
        if len(parts) != 5:
            raise ValueError(f"{self.command}: {self.when!r} is not a cron expression")
        allowed = tuple(
            _values(part, low, high) for part, (_name, low, high) in zip(parts, FIELDS, strict=True)
        )
        object.__setattr__(self, "_allowed", allowed)

    def matches(self, moment):
        """Whether the job is due in the minute of `moment` (read in the site's time). As in
        cron, when both the day of the month and the weekday are restricted, either will do."""
        local = timezone.localtime(moment)
        minutes, hours, days, months, weekdays = self._allowed
        weekday = local.isoweekday() % 7  # cron: 0 (or 7) is Sunday
        weekday_ok = weekday in weekdays or (weekday == 0 and 7 in weekdays)
        _m, _h, day_field, _mo, weekday_field = self.when.split()
        if day_field != "*" and weekday_field != "*":
            day_ok = local.day in days or weekday_ok
        else:
            day_ok = local.day in days and weekday_ok
        return local.minute in minutes and local.hour in hours and local.month in months and day_ok

    def next_after(self, moment):
        """The first minute strictly after `moment` (an aware datetime) when the job is due, in
        the site's time (a time that does not exist on the night the clocks go forward is
        skipped, as it never comes)."""
        candidate = moment.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = candidate + HORIZON
        while candidate < limit:
            if self.matches(candidate):
                return timezone.localtime(candidate)
            candidate += timedelta(minutes=1)
        raise ValueError(f"{self.command}: {self.when!r} never comes")

    def describe(self):
        """The schedule in words, for the docs: "every 5 minutes", "hourly at :05", "daily at
        03:30"; any other expression as it is."""
        minute, hour, *rest = self.when.split()
        if rest != ["*", "*", "*"]:
            return f"`{self.when}`"
        if minute.startswith("*/") and hour == "*":
            return f"every {minute[2:]} minutes"
        if minute.isdigit() and hour == "*":
            return f"hourly at :{int(minute):02d}"
        if minute.isdigit() and hour.isdigit():
            return f"daily at {int(hour):02d}:{int(minute):02d}"
        return f"`{self.when}`"


JOBS = [
    Job(
        "publish_scheduled",
        "*/5 * * * *",
        "go-live and expiry of scheduled pages (Wagtail)",
    ),
    Job(
        "follow_up_requests",
        "5 * * * *",
        "reminds the handler of a request past its delay, then escalates to the coordination",
    ),
    Job(
        "purge_requests",
        "30 3 * * *",
        "deletes requests and error reports past their retention (RGPD)",
    ),
    Job(
        "clearsessions",
        "40 3 * * *",
        "deletes expired sessions (Django never deletes them from the database itself)",
    ),
    Job(
        "axes_reset_logs",
        "45 3 * * *",
        "deletes the login records (address, user name) older than 30 days (django-axes)",
    ),
    Job(
        "snapshot_white_zones",
        "0 4 * * *",
        "records this month's white zones per département",
    ),
    Job(
        "send_confirmation_reminders",
        "0 8 * * *",
        "asks facilitators to confirm a record unconfirmed for DIRECTORY_CONFIRM_MONTHS",
    ),
]


def first_runs(jobs, started):
    """{job: when it first runs} for a scheduler started at `started`: the next occurrence
    (a restart does not replay the daily jobs)."""
    return {job: job.next_after(started) for job in jobs}


def due_jobs(next_runs, now):
    """The jobs whose time has come, in the order of `next_runs`."""
    return [job for job, when in next_runs.items() if when <= now]


def due_now(jobs, now):
    """The jobs due in the minute of `now` (cron's way: `run_schedule --once`)."""
    return [job for job in jobs if job.matches(now)]


def beat(now=None):
    """Record that the scheduler is alive (the health checks read it); never raises: a
    database that cannot be written is logged, and the heartbeat simply grows old."""
    from portal.models import SchedulerHeartbeat

    try:
        SchedulerHeartbeat.objects.update_or_create(
            pk=1, defaults={"beat_at": now or timezone.now(), "host": socket.gethostname()[:100]}
        )
    except Exception:  # noqa: BLE001 - the next pass tries again
        logger.exception("The scheduler's heartbeat could not be written")


def last_beat():
    """When the scheduler last wrote its heartbeat, or None if it never did."""
    from portal.models import SchedulerHeartbeat

    return SchedulerHeartbeat.objects.filter(pk=1).values_list("beat_at", flat=True).first()


def run_job(job, stdout=None, stderr=None):
    """Run one job's command; True when it succeeded. A failure (any exception, a command
    that exits) is logged with its traceback, which reports it to Sentry tagged with the job,
    and never raised: the next job runs."""
    logger.info("Job %s started", job.command, extra={"job": job.command})
    with sentry_sdk.new_scope() as scope:
        scope.set_tag("job", job.command)
        try:
            call_command(
                job.command, *job.args, stdout=stdout or sys.stdout, stderr=stderr or sys.stderr
            )
        except (Exception, SystemExit):
            logger.exception("Job %s failed", job.command, extra={"job": job.command})
            return False
    logger.info("Job %s done", job.command, extra={"job": job.command})
    return True


def run_pass(next_runs, now, stdout=None, stderr=None):
    """One pass of the scheduler's loop: the heartbeat, then every job due at `now`, each
    given its next time. Returns {command: succeeded} of the jobs run."""
    beat()
    outcomes = {}
    for job in due_jobs(next_runs, now):
        outcomes[job.command] = run_job(job, stdout, stderr)
        next_runs[job] = job.next_after(max(now, timezone.localtime()))
        beat()
    return outcomes


def markdown_table(jobs=None):
    """The table of the periodic jobs in docs/operations.md."""
    lines = ["| command | when (Europe/Paris) | what |", "| --- | --- | --- |"]
    for job in jobs or JOBS:
        command = " ".join((job.command, *job.args))
        lines.append(f"| `{command}` | {job.describe()} | {job.purpose} |")
    return "\n".join(lines)
