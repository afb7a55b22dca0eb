from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = (
        "Replaces the database and the uploaded media by a backup made with backup_site, then "
        "checks that the restored site holds as many pages, facilitators, requests, documents, "
        "images and users as the backup (and, with --check-pages, that every sitemap page and "
        "the admin login page answer 200)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup folder.")
        parser.add_argument("--noinput", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--check-pages",
            action="store_true",
            help="Afterwards, ask every sitemap page and the admin login page for a 200.",
        )

    def handle(self, *args, source, noinput=False, check_pages=False, **options):
        try:
            manifest = backup.read_manifest(source)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if not noinput:
            answer = input(
                f"Replace the current database and media by the backup of "
                f"{manifest['created']}? Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            _manifest, counts = backup.restore(source)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}: {summary}."))
        notice = backup.media_notice()
        if notice:
            self.stdout.write(self.style.WARNING(notice.replace("this backup", "this restore")))
        if check_pages:
            failures, asked = backup.check_pages()
            if failures:
                listed = "; ".join(f"{path} → {status}" for path, status in failures)
                raise CommandError(f"{len(failures)} of {asked} pages do not answer 200: {listed}")
            self.stdout.write(self.style.SUCCESS(f"All {asked} pages answer 200."))
