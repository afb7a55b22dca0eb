from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal import backup


class Command(BaseCommand):
    help = (
        "Backs up the database (SQLite online backup or pg_dump) and the uploaded media into a "
        "new folder, with a manifest of what it holds. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="Folder to create (default: backups/<date-time>/).",
        )

    def handle(self, *args, destination=None, **options):
        folder = Path(destination or Path("backups") / timezone.now().strftime("%Y%m%d-%H%M%S"))
        try:
            manifest = backup.backup(folder)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{count} {name}" for name, count in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}: {counts}."))
        notice = backup.media_notice()
        if notice:
            self.stdout.write(self.style.WARNING(notice))
