"""Build the demo site: pages in French and English, news, results, guidance files, demo admin."""

from django.core.management.base import BaseCommand

from demo import directory as directory_demo
from demo import reports as reports_demo
from demo.builder import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_FACILITATOR, DemoBuilder


class Command(BaseCommand):
    help = (
        "Creates the demo content (idempotent: a second run changes nothing) and the local demo "
        "admin account. Never run it on a production database."
    )

    def handle(self, *args, **options):
        self.stdout.write("Loading the demo départements and the demo directory…")
        created = directory_demo.build()
        created += DemoBuilder(log=self.stdout.write).build()
        created += reports_demo.build()  # after the directory: reports of its structures
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo content ready: {created} objects created."))
        else:
            self.stdout.write("Demo content already present: nothing to do.")
        username, password = DEMO_ADMIN
        self.stdout.write(f"Demo admin login (local use only): {username} / {password}")
        username, password = DEMO_COORDINATOR
        self.stdout.write(
            f"Demo coordinator login (directory and all requests): {username} / {password}"
        )
        username, password = DEMO_FACILITATOR
        self.stdout.write(
            f"Demo facilitator login (Arles PLIE, its own requests): {username} / {password}"
        )
