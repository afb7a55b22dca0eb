"""Benchmark of the map and the lookup API (a measurement, not a test): see docs/benchmarks.md.

Run it after `bench_directory --load-all` on the same throw-away database (`make bench` does
both): it measures the GeoJSON layers' sizes, the batch status computation over France, the
lookup API's latency under concurrent clients against gunicorn, and the time until the map
is drawn in headless Chromium.
"""

import gzip
import json
import os
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from django.core.management.base import BaseCommand

from devtools import gunicorn
from directory import coverage
from directory.models import Territory
from maps import geo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_DEPARTEMENTS = ["13", "40", "59", "92", "95"]


def kb(size):
    return f"{size / 1024:.0f} KB"


class Command(BaseCommand):
    help = "Measures map layer sizes, batch statuses, lookup latency and map drawing time."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=16, help="concurrent API clients")
        parser.add_argument("--requests", type=int, default=50, help="requests per client")
        parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")

    def handle(self, *args, clients, requests, workers, **options):
        self.out = self.stdout.write
        self.layer_sizes()
        self.geometry_validity()
        self.batch_statuses()
        with gunicorn.serve(workers, self.out) as base_url:
            self.lookup_latency(base_url, clients, requests)
            self.map_drawing(base_url)

    # -- GeoJSON layers -------------------------------------------------------------------
    def measure(self, label, build, *args):
        started = time.monotonic()
        text = json.dumps(build(*args), ensure_ascii=False, separators=(",", ":")).encode()
        seconds = time.monotonic() - started
        zipped = len(gzip.compress(text, compresslevel=6))  # Django's GZipMiddleware level
        self.out(f"  {label}: {kb(len(text))} raw, {kb(zipped)} gzipped, built in {seconds:.2f} s")
        return zipped

    def layer_sizes(self):
        departements = Territory.objects.of_kind(Territory.Kind.DEPARTEMENT)
        self.out(f"GeoJSON layers ({departements.count()} départements loaded):")
        self.measure("départements layer (national view)", geo.departements_layer)
        for code in DEMO_DEPARTEMENTS:
            departement = departements.filter(code=code).first()
            if departement:
                communes = Territory.objects.communes().filter(departement=departement).count()
                self.measure(
                    f"communes of {code} ({communes} communes)", geo.communes_layer, departement
                )
                self.measure(f"EPCI of {code}", geo.epci_layer, departement)
        largest = max(
            departements,
            key=lambda d: Territory.objects.communes().filter(departement=d).count(),
        )
        count = Territory.objects.communes().filter(departement=largest).count()
        self.measure(
            f"communes of {largest.code}, the département with most communes ({count})",
            geo.communes_layer,
            largest,
        )

    def geometry_validity(self):
        started = time.monotonic()
        counts = geo.invalid_geometries()
        invalid, total = (sum(column) for column in zip(*counts.values(), strict=True))
        seconds = time.monotonic() - started
        self.out(f"invalid geometries served: {invalid} (of {total}), checked in {seconds:.1f} s")
        for label, (bad, count) in counts.items():
            self.out(f"  {label}: {bad} of {count}")

    def batch_statuses(self):
        started = time.monotonic()
        total = 0
        for departement in Territory.objects.of_kind(Territory.Kind.DEPARTEMENT):
            total += len(
                coverage.answers(Territory.objects.communes().filter(departement=departement))
            )
        seconds = time.monotonic() - started
        self.out(
            f"coverage.answers() per département over France: {total} communes in "
            f"{seconds:.1f} s = {total / seconds:.0f} communes/s"
        )

    # -- Against gunicorn -----------------------------------------------------------------

    def lookup_latency(self, base_url, clients, requests):
        communes = list(
            Territory.objects.communes()
            .order_by("?")
            .values_list("name", "code", "postal_codes")[: clients * requests]
        )
        queries = []
        for index, (name, code, postal) in enumerate(communes):
            kind = index % 3
            queries.append(name if kind == 0 else code if kind == 1 else (postal or code)[:5])
        for query in queries[:clients]:  # warm the workers
            urllib.request.urlopen(self.lookup_url(base_url, query), timeout=30).read()
        timings, statuses, lock = [], {}, threading.Lock()

        def client(part):
            for query in part:
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(self.lookup_url(base_url, query), timeout=30) as r:
                        r.read()
                        status = r.status
                except urllib.error.HTTPError as error:
                    status = error.code
                elapsed = time.perf_counter() - started
                with lock:
                    timings.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

        threads = [
            threading.Thread(target=client, args=(queries[i::clients],)) for i in range(clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        self.out(
            f"/api/v1/lookup/ with {clients} concurrent clients, {len(timings)} requests "
            f"(names, INSEE codes, postal codes): p50 {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, {len(timings) / wall:.0f} requests/s, statuses {statuses}"
        )

    @staticmethod
    def lookup_url(base_url, query):
        return f"{base_url}/api/v1/lookup/?q={urllib.parse.quote(query)}"

    def map_drawing(self, base_url):
        if not os.path.exists(CHROMIUM):
            self.out(f"map drawing: skipped ({CHROMIUM} is not installed)")
            return
        from playwright.sync_api import sync_playwright

        url = base_url + "/fr/trouver-mon-facilitateur/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for attempt in ("first visit, layers built", "second visit, layers cached"):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                started = time.monotonic()
                page.goto(url)
                page.wait_for_selector("#coverage-map[data-departements]", timeout=60000)
                national = time.monotonic() - started
                count = page.get_attribute("#coverage-map", "data-departements")
                started = time.monotonic()
                page.select_option("#map-departement", "59")
                page.wait_for_selector("#coverage-map[data-departement='59']", timeout=60000)
                nord = time.monotonic() - started
                communes = page.get_attribute("#coverage-map", "data-communes")
                self.out(
                    f"map drawn in headless Chromium ({attempt}): {count} départements "
                    f"{national:.2f} s after navigation; Nord's {communes} communes "
                    f"{nord:.2f} s after choosing it"
                )
                page.close()
            browser.close()
