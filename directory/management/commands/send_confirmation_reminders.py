"""Ask facilitators to confirm their published record: a daily job (`portal.schedule`), it
sends each reminder at most once per `DIRECTORY_CONFIRM_MONTHS` period."""

from django.core.management.base import BaseCommand

from directory import freshness


class Command(BaseCommand):
    periodic = True  # in portal.schedule.JOBS (a test checks it)

    help = (
        "Envoie aux facilitateurs dont la fiche n'a pas été confirmée depuis "
        "DIRECTORY_CONFIRM_MONTHS mois un e-mail de confirmation (une fois par période)."
    )

    def handle(self, *args, **options):
        sent = freshness.send_reminders()
        for facilitator in sent:
            self.stdout.write(f"{facilitator.full_name} <{facilitator.email}>")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder(s) sent."))
