"""Time and peak memory of the directory import's preview on each bomb shape, and on a sound
file of the largest size accepted (docs/benchmarks.md)."""

import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.management.base import BaseCommand

from directory import transfer
from directory.scope import EVERYTHING


class Command(BaseCommand):
    help = (
        "Builds each import bomb of directory/tests/bombs.py, and a sound file of 5000 rows, "
        "and previews it as the admin import does (read, validate and plan, nothing written), "
        "each in its own process: prints the answer, the time, the peak of Python "
        "allocations and the process's RSS before the read and at its peak."
    )

    def add_arguments(self, parser):
        parser.add_argument("--one", help="measure this file only (used by the command itself)")

    def handle(self, *args, one=None, **options):
        if one:
            self.stdout.write(json.dumps(measure(Path(one))))
            return
        from directory.tests.bombs import BOMBS

        self.stdout.write(f"{'file':38} {'size':>9} {'time':>7} {'traced':>9} {'RSS':>8}  answer")
        files = {**BOMBS, "sound_5000_rows.csv": sound_rows}
        with tempfile.TemporaryDirectory() as folder:
            for name, build in files.items():
                path = Path(folder) / name
                path.write_bytes(build())
                child = subprocess.run(
                    [sys.executable, "manage.py", "bench_import", "--one", str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                figures = json.loads(child.stdout.strip().splitlines()[-1])
                size = path.stat().st_size / 1e6
                rss = f"{figures['base_mb']:4.0f}→{figures['rss_mb']:4.0f}MB"
                self.stdout.write(
                    f"{name:38} {size:7.2f}MB {figures['seconds']:6.2f}s "
                    f"{figures['traced_mb']:7.1f}MB {rss}  {figures['answer'][:90]}"
                )


def sound_rows(count=transfer.MAX_ROWS):
    """A valid file of `count` new people, each covering a département of the database (none
    when no territory is loaded): the largest file the import accepts."""
    import csv
    import io

    from directory.models import Territory

    codes = list(
        Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT).values_list("code", flat=True)
    ) or [""]
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(transfer.EXPORT_COLUMNS)
    for n in range(count):
        writer.writerow(
            ["Structure de mesure", "plie", "Prénom", f"Nom{n}", "Facilitateur"]
            + [f"bench{n}@example.org", "01 00 00 00 00", "", codes[n % len(codes)], "non"]
            + ["2026-01-01", "oui"]
        )
    return stream.getvalue().encode("utf-8")


def read(path):
    """The import's preview of `path` (read, validate, plan; nothing written) for the whole
    directory: its answer, as a text."""
    errors, plan = transfer.preview(path.name, path.read_bytes(), EVERYTHING)
    if plan is None and errors and errors[0].line == 0:
        return f"refused: {errors[0].message}"
    answer = f"{len(errors)} error(s)" + (f": {errors[0].message}" if errors else "")
    if plan is not None:
        answer += f", preview: {plan.created} create, {plan.updated} update, "
        answer += f"{plan.unchanged} unchanged"
    return answer


def memory_mb(field):
    """VmRSS (now) or VmHWM (peak) of this process from /proc, in MB; unlike ru_maxrss, the
    peak starts afresh at exec (it would otherwise include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(path):
    """Time of a plain run, then the peak of Python allocations of a traced run (tracing
    slows it down several times), and the process's peak RSS around both."""
    import openpyxl  # noqa: F401 — imported once per web worker, not per upload

    base = memory_mb("VmRSS")
    started = time.perf_counter()
    answer = read(path)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    read(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "traced_mb": peak / 1e6,
        "base_mb": base,
        "rss_mb": memory_mb("VmHWM"),
        "answer": answer,
    }
