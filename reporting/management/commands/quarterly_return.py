"""python manage.py quarterly_return --quarter 2026-Q3 --format pdf --output return.pdf

Produces the quarter's return through the same service the web page and the scheduled
job use (a finalised return is not recomputed: its stored file is written out), then
writes the requested file. With --queue the work runs on a Celery worker and the command
waits for it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting import services
from reporting.models import QuarterlyReturn
from reporting.periods import Quarter
from reporting.tasks import generate_quarterly_return
from stalkingservice.domain import DomainError


class Command(BaseCommand):
    help = "Produce a quarterly return and write it as PDF, CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="e.g. 2026-Q3 (Q1 = April to June)")
        parser.add_argument("--format", choices=["pdf", "csv", "json"], default="pdf")
        parser.add_argument(
            "--output", required=True, help="file to write ('-' for standard output)"
        )
        parser.add_argument("--return-version", dest="return_version", type=int, default=None)
        parser.add_argument("--queue", action="store_true", help="run on a Celery worker and wait")
        parser.add_argument("--timeout", type=int, default=600)

    def handle(self, *args, **options):
        try:
            quarter = Quarter.parse(options["quarter"]).label
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        version = options["return_version"]
        try:
            if options["queue"]:
                result = generate_quarterly_return.delay(quarter, None, version).get(
                    timeout=options["timeout"]
                )
                ret = QuarterlyReturn.objects.get(pk=result["id"])
            else:
                ret = services.return_generate(quarter=quarter, version=version, by=None)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        content = ret.file_for(options["format"]).open("rb").read()
        output = options["output"]
        if output == "-":
            self.stdout.write(content.decode("utf-8") if options["format"] != "pdf" else "")
        else:
            Path(output).write_bytes(content)
        self.stderr.write(
            f"{ret.quarter} version {ret.version} ({ret.get_status_display()}): "
            f"{options['format'].upper()} sha256 {ret.sha_for(options['format'])} -> {output}"
        )
