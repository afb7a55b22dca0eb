"""Build the demo site: pages in French and English, news, results, guidance files, demo admin."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import directory as directory_demo
from demo import reports as reports_demo
from demo.builder import (
    DEMO_ADMIN,
    DEMO_COORDINATIONS,
    DEMO_COORDINATOR,
    DEMO_FACILITATOR,
    DEMO_MODERATOR,
    DEMO_WRITER,
    DemoBuilder,
)


class Command(BaseCommand):
    help = (
        "Creates the demo content (idempotent: a second run changes nothing) and the local demo "
        "admin account. Never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-demo-in-production",
            action="store_true",
            help="Run even with production settings (a demonstration server only: it creates "
            "accounts whose password is public).",
        )

    def handle(self, *args, **options):
        if (
            getattr(settings, "PRODUCTION_SETTINGS", False)
            and not options["force_demo_in_production"]
        ):
            raise CommandError(
                "seed_demo refuses to run with production settings: it creates the demo "
                "accounts (admin / changeme…) and fictitious content. For a demonstration "
                "server only, add --force-demo-in-production."
            )
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
            f"Demo national coordination login (the whole directory, every request): "
            f"{username} / {password}"
        )
        for username, password, coordination, _names in DEMO_COORDINATIONS:
            self.stdout.write(
                f"Demo departmental coordination login ({coordination}: its territory only): "
                f"{username} / {password}"
            )
        username, password = DEMO_FACILITATOR
        self.stdout.write(
            f"Demo facilitator login (Arles PLIE: its own record and requests): "
            f"{username} / {password}"
        )
        for (username, password), role in (
            (DEMO_WRITER, "writes and submits pages for review, cannot publish"),
            (DEMO_MODERATOR, "reviews, publishes and unpublishes pages"),
        ):
            self.stdout.write(f"Demo editorial login ({role}): {username} / {password}")
