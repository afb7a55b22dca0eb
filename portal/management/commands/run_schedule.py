"""Run the site's periodic commands (`portal.schedule.JOBS`) for ever: the Docker stack's
worker; with cron, schedule the commands themselves instead (README)."""

import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from portal import schedule


class Command(BaseCommand):
    help = (
        "Runs publish_scheduled every 5 minutes and purge_requests, snapshot_white_zones and "
        "send_confirmation_reminders daily (Europe/Paris), until stopped. One per site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=20.0, help="seconds between checks")

    def handle(self, *args, tick=20.0, **options):
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        next_runs = schedule.first_runs(schedule.JOBS, timezone.localtime())
        for job, when in next_runs.items():
            self.stdout.write(f"{job.command}: first run at {when:%Y-%m-%d %H:%M}")
        while not stopping:
            now = timezone.localtime()
            for job in schedule.due_jobs(next_runs, now):
                self.stdout.write(f"{now:%Y-%m-%d %H:%M} running {job.command}")
                try:
                    call_command(job.command, stdout=self.stdout, stderr=self.stderr)
                except Exception as error:  # noqa: BLE001 - logged, the next ones still run
                    self.stderr.write(f"{job.command} failed: {error!r}")
                next_runs[job] = job.next_after(timezone.localtime())
            time.sleep(tick)
        self.stdout.write("Scheduler stopped.")
