"""Record this month's white zones per département (a daily job of `portal.schedule`:
one set of rows per month, a second run the same month updates them)."""

from django.core.management.base import BaseCommand

from directory.coverage import snapshot_white_zones


class Command(BaseCommand):
    periodic = True  # in portal.schedule.JOBS (a test checks it)

    help = (
        "Records the communes and population in white zones per loaded département for the "
        "current month (idempotent within a month)."
    )

    def handle(self, *args, **options):
        rows = snapshot_white_zones()
        for row in rows:
            self.stdout.write(
                f"{row.month:%Y-%m} {row.departement.code}: {row.communes} communes, "
                f"{row.population} inhabitants in white zones"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} département(s) recorded."))
