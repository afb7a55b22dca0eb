"""Delete project requests older than the retention period (personal data, RGPD), with
their rows in Wagtail's audit log (which hold the request's title and changes), and the
directory's error reports older than theirs (`directory.error_reports.purge`)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from directory import error_reports
from referrals.access import purge_log_entries
from referrals.models import ProjectRequest


class Command(BaseCommand):
    periodic = True  # in portal.schedule.JOBS (a test checks it)

    help = (
        "Deletes the requests received more than REFERRAL_RETENTION_DAYS days ago "
        "(default 730) and the error reports received more than ERROR_REPORT_RETENTION_DAYS "
        "days ago (default 365). A periodic job of portal/schedule.py (daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted, delete nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.REFERRAL_RETENTION_DAYS
        limit = timezone.now() - datetime.timedelta(days=days)
        old = ProjectRequest.objects.filter(created_at__lt=limit)
        count = old.count()
        report_days = error_reports.retention_days()
        if dry_run:
            reports = error_reports.expired().count()
            self.stdout.write(f"{count} request(s) older than {days} days would be deleted.")
            self.stdout.write(
                f"{reports} error report(s) older than {report_days} days would be deleted."
            )
            return
        with transaction.atomic():
            purge_log_entries(old)
            old.delete()
            reports = error_reports.purge()
        self.stdout.write(f"{count} request(s) older than {days} days deleted.")
        self.stdout.write(f"{reports} error report(s) older than {report_days} days deleted.")
