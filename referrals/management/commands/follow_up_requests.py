"""Remind the handlers of requests not taken within the promised delay, and signal to the
coordination those still waiting past twice that delay (`referrals.delays`)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from referrals import delays, lifecycle


class Command(BaseCommand):
    periodic = True  # in portal.schedule.JOBS (a test checks it)

    help = (
        "Sends one reminder to the handler of each request not taken after "
        "REFERRAL_ANSWER_DAYS working days, and signals to the coordination of its territory "
        "each request still waiting after twice that delay (weekends and French public "
        "holidays excluded). Each at most once per handler; nothing is sent on a day off. "
        "Idempotent; a periodic job of portal/schedule.py (hourly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print the schedule of every waiting request and what would be sent; send nothing",
        )
        parser.add_argument(
            "--date",
            help="with --dry-run: the day to compute for (YYYY-MM-DD, default today)",
        )

    def handle(self, *args, dry_run=False, date=None, **options):
        today = timezone.localdate()
        if date:
            if not dry_run:
                raise CommandError("--date is only for --dry-run.")
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date: {date!r} is not a date (YYYY-MM-DD).") from None
        rows = delays.follow_ups(today=today)
        if dry_run:
            self._print_schedule(rows, today)
            return
        counts = {delays.Action.REMIND: 0, delays.Action.ESCALATE: 0}
        do = {delays.Action.REMIND: lifecycle.remind, delays.Action.ESCALATE: lifecycle.escalate}
        for row in rows:
            if row.action is None:
                continue
            try:
                do[row.action](row.request)
            except lifecycle.TransitionRefused as refused:
                # Taken or closed between the listing and now: nothing to send.
                self.stdout.write(f"Request {row.request.pk}: {refused}")
                continue
            counts[row.action] += 1
        self.stdout.write(
            f"{counts[delays.Action.REMIND]} reminder(s) sent, "
            f"{counts[delays.Action.ESCALATE]} escalation(s) to the coordination."
        )

    def _print_schedule(self, rows, today):
        days = delays.answer_days()
        off = "" if delays.is_working_day(today) else " (not a working day: nothing is sent)"
        self.stdout.write(f"Follow-up on {today.isoformat()}{off}, delay {days} working days.")
        if not rows:
            self.stdout.write("No request is waiting.")
        for row in rows:
            project, plan = row.request, row.schedule
            self.stdout.write(
                f"Request {project.pk} ({project.recipient()}): waiting since "
                f"{plan.received.isoformat()}; answer due {plan.answer_due.isoformat()}, "
                f"reminder {plan.reminder_on.isoformat()}"
                f"{_done(project.reminded_at, project.clock)}, escalation "
                f"{plan.escalation_on.isoformat()}"
                f"{_done(project.escalated_at, project.clock)}"
                f" — now: {row.action or 'nothing'}"
            )


def _done(moment, clock):
    if moment is not None and moment >= clock:
        return f" (sent {timezone.localdate(moment).isoformat()})"
    return ""
