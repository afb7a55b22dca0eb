"""Benchmark of the directory (a measurement, not a test): see docs/benchmarks.md.

Run it on a throw-away database, e.g. `make bench`, which does:
    DATABASE_URL=sqlite:////tmp/portal-bench.sqlite3 manage.py migrate
    DATABASE_URL=sqlite:////tmp/portal-bench.sqlite3 manage.py seed_demo
    DATABASE_URL=sqlite:////tmp/portal-bench.sqlite3 manage.py bench_directory --load-all
"""

import resource
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from demo import directory as demo
from directory import coverage
from directory.loading import TerritoryLoader
from directory.models import DirectoryPage, Facilitator, LeadDesignation, Structure, Territory


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Measures loading all of France, resolving every commune's lead, and page queries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--load-all", action="store_true", help="load all of France first (measured)"
        )

    def handle(self, *args, load_all=False, **options):
        out = self.stdout.write
        if load_all:
            started = time.monotonic()
            report = TerritoryLoader().run()
            seconds, peak = time.monotonic() - started, peak_rss_mb()
            # Issue 16's targets: ≤ 60 s on PostgreSQL, ≤ 500 MB peak on both databases.
            time_target = (
                f" (target ≤ 60 s: {'met' if seconds <= 60 else 'NOT MET'})"
                if connection.vendor == "postgresql"
                else ""
            )
            out(
                f"load_territories --all on {connection.vendor}: {seconds:.1f} s{time_target}, "
                f"peak RSS {peak:.0f} MB (target ≤ 500 MB: {'met' if peak <= 500 else 'NOT MET'})"
                f" — {report.summary()}"
            )
        demo.build(load=False)
        communes = list(Territory.objects.communes().with_parents())
        started = time.monotonic()
        leads = 0
        for commune in communes:
            if coverage.answer(commune).recipient:
                leads += 1
        seconds = time.monotonic() - started
        out(
            f"coverage.answer on {len(communes)} communes: {seconds:.1f} s, "
            f"{len(communes) / seconds:.0f} communes/s ({leads} with a lead or contact)"
        )
        started = time.monotonic()
        white = coverage.white_zones().count()
        out(
            f"white_zones() over all loaded communes: {white} communes in "
            f"{(time.monotonic() - started) * 1000:.0f} ms"
        )
        out(f"commune page queries: {self.page_queries()}")
        out(f"peak RSS of the whole run: {peak_rss_mb():.0f} MB")

    @override_settings(ALLOWED_HOSTS=["*"])
    def page_queries(self):
        """Queries of the public commune page (steady state), with the demo directory and
        with 200 more facilitators and designations around the commune (rolled back
        afterwards)."""
        page = DirectoryPage.objects.live().first()
        if page is None:
            return "no directory page (run seed_demo first)"
        url = page.url + "communes/13108/"
        client = Client()

        visits = iter(range(10**6))

        def count():
            """Queries of the second of two visits (past the page cache: a query string):
            the first one reads the published directory and fills the fragment caches."""
            for _visit in range(2):
                with CaptureQueriesContext(connection) as context:
                    response = client.get(f"{url}?bench={next(visits)}")
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return len(context)

        before = count()
        with transaction.atomic():
            tarascon = Territory.objects.get(kind=Territory.Kind.COMMUNE, code="13108")
            structure = Structure.objects.create(name="Bench structure", kind="other")
            for number in range(200):
                facilitator = Facilitator.objects.create(
                    first_name="Bench",
                    last_name=f"N{number}",
                    structure=structure,
                    email=f"bench{number}@example.org",
                )
                facilitator.coverage.set([tarascon.departement])
                LeadDesignation.objects.create(
                    territory=tarascon.region, facilitator=facilitator, designated_by=str(number)
                )
            after = count()
            transaction.set_rollback(True)
        return f"{before} with the demo directory, {after} with 200 more facilitators"
