"""Delete project requests older than the retention period (personal data, RGPD), with
their rows in Wagtail's audit log (which hold the request's title and changes)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from referrals.access import purge_log_entries
from referrals.models import ProjectRequest


class Command(BaseCommand):
    help = (
        "Deletes the requests received more than REFERRAL_RETENTION_DAYS days ago "
        "(default 730). Run it daily, e.g. from cron."
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
        if dry_run:
            self.stdout.write(f"{count} request(s) older than {days} days would be deleted.")
            return
        with transaction.atomic():
            purge_log_entries(old)
            old.delete()
        self.stdout.write(f"{count} request(s) older than {days} days deleted.")
