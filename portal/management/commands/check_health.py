"""The site's health from a shell or a container's health check (`portal.health`)."""

import json

from django.core.management.base import BaseCommand, CommandError

from portal import health


class Command(BaseCommand):
    help = (
        "Prints the health report of the site as /healthz/ gives it (JSON) and exits 1 when a "
        "check fails. Name checks to run only those, e.g. `check_health scheduler` (the "
        "scheduler's health check) or `check_health database outbox` (the mail worker's); "
        f"known checks: {', '.join(health.CHECKS)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("checks", nargs="*", help="names of the checks to run (default all)")

    def handle(self, *args, checks=(), **options):
        try:
            healthy, report = health.run(names=checks or None)
        except KeyError as unknown:
            raise CommandError(
                f"Unknown check(s): {unknown.args[0]}; known: {', '.join(health.CHECKS)}."
            ) from None
        self.stdout.write(json.dumps(report, indent=2))
        if not healthy:
            raise SystemExit(1)
