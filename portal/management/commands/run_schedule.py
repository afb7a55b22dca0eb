"""Run the site's periodic jobs (`portal.schedule.JOBS`): for ever (the Docker stack's
`scheduler` service), or once for the current minute (cron, every minute)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from portal import schedule


def _jobs_in_words():
    return "; ".join(f"{job.command} {job.describe()}" for job in schedule.JOBS)


class Command(BaseCommand):
    help = (
        f"Runs the periodic jobs of portal/schedule.py ({_jobs_in_words()}; Europe/Paris) "
        "until stopped, writing a heartbeat at each pass; a job that fails is logged and "
        "reported, the others still run. One per site. With --once (cron, every minute): "
        "runs the jobs due this minute, then stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=20.0, help="seconds between passes")
        parser.add_argument(
            "--once",
            action="store_true",
            help="run the jobs due in the current minute and stop (from cron, every minute)",
        )

    def handle(self, *args, tick=20.0, once=False, **options):
        if once:
            self.run_once()
            return
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        next_runs = schedule.first_runs(schedule.JOBS, timezone.localtime())
        for job, when in next_runs.items():
            self.stdout.write(f"{job.command}: first run at {when:%Y-%m-%d %H:%M}")
        while not stopping:
            close_old_connections()  # a database restarted meanwhile: a fresh connection
            schedule.run_pass(next_runs, timezone.localtime(), self.stdout, self.stderr)
            waited = 0.0
            while waited < tick and not stopping:
                time.sleep(min(0.5, tick))
                waited += 0.5
        self.stdout.write("Scheduler stopped.")

    def run_once(self):
        now = timezone.localtime()
        schedule.beat()
        failed = [
            job.command
            for job in schedule.due_now(schedule.JOBS, now)
            if not schedule.run_job(job, self.stdout, self.stderr)
        ]
        schedule.beat()
        if failed:
            # cron mails or logs a non-zero exit: the failure was reported already.
            raise SystemExit(1)
