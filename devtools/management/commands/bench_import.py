"""Time and peak memory of the directory import on each bomb shape (docs/benchmarks.md)."""

import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand

from directory import transfer


class Command(BaseCommand):
    help = (
        "Builds each import bomb of directory/tests/bombs.py and reads it as the admin import "
        "does (read and validate, nothing written), each in its own process: prints the "
        "answer, the time, the peak of Python allocations and the process's RSS before the "
        "read and at its peak."
    )

    def add_arguments(self, parser):
        parser.add_argument("--one", help="measure this file only (used by the command itself)")

    def handle(self, *args, one=None, **options):
        if one:
            self.stdout.write(json.dumps(measure(Path(one))))
            return
        from directory.tests.bombs import BOMBS

        self.stdout.write(f"{'file':38} {'size':>9} {'time':>7} {'traced':>9} {'RSS':>8}  answer")
        with tempfile.TemporaryDirectory() as folder:
            for name, build in BOMBS.items():
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


def read(path):
    """The import's reading and validation of `path`: its answer, as a text."""
    try:
        rows = transfer.read_rows(SimpleUploadedFile(path.name, path.read_bytes()))
        errors, _cleaned = transfer.validate(rows)
    except transfer.UnreadableFile as error:
        return f"refused: {error}"
    return f"{len(rows)} row(s), {len(errors)} error(s)" + (
        f": {errors[0].message}" if errors else ""
    )


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
