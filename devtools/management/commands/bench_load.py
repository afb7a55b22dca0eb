"""Load tests against gunicorn (2 sync workers, DEBUG off) on 127.0.0.1, on the database of
DATABASE_URL (all of France loaded by `bench_directory --load-all`, the demo content seeded):
each figure is printed beside its target (issue 16, `docs/benchmarks.md`).

The load generator is a small asyncio HTTP/1.1 client in this process (one connection per
request, as gunicorn's sync workers close them): light enough that a 2-core machine measures
the server rather than the client. `--quick` shortens every run (a few minutes in all).
"""

import asyncio
import os
import random
import time
import urllib.parse
import urllib.request

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from devtools import gunicorn
from directory.models import Territory

WORKERS = 2
SAMPLE = 6000


class Run:
    """What one load run measured."""

    def __init__(self, latencies, statuses, errors, seconds):
        self.latencies = sorted(latencies)
        self.statuses, self.errors, self.seconds = statuses, errors, seconds

    @property
    def count(self):
        return len(self.latencies)

    @property
    def rate(self):
        return self.count / self.seconds if self.seconds else 0

    def percentile(self, share):
        if not self.latencies:
            return float("nan")
        return self.latencies[min(len(self.latencies) - 1, int(len(self.latencies) * share))]

    @property
    def failures(self):
        bad = sum(n for status, n in self.statuses.items() if not 200 <= status < 400)
        return bad + self.errors


