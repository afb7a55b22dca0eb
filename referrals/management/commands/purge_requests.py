"""Delete project requests older than the retention period (personal data, RGPD), with
their rows in Wagtail's audit log (which hold the request's title and changes), and the
directory's error reports older than theirs (`directory.error_reports.purge`)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from directory import error_reports
from referrals.models import ProjectRequest


def purge_log_entries(requests):
    """Delete the audit-log rows (Wagtail's ModelLogEntry: title, changed fields) of the
    project requests of `requests`, so that a purged request leaves no text behind."""
    ids = [str(pk) for pk in requests.values_list("pk", flat=True)]
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ProjectRequest), object_id__in=ids
    ).delete()[0]


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
