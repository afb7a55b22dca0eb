"""Send the e-mails of project requests that could not be sent (mail server down)."""

from django.core.management.base import BaseCommand

from referrals import notify
from referrals.models import ProjectRequest


class Command(BaseCommand):
    help = (
        "Retries the e-mails of requests marked as not sent (only the missing ones). "
        "Run it regularly, e.g. every 15 minutes from cron."
    )

    def handle(self, *args, **options):
        pending = ProjectRequest.objects.exclude(
            mail_status=ProjectRequest.Mail.SENT
        ).select_related("routed_to__structure")
        sent = failed = 0
        for project in pending.order_by("created_at"):
            if notify.send(project):
                sent += 1
            else:
                failed += 1
                self.stderr.write(f"Request {project.pk}: {project.mail_error}")
        self.stdout.write(f"{sent} request(s) mailed, {failed} still failing.")
        if failed:
            raise SystemExit(1)
