"""List (and with --delete, delete) files under MEDIA_ROOT and PROTECTED_FILES_ROOT
that no row of the database names: see dataprotection/services/media.py."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from dataprotection.services import media


class Command(BaseCommand):
    help = (
        "List files under MEDIA_ROOT (and PROTECTED_FILES_ROOT) that no record refers to; "
        "--delete deletes them. Files younger than --min-age-minutes are left alone (an "
        "upload may not be committed yet)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete the files listed")
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=int(media.ORPHAN_MIN_AGE.total_seconds() // 60),
            help="Leave files changed more recently than this (default: %(default)s)",
        )

    def handle(self, *args, delete: bool, min_age_minutes: int, **options):
        if min_age_minutes < 0:
            raise CommandError("--min-age-minutes must be 0 or more.")
        min_age = timedelta(minutes=min_age_minutes)
        if delete:
            orphans = media.orphan_files_delete(min_age=min_age)
        else:
            orphans = media.orphan_files(min_age=min_age)
        for orphan in orphans:
            self.stdout.write(str(orphan.path))
        verb = "Deleted" if delete else "Found"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(orphans)} files no record refers to.")
            if delete or not orphans
            else self.style.WARNING(
                f"{verb} {len(orphans)} files no record refers to; run with --delete to "
                "delete them."
            )
        )