async def _get(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n"
        "User-Agent: bench_load\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()  # until the server closes
    writer.close()
    return int(status_line.split()[1])


def load(base_url, paths, clients, seconds=None, requests=None):
    """Fire `clients` concurrent clients at the paths (cycled) for `seconds` or until
    `requests` are done; returns a `Run`."""
    parts = urllib.parse.urlsplit(base_url)
    host, port = parts.hostname, parts.port
    latencies, statuses, errors = [], {}, [0]
    counter = iter(range(10**9))

    async def client():
        while True:
            index = next(counter)
            if requests is not None and index >= requests:
                return
            if seconds is not None and time.perf_counter() - started > seconds:
                return
            path = paths[index % len(paths)]
            begun = time.perf_counter()
            try:
                status = await asyncio.wait_for(_get(host, port, path), timeout=30)
            except (TimeoutError, OSError, ValueError, IndexError):
                errors[0] += 1
                continue
            latencies.append(time.perf_counter() - begun)
            statuses[status] = statuses.get(status, 0) + 1

    async def main():
        await asyncio.gather(*(client() for _ in range(clients)))

    started = time.perf_counter()
    asyncio.run(main())
    return Run(latencies, statuses, errors[0], time.perf_counter() - started)


class Command(BaseCommand):
    help = "Load tests against gunicorn: req/s, p99, queries per page, each beside its target."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="shorter runs (a few minutes)")
        parser.add_argument(
            "--code-dir",
            help="serve the code of this folder instead (e.g. an export of an older commit, "
            "for before/after figures on the same database); queries per page are skipped",
        )

    def out(self, line):
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, quick=False, code_dir=None, **options):
        random.seed(16)
        self.quick, self.code_dir = quick, code_dir
        vendor = connection.vendor
        communes = Territory.objects.communes().count()
        self.out(
            f"Database: {vendor}, {communes} communes; gunicorn {WORKERS} sync workers, "
            f"DEBUG off, 127.0.0.1; {'quick' if quick else 'full'} runs; "
            f"{os.cpu_count()} CPUs (shared: figures are noisy)"
        )
        urls = self.urls()
        if code_dir:
            self.out(f"Serving the code of {code_dir}")
        else:
            self.queries_per_page(urls)
        with gunicorn.serve(WORKERS, lambda text: self.out("\n" + text), self.code_dir) as base_url:
            self.scenarios(base_url, urls)

    # -- What to ask ------------------------------------------------------------------------
    def urls(self):
        from maps.models import MapPage
        from news.models import NewsPage

        sample = list(
            Territory.objects.communes()
            .order_by("?")
            # More communes than any run asks for: no URL is asked twice, so no page of the
            # "uncached" lines comes from the page cache (the mix does repeat its pages).
            .values_list("name", "code", "postal_codes")[:SAMPLE]
        )
        lookups = []
        for index, (name, code, postal) in enumerate(sample):
            kind = index % 3
            query = name if kind == 0 else code if kind == 1 else (postal or code)[:5]
            lookups.append("/api/v1/lookup/?" + urllib.parse.urlencode({"q": query}))
        finder = MapPage.objects.live().filter(locale__language_code="fr").first()
        article = NewsPage.objects.live().filter(locale__language_code="fr").first()
        finder_url = finder.url if finder else "/fr/trouver-mon-facilitateur/"
        return {
            "lookup": lookups,
            "finder": [finder_url + "?q=Tarascon"],
            "finder_random": [
                finder_url + "?" + urllib.parse.urlencode({"q": name}) for name, _c, _p in sample
            ],
            "commune": ["/fr/annuaire/communes/13108/"],
            "commune_random": [f"/fr/annuaire/communes/{code}/" for _n, code, _p in sample],
            "home": ["/fr/"],
            "article": [article.url if article else "/fr/"],
            "search": ["/fr/recherche/?q=clause", "/fr/recherche/?q=insertion"],
        }

    # -- Queries per page (in this process, Django's test client) -----------------------------
    def queries_per_page(self, urls):
        client = Client(HTTP_HOST="127.0.0.1")
        targets = [
            ("home", urls["home"][0], 20),
            ("news article", urls["article"][0], 15),
            ("commune page", urls["commune"][0], 15),
            ("finder result", urls["finder"][0], 15),
            ("search", urls["search"][0], None),
            ("lookup API", urls["lookup"][0], None),
        ]
        self.out("\nQueries per page (served past the page cache; site frame cached):")
        for label, url, target in targets:
            counts = []
            for attempt in range(2):  # the second one: steady state
                bypass = ("&" if "?" in url else "?") + f"bench={attempt}"
                with CaptureQueriesContext(connection) as context:
                    response = client.get(url + bypass)
                counts.append(len(context))
            self.verdict(f"  {label:<14} {url}", counts[-1], target, "queries", response)

    def verdict(self, label, value, target, unit, response=None, higher=False):
        status = f" [{response.status_code}]" if response is not None else ""
        if target is None:
            mark = ""
        else:
            met = value >= target if higher else value <= target
            mark = f"  target {'≥' if higher else '≤'} {target}: {'met' if met else 'NOT MET'}"
        self.out(f"{label}{status}: {value} {unit}{mark}")

    # -- Against gunicorn -------------------------------------------------------------------
    def scenarios(self, base_url, urls):
        short = 5 if self.quick else 20
        for paths in urls.values():  # warm both workers and the frame cache
            load(base_url, paths[:4], clients=4, requests=8)
        self.out(f"\nLoad ({short} s per line unless said):")
        plan = [
            ("lookup API (names, INSEE, postal)", "lookup", 16, 300, 100),
            ("finder result ?q=Tarascon", "finder", 16, 100, None),
            ("finder result, random communes", "finder_random", 16, None, None),
            ("commune page 13108 (cached)", "commune", 16, 150, None),
            ("commune pages, random (uncached)", "commune_random", 16, 150, None),
            ("home (cached)", "home", 16, 900, None),
            ("news article (cached)", "article", 16, 900, None),
            ("search ?q=", "search", 16, None, None),
        ]
        for label, key, clients, rate_target, p99_target in plan:
            run = load(base_url, urls[key], clients=clients, seconds=short)
            self.report(f"  {label}, {clients} clients", run, rate_target, p99_target)
        # The mix: 200 clients, pages and API.
        mix = []
        for key, weight in (
            ("home", 3),
            ("article", 2),
            ("commune_random", 3),
            ("finder_random", 2),
            ("lookup", 3),
            ("search", 1),
        ):
            # 40 × weight requests of each kind: lists shorter than that are cycled.
            mix += [urls[key][i % len(urls[key])] for i in range(40 * weight)]
        random.shuffle(mix)
        seconds = 15 if self.quick else 60
        run = load(base_url, mix, clients=200, seconds=seconds)
        self.report(f"  mix of pages and API, 200 clients for {seconds} s", run, None, 2000)
        self.out(
            f"    errors: {run.failures} (target 0: {'met' if run.failures == 0 else 'NOT MET'})"
        )

    def report(self, label, run, rate_target, p99_target):
        p50, p99 = run.percentile(0.5) * 1000, run.percentile(0.99) * 1000
        parts = [f"{run.rate:.0f} req/s"]
        if rate_target:
            parts[0] += (
                f" (target ≥ {rate_target}: {'met' if run.rate >= rate_target else 'NOT MET'})"
            )
        parts.append(f"p50 {p50:.0f} ms")
        p99_text = f"p99 {p99:.0f} ms"
        if p99_target:
            p99_text += f" (target ≤ {p99_target}: {'met' if p99 <= p99_target else 'NOT MET'})"
        parts.append(p99_text)
        parts.append(f"{run.count} requests, statuses {dict(sorted(run.statuses.items()))}")
        if run.errors:
            parts.append(f"{run.errors} connection errors")
        self.out(f"{label}: " + ", ".join(parts))
