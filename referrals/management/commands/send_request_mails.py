"""Retry now the e-mails of project requests that are not all sent."""

from django.core.management.base import BaseCommand

from outbox.queue import send_due
from referrals import notify
from referrals.models import ProjectRequest


class Command(BaseCommand):
    help = (
        "Queues the missing e-mails of requests not marked as sent (each at most once), makes "
        "those waiting for a retry due now and runs the outbox once. The `send_outbox` worker "
        "retries on its own; this is for an operator who fixed the mail server."
    )

    def handle(self, *args, **options):
        pending = list(
            ProjectRequest.objects.exclude(mail_status=ProjectRequest.Mail.SENT)
            .select_related("routed_to__structure")
            .order_by("created_at")
        )
        for project in pending:
            notify.send(project)
            notify.retry_now(project)
        send_due()
        sent = failed = 0
        for project in pending:
            if notify.record(project):
                sent += 1
            else:
                failed += 1
                self.stderr.write(f"Request {project.pk}: {project.mail_error or 'pending'}")
        self.stdout.write(f"{sent} request(s) mailed, {failed} still failing.")
        if failed:
            raise SystemExit(1)
