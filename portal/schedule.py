"""The periodic commands of a production site, for deployments without cron (the Docker
stack's `worker` service runs `manage.py run_schedule`): when each one is due.

Times are the site's (TIME_ZONE, Europe/Paris). Each command is idempotent, so a job missed
while the worker was down simply runs at its next time. Run one scheduler per site.
"""

from dataclasses import dataclass
from datetime import time, timedelta


@dataclass(frozen=True)
class Job:
    command: str
    every: timedelta | None = None  # or
    daily_at: time | None = None

    def next_after(self, moment):
        """The first time strictly after `moment` (an aware datetime) the job is due."""
        if self.every:
            return moment + self.every
        due = moment.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        return due if due > moment else due + timedelta(days=1)


JOBS = [
    # Go-live and expiry of scheduled pages (README, "Scheduled publishing").
    Job("publish_scheduled", every=timedelta(minutes=5)),
    # Requests past REFERRAL_RETENTION_DAYS (RGPD).
    Job("purge_requests", daily_at=time(3, 30)),
    # This month's white zones per département.
    Job("snapshot_white_zones", daily_at=time(4, 0)),
    # Facilitators whose record was not confirmed for DIRECTORY_CONFIRM_MONTHS.
    Job("send_confirmation_reminders", daily_at=time(8, 0)),
]


def first_runs(jobs, started):
    """{job: when it first runs} for a scheduler started at `started`: the next occurrence
    (a restart does not replay the daily jobs)."""
    return {job: job.next_after(started) for job in jobs}


def due_jobs(next_runs, now):
    """The jobs whose time has come, in the order of `next_runs`."""
    return [job for job, when in next_runs.items() if when <= now]
