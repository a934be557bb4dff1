import json

from django.core.management.base import BaseCommand, CommandError

from demo import bench
from reporting.periods import Quarter

LIMIT_SECONDS = 30
LIMIT_MB = 500


class Command(BaseCommand):
    help = "Measure computing and rendering one quarter's return on N synthetic cases."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=20000)
        parser.add_argument("--quarter", default="2026-Q2")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic rows")
        parser.add_argument("--no-build", action="store_true", help="use the data already there")

    def handle(self, *args, **options):
        quarter = Quarter.parse(options["quarter"])
        if not options["no_build"]:
            bench.remove()
            self.stderr.write(f"Building {options['cases']} synthetic cases...")
            bench.build(cases=options["cases"], quarter=quarter)
        try:
            result = bench.run(quarter=quarter)
        finally:
            if not options["keep"] and not options["no_build"]:
                bench.remove()
        self.stdout.write(json.dumps(result, indent=2))
        if result["total_seconds"] > LIMIT_SECONDS or result["peak_rss_mb"] > LIMIT_MB:
            raise CommandError(f"Over budget: {LIMIT_SECONDS} s and {LIMIT_MB} MB")
